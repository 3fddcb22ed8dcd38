/**
 * Cross joins (pandas' `merge(other, how='cross')`; Dask 2022.12 refuses how='cross'): the side
 * with fewer partitions is broadcast whole to every partition of the other, one task each, so the
 * result keeps the other side's partitioning. The columns are the left's then the right's, names
 * found on both sides taking the suffixes.
 */
import { arr, layerNode, lit, ref, type TaskNode } from '@pdask/core';
import { DataFrame } from './frame';
import { FrameLayer, opName, partitionKey } from './graph';
import type { CrossSpec } from './ops/cross-join';
import { dataframeOps } from './ops/index';

export function crossJoin(left: DataFrame, right: DataFrame, suffixes: readonly [string, string], method: string): DataFrame {
  const shared = new Set(left.columns.filter((c) => right.columns.includes(c)));
  const [sx, sy] = suffixes;
  const spec: CrossSpec = {
    left: left.columns.map((c) => [c, shared.has(c) ? c + sx : c] as const),
    right: right.columns.map((c) => [c, shared.has(c) ? c + sy : c] as const),
  };
  const names = [...spec.left, ...spec.right].map(([, o]) => o);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`${method}: the result would have two columns named '${dup}'; choose other suffixes`);
  // The right is broadcast unless the left has fewer partitions: then the rows come in pandas'
  // order (left rows outermost) across the whole result.
  const broadcastLeft = left.npartitions < right.npartitions;
  const many = broadcastLeft ? right : left;
  const all = (d: DataFrame) => arr(Array.from({ length: d.npartitions }, (_, i) => ref(partitionKey(d.name, i))));
  const name = opName('merge-cross', left.name, right.name, spec);
  const layer = new FrameLayer(name, 'merge', function* (): Generator<TaskNode> {
    for (let i = 0; i < many.npartitions; i++) {
      const one = arr([ref(partitionKey(many.name, i))]);
      yield dataframeOps.crossParts.task(partitionKey(name, i), broadcastLeft ? all(left) : one, broadcastLeft ? one : all(right), lit(spec));
    }
  });
  return new DataFrame(name, many.npartitions, layerNode(layer, [...new Set([left.layer, right.layer])]), null, { names, types: [...left.meta.types, ...right.meta.types], index: null });
}
