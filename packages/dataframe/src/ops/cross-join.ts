/**
 * The cross join of two sides' partitions (pandas' `merge(how='cross')`): every left row with
 * every right row, the left's rows outermost, without the index (pandas numbers the rows anew).
 */
import { findColumn } from './frame';
import { batchOf, encodeBatch, type Part } from './part';
import { concatPieces } from './shuffle';
import { takeRows } from './values';

export interface CrossSpec {
  /** [input column, output column] of each side. */
  left: readonly (readonly [string, string])[];
  right: readonly (readonly [string, string])[];
}

/** Typed-array indices address at most 2^31 - 1 rows. */
const MAX_ROWS = 2 ** 31 - 1;

export const crossParts = (lefts: readonly Part[], rights: readonly Part[], spec: CrossSpec): Part => {
  const l = concatPieces(lefts);
  const r = concatPieces(rights);
  const [n, m] = [l.numRows, r.numRows];
  if (n * m > MAX_ROWS) throw new RangeError(`merge(how='cross'): ${n} x ${m} rows in one partition is more than ${MAX_ROWS}; repartition the larger side into more partitions`);
  const li = new Int32Array(n * m);
  const ri = new Int32Array(n * m);
  for (let i = 0, k = 0; i < n; i++) for (let j = 0; j < m; j++, k++) (li[k] = i), (ri[k] = j);
  const cols = [...spec.left.map(([c]) => takeRows(findColumn(l, c), li)), ...spec.right.map(([c]) => takeRows(findColumn(r, c), ri))];
  return encodeBatch(batchOf([...spec.left.map(([, o]) => o), ...spec.right.map(([, o]) => o)], cols));
};

