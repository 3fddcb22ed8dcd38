/**
 * Joining two partitions on key columns (pandas' merge, per pair of matching partitions): a hash
 * table of one side's rows by key (join-table.ts), probed by each row of the other in order.
 * Missing keys (null, NaN) match each other, as in pandas and Dask (not SQL's rule).
 */
import { vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { castVector } from './cast';
import { findColumn } from './frame';
import { broadcastBuild, broadcastColumn } from './broadcast-side';
import { takeJoined } from './join-gather';
import { joinKeys, numberedProbe, numericJoin, probeColumn, probeTable, tableOf } from './join-table';
import { batchOf, encodeBatch, type Batch, type Part } from './part';
import { concatPieces } from './shuffle';
import type { TypeDesc } from './types';

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
 * Row pairs of the join: left index, right index (-1: that side has no row), through a hash table
 * of one side (join-table.ts). `identity`: the left rows are 0..n-1, each once. `broadcast`: the
 * right side is one partition that each task on this thread receives as the same object.
 */
function matchRows(leftCols: readonly Vector[], rightCols: readonly Vector[], how: JoinHow, broadcast?: { part: Part; columns: readonly string[] }): { li: Int32Array; ri: Int32Array; identity: boolean } {
  if (how === 'right') {
    // Probing with the right keeps its rows in order, as pandas' right join does.
    const k = joinKeys(rightCols, leftCols);
    const { p, b } = probeTable(tableOf(k.build), k.probe, true, false);
    return { li: b, ri: p, identity: false };
  }
  const keepProbe = how !== 'inner';
  const keepBuild = how === 'outer';
  if (broadcast) {
    const numeric = numericJoin(leftCols, rightCols);
    const side = broadcastBuild(broadcast.part, broadcast.columns, rightCols, numeric);
    const { p, b, identity } = side.ids ? probeTable(side.table, numberedProbe(leftCols, side.ids), keepProbe, keepBuild) : probeColumn(side.table, leftCols[0], keepProbe, keepBuild);
    return { li: p, ri: b, identity };
  }
  const k = joinKeys(leftCols, rightCols);
  const { p, b, identity } = probeTable(tableOf(k.build), k.probe, keepProbe, keepBuild);
  return { li: p, ri: b, identity };
}

/** `fromLeft` where the row has a left row, else `fromRight` (both already of the output type). */
function coalesce(fromLeft: Vector, fromRight: Vector, li: Int32Array): Vector {
  const vals: unknown[] = new Array(li.length);
  for (let i = 0; i < li.length; i++) vals[i] = li[i] >= 0 ? fromLeft.get(i) : fromRight.get(i);
  return vectorFromArray(vals, fromLeft.type as DataType);
}

function rightColumn(r: Batch, column: string, part: Part | undefined): Vector {
  const v = findColumn(r, column);
  return part ? broadcastColumn(part, column, v) : v;
}

/** The join of the left pieces (concatenated) with the right pieces (concatenated). */
export const joinPieces = (lefts: readonly Part[], rights: readonly Part[], spec: JoinSpec): Part => {
  const l = concatPieces(lefts);
  const r = concatPieces(rights);
  const { li, ri, identity } = matchRows(
    spec.leftOn.map((c) => findColumn(l, c)),
    spec.rightOn.map((c) => findColumn(r, c)),
    spec.how,
    // A right side of one partition (a broadcast side) is the same object in every task reading it on a thread.
    rights.length === 1 ? { part: rights[0], columns: spec.rightOn } : undefined,
  );
  const hasLeftGaps = !identity && li.includes(-1);
  const names = [...spec.left.map(([, o]) => o), ...spec.right.map(([, o]) => o)];
  const vectors = [
    ...spec.left.map(([c, o], j) => {
      // Every left row once, in order: the left columns are used as they are.
      const v = identity ? castVector(findColumn(l, c), spec.leftTypes[j], o, 'merge') : takeJoined(findColumn(l, c), li, spec.leftTypes[j], o);
      const f = spec.fill[j];
      return f === null || !hasLeftGaps ? v : coalesce(v, takeJoined(findColumn(r, f), ri, spec.leftTypes[j], o), li);
    }),
    ...spec.right.map(([c, o], j) => takeJoined(rightColumn(r, c, rights.length === 1 ? rights[0] : undefined), ri, spec.rightTypes[j], o)),
  ];
  return encodeBatch(batchOf(names, vectors));
};
