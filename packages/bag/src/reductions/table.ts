/**
 * Every built-in reduction of a bag as data: its steps (catalogue handles) and what it returns.
 * The Bag method of the same name builds its tree from the row (reductions/tree.ts); adding a
 * reduction is a row here and a method that passes its arguments.
 *
 * A reduction runs `chunk(partition, ...)` per partition, `combine(results, ...)` over groups of
 * `splitEvery` results level by level, and `final(results, ...)` (default: combine) last.
 */
import type { Op } from '@pdask/core';
import { bagOps } from '../ops';
import type { SinkKind } from '../ops/pipeline';

export interface ReductionRow {
  /** The per-partition step: `chunk(elements, ...chunkArgs)`. */
  readonly chunk: Op;
  /**
   * The same step run as elements stream out of a fused pipeline (ops/pipeline.ts), or null: the
   * pipeline then collects the partition's elements and calls `chunk`.
   */
  readonly sink: SinkKind;
  /** Merges partial results into one of the same kind: `combine(results, ...combineArgs)`. */
  readonly combine: Op;
  /** The last step, over the last group of results (null: `combine`). */
  readonly final: Op | null;
  /** A lazy scalar (Item), or a bag of one partition. */
  readonly returns: 'item' | 'bag';
}

const o = bagOps;

export const REDUCTIONS = {
  sum: { chunk: o.sumOf, sink: 'sum', combine: o.sumOf, final: null, returns: 'item' },
  count: { chunk: o.countOf, sink: 'count', combine: o.sumOf, final: null, returns: 'item' },
  max: { chunk: o.maxOf, sink: 'max', combine: o.maxOf, final: null, returns: 'item' },
  min: { chunk: o.minOf, sink: 'min', combine: o.minOf, final: null, returns: 'item' },
  any: { chunk: o.anyOf, sink: 'any', combine: o.anyOf, final: null, returns: 'item' },
  all: { chunk: o.allOf, sink: 'all', combine: o.allOf, final: null, returns: 'item' },
  // Moments (count, sum, squared deviations) merge exactly, so mean/var/std are tree reductions.
  mean: { chunk: o.momentsOf, sink: null, combine: o.combineMoments, final: o.meanOfMoments, returns: 'item' },
  var: { chunk: o.momentsOf, sink: null, combine: o.combineMoments, final: o.varOfMoments, returns: 'item' },
  std: { chunk: o.momentsOf, sink: null, combine: o.combineMoments, final: o.stdOfMoments, returns: 'item' },
  fold: { chunk: o.foldPart, sink: null, combine: o.foldMerge, final: null, returns: 'item' },
  // The user's perPartition and aggregate functions, each called by callUser.
  reduction: { chunk: o.callUser, sink: null, combine: o.callUser, final: null, returns: 'item' },
  frequencies: { chunk: o.countValues, sink: 'counts', combine: o.mergeCounts, final: o.frequencyPairs, returns: 'bag' },
  topk: { chunk: o.topkOf, sink: null, combine: o.topkMerge, final: null, returns: 'bag' },
  distinct: { chunk: o.distinctOf, sink: null, combine: o.distinctMerge, final: null, returns: 'bag' },
  foldby: { chunk: o.foldbyPart, sink: null, combine: o.foldbyMerge, final: o.foldbyPairs, returns: 'bag' },
} as const satisfies Record<string, ReductionRow>;

export type ReductionName = keyof typeof REDUCTIONS;

/** The reductions whose result is `R` ('item' or 'bag'). */
export type ReductionReturning<R extends ReductionRow['returns']> = {
  [M in ReductionName]: (typeof REDUCTIONS)[M]['returns'] extends R ? M : never;
}[ReductionName];
