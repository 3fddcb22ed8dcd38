/**
 * The lazy side of the exact group-by aggregations (ops/group-exact.ts): `nunique`, and
 * first/last/min/max of columns the float64 kernels cannot hold exactly (strings, categories,
 * datetimes, timedeltas, 64-bit integers). A group-by asking for both kinds builds both tree
 * reductions and zips their columns into one result.
 */
import { arr, layerNode, lit, ref, treeReduce, type LayerNode } from '@pdask/core';
import type { IndexMeta } from '../base';
import type { DataFrame } from '../frame';
import { FrameLayer, opName, partitionKey } from '../graph';
import type { ExactAgg, ExactSpec } from '../ops/group-exact';
import { dataframeOps } from '../ops/index';
import { keyResultType } from '../ops/results';
import type { Part } from '../ops/part';
import type { TypeDesc } from '../ops/types';

const I32: TypeDesc = { id: 'int', bits: 32, signed: true };

/** Columns whose values the float64 kernels hold exactly. */
export const kernelExact = (t: TypeDesc): boolean => t.id === 'float' || t.id === 'bool' || (t.id === 'int' && t.bits <= 32);

export const isExactAgg = (agg: string): agg is ExactAgg => agg === 'first' || agg === 'last' || agg === 'min' || agg === 'max' || agg === 'nunique';

/** The result type of an exact aggregation: the column's own (nunique: int32, as count). */
export const exactType = (agg: ExactAgg, t: TypeDesc): TypeDesc => (agg === 'nunique' ? I32 : t);

export interface GroupResult {
  name: string;
  layer: LayerNode;
  index: IndexMeta;
  types: TypeDesc[];
  /** The result's partition computed without the graph, when that is possible (see Partitioned.direct). */
  direct?: () => readonly Part[];
}

export interface ExactRequest {
  method: string;
  frame: DataFrame;
  by: readonly string[];
  levelNames: readonly (string | null)[];
  outputs: { out: string; column: string; agg: ExactAgg }[];
  dropna: boolean;
  asIndex: boolean;
  splitEvery: number | false;
}

export function buildExact(q: ExactRequest): GroupResult {
  const { frame, by } = q;
  for (const o of q.outputs) {
    if ((o.agg === 'min' || o.agg === 'max') && frame.typeOf(o.column).id === 'dict') throw new TypeError(`${q.method}: column '${o.column}' is a category with unknown order; ${o.agg} of categories is not implemented (use astype('string') first)`);
  }
  const spec: ExactSpec = { by: [...by], dropna: q.dropna, outputs: q.outputs };
  const keyTypes = by.map((b) => keyResultType(frame.typeOf(b)));
  const types = q.outputs.map((o) => exactType(o.agg, frame.typeOf(o.column)));
  const name = opName(`groupby-exact-${by.join('-').replace(/[^\w-]/g, '_')}`, frame.name, spec, q.asIndex, q.splitEvery);
  const ops = dataframeOps;
  const { node } = treeReduce(
    {
      name,
      label: 'groupby-exact',
      grid: frame.npartitions,
      splitEvery: q.splitEvery,
      partial: (_, i) => ops.groupExactPartial.call(ref(partitionKey(frame.name, i)), lit(spec)),
      combine: (parts) => ops.groupExactCombine.call(arr(parts), lit(spec)),
      aggregate: (parts) => ops.groupExactFinal.call(arr(parts), lit(spec), lit(keyTypes), lit(types), lit(q.asIndex)),
      outputKey: () => partitionKey(name, 0),
    },
    [frame.layer],
  );
  return { name, layer: node, index: { levels: by.map((_, j) => ({ type: keyTypes[j], name: q.levelNames[j] })) }, types };
}

/** One result from a kernel result and an exact result, columns in `order`, types in the same order. */
export function zipResults(kernel: GroupResult, exact: GroupResult, order: readonly string[], types: TypeDesc[]): GroupResult {
  const name = opName('groupby-zip', kernel.name, exact.name, order);
  const layer = new FrameLayer(name, 'groupby-zip', () => [dataframeOps.zipGroupResults.task(partitionKey(name, 0), ref(partitionKey(kernel.name, 0)), ref(partitionKey(exact.name, 0)), lit(order))]);
  return { name, layer: layerNode(layer, [kernel.layer, exact.layer]), index: kernel.index, types };
}
