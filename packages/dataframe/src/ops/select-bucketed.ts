/**
 * Order statistics of values already grouped by bucket (the top 16 bits of their order-preserving
 * key, as select.ts's valuesAtRanks counts them). Each partition groups its own values (a counting
 * sort by bucket, in the partition's task, in parallel); the final step of describe/quantile then
 * adds the partitions' bucket counts and reads only the values of the few buckets that hold the
 * wanted ranks, instead of two passes over every value of every partition in one task.
 */
import { LITTLE_ENDIAN } from './endian';
import { bucketOf, ranksByBucket, selectRanks } from './select';

const BUCKETS = 1 << 16;

/** Values (no NaN) reordered by bucket, and where each bucket starts (BUCKETS + 1 offsets). */
export interface BucketedRun {
  values: Float64Array;
  starts: Int32Array;
}

/** Groups values (no NaN) by bucket; null where the platform's byte order is not little-endian. */
export function bucketRun(x: Float64Array): BucketedRun | null {
  if (!LITTLE_ENDIAN) return null;
  const words = new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);
  const starts = new Int32Array(BUCKETS + 1);
  for (let i = 1; i < words.length; i += 2) starts[bucketOf(words[i]) + 1]++;
  for (let b = 0; b < BUCKETS; b++) starts[b + 1] += starts[b];
  const fill = starts.slice(0, BUCKETS);
  const values = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) values[fill[bucketOf(words[2 * i + 1])]++] = x[i];
  return { values, starts };
}

/** The values of the first and of the last non-empty bucket (where the smallest and largest are). */
export function outerBuckets(r: BucketedRun): [Float64Array, Float64Array] {
  const { starts, values } = r;
  let a = 0;
  while (a < BUCKETS - 1 && starts[a + 1] === starts[a]) a++;
  let b = BUCKETS - 1;
  while (b > 0 && starts[b + 1] === starts[b]) b--;
  return [values.subarray(starts[a], starts[a + 1]), values.subarray(starts[b], starts[b + 1])];
}

/** The values of rank `ranks[i]` (0-based, each < the number of values) among the runs' values. */
export function valuesAtRanksBucketed(runs: readonly BucketedRun[], ranks: readonly number[]): Float64Array {
  const out = new Float64Array(ranks.length);
  if (ranks.length === 0) return out;
  const before = new Float64Array(BUCKETS + 1);
  for (const r of runs) for (let b = 0; b < BUCKETS; b++) before[b + 1] += r.starts[b + 1] - r.starts[b];
  for (let b = 0; b < BUCKETS; b++) before[b + 1] += before[b];
  const wanted = ranksByBucket(before, BUCKETS, ranks);
  for (const [b, which] of wanted) {
    const picked = new Float64Array(before[b + 1] - before[b]);
    let at = 0;
    for (const r of runs) {
      picked.set(r.values.subarray(r.starts[b], r.starts[b + 1]), at);
      at += r.starts[b + 1] - r.starts[b];
    }
    const local = which.map((i) => ranks[i] - before[b]);
    selectRanks(picked, local);
    which.forEach((i, m) => (out[i] = picked[local[m]]));
  }
  return out;
}
