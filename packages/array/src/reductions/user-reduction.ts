/**
 * User-defined reductions (Dask's `da.reduction`): the user's `chunk` on every block, then
 * `combine` over groups of partials and `aggregate` over the last group, as one core treeReduce
 * per output block. The functions are shipped like any user function (core's toOpRef: a function
 * that captures variables is refused with their names).
 */
import { AXIS, DTYPE, NOT_YET, SPLIT_EVERY_RULE } from '../options';
import { checkOptions, fnArg, lit, ref, toOpRef, tokenize, treeReduce, type OpFunction, type OptionSchema } from '@pdask/core';
import { ChunkedArray, type ArrayResult } from '../array';
import { blockKey } from '../chunks';
import { toDType, type DType, type TypedArray } from '../dtype';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import type { UserAggregateStep, UserReduceStep } from '../runtime/user-reduce';
import { normalizeAxes, reductionInfo, reductionLayout, splitPerAxis, type ReduceOptions } from './reductions';

/** What chunk, combine and aggregate are called with besides their data. */
export interface ReductionStepOptions {
  /** The reduced axes (sorted, non-negative), of the whole array's dimensions. */
  readonly axis: number[];
  /** true for chunk and combine (partials keep every dimension); the user's keepdims for aggregate. */
  readonly keepdims: boolean;
}

/** An array value a step may return: an NDArray, or an object with its shape and data. */
export type ArrayValue = NDArray | { readonly shape: readonly number[]; readonly data: TypedArray };

/** What aggregate may return: the result block (any shape with its number of values), or a number for one value. */
export type AggregateValue = ArrayValue | ArrayBufferView | number | boolean;

interface CommonOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  /** The result's dtype (default: the input's). */
  dtype?: DType | string;
  splitEvery?: ReduceOptions['splitEvery'];
  /** Prefix of the result's name (default 'reduction'). */
  name?: string;
}

/** Options when partials are concatenated (the default): every step sees one NDArray. */
export interface ConcatReductionOptions extends CommonOptions {
  /** Merges a group of partials, concatenated along the reduced axes (default: aggregate). */
  combine?: (partials: NDArray, opts: ReductionStepOptions) => ArrayValue;
  concatenate?: true;
}

/** Options when partials are any values: combine and aggregate get the group's partials as a list. */
export interface ListReductionOptions<P> extends CommonOptions {
  /** Merges a group of partials into one (default: aggregate). */
  combine?: (partials: P[], opts: ReductionStepOptions) => P;
  concatenate: false;
}

type AnyReductionOptions = CommonOptions & { combine?: OpFunction; concatenate?: boolean };

const SCHEMA: OptionSchema<AnyReductionOptions & { out?: unknown; meta?: unknown; weights?: unknown; outputSize?: unknown }> = {
  combine: 'function',
  concatenate: 'boolean',
  axis: AXIS,
  keepdims: 'boolean',
  dtype: DTYPE,
  splitEvery: SPLIT_EVERY_RULE,
  name: 'string',
  out: NOT_YET,
  meta: { unsupported: 'not implemented yet (give dtype)' },
  weights: NOT_YET,
  outputSize: NOT_YET,
};

/**
 * Reduces `x` over `axis` with user functions. `chunk(block, { axis, keepdims: true })` makes
 * each block's partial; `combine` (default `aggregate`) merges groups of at most `splitEvery`
 * partials; `aggregate(group, { axis, keepdims })` makes the result block. With `concatenate`
 * (the default, as Dask) partials are arrays keeping every dimension and a group reaches combine
 * and aggregate concatenated along the reduced axes; with `concatenate: false` partials are any
 * values and a group is their list (C order of the blocks).
 */
