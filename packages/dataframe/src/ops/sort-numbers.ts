/**
 * Sorting and range-splitting one numeric column over typed arrays (setIndex's and sortValues'
 * hot loops). The general paths hold a JS value per row and sort an index with a comparator
 * closure, which was three quarters of a setIndex's time.
 * The order is the same as sort.ts's sortOrder: stable, -0 equal to 0, missing keys (NaN, null) last.
 */
import { DataType, Precision, type Vector } from 'apache-arrow';
import type { SortKey } from './sort';
import { windowOrder } from './sort-window';
import { settleWideInts } from './sort-wide-ints';
import { isPlainNumbers, numbersOf } from './take-numbers';
import { toFloat64 } from './values';

export const isNumberSortKey = (v: Vector): boolean => {
  const t = v.type as DataType;
  return DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t);
};

/** Below this many rows a comparator sort is cheaper than the radix passes' histograms. */
const RADIX_MIN = 4096;

/** Row order of the keys (stable; see sort-window.ts). */
export function numberSortOrder(v: Vector, ascending: boolean): Int32Array {
  const keys = toFloat64(v);
  return settleWideInts(v, keys, keysOrder(keys, ascending, new Int32Array(keys.length)), ascending);
}

/** The stable order of float64 keys (read only), in `out` when long enough for the radix sort. */
export function keysOrder(keys: Float64Array, ascending: boolean, out: Int32Array): Int32Array {
  return keys.length < RADIX_MIN ? comparatorOrder(keys, ascending) : windowOrder(keys, ascending, out);
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
  return keyRanges(keys, bounds, ascending, naFirst, new Int32Array(keys.length));
}

/** numberRanges of float64 keys (read only), written into `out`. */
export function keyRanges(keys: Float64Array, bounds: readonly SortKey[], ascending: boolean, naFirst: boolean, out: Int32Array): Int32Array {
  const { b, first, scale, usable, guess } = rangeGuide(bounds as readonly number[]);
  const n = b.length + 1;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k !== k) {
      out[i] = naFirst ? 0 : n - 1;
      continue;
    }
    const r = rangeAt(k, b, guess, first, scale, usable);
    out[i] = ascending ? r : n - 1 - r;
  }
  return out;
}

/**
 * The range of key `k` (not NaN): how many boundaries `b` are at or below it, guessed from the
 * table and corrected by two short walks (exact whatever the cells' rounding), or by a binary
 * search when the table is not `usable`. Small enough for V8 to inline into the callers' loops.
 */
export function rangeAt(k: number, b: Float64Array, guess: Int32Array, first: number, scale: number, usable: boolean): number {
  const nb = b.length;
  let r = 0;
  if (usable) {
    const top = guess.length - 1;
    const x = (k - first) * scale;
    r = guess[x <= 0 ? 0 : x >= top ? top : x | 0];
    while (r < nb && b[r] <= k) r++;
    while (r > 0 && b[r - 1] > k) r--;
    return r;
  }
  let hi = nb;
  while (r < hi) {
    const mid = (r + hi) >> 1;
    if (b[mid] <= k) r = mid + 1;
    else hi = mid;
  }
  return r;
}

/** What finding a key's range needs: the boundaries and numberRanges' guess table over them (see keyRanges' loop). */
export interface RangeGuide {
  readonly b: Float64Array;
  readonly first: number;
  readonly scale: number;
  /** Whether the table is used (else a binary search). */
  readonly usable: boolean;
  readonly guess: Int32Array;
}

export function rangeGuide(bounds: readonly number[]): RangeGuide {
  const b = Float64Array.from(bounds);
  const nb = b.length;
  const first = nb ? b[0] : 0;
  const cells = Math.min((nb + 1) * CELLS_PER_RANGE, 1 << 16);
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
  return { b, first, scale, usable, guess };
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
  const want = OVERSAMPLE * size;
  const t = v.type as DataType;
  // A float64 column without missing keys is sampled where it lies: copying it only to drop missing keys was most of the sample's time.
  if (DataType.isFloat(t) && t.precision === Precision.DOUBLE && isPlainNumbers(v) && v.length > want) {
    const keys = numbersOf(v, 'sample-keys') as Float64Array;
    const [m, min, max] = presentExtremes(keys);
    if (m === keys.length) return { sorted: drawSample(keys, m, want), count: m, min: min === 0 ? 0 : min, max: max === 0 ? 0 : max };
  }
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
  if (m <= want) return { sorted: keys.subarray(0, m).sort(), count: m, min, max };
  return { sorted: drawSample(keys, m, want), count: m, min, max };
}

/** How many keys are not missing, and their minimum and maximum (a loop of its own: see windowOrder). */
export function presentExtremes(keys: Float64Array): [number, number, number] {
  let min = Infinity;
  let max = -Infinity;
  let m = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k !== k) continue;
    m++;
    if (k < min) min = k;
    if (k > max) max = k;
  }
  return [m, min, max];
}

/** `want` of the first `m` keys (none missing), at positions of a fixed pseudo-random sequence, sorted; -0 read as 0. */
function drawSample(keys: Float64Array, m: number, want: number): Float64Array {
  const sample = new Float64Array(want);
  let s = (m ^ 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < want; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const k = keys[(s >>> 0) % m];
    sample[i] = k === 0 ? 0 : k;
  }
  return sample.sort();
}
