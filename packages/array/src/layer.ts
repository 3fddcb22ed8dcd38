/** Layers whose tasks are generated per block on demand (graph building stays O(layers)). */
import { layerNode, type GraphNode, type Layer, type LayerNode } from '@pdask/core';
import { blockIndices } from './chunks';

export class BlockLayer implements Layer {
  /** Bytes of the array this layer makes (0 when unknown or small, e.g. reduction partials). */
  bytes = 0;
  /** Whether its tasks run user functions (mapBlocks, fromFunction): never run inline. */
  userCode = false;
  /** Whether its tasks need an object of the calling thread (a Zarr store object): run there. */
  callerThread = false;
  constructor(
    readonly name: string,
    readonly label: string,
    private readonly grid: readonly number[],
    private readonly make: (idx: number[]) => GraphNode | readonly GraphNode[],
  ) {}
  *materialize(): Iterable<GraphNode> {
    for (const idx of blockIndices(this.grid)) {
      const n = this.make(idx);
      if (Array.isArray(n)) yield* n as readonly GraphNode[];
      else yield n as GraphNode;
    }
  }
}

export function blockLayer(name: string, label: string, grid: readonly number[], make: (idx: number[]) => GraphNode | readonly GraphNode[], parents: readonly LayerNode[]): LayerNode {
  return layerNode(new BlockLayer(name, label, grid, make), dedupe(parents));
}

export function dedupe<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
