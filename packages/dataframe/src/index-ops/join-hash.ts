/**
 * join on the index when a side's divisions are unknown: Dask's fallback, a hash join on the
 * index. Both sides are split by a hash of their labels into the same number of buckets (the larger
 * side's partition count, as Dask's hash_join), and bucket b of the left is joined by label with
 * bucket b of the right. Equal labels meet in one bucket whatever their side or type, so each
 * output partition is pandas' join of its labels; the result's divisions are unknown.
 */
import { arr, layerNode, lit, ref, type TaskNode } from '@pdask/core';
import type { FrameMeta } from '../meta';
import { DataFrame } from '../frame';
import { FrameLayer, opName, partitionKey } from '../graph';
import { dataframeOps } from '../ops/index';
import type { LabelHow } from '../ops/label-join';
import { INDEX_COLUMN } from '../ops/spec';

export interface IndexJoinPlan {
  how: LabelHow;
  leftNames: readonly string[];
  rightNames: readonly string[];
  /** Integer columns of a side that can go unmatched, made float64. */
  toFloat: readonly string[];
  meta: FrameMeta;
}

/** One side's pieces: split tasks, then `${name}-bucket-${b}` the concatenation of bucket b. */
function bucketTasks(name: string, side: DataFrame, n: number): TaskNode[] {
  const tasks: TaskNode[] = [];
  for (let i = 0; i < side.npartitions; i++) {
    tasks.push(dataframeOps.hashSplit.task(`${name}-split-${i}`, ref(partitionKey(side.name, i)), lit([INDEX_COLUMN]), lit(n)));
    for (let b = 0; b < n; b++) tasks.push(dataframeOps.pickPiece.task(`${name}-piece-${i}-${b}`, ref(`${name}-split-${i}`), lit(b)));
  }
  for (let b = 0; b < n; b++) tasks.push(dataframeOps.concatParts.task(`${name}-bucket-${b}`, arr(Array.from({ length: side.npartitions }, (_, i) => ref(`${name}-piece-${i}-${b}`)))));
  return tasks;
}

/** `x` and `y` carry a one-level index in their partitions (withExplicitIndex). */
export function hashJoinOnIndex(x: DataFrame, y: DataFrame, p: IndexJoinPlan): DataFrame {
  const n = Math.max(x.npartitions, y.npartitions);
  const name = opName('join-index-hash', x.name, y.name, p.how, p.leftNames, p.rightNames, n);
  const [ls, rs] = [`${name}-left`, `${name}-right`];
  const layer = new FrameLayer(name, 'join-index', () => {
    const tasks = [...bucketTasks(ls, x, n), ...bucketTasks(rs, y, n)];
    for (let b = 0; b < n; b++) {
      tasks.push(dataframeOps.joinOnIndex.task(partitionKey(name, b), ref(`${ls}-bucket-${b}`), ref(`${rs}-bucket-${b}`), lit(p.how), lit(p.leftNames), lit(p.rightNames), lit(p.toFloat)));
    }
    return tasks;
  });
  return new DataFrame(name, n, layerNode(layer, [...new Set([x.layer, y.layer])]), null, p.meta);
}
