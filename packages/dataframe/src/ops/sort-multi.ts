/**
 * Row order by several keys (sortValues by columns, nlargest/nsmallest): each key ascending or
 * descending, missing values first or last in every key (pandas' na_position), stable.
 */
import type { Batch } from './part';
import { findColumn } from './frame';
import { compareSortKeys, keysOf, type SortKey } from './sort';
import { wideIntKeys } from './sort-wide-ints';

/** A column's sort keys: numbers or strings, or bigints for 64-bit integers beyond 2^53 (exact). */
type ExactKey = SortKey | bigint;

// Every key of one column is of one kind: a bigint column's keys are all bigints.
const compareExact = (a: ExactKey, b: ExactKey): number => (typeof a === 'bigint' ? (a < (b as bigint) ? -1 : a > (b as bigint) ? 1 : 0) : compareSortKeys(a, b as SortKey));

export function multiSortOrder(keys: readonly (readonly (ExactKey | null)[])[], ascending: readonly boolean[], naFirst: boolean): Int32Array {
  const n = keys.length ? keys[0].length : 0;
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  return idx.sort((i, j) => {
    for (let k = 0; k < keys.length; k++) {
      const a = keys[k][i];
      const b = keys[k][j];
      if (a === null || b === null) {
        if (a === b) continue;
        return (a === null) === naFirst ? -1 : 1;
      }
      const c = compareExact(a, b);
      if (c !== 0) return ascending[k] ? c : -c;
    }
    return i - j;
  });
}

/** The order of a batch's rows by the named columns. */
export const batchSortOrder = (b: Batch, columns: readonly string[], ascending: readonly boolean[], naFirst: boolean): Int32Array =>
  multiSortOrder(
    columns.map((c) => {
      const v = findColumn(b, c);
      return wideIntKeys(v) ?? keysOf(v);
    }),
    ascending,
    naFirst,
  );
