/**
 * Building a bag whose partition i is one task over partition i of its inputs — the shape of
 * zip, mapPartitions, join and most other transformations (element-wise ones are fused: pipe.ts).
 */
import { layerNode, tokenize, type Key, type LayerNode, type TaskNode } from '@pdask/core';
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
  /** The task of output partition i, under `key` (built from a bagOps handle: `bagOps.zipPartitions.task(key, …)`). */
  task: (key: Key, i: number) => TaskNode;
}

/** A name `${kind}-${token}`: equal operations on equal inputs get equal keys, as in Dask. */
export function opName(kind: string, ...parts: unknown[]): string {
  return `${kind}-${tokenize(kind, ...parts)}`;
}

export function partitionwise<R>(inputs: readonly Bag<unknown>[], spec: PartitionwiseSpec): Bag<R> {
  const prefix = spec.fnName && /^[\w$]+$/.test(spec.fnName) ? `${spec.kind}-${spec.fnName}` : spec.kind;
  const name = opName(prefix, inputs.map((b) => b.name), ...spec.token);
  const { task } = spec;
  const n = spec.npartitions;
  const layer = new BagLayer(name, spec.kind, function* () {
    for (let i = 0; i < n; i++) yield task(partitionKey(name, i), i);
  });
  return new Bag<R>(name, n, layerNode(layer, [...inputs.map((b) => b.layer), ...(spec.parents ?? [])]));
}
