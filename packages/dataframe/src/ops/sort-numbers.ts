/**
 * Sorting and range-splitting one numeric column over typed arrays (setIndex's and sortValues'
 * hot loops). The general paths hold a JS value per row and sort an index with a comparator
 * closure, which was three quarters of a setIndex's time.
 * The order is the same as sort.ts's sortOrder: stable, -0 equal to 0, missing keys (NaN, null) last.
 */
import { DataType, type Vector } from 'apache-arrow';
import type { SortKey } from './sort';
import { toFloat64 } from './values';

export const isNumberSortKey = (v: Vector): boolean => {
  const t = v.type as DataType;
  return DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t);
};

/** Below this many rows a comparator sort is cheaper than the radix passes' histograms. */
const RADIX_MIN = 4096;
const BITS = 11;
const RADIX = 1 << BITS;
const MASK = RADIX - 1;

/**
 * Row order of the keys as a stable LSD radix sort over the keys' bits (11-bit digits), the
 * float64 bits turned into unsigned integers that order as the numbers do.
 */
export function numberSortOrder(v: Vector, ascending: boolean): Int32Array {
  const keys = toFloat64(v);
  const n = keys.length;
  if (n < RADIX_MIN) return comparatorOrder(keys, ascending);
  const words = new Int32Array(keys.buffer, keys.byteOffset, 2 * n);
  // Int32Array storage of the unsigned bits: reading a Uint32Array's values of 2^31 and above gives
  // doubles, which made every pass several times slower.
  let hi = new Int32Array(n);
  let lo = new Int32Array(n);
  let idx = new Int32Array(n);
  // Every pass's digit counts, gathered in the one loop that reads the keys (a counting loop per pass was a sixth of the sort).
  const counts = new Int32Array(6 * RADIX);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    idx[i] = i;
    // Missing keys: all ones, last whichever the direction.
    let h = -1;
    let l = -1;
    if (k === k) {
      if (k === 0) keys[i] = 0;
      h = words[2 * i + 1] | 0;
      l = words[2 * i] | 0;
      // Negative numbers: every bit flipped; others: the sign bit set. Then unsigned order is numeric order.
      if (h < 0) {
        h = ~h;
        l = ~l;
      } else h |= 0x80000000;
      if (!ascending) {
        // Descending: the complement, kept below the missing keys' all-ones.
        h = ~h;
        l = ~l;
        if (h === -1 && l === -1) l = -2;
      }
    }
    hi[i] = h;
    lo[i] = l;
    counts[l & MASK]++;
    counts[RADIX + ((l >>> BITS) & MASK)]++;
    counts[2 * RADIX + ((l >>> (2 * BITS)) & MASK)]++;
    counts[3 * RADIX + (h & MASK)]++;
    counts[4 * RADIX + ((h >>> BITS) & MASK)]++;
    counts[5 * RADIX + ((h >>> (2 * BITS)) & MASK)]++;
  }
  let hi2 = new Int32Array(n);
  let lo2 = new Int32Array(n);
  let idx2 = new Int32Array(n);
  // 11-bit digits (six passes): the counts and the write positions of a pass stay in cache, which
  // 16-bit digits' 65,536 scattered write streams did not.
  // A digit all rows share moves nothing; the last pass that moves rows need not move their keys.
  const moves = [0, 1, 2, 3, 4, 5].filter((pass) => counts[pass * RADIX + (((pass < 3 ? lo[0] : hi[0]) >>> ((pass % 3) * BITS)) & MASK)] !== n);
  for (const pass of moves) {
    const src = pass < 3 ? lo : hi;
    const shift = (pass % 3) * BITS;
    const pos = counts.subarray(pass * RADIX, (pass + 1) * RADIX);
    let at = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = pos[d];
      pos[d] = at;
      at += c;
    }
    if (pass === moves[moves.length - 1]) {
      for (let i = 0; i < n; i++) idx2[pos[(src[i] >>> shift) & MASK]++] = idx[i];
      return idx2;
    }
    for (let i = 0; i < n; i++) {
      const j = pos[(src[i] >>> shift) & MASK]++;
      hi2[j] = hi[i];
      lo2[j] = lo[i];
      idx2[j] = idx[i];
    }
    let t = hi;
    hi = hi2;
    hi2 = t;
    t = lo;
    lo = lo2;
    lo2 = t;
    t = idx;
    idx = idx2;
    idx2 = t;
  }
  return idx;
}

