/**
 * topk / argtopk (Dask's): a tree reduction along one axis whose partials are each block's
 * selection (core's treeReduce, as the package's reductions); the result has |k| elements there.
 */
import { checkOptions, lit, ref, tokenize, treeReduce, type OptionSchema } from '@pdask/core';
import { ChunkedArray } from '../array';
import { blockKey } from '../chunks';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { SPLIT_EVERY_RULE } from '../options';
import { reductionInfo, reductionLayout, splitPerAxis, type ReduceOptions } from '../reductions/reductions';
import { INDEX_DTYPE } from '../runtime/numeric';
import { offsets, oneAxis, operand, type StatOperand } from './common';

export interface TopkOptions {
  /** The axis to select along (default -1, the last). */
  axis?: number;
  splitEvery?: ReduceOptions['splitEvery'];
}

const SCHEMA: OptionSchema<TopkOptions> = { axis: 'integer', splitEvery: SPLIT_EVERY_RULE };

/** topk or argtopk; `who` names the caller in errors. */
export function topkWith(who: string, x0: StatOperand, k: number, opts: TopkOptions | undefined, arg: boolean): ChunkedArray<NDArray> {
  const o = checkOptions(who, opts, SCHEMA);
  const x = operand(x0, who);
  if (x.ndim === 0) throw new RangeError(`${who}: the array must have at least one dimension`);
  if (!Number.isInteger(k) || k === 0) throw new RangeError(`${who}: k must be a non-zero integer (negative for the smallest), got ${String(k)}`);
  const axis = oneAxis(o.axis ?? -1, x.ndim, who);
  if (Math.abs(k) > x.shape[axis]) throw new RangeError(`${who}: |k| = ${Math.abs(k)} is larger than the axis (${x.shape[axis]} elements)`);
  const lay = reductionLayout(x, [axis], true);
  const split = splitPerAxis(o.splitEvery, [axis], who);
  const starts = offsets(x.chunks[axis]);
  const name = `${arg ? 'argtopk' : 'topk'}-${tokenize(x.name, k, axis, o.splitEvery ?? null)}`;
  const tree = treeReduce(
    {
      name,
      grid: lay.grid,
      groups: lay.groups,
      splitEvery: split,
      partial: (index, _i, g) => arrayOps.topkChunk.call(lit(k), lit(axis), lit(arg ? starts[index[0]] : null), ref(x.key(lay.block(g, index)))),
      combine: (parts) => arrayOps.topkCombine.call(lit(k), lit(axis), ...parts),
      aggregate: (parts) => arrayOps.topkAggregate.call(lit(k), lit(axis), ...parts),
      outputKey: (g) => blockKey(name, lay.outIndex(g)),
      info: reductionInfo(x),
    },
    [x.layer],
  );
  const m = Math.abs(k);
  const shape = x.shape.map((s, d) => (d === axis ? m : s));
  const chunks = x.chunks.map((c, d) => (d === axis ? [m] : [...c]));
  return new ChunkedArray<NDArray>(name, shape, chunks, arg ? INDEX_DTYPE : x.dtype, { k: 'layer', node: tree.node });
}

/** The k largest values along an axis, largest first (k < 0: the |k| smallest, smallest first). */
export function topk(x: StatOperand, k: number, opts?: TopkOptions): ChunkedArray<NDArray> {
  return topkWith('da.topk', x, k, opts, false);
}

/** Positions along the axis of topk's values. */
export function argtopk(x: StatOperand, k: number, opts?: TopkOptions): ChunkedArray<NDArray> {
  return topkWith('da.argtopk', x, k, opts, true);
}
