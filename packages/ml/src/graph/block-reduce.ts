/**
 * A tree reduction over the row blocks of X (and the matching blocks of y) with ml's own
 * operations: one `partial` task per row block, then `combine` tasks over groups of
 * `splitEvery` partials until one is left (Dask's `reduction` shape). The result is a core
 * `Delayed`, so it computes like any other pdask collection.
 */
import type { ChunkedArray } from '@pdask/array';
import { Delayed, layerNode, lit, MaterializedLayer, ref, taskNode, tokenize, type ArgSpec, type ComputeOptions, type GraphNode, type LayerNode } from '@pdask/core';
import { opRef } from '../ops/names';
import { scheduleFor } from './schedule';

export interface BlockReduceSpec {
  /** Names the layers (and the task keys' prefix). */
  readonly label: string;
  /** 2-d, one block of columns (see validate.ts `asMatrix`). */
  readonly x: ChunkedArray<unknown>;
  /** 1-d, the same row blocks as x, when the partial reads targets. */
  readonly y?: ChunkedArray<unknown>;
  /** Operation of `@pdask/ml/ops` called as `partial(...partialArgs(i), xBlock, yBlock?)`. */
  readonly partial: string;
  readonly partialArgs: (block: number) => readonly unknown[];
  /** Operation called as `combine(...combineArgs(node), ...partials)`. */
  readonly combine: string;
  readonly combineArgs?: (node: number) => readonly unknown[];
  readonly splitEvery?: number;
}

export function blockReduce<P>(spec: BlockReduceSpec): Delayed<P> {
  const { x, y, label } = spec;
  const nb = x.numblocks[0];
  const split = Math.max(2, spec.splitEvery ?? 16);
  const extra = Array.from({ length: nb }, (_, i) => spec.partialArgs(i));
  const tok = tokenize(label, x.name, y?.name ?? null, spec.partial, spec.combine, extra, split);
  const nodes: GraphNode[] = [];
  let level: string[] = [];
  for (let i = 0; i < nb; i++) {
    const key = `${label}-partial-${tok}-${i}`;
    const args: ArgSpec[] = [...extra[i].map(lit), ref(x.key([i, 0]))];
    if (y) args.push(ref(y.key([i])));
    nodes.push(taskNode(key, opRef(spec.partial), args));
    level.push(key);
  }
  let combineNo = 0;
  let depth = 0;
  // Always at least one combine: it also copies a lone partial out of the block task's result.
  do {
    const next: string[] = [];
    for (let g = 0; g < level.length; g += split) {
      const key = `${label}-combine-${tok}-${depth},${g / split}`;
      const lits = (spec.combineArgs?.(combineNo++) ?? []).map(lit);
      nodes.push(taskNode(key, opRef(spec.combine), [...lits, ...level.slice(g, g + split).map(ref)]));
      next.push(key);
    }
    level = next;
    depth++;
  } while (level.length > 1);
  const parents: LayerNode[] = y && y.layer !== x.layer ? [x.layer, y.layer] : [x.layer];
  const node = layerNode(new MaterializedLayer(`${label}-${tok}`, nodes, label), parents);
  return new Delayed<P>(level[0], node);
}

/** Computes a block reduction, in the calling thread when the data are small (schedule.ts). */
export function runBlockReduce<P>(spec: BlockReduceSpec, opts: ComputeOptions): Promise<P> {
  const arrays = spec.y ? [spec.x, spec.y] : [spec.x];
  return blockReduce<P>(spec).compute(scheduleFor(arrays, opts));
}