function comparatorOrder(keys: Float64Array, ascending: boolean): Int32Array {
  const idx = Int32Array.from({ length: keys.length }, (_, i) => i);
  const sign = ascending ? 1 : -1;
  return idx.sort((i, j) => {
    const a = keys[i];
    const b = keys[j];
    const na = a !== a;
    const nb = b !== b;
    if (na || nb) return na === nb ? i - j : na ? 1 : -1;
    return sign * (a - b) || i - j;
  });
}

/** Cells of numberRanges' guess table: a few per range, so that few cells hold a boundary. */
const CELLS_PER_RANGE = 64;

/**
 * Each row's range for `bounds` (ascending numbers), as sort.ts's rangeOf: how many boundaries are
 * at or below the key; missing keys in the first or last range.
 * A table over equal cells between the first and last boundary guesses each key's count from the
 * key alone; two short loops then correct it, so the result is exact whatever the rounding of
 * the cells. Counting all the boundaries for every row was a tenth of a setIndex.
 */
export function numberRanges(v: Vector, bounds: readonly SortKey[], ascending: boolean, naFirst: boolean): Int32Array {
  const keys = toFloat64(v);
  const b = Float64Array.from(bounds as readonly number[]);
  const nb = b.length;
  const n = nb + 1;
  const out = new Int32Array(keys.length);
  const first = nb ? b[0] : 0;
  const cells = Math.min(n * CELLS_PER_RANGE, 1 << 16);
  const scale = nb ? cells / (b[nb - 1] - first) : Infinity;
  // No usable cells (one boundary, equal or infinite ones): a binary search instead.
  const usable = Number.isFinite(scale) && scale > 0;
  const guess = new Int32Array(cells);
  if (usable) {
    for (let c = 0, j = 0; c < cells; c++) {
      const edge = first + c / scale;
      while (j < nb && b[j] <= edge) j++;
      guess[c] = j;
    }
  }
  const top = cells - 1;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k !== k) {
      out[i] = naFirst ? 0 : n - 1;
      continue;
    }
    let r: number;
    if (usable) {
      const x = (k - first) * scale;
      r = guess[x <= 0 ? 0 : x >= top ? top : x | 0];
      while (r < nb && b[r] <= k) r++;
      while (r > 0 && b[r - 1] > k) r--;
    } else {
      r = 0;
      let hi = nb;
      while (r < hi) {
        const mid = (r + hi) >> 1;
        if (b[mid] <= k) r = mid + 1;
        else hi = mid;
      }
    }
    out[i] = ascending ? r : n - 1 - r;
  }
  return out;
}

/** Rows sampled per key wanted: the sample's quantiles then stand for the partition's within ~1/sqrt(16 size). */
const OVERSAMPLE = 16;

/**
 * What sort.ts's sampleSortKeys needs of a numeric column: the non-missing keys' count, minimum
 * and maximum (exact), and their sorted values, or, when there are more than OVERSAMPLE x `size`,
 * a sorted sample of that many drawn at positions of a fixed pseudo-random sequence (so that
 * runs give the same divisions). Sorting a whole partition only to read `size` of its quantiles
 * was a fifth of a setIndex; approximate quantiles are what Dask uses too.
 */
export function sampleNumbers(v: Vector, size: number): { sorted: Float64Array; count: number; min: number; max: number } {
  const keys = toFloat64(v);
  let m = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k !== k) continue;
    const x = k === 0 ? 0 : k;
    keys[m++] = x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const want = OVERSAMPLE * size;
  if (m <= want) return { sorted: keys.subarray(0, m).sort(), count: m, min, max };
  const sample = new Float64Array(want);
  let s = (m ^ 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < want; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    sample[i] = keys[(s >>> 0) % m];
  }
  return { sorted: sample.sort(), count: m, min, max };
}
