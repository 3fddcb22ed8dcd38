/**
 * A tree reduction over the row blocks of X (and the matching blocks of y) with ml's own
 * operations, built by core's `treeReduce`: one `partial` task per row block, then `combine`
 * tasks over groups of `splitEvery` partials until one group is left, which the last `combine`
 * merges. The result is a core `Delayed`, so it computes like any other pdask collection.
 */
import type { ChunkedArray } from '@pdask/array';
import { Delayed, lit, ref, splitEveryFor, tokenize, treeReduce, type ArgSpec, type ComputeOptions, type LayerNode, type Op, type TreeContext } from '@pdask/core';
import { scheduleFor } from './schedule';

export interface BlockReduceSpec {
  /** Names the layer (and the task keys' prefix). */
  readonly label: string;
  /** 2-d, one block of columns (see validate.ts `asMatrix`). */
  readonly x: ChunkedArray<unknown>;
  /** 1-d, the same row blocks as x, when the partial reads targets. */
  readonly y?: ChunkedArray<unknown>;
  /** Operation of `mlOps` called as `partial(...partialArgs(i), xBlock, yBlock?)`. */
  readonly partial: Op;
  readonly partialArgs: (block: number) => readonly unknown[];
  /** Operation of `mlOps` called as `combine(...combineArgs(n), ...parts)`, n numbering the combine tasks level by level. */
  readonly combine: Op;
  readonly combineArgs?: (node: number) => readonly unknown[];
  /** Results merged per combine task (default: core's SPLIT_EVERY.ml). */
  readonly splitEvery?: number;
}

export function blockReduce<P>(spec: BlockReduceSpec): Delayed<P> {
  const { x, y, label } = spec;
  const split = splitEveryFor('ml', spec.splitEvery, label);
  const extra = Array.from({ length: x.numblocks[0] }, (_, i) => spec.partialArgs(i));
  const tok = tokenize(label, x.name, y?.name ?? null, spec.partial.ref, spec.combine.ref, extra, split);
  const combine = (parts: readonly ArgSpec[], ctx: TreeContext) => spec.combine.call(...(spec.combineArgs?.(ctx.seq) ?? []).map(lit), ...parts);
  const parents: LayerNode[] = y && y.layer !== x.layer ? [x.layer, y.layer] : [x.layer];
  // The aggregate is a combine too, so even one block gets a combine, which copies the lone
  // partial out of the block task's result (no `alwaysCombine`: that would add a second one).
  const tree = treeReduce(
    {
      name: `${label}-${tok}`,
      label,
      grid: x.numblocks[0],
      splitEvery: split,
      partial: (_idx, i) => spec.partial.call(...extra[i].map(lit), ref(x.key([i, 0])), ...(y ? [ref(y.key([i]))] : [])),
      combine,
    },
    parents,
  );
  return new Delayed<P>(tree.keys[0], tree.node);
}

/** Computes a block reduction, in the calling thread when the data are small (schedule.ts). */
export function runBlockReduce<P>(spec: BlockReduceSpec, opts: ComputeOptions): Promise<P> {
  const arrays = spec.y ? [spec.x, spec.y] : [spec.x];
  return blockReduce<P>(spec).compute(scheduleFor(arrays, opts));
}
