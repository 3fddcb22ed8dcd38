/**
 * Partition operations on the index: making the implicit row-position labels explicit, slicing by
 * label ranges (loc, repartition), matching two partitions' labels (alignment, join on the index),
 * and the per-partition statistics that give divisions.
 */
import { Float64, Int32, makeVector, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { findColumn } from './frame';
import { matchLabels, type LabelHow } from './label-join';
import { batchOf, decodePart, encodeBatch, type Batch, type Part } from './part';
import { concatPieces } from './shuffle';
import { compareSortKeys, keysOf, type SortKey } from './sort';
import { INDEX_COLUMN, indexColumnsOf, isIndexColumn } from './spec';
import { takeMask, takeRows, toFloat64 } from './values';

/** The labels of a partition's one-level index. */
function labelsOf(b: Batch): (SortKey | null)[] {
  if (!b.names.includes(INDEX_COLUMN)) throw new Error('the partition has no index column');
  return keysOf(findColumn(b, INDEX_COLUMN));
}

/** Row positions `start, start + 1, …` as the index (pandas' RangeIndex made explicit). */
export const addRangeIndex = (part: Part, start: number): Part => {
  const b = decodePart(part);
  const n = b.numRows;
  const big = start + n > 2 ** 31 - 1;
  const labels = big ? Float64Array.from({ length: n }, (_, i) => start + i) : Int32Array.from({ length: n }, (_, i) => start + i);
  return encodeBatch(batchOf([INDEX_COLUMN, ...b.names], [makeVector(labels), ...b.vectors]));
};

/** A label range: lower bound (inclusive), upper bound (inclusive when `hiClosed`); null = open. */
export interface LabelRange {
  lo: SortKey | null;
  hi: SortKey | null;
  hiClosed: boolean;
}

function inRange(k: SortKey | null, r: LabelRange): boolean {
  if (k === null) return false;
  if (r.lo !== null && compareSortKeys(k, r.lo) < 0) return false;
  if (r.hi !== null) {
    const c = compareSortKeys(k, r.hi);
    if (c > 0 || (c === 0 && !r.hiClosed)) return false;
  }
  return true;
}

/** The rows of some partitions (in order) whose label lies in the range, as one partition. */
export const sliceLabels = (parts: readonly Part[], range: LabelRange): Part => {
  const b = concatPieces(parts);
  const keys = labelsOf(b);
  const mask = Uint8Array.from(keys, (k) => (inRange(k, range) ? 1 : 0));
  const count = mask.reduce((a, x) => a + x, 0);
  return encodeBatch(batchOf(b.names, b.vectors.map((v) => takeMask(v, mask, count))));
};

/** The rows whose label is `label` (pandas' loc[label]). */
export const rowsWithLabel = (part: Part, label: SortKey): Part => sliceLabels([part], { lo: label, hi: label, hiClosed: true });

/** The rows of some partitions, in order, as one partition (repartition to fewer partitions). */
export const concatParts = (parts: readonly Part[]): Part => encodeBatch(concatPieces(parts));

/** Partition cut into `k` pieces of consecutive rows (the first ones one row longer). */
export const splitRows = (part: Part, k: number): Part[] => {
  const b = decodePart(part);
  const n = b.numRows;
  const out: Part[] = [];
  let at = 0;
  for (let i = 0; i < k; i++) {
    const len = Math.floor(n / k) + (i < n % k ? 1 : 0);
    out.push(encodeBatch(batchOf(b.names, b.vectors.map((v) => v.slice(at, at + len)))));
    at += len;
  }
  return out;
};

/** Count, min and max of a column's non-missing keys, whether they are in ascending order, and the row count. */
export interface ColumnStats {
  rows: number;
  count: number;
  min: SortKey | null;
  max: SortKey | null;
  sorted: boolean;
}

export const columnStats = (part: Part, column: string): ColumnStats => {
  const keys = keysOf(findColumn(decodePart(part), column));
  let min: SortKey | null = null;
  let max: SortKey | null = null;
  let prev: SortKey | null = null;
  let sorted = true;
  let count = 0;
  for (const k of keys) {
    if (k === null) continue;
    count++;
    if (prev !== null && compareSortKeys(prev, k) > 0) sorted = false;
    prev = k;
    if (min === null || compareSortKeys(k, min) < 0) min = k;
    if (max === null || compareSortKeys(k, max) > 0) max = k;
  }
  return { rows: keys.length, count, min, max, sorted };
};

function unionType(a: Vector, b: Vector): DataType {
  return String(a.type) === String(b.type) ? (a.type as DataType) : a.type instanceof Int32 && b.type instanceof Int32 ? a.type : new Float64();
}

/** The index of a matched pair of partitions: the left's label where it has a row, else the right's. */
function matchedIndex(a: Batch, b: Batch, m: { left: Int32Array; right: Int32Array }): Vector {
  const va = findColumn(a, INDEX_COLUMN);
  const vb = findColumn(b, INDEX_COLUMN);
  const type = unionType(va, vb);
  const vals = Array.from(m.left, (i, r) => (i >= 0 ? va.get(i) : vb.get(m.right[r])));
  return vectorFromArray(vals as unknown[], type);
}

/**
 * Two partitions brought to the same labels (pandas' align): both get the union of the labels,
 * sorted (`outer`), or the left's labels (`left`, a mask reindexed to a frame), and missing values
 * where a side has no row.
 */
export const alignPair = (a: Part, b: Part, how: 'outer' | 'left'): [Part, Part] => {
  const ba = decodePart(a);
  const bb = decodePart(b);
  const m = matchLabels(labelsOf(ba), labelsOf(bb), how);
  if (m.left.length === ba.numRows && m.right.length === bb.numRows && m.left.every((x, i) => x === i) && m.right.every((x, i) => x === i)) return [a, b];
  const index = matchedIndex(ba, bb, m);
  const side = (x: Batch, idx: Int32Array): Part => {
    const rest = x.names.filter((n) => !isIndexColumn(n));
    return encodeBatch(batchOf([INDEX_COLUMN, ...rest], [index, ...rest.map((n) => takeRows(findColumn(x, n), idx))]));
  };
  return [side(ba, m.left), side(bb, m.right)];
};

/** Piece `i` of a pair. */
export const pickOfPair = (pair: readonly [Part, Part], i: 0 | 1): Part => pair[i];

/**
 * The join of two partitions on their index labels (pandas' `join`): the left's columns then the
 * right's, renamed as `rightNames` says (suffixes).
 */
export const joinOnIndex = (a: Part, b: Part, how: LabelHow, leftNames: readonly string[], rightNames: readonly string[], toFloat: readonly string[]): Part => {
  const ba = decodePart(a);
  const bb = decodePart(b);
  const m = matchLabels(labelsOf(ba), labelsOf(bb), how);
  const index = matchedIndex(ba, bb, m);
  const la = ba.names.filter((n) => !isIndexColumn(n));
  const lb = bb.names.filter((n) => !isIndexColumn(n));
  const names = [...leftNames, ...rightNames];
  // Integer columns of a side that can go unmatched become float64 with NaN, as in pandas.
  const cols = [...la.map((n) => takeRows(findColumn(ba, n), m.left)), ...lb.map((n) => takeRows(findColumn(bb, n), m.right))].map((v, j) =>
    toFloat.includes(names[j]) ? makeVector(toFloat64(v)) : v,
  );
  return encodeBatch(batchOf([INDEX_COLUMN, ...names], [index, ...cols]));
};

/** The index as a column named `name` (a series of the labels, indexed by them). */
export const indexValues = (part: Part, name: string): Part => {
  const b = decodePart(part);
  const idx = findColumn(b, INDEX_COLUMN);
  return encodeBatch(batchOf([INDEX_COLUMN, name], [idx, idx]));
};

/** The partition without its index columns (reset_index(drop=True)). */
export const dropIndex = (part: Part): Part => {
  const b = decodePart(part);
  const keep = b.names.filter((n) => !isIndexColumn(n));
  return encodeBatch(batchOf(keep, keep.map((n) => findColumn(b, n))));
};

/** The column as the index, kept among the columns too (set_index(drop=False)). */
export const setIndexKeep = (part: Part, column: string): Part => {
  const b = decodePart(part);
  const rest = b.names.filter((n) => !indexColumnsOf(b.names).includes(n));
  return encodeBatch(batchOf([INDEX_COLUMN, ...rest], [findColumn(b, column), ...rest.map((n) => findColumn(b, n))]));
};


/** Several task results as one list (what an eager step of graph building computes). */
export const listOf = <T>(xs: readonly T[]): readonly T[] => xs;
