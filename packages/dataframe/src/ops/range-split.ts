/**
 * A partition cut into the ranges of a sort by one numeric column (rangeSplit's common case: the
 * split of setIndex and sortValues). The key column is read where it lies when it is float64
 * without nulls, and each number column without nulls is scattered from its values into the
 * pieces in one pass (take-numbers.ts); the pieces leave the task, so they get arrays of their
 * own. Other columns are cut by the row numbers of every range, built once in a scratch array.
 */
import { DataType, Precision, type Vector } from 'apache-arrow';
import { batchOf, type Batch } from './part';
import type { SortKey } from './sort';
import { keyRanges } from './sort-numbers';
import { scratch } from './sort-scratch';
import { isPlainNumbers, numbersOf, scatterNumbers } from './take-numbers';
import { takeRows, toFloat64 } from './values';

export function splitByNumbers(b: Batch, key: Vector, bounds: readonly number[], ascending: boolean, n: number, naFirst: boolean): Batch[] {
  const t = key.type as DataType;
  const keys = DataType.isFloat(t) && t.precision === Precision.DOUBLE && isPlainNumbers(key) ? (numbersOf(key, 'split-keys') as Float64Array) : toFloat64(key);
  const ranges = keyRanges(keys, bounds as readonly SortKey[], ascending, naFirst, scratch(Int32Array, 'split-ranges', keys.length));
  const start = rangeStarts(ranges, n);
  // Row numbers only for the columns the generic take cuts (nulls, strings, ...).
  let rows: Int32Array | undefined;
  const columns = b.vectors.map((v) => {
    // One column at a time: a column of many chunks is copied once into the scratch array, then cut.
    if (isPlainNumbers(v)) return scatterNumbers(numbersOf(v, 'split-column'), ranges, start, v.type as DataType);
    rows ??= placedRows(ranges, start);
    const all = rows;
    return Array.from({ length: n }, (_, r) => takeRows(v, all.subarray(start[r], start[r + 1])));
  });
  return Array.from({ length: n }, (_, r) => batchOf(b.names, columns.map((c) => c[r])));
}

/** The row numbers of each range, ascending, one range after another (a counting sort of the row numbers by range). */
export function rowsByRange(ranges: Int32Array, n: number): { rows: Int32Array; start: Int32Array } {
  const start = rangeStarts(ranges, n);
  return { rows: placedRows(ranges, start), start };
}

/** Where each range starts when the ranges are laid end to end (n + 1 values, the last the row count). */
function rangeStarts(ranges: Int32Array, n: number): Int32Array {
  const start = new Int32Array(n + 1);
  countRanges(ranges, start);
  for (let r = 0; r < n; r++) start[r + 1] += start[r];
  return start;
}

function placedRows(ranges: Int32Array, start: Int32Array): Int32Array {
  const rows = scratch(Int32Array, 'split-rows', ranges.length);
  placeRows(ranges, start.slice(0, start.length - 1), rows);
  return rows;
}

// The two loops are functions of their own: V8 optimises a long loop on the fly only up to the next code it has not seen run.
function countRanges(ranges: Int32Array, start: Int32Array): void {
  for (let i = 0; i < ranges.length; i++) start[ranges[i] + 1]++;
}

function placeRows(ranges: Int32Array, at: Int32Array, rows: Int32Array): void {
  for (let i = 0; i < ranges.length; i++) rows[at[ranges[i]]++] = i;
}