export function reduction<R = ArrayResult>(
  x: ChunkedArray<unknown>,
  chunk: (block: NDArray, opts: ReductionStepOptions) => ArrayValue,
  aggregate: (partials: NDArray, opts: ReductionStepOptions) => AggregateValue,
  opts?: ConcatReductionOptions,
): ChunkedArray<R>;
export function reduction<P, R = ArrayResult>(
  x: ChunkedArray<unknown>,
  chunk: (block: NDArray, opts: ReductionStepOptions) => P,
  aggregate: (partials: P[], opts: ReductionStepOptions) => AggregateValue,
  opts: ListReductionOptions<P>,
): ChunkedArray<R>;
export function reduction<R>(x: ChunkedArray<unknown>, chunk: OpFunction, aggregate: OpFunction, opts: AnyReductionOptions = {}): ChunkedArray<R> {
  checkOptions('da.reduction', opts, SCHEMA);
  const chunkOp = toOpRef(chunk);
  const aggOp = toOpRef(aggregate);
  const combineOp = opts.combine ? toOpRef(opts.combine) : aggOp;
  const axes = normalizeAxes(opts.axis, x.ndim);
  const unknown = x.shape.some((s) => Number.isNaN(s));
  if (unknown) throw new RangeError('da.reduction: the array has unknown chunk sizes (after a lazy boolean mask): call computeChunkSizes() first');
  const keepdims = opts.keepdims ?? false;
  const concatenate = opts.concatenate ?? true;
  const dtype = opts.dtype === undefined ? x.dtype : toDType(opts.dtype);
  const lay = reductionLayout(x, axes, keepdims);
  const split = splitPerAxis(opts.splitEvery, axes, 'da.reduction');
  const name = `${opts.name ?? 'reduction'}-${tokenize(chunkOp, combineOp, aggOp, x.name, axes, keepdims, dtype, concatenate, opts.splitEvery ?? null)}`;
  const levels = levelGrids(lay.grid, split);
  const step = (box: readonly number[]): UserReduceStep => ({ axes, ndim: x.ndim, concatenate, box });
  const tree = treeReduce(
    {
      name,
      grid: lay.grid,
      groups: lay.groups,
      splitEvery: split,
      partial: (index, _i, g) => arrayOps.userReduceChunk.call(fnArg(chunkOp), lit(step([])), ref(x.key(lay.block(g, index)))),
      combine: (parts, ctx) => arrayOps.userReduceCombine.call(fnArg(combineOp), lit(step(boxAt(levels, split, ctx.level, ctx.index))), ...parts),
      aggregate: (parts, ctx) => {
        const oidx = lay.outIndex(ctx.group);
        const last: UserAggregateStep = { ...step(levels[levels.length - 1]), keepdims, dtype, shape: lay.outChunks.map((c, d) => c[oidx[d]]) };
        return arrayOps.userReduceAggregate.call(fnArg(aggOp), lit(last), ...parts);
      },
      outputKey: (g) => blockKey(name, lay.outIndex(g)),
      info: { ...reductionInfo(x), userCode: true },
    },
    [x.layer],
  );
  return new ChunkedArray<R>(name, lay.outShape, lay.outChunks, dtype, { k: 'layer', node: tree.node });
}

/** The grid of results at each level of a tree (as core's treeReduce builds it): partials first. */
function levelGrids(grid: readonly number[], split: readonly number[]): number[][] {
  const out = [[...grid]];
  let g = out[0];
  while (g.some((n, d) => n > split[d])) {
    g = g.map((n, d) => Math.ceil(n / split[d]));
    out.push(g);
  }
  return out;
}

/** How many results, per reduced axis, the combine task `index` of `level` merges. */
function boxAt(levels: readonly number[][], split: readonly number[], level: number, index: number): number[] {
  const from = levels[level];
  const to = levels[level + 1];
  const box = new Array<number>(to.length);
  for (let d = to.length - 1; d >= 0; d--) {
    const b = index % to[d];
    index = Math.floor(index / to[d]);
    box[d] = Math.min(from[d], (b + 1) * split[d]) - b * split[d];
  }
  return box;
}
