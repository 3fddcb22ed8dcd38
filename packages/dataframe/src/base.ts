/**
 * What lazy frames and series share: partitions named `<name>-<i>`, an output layer, divisions,
 * the description of their columns (Dask's meta), and building a partition-wise operation.
 */
import { dataNode, layerNode, MaterializedLayer, taskNode, toOpRef, type ArgSpec, type LayerNode, type OpFunction, type Key } from '@pdask/core';
import { FrameLayer, opName, partitionKey } from './graph';
import type { TypeDesc } from './ops/types';

/** The index of a collection whose partitions carry one (group keys, column names). */
export interface IndexMeta {
  readonly type: TypeDesc;
  readonly name: string | null;
}

/** Division boundaries: row positions for frames made from data, null when unknown. */
export type Divisions = readonly number[] | null;

export interface Graphed {
  readonly name: string;
  readonly npartitions: number;
  readonly layer: LayerNode;
  readonly divisions: Divisions;
}

export interface PartitionwiseSpec {
  kind: string;
  /** What identifies the operation besides its inputs. */
  token: readonly unknown[];
  op: OpFunction;
  /** Task arguments of output partition i. */
  args: (i: number) => ArgSpec[];
  /** Layers read besides the first input's. */
  parents?: readonly LayerNode[];
}

/** The name and layer of an operation whose partition i reads partition i of `inputs`. */
export function partitionwise(inputs: readonly Graphed[], spec: PartitionwiseSpec): { name: string; layer: LayerNode } {
  const name = opName(spec.kind, inputs.map((x) => x.name), ...spec.token);
  const op = toOpRef(spec.op);
  const n = inputs[0].npartitions;
  const layer = new FrameLayer(name, spec.kind, function* () {
    for (let i = 0; i < n; i++) yield taskNode(partitionKey(name, i), op, spec.args(i));
  });
  const parents = [...new Set([...inputs.map((x) => x.layer), ...(spec.parents ?? [])])];
  return { name, layer: layerNode(layer, parents) };
}

/** A layer of partitions already computed (persist). */
export function dataLayer(name: string, values: ReadonlyMap<Key, unknown>, npartitions: number): LayerNode {
  const nodes = Array.from({ length: npartitions }, (_, i) => dataNode(partitionKey(name, i), values.get(partitionKey(name, i))));
  return layerNode(new MaterializedLayer(name, nodes, 'data'));
}

/** Inputs combined partition by partition must be partitioned alike. */
export function checkAligned(a: Graphed, b: Graphed, method: string): void {
  if (a.npartitions !== b.npartitions) {
    throw new Error(`${method}: the operands have ${a.npartitions} and ${b.npartitions} partitions; collections combined row by row must be partitioned alike (pdask does not align on the index)`);
  }
  if (a.divisions && b.divisions && a.divisions.some((d, i) => d !== b.divisions![i])) {
    throw new Error(`${method}: the operands have different divisions ([${a.divisions.join(', ')}] and [${b.divisions.join(', ')}]); they must be partitioned alike`);
  }
}

export function keysOf(g: Graphed): Key[] {
  return Array.from({ length: g.npartitions }, (_, i) => partitionKey(g.name, i));
}
