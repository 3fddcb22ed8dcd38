/**
 * Sums and counts per int32 key of a small partition in plain JavaScript. For a few thousand rows
 * the kernels' group-by (copying the rows into kernel memory, laying out and folding replicated
 * tables, reading them back) cost about four times this loop: it was most of the seed's
 * per-partition task. The partial is the one the kernels give (keys that occur, ascending; size,
 * count of non-NaN values, and the sum of those when asked), so merging and finishing are unchanged.
 */
import type { GroupAgg, GroupByPartial } from '@pdask/kernels';

/** Partitions of at most this many rows... */
export const SMALL_ROWS = 8192;
/** ...whose keys span at most this many values take the loop below. */
const SMALL_RANGE = 4096;

/** The partial, or undefined when the partition, its keys or its aggregations are not that simple. */
export function smallSumCount(codes: Int32Array, values: Int32Array | Float32Array | Float64Array, aggs: readonly GroupAgg[]): GroupByPartial | undefined {
  const n = codes.length;
  if (n === 0 || n > SMALL_ROWS || values.length !== n) return undefined;
  // Only sum/count/mean/size: the other statistics need the kernels' other tables.
  if (!aggs.every((a) => a === 'sum' || a === 'count' || a === 'mean' || a === 'size')) return undefined;
  let lo = codes[0];
  let hi = lo;
  for (let i = 1; i < n; i++) {
    const c = codes[i];
    if (c < lo) lo = c;
    else if (c > hi) hi = c;
  }
  const ng = hi - lo + 1;
  if (ng > SMALL_RANGE) return undefined;
  const sum = new Float64Array(ng);
  const count = new Float64Array(ng);
  const size = new Float64Array(ng);
  for (let i = 0; i < n; i++) {
    const g = codes[i] - lo;
    const v = values[i];
    size[g]++;
    if (v === v) {
      sum[g] += v;
      count[g]++;
    }
  }
  let k = 0;
  for (let g = 0; g < ng; g++) if (size[g] > 0) k++;
  const withSum = aggs.some((a) => a === 'sum' || a === 'mean');
  const out: GroupByPartial = { keys: new Int32Array(k), size: new Float64Array(k), count: new Float64Array(k), sorted: true };
  if (withSum) out.sum = new Float64Array(k);
  for (let g = 0, j = 0; g < ng; g++) {
    if (size[g] === 0) continue;
    out.keys[j] = g + lo;
    out.size[j] = size[g];
    out.count[j] = count[g];
    if (out.sum) out.sum[j] = sum[g];
    j++;
  }
  return out;
}
