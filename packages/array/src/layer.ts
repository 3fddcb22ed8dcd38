/** Layers whose tasks are generated per block on demand (graph building stays O(layers)). */
import { layerNode, type GraphNode, type Layer, type LayerInfo, type LayerNode } from '@pdask/core';
import { blockIndices } from './chunks';

export class BlockLayer implements Layer {
  constructor(
    readonly name: string,
    readonly label: string,
    private readonly grid: readonly number[],
    private readonly make: (idx: number[]) => GraphNode | readonly GraphNode[],
    /** Sizes and kind of work (see inline.ts); none given: small internal results (partials, factors). */
    readonly info: LayerInfo = {},
  ) {}
  *materialize(): Iterable<GraphNode> {
    for (const idx of blockIndices(this.grid)) {
      const n = this.make(idx);
      if (Array.isArray(n)) yield* n as readonly GraphNode[];
      else yield n as GraphNode;
    }
  }
}

export function blockLayer(
  name: string,
  label: string,
  grid: readonly number[],
  make: (idx: number[]) => GraphNode | readonly GraphNode[],
  parents: readonly LayerNode[],
  info?: LayerInfo,
): LayerNode {
  return layerNode(new BlockLayer(name, label, grid, make, info), dedupe(parents));
}

export function dedupe<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
