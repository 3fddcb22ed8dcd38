/**
 * Tree reductions over rows (Dask's apply-concat-apply): drop_duplicates and unique keep each
 * distinct row once at every level (the first or last occurrence, in partition order, so the
 * result's order is pandas'); nunique merges sets of value keys; nlargest/nsmallest keep the top n
 * rows at every level.
 */
import { cellKey, cellsOf } from './cells';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Batch, type Part } from './part';
import { numbersAs } from './results';
import { concatPieces } from './shuffle';
import { batchSortOrder } from './sort-multi';
import { INDEX_COLUMN, isIndexColumn } from './spec';
import { boolVector, maskValues, stringVector, takeRows } from './values';
import { keysOf } from './sort';

/** Marks rows seen more than once (keep=False), carried between levels of the tree. */
export const DUP_COLUMN = '__pdask_dup__';

export type Keep = 'first' | 'last' | 'none';

const take = (b: Batch, idx: Int32Array): Batch => batchOf(b.names, b.vectors.map((v) => takeRows(v, idx)));

function rowKeys(b: Batch, subset: readonly string[] | null): string[] {
  const cols = (subset ?? b.names.filter((n) => !isIndexColumn(n) && n !== DUP_COLUMN)).map((c) => cellsOf(findColumn(b, c)));
  return Array.from({ length: b.numRows }, (_, i) => cols.map((c) => cellKey(c[i])).join('\u0000'));
}

/** The distinct rows of the concatenated parts (by `subset`, default all columns), in order of the kept occurrence. */
/** `final`: the last level of keep=False, which drops the rows seen twice. */
export const dedupRows = (parts: readonly Part[], subset: readonly string[] | null, keep: Keep, final = false): Part => {
  const b = concatPieces(parts);
  const keys = rowKeys(b, subset);
  const at = new Map<string, number>();
  const dup = keep === 'none' ? (b.names.includes(DUP_COLUMN) ? maskValues(findColumn(b, DUP_COLUMN), DUP_COLUMN) : new Uint8Array(b.numRows)) : null;
  const flags: number[] = [];
  const rows: number[] = [];
  keys.forEach((k, i) => {
    const seen = at.get(k);
    if (seen === undefined) {
      at.set(k, rows.length);
      rows.push(i);
      if (dup) flags.push(dup[i]);
    } else if (keep === 'last') rows[seen] = i;
    else if (dup) flags[seen] = 1;
  });
  const idx = Int32Array.from(keep === 'last' ? [...rows].sort((x, y) => x - y) : rows);
  const out = take(b, idx);
  if (!dup) return encodeBatch(out);
  const names = out.names.filter((n) => n !== DUP_COLUMN);
  const marked = encodeBatch(batchOf([...names, DUP_COLUMN], [...names.map((n) => findColumn(out, n)), boolVector(Uint8Array.from(flags))]));
  return final ? dropMarked(marked) : marked;
};

/** keep=False's last step: the rows never seen twice, without the mark. */
export const dropMarked = (part: Part): Part => {
  const b = decodePart(part);
  const dup = maskValues(findColumn(b, DUP_COLUMN), DUP_COLUMN);
  const idx = Int32Array.from(Array.from(dup).flatMap((d, i) => (d ? [] : [i])));
  const names = b.names.filter((n) => n !== DUP_COLUMN);
  return encodeBatch(take(batchOf(names, names.map((n) => findColumn(b, n))), idx));
};

/** Series.unique's partial: the column's distinct values, the index dropped (as Dask's unique). */
export const uniqueValues = (parts: readonly Part[], column: string): Part => {
  const b = concatPieces(parts);
  const v = findColumn(b, column);
  return dedupRows([encodeBatch(batchOf([column], [v]))], null, 'first');
};

/** The distinct value keys of some columns (missing values left out, as nunique's dropna). */
export const distinctKeys = (part: Part, columns: readonly string[]): string[][] => {
  const b = decodePart(part);
  return columns.map((c) => [...new Set(cellsOf(findColumn(b, c)).filter((x) => x !== null).map(cellKey))]);
};

export const unionKeys = (lists: readonly (readonly (readonly string[])[])[]): string[][] =>
  lists[0].map((_, j) => [...new Set(lists.flatMap((l) => l[j]))]);

/** nunique's last step: the union of the partial sets, counted. */
export const countKeys = (parts: readonly (readonly (readonly string[])[])[]): number => unionKeys(parts)[0].length;

/** A frame's nunique: a series indexed by the column names (int64, as pandas). */
export const countKeysSeries = (parts: readonly (readonly (readonly string[])[])[], columns: readonly string[], name: string): Part => {
  const lists = unionKeys(parts);
  return encodeBatch(batchOf([INDEX_COLUMN, name], [stringVector([...columns]), numbersAs(Float64Array.from(lists, (l) => l.length), { id: 'int', bits: 64, signed: true })]));
};

/** The n rows with the largest (or smallest) values of `columns`, ties in row order; rows missing the first key are left out. */
export const topRows = (parts: readonly Part[], columns: readonly string[], n: number, largest: boolean): Part => {
  const b = concatPieces(parts);
  const first = keysOf(findColumn(b, columns[0]));
  const order = batchSortOrder(b, columns, columns.map(() => !largest), false);
  const idx = Int32Array.from(Array.from(order).filter((i) => first[i] !== null).slice(0, n));
  return encodeBatch(take(b, idx));
};

