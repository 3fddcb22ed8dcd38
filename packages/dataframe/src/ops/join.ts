/**
 * Joining two partitions on key columns (pandas' merge, per pair of matching partitions): a hash
 * table of one side's rows by key, probed by each row of the other in order. Missing keys (null,
 * NaN) match each other, as in pandas and Dask (not SQL's rule).
 */
import { vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { castVector } from './cast';
import { findColumn } from './frame';
import { rowKeys, type RowKey } from './hash';
import { batchOf, encodeBatch, type Part } from './part';
import { concatPieces } from './shuffle';
import type { TypeDesc } from './types';
import { takeRows } from './values';

export type JoinHow = 'inner' | 'left' | 'right' | 'outer';

export interface JoinSpec {
  how: JoinHow;
  leftOn: string[];
  rightOn: string[];
  /** Output columns taken from each side: [input column, output name], in output order. */
  left: [string, string][];
  right: [string, string][];
  /** Output types of each side's columns (integers of a side that can go unmatched become float64, as pandas does). */
  leftTypes: TypeDesc[];
  rightTypes: TypeDesc[];
  /**
   * Per left column, the right column whose value it takes in rows with no left row: a key given
   * by `on` is one output column, which a right or outer join fills from the right side.
   */
  fill: (string | null)[];
}

/**
 * Row pairs: probe index, build index (-1: none). Every probe row is kept when `keepProbe`, and
 * build rows that met no probe row are appended, in order, when `keepBuild`.
 */
function probeRows(probe: readonly RowKey[], build: readonly RowKey[], keepProbe: boolean, keepBuild: boolean): { p: Int32Array; b: Int32Array } {
  const table = new Map<number | string, number[]>();
  build.forEach((k, i) => {
    if (k === null) return;
    const rows = table.get(k);
    if (rows) rows.push(i);
    else table.set(k, [i]);
  });
  const p: number[] = [];
  const b: number[] = [];
  const met = keepBuild ? new Uint8Array(build.length) : undefined;
  probe.forEach((k, i) => {
    const rows = k === null ? undefined : table.get(k);
    if (rows) {
      for (const r of rows) {
        p.push(i);
        b.push(r);
        if (met) met[r] = 1;
      }
    } else if (keepProbe) {
      p.push(i);
      b.push(-1);
    }
  });
  if (met) met.forEach((m, r) => m === 0 && (p.push(-1), b.push(r)));
  return { p: Int32Array.from(p), b: Int32Array.from(b) };
}

/** Row pairs of the join: left index, right index (-1: that side has no row). */
function matchRows(leftKeys: readonly RowKey[], rightKeys: readonly RowKey[], how: JoinHow): { li: Int32Array; ri: Int32Array } {
  if (how === 'right') {
    // Probing with the right keeps its rows in order, as pandas' right join does.
    const { p, b } = probeRows(rightKeys, leftKeys, true, false);
    return { li: b, ri: p };
  }
  const { p, b } = probeRows(leftKeys, rightKeys, how !== 'inner', how === 'outer');
  return { li: p, ri: b };
}

/** `fromLeft` where the row has a left row, else `fromRight` (both already of the output type). */
function coalesce(fromLeft: Vector, fromRight: Vector, li: Int32Array): Vector {
  const vals: unknown[] = new Array(li.length);
  for (let i = 0; i < li.length; i++) vals[i] = li[i] >= 0 ? fromLeft.get(i) : fromRight.get(i);
  return vectorFromArray(vals, fromLeft.type as DataType);
}

/** The join of the left pieces (concatenated) with the right pieces (concatenated). */
export const joinPieces = (lefts: readonly Part[], rights: readonly Part[], spec: JoinSpec): Part => {
  const l = concatPieces(lefts);
  const r = concatPieces(rights);
  const { li, ri } = matchRows(
    rowKeys(spec.leftOn.map((c) => findColumn(l, c))),
    rowKeys(spec.rightOn.map((c) => findColumn(r, c))),
    spec.how,
  );
  const hasLeftGaps = li.includes(-1);
  const names = [...spec.left.map(([, o]) => o), ...spec.right.map(([, o]) => o)];
  const vectors = [
    ...spec.left.map(([c, o], j) => {
      const v = castVector(takeRows(findColumn(l, c), li), spec.leftTypes[j], o, 'merge');
      const f = spec.fill[j];
      return f === null || !hasLeftGaps ? v : coalesce(v, castVector(takeRows(findColumn(r, f), ri), spec.leftTypes[j], o, 'merge'), li);
    }),
    ...spec.right.map(([c, o], j) => castVector(takeRows(findColumn(r, c), ri), spec.rightTypes[j], o, 'merge')),
  ];
  return encodeBatch(batchOf(names, vectors));
};
