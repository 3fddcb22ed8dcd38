/**
 * Joining two partitions on key columns (pandas' merge, per pair of matching partitions): a hash
 * table of the right rows by key, probed by each left row in order. Rows with a missing key match
 * nothing (SQL's rule; pandas matches NaN with NaN).
 */
import { defineOp } from '@pdask/core';
import { castVector } from './cast';
import { findColumn } from './frame';
import { rowKeys } from './hash';
import { batchOf, encodeBatch, type Part } from './part';
import { concatPieces } from './shuffle';
import { DF_OPS } from './spec';
import type { TypeDesc } from './types';
import { takeRows } from './values';

export interface JoinSpec {
  how: 'inner' | 'left';
  leftOn: string[];
  rightOn: string[];
  /** Output columns taken from each side: [input column, output name], in output order. */
  left: [string, string][];
  right: [string, string][];
  /** Output types of the right columns (ints become float64 in a left join, as pandas does). */
  rightTypes: TypeDesc[];
}

/** Row pairs of the join: left index, right index (-1: no match, left join only). */
function matchRows(leftKeys: readonly (number | string | null)[], rightKeys: readonly (number | string | null)[], how: JoinSpec['how']): { li: Int32Array; ri: Int32Array } {
  const table = new Map<number | string, number[]>();
  rightKeys.forEach((k, i) => {
    if (k === null) return;
    const rows = table.get(k);
    if (rows) rows.push(i);
    else table.set(k, [i]);
  });
  const li: number[] = [];
  const ri: number[] = [];
  leftKeys.forEach((k, i) => {
    const rows = k === null ? undefined : table.get(k);
    if (rows) {
      for (const r of rows) (li.push(i), ri.push(r));
    } else if (how === 'left') {
      li.push(i);
      ri.push(-1);
    }
  });
  return { li: Int32Array.from(li), ri: Int32Array.from(ri) };
}

/** The join of the left pieces (concatenated) with the right pieces (concatenated). */
export const joinPieces = defineOp(DF_OPS, 'joinPieces', (lefts: readonly Part[], rights: readonly Part[], spec: JoinSpec): Part => {
  const l = concatPieces(lefts);
  const r = concatPieces(rights);
  const { li, ri } = matchRows(
    rowKeys(spec.leftOn.map((c) => findColumn(l, c))),
    rowKeys(spec.rightOn.map((c) => findColumn(r, c))),
    spec.how,
  );
  const names = [...spec.left.map(([, o]) => o), ...spec.right.map(([, o]) => o)];
  const vectors = [
    ...spec.left.map(([c]) => takeRows(findColumn(l, c), li)),
    ...spec.right.map(([c, o], j) => castVector(takeRows(findColumn(r, c), ri), spec.rightTypes[j], o, 'merge')),
  ];
  return encodeBatch(batchOf(names, vectors));
});
