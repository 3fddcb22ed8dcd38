/**
 * Sorting across partitions (Dask's sort_values): a sample of each partition's sorted keys, range
 * boundaries chosen as weighted quantiles of all samples, each partition cut into ranges by those
 * boundaries, and each range sorted. Missing keys (null, NaN) go last, as pandas' na_position.
 */
import { DataType, type Vector } from 'apache-arrow';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { concatPieces } from './shuffle';
import { takeRows, toFloat64 } from './values';
import { batchSortOrder } from './sort-multi';
import { splitByNumbers, rowsByRange } from './range-split';
import { isNumberSortKey, sampleNumbers } from './sort-numbers';
import { sortByNumbers } from './sort-rows';
import { isBucketedPiece, sortBuckets, splitIntoBuckets, type BucketedPiece } from './range-buckets';

export type SortKey = number | string;

/** Keys of a column as numbers or strings, missing as null. */
export function keysOf(v: Vector): (SortKey | null)[] {
  const t = v.type as DataType;
  if (DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t)) return Array.from(toFloat64(v), (x) => (x !== x ? null : x));
  return Array.from({ length: v.length }, (_, i) => (v.get(i) as string | null) ?? null);
}

export const compareSortKeys = (a: SortKey, b: SortKey): number => (typeof a === 'number' ? a - (b as number) : a < b ? -1 : a > b ? 1 : 0);

/** Row order of the keys: ascending or descending, stable, missing keys last. */
export function sortOrder(keys: readonly (SortKey | null)[], ascending: boolean): Int32Array {
  const idx = Int32Array.from({ length: keys.length }, (_, i) => i);
  const sign = ascending ? 1 : -1;
  return idx.sort((i, j) => {
    const a = keys[i];
    const b = keys[j];
    if (a === null || b === null) return a === b ? i - j : a === null ? 1 : -1;
    return sign * compareSortKeys(a, b) || i - j;
  });
}

export interface KeySample {
  /** Evenly spaced keys of the sorted non-missing keys. */
  keys: SortKey[];
  /** How many non-missing keys the partition has. */
  count: number;
  /** The smallest and largest non-missing keys (null when there are none). */
  min: SortKey | null;
  max: SortKey | null;
}

export const sampleSortKeys = (part: Part, column: string, size: number): KeySample => {
  const col = findColumn(decodePart(part), column);
  if (isNumberSortKey(col)) {
    const { sorted, count, min, max } = sampleNumbers(col, size);
    const m = sorted.length;
    const take = Math.min(m, size);
    return { keys: Array.from({ length: take }, (_, i) => sorted[Math.floor(((i + 0.5) * m) / take)]), count, min: count ? min : null, max: count ? max : null };
  }
  const keys = keysOf(col).filter((k): k is SortKey => k !== null).sort(compareSortKeys);
  const n = keys.length;
  const take = Math.min(n, size);
  return { keys: Array.from({ length: take }, (_, i) => keys[Math.floor(((i + 0.5) * n) / take)]), count: n, min: n ? keys[0] : null, max: n ? keys[n - 1] : null };
};

/** `n - 1` ascending boundaries: the keys at quantiles 1/n … (n-1)/n of all samples, each key weighted by the rows it stands for. */
export const rangeBoundaries = (samples: readonly KeySample[], n: number): SortKey[] => {
  const all: [SortKey, number][] = [];
  for (const s of samples) for (const k of s.keys) all.push([k, s.count / s.keys.length]);
  if (all.length === 0) return [];
  all.sort((a, b) => compareSortKeys(a[0], b[0]));
  const total = all.reduce((a, [, w]) => a + w, 0);
  const out: SortKey[] = [];
  let acc = 0;
  let j = 0;
  for (let q = 1; q < n; q++) {
    const target = (q * total) / n;
    while (j < all.length - 1 && acc + all[j][1] < target) acc += all[j++][1];
    out.push(all[j][0]);
  }
  return out;
};

/**
 * The range of a key: how many boundaries are at or below it, so that range r holds the keys in
 * [bounds[r-1], bounds[r]) as Dask's divisions do (equal keys share a range); missing last.
 */
function rangeOf(k: SortKey | null, bounds: readonly SortKey[], ascending: boolean, naFirst: boolean): number {
  const n = bounds.length + 1;
  if (k === null) return naFirst ? 0 : n - 1;
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareSortKeys(bounds[mid], k) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return ascending ? lo : n - 1 - lo;
}

export const rangeSplit = (part: Part, column: string, bounds: readonly SortKey[], ascending: boolean, n: number, naFirst = false): Part[] => {
  const b = decodePart(part);
  const col = findColumn(b, column);
  if (isNumberSortKey(col) && bounds.every((x) => typeof x === 'number')) return splitByNumbers(b, col, bounds as readonly number[], ascending, n, naFirst).map((x) => encodeBatch(x));
  const { rows, start } = rowsByRange(Int32Array.from(keysOf(col), (k) => rangeOf(k, bounds, ascending, naFirst)), n);
  return Array.from({ length: n }, (_, r) => {
    const idx = rows.subarray(start[r], start[r + 1]);
    return encodeBatch(batchOf(b.names, b.vectors.map((v) => takeRows(v, idx))));
  });
};

/**
 * setIndex's split into ranges, each piece laid out in buckets of its range for the sort
 * (range-buckets.ts) when `lo`, `hi` (the column's smallest and largest key) are numbers, else as
 * rangeSplit's (ascending). `rowsPerRange`: about how many rows each range holds (sizes the buckets).
 */
export const rangeSplitBuckets = (part: Part, column: string, bounds: readonly SortKey[], lo: SortKey, hi: SortKey, rowsPerRange: number): (Part | BucketedPiece)[] => {
  const b = decodePart(part);
  const col = findColumn(b, column);
  if (typeof lo === 'number' && typeof hi === 'number' && bounds.every((x) => typeof x === 'number')) {
    const pieces = splitIntoBuckets(b, col, bounds as readonly number[], lo, hi, rowsPerRange);
    if (pieces) return pieces;
  }
  return rangeSplit(part, column, bounds, true, bounds.length + 1);
};

/** `columns`/`ascendings`/`naFirst`: sortValues by several columns or with missing keys first (the range split was on the first). */
export const sortPieces = (given: readonly (Part | BucketedPiece)[], column: string, ascending: boolean, columns?: readonly string[], ascendings?: readonly boolean[], naFirst = false): Part => {
  if (ascending && !columns && given.length > 0 && given.every(isBucketedPiece)) {
    const sorted = sortBuckets(given, column);
    if (sorted) return encodeBatch(sorted);
  }
  const pieces = given.map((p) => (isBucketedPiece(p) ? p.part : p));
  const b = concatPieces(pieces);
  const col = columns ? undefined : findColumn(b, column);
  if (col && isNumberSortKey(col)) return encodeBatch(sortByNumbers(b, col, ascending));
  const order = col ? sortOrder(keysOf(col), ascending) : batchSortOrder(b, columns!, ascendings!, naFirst);
  return encodeBatch(batchOf(b.names, b.vectors.map((v) => takeRows(v, order))));
};
