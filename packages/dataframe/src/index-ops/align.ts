/**
 * Aligning two collections on the index before combining them row by row, as Dask does: equal
 * divisions combine partition by partition (both unknown with as many partitions counts as equal,
 * as in Dask); known but different divisions are both repartitioned to the union of the divisions;
 * unknown on one side only is refused. Within a partition, labels are matched as pandas' align.
 */
import { layerNode, lit, ref, type TaskNode } from '@pdask/core';
import type { IndexMeta } from '../base';
import { FrameLayer, opName, partitionKey } from '../graph';
import { dataframeOps } from '../ops/index';
import { remake, withExplicitIndex, type Lazy } from './common';
import { sameDivisions, unionDivisions } from './divisions';
import { toDivisions } from './repartition';

/** Pairs already aligned (so that combining them does not align again). */
const aligned = new WeakMap<object, object>();

export const NOT_ALIGNABLE = "Not all divisions are known, can't align partitions";

function unionIndex(a: IndexMeta, b: IndexMeta): IndexMeta {
  const [x, y] = [a.levels[0], b.levels[0]];
  const same = JSON.stringify(x.type) === JSON.stringify(y.type);
  return { levels: [{ type: same ? x.type : { id: 'float', bits: 64 }, name: x.name === y.name ? x.name : null }] };
}

/** `how: 'left'` keeps the left's labels (a mask reindexed to the frame it selects from). */
export function alignOperands<A extends Lazy, B extends Lazy>(a: A, b: B, method: string, how: 'outer' | 'left' = 'outer'): [A, B] {
  if (aligned.get(a) === b) return [a, b];
  const [da, db] = [a.divisions, b.divisions];
  const oneLevel = (c: Lazy) => c.meta.index?.levels.length === 1;
  if (da === null || db === null) {
    if (da === null && db === null && a.npartitions === b.npartitions) {
      // Partition by partition, as Dask; labels in the partitions are matched as pandas does.
      if (oneLevel(a) && oneLevel(b)) return pairwise(a, b, how);
      return [a, b];
    }
    throw new Error(
      `${method}: ${NOT_ALIGNABLE} (divisions are ${da === null ? 'unknown' : 'known'} on the left and ${db === null ? 'unknown' : 'known'} on the right` +
        `${da === null && db === null ? `, with ${a.npartitions} and ${b.npartitions} partitions` : ''}). Please use setIndex(column) to set the index, or repartition both alike`,
    );
  }
  if (sameDivisions(da, db) && !a.meta.index && !b.meta.index) return [a, b];
  let x = withExplicitIndex(a, method);
  let y = withExplicitIndex(b, method);
  if (!sameDivisions(da, db)) {
    let union = unionDivisions(da, db);
    if (union.length === 1) union = [union[0], union[0]];
    x = toDivisions(x, union, true, method);
    y = toDivisions(y, union, true, method);
  }
  return pairwise(x, y, how);
}

/** Each partition of x matched with the same partition of y by label. */
function pairwise<A extends Lazy, B extends Lazy>(x: A, y: B, how: 'outer' | 'left'): [A, B] {
  const n = x.npartitions;
  const index = how === 'left' ? x.meta.index! : unionIndex(x.meta.index!, y.meta.index!);
  const nameA = opName('align', x.name, y.name, how);
  const nameB = `${nameA}-other`;
  const [sx, sy] = [x, y];
  const layerA = new FrameLayer(nameA, 'align', () => {
    const tasks: TaskNode[] = [];
    for (let i = 0; i < n; i++) {
      const pair = `${nameA}-pair-${i}`;
      tasks.push(dataframeOps.alignPair.task(pair, ref(partitionKey(sx.name, i)), ref(partitionKey(sy.name, i)), lit(how)));
      tasks.push(dataframeOps.pickOfPair.task(partitionKey(nameA, i), ref(pair), lit<0 | 1>(0)));
    }
    return tasks;
  });
  const nodeA = layerNode(layerA, [...new Set([x.layer, y.layer])]);
  const layerB = new FrameLayer(nameB, 'align', function* () {
    for (let i = 0; i < n; i++) yield dataframeOps.pickOfPair.task(partitionKey(nameB, i), ref(`${nameA}-pair-${i}`), lit<0 | 1>(1));
  });
  const outA = remake(x, nameA, nodeA, n, x.divisions, index);
  const outB = remake(y, nameB, layerNode(layerB, [nodeA]), n, x.divisions, index);
  aligned.set(outA, outB);
  return [outA, outB];
}
