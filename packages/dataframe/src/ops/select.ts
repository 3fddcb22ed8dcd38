/**
 * Order statistics without sorting: `selectRanks` moves values of a Float64Array (no NaN) so that
 * position r holds the r-th smallest for each asked rank r (NumPy's partition with several kth),
 * in expected linear time. Exact quantiles of 1e7 values need a handful of ranks, not a sort.
 */
import { LITTLE_ENDIAN } from './endian';

const SMALL = 24;

function insertionSort(x: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = x[i];
    let j = i - 1;
    while (j >= lo && x[j] > v) {
      x[j + 1] = x[j];
      j--;
    }
    x[j + 1] = v;
  }
}

/** Reorders `x` so that x[r] is its r-th smallest value (0-based) for every r of `ranks`. */
export function selectRanks(x: Float64Array, ranks: readonly number[]): void {
  const want = [...new Set(ranks)].filter((r) => r >= 0 && r < x.length).sort((a, b) => a - b);
  // Ranges [lo, hi] still to split, with the slice of `want` inside them.
  const stack: number[] = want.length ? [0, x.length - 1, 0, want.length] : [];
  while (stack.length) {
    const rhi = stack.pop()!;
    const rlo = stack.pop()!;
    let hi = stack.pop()!;
    let lo = stack.pop()!;
    let a = rlo;
    let b = rhi;
    while (a < b) {
      if (hi - lo < SMALL) {
        insertionSort(x, lo, hi);
        break;
      }
      const mid = (lo + hi) >>> 1;
      // Median of three as the pivot: sorted and reversed input split evenly.
      let p0 = x[lo];
      let p1 = x[mid];
      const p2 = x[hi];
      if (p0 > p1) [p0, p1] = [p1, p0];
      const p = p2 < p0 ? p0 : p2 > p1 ? p1 : p2;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (x[i] < p) i++;
        while (x[j] > p) j--;
        if (i <= j) {
          const t = x[i];
          x[i] = x[j];
          x[j] = t;
          i++;
          j--;
        }
      }
      // Now x[lo..j] <= p, x[i..hi] >= p, and every value between j and i equals p.
      let left = a;
      while (left < b && want[left] <= j) left++;
      let right = left;
      while (right < b && want[right] < i) right++;
      // Ranks in [a, left) lie left, [right, b) right; those between are in place.
      if (left - a > 0 && b - right > 0) {
        stack.push(i, hi, right, b);
        hi = j;
        b = left;
      } else if (left - a > 0) {
        hi = j;
        b = left;
      } else {
        lo = i;
        a = right;
      }
    }
  }
}

/** The top 16 bits of a float64's order-preserving key, from the high word of its bits. */
export const bucketOf = (hi: number): number => (hi & 0x80000000 ? ~hi >>> 16 : (hi | 0x80000000) >>> 16);

/**
 * Which ranks fall in which bucket: `before[b]` counts the values in buckets below b (b < nBuckets);
 * the answer maps each bucket holding a wanted rank to the indices i of those ranks.
 */
export function ranksByBucket(before: Float64Array, nBuckets: number, ranks: readonly number[]): Map<number, number[]> {
  const bucketOfRank = (r: number): number => {
    let lo = 0;
    let hi = nBuckets - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (before[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const wanted = new Map<number, number[]>();
  ranks.forEach((r, i) => {
    const b = bucketOfRank(r);
    (wanted.get(b) ?? wanted.set(b, []).get(b)!).push(i);
  });
  return wanted;
}

/**
 * The values of rank `ranks[i]` (0-based, each < the number of values) among the values of
 * `chunks` (no NaN), left in place. A histogram of the values' top bits finds the narrow range
 * holding each rank, and only the values in those ranges are gathered and selected from.
 */
export function valuesAtRanks(chunks: readonly Float64Array[], ranks: readonly number[]): Float64Array {
  const out = new Float64Array(ranks.length);
  if (ranks.length === 0) return out;
  if (!LITTLE_ENDIAN) {
    const all = new Float64Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    selectRanks(all, ranks);
    ranks.forEach((r, i) => (out[i] = all[r]));
    return out;
  }
  const counts = new Uint32Array(1 << 16);
  const words = chunks.map((c) => new Uint32Array(c.buffer, c.byteOffset, 2 * c.length));
  for (const w of words) for (let i = 1; i < w.length; i += 2) counts[bucketOf(w[i])]++;
  // The bucket of every rank, and the rank within it.
  const before = new Float64Array(1 << 16);
  let sum = 0;
  for (let b = 0; b < counts.length; b++) {
    before[b] = sum;
    sum += counts[b];
  }
  const wanted = ranksByBucket(before, counts.length, ranks);
  // One more pass gathers the values of every wanted bucket.
  const slot = new Int32Array(1 << 16).fill(-1);
  const buckets = [...wanted.keys()];
  const picked = buckets.map((b, j) => {
    slot[b] = j;
    return new Float64Array(counts[b]);
  });
  const fill = new Int32Array(buckets.length);
  chunks.forEach((c, j) => {
    const w = words[j];
    for (let i = 0; i < c.length; i++) {
      const k = slot[bucketOf(w[2 * i + 1])];
      if (k >= 0) picked[k][fill[k]++] = c[i];
    }
  });
  buckets.forEach((b, j) => {
    const which = wanted.get(b)!;
    const local = which.map((i) => ranks[i] - before[b]);
    selectRanks(picked[j], local);
    which.forEach((i, m) => (out[i] = picked[j][local[m]]));
  });
  return out;
}
