/**
 * Building a bag whose partition i is one task over partition i of its inputs — the shape of
 * zip, mapPartitions, join and most other transformations (element-wise ones are fused: pipe.ts).
 */
import { layerNode, taskNode, tokenize, type ArgSpec, type LayerNode, type OpFunction, type OpRef } from '@pdask/core';
import { toOpRef } from '@pdask/core';
import { Bag } from './bag';
import { BagLayer, partitionKey } from './graph';

export interface PartitionwiseSpec {
  /** Key prefix and visualisation label (e.g. "map"). */
  kind: string;
  /** The user function's name, added to the key prefix (as Dask names keys after functions). */
  fnName?: string;
  /** What identifies the operation besides its input bags (function refs, literal arguments). */
  token: unknown[];
  /** Layers read besides the input bag's (other bags, lazy arguments). */
  parents?: readonly LayerNode[];
  npartitions: number;
  op: OpFunction;
  /** The task arguments of output partition i. */
  args: (i: number) => ArgSpec[];
}

/** A name `${kind}-${token}`: equal operations on equal inputs get equal keys, as in Dask. */
export function opName(kind: string, ...parts: unknown[]): string {
  return `${kind}-${tokenize(kind, ...parts)}`;
}

export function partitionwise<R>(inputs: readonly Bag<unknown>[], spec: PartitionwiseSpec): Bag<R> {
  const prefix = spec.fnName && /^[\w$]+$/.test(spec.fnName) ? `${spec.kind}-${spec.fnName}` : spec.kind;
  const name = opName(prefix, inputs.map((b) => b.name), ...spec.token);
  const op: OpRef = toOpRef(spec.op);
  const n = spec.npartitions;
  const layer = new BagLayer(name, spec.kind, function* () {
    for (let i = 0; i < n; i++) yield taskNode(partitionKey(name, i), op, spec.args(i));
  });
  return new Bag<R>(name, n, layerNode(layer, [...inputs.map((b) => b.layer), ...(spec.parents ?? [])]));
}
