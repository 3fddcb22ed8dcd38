/** Reductions over all or some axes, built with core's treeReduce (chunk -> combine... -> aggregate). */
import { AXIS, NOT_YET, SPLIT_EVERY_RULE } from '../options';
import { checkOptions, lit, ref, splitEveryFor, tokenize, treeReduce, type LayerInfo, type OptionSchema } from '@pdask/core';
import { arrayInfo, ChunkedArray } from '../array';
import { blockIndices, blockKey, blockOffset, blockShape, linearIndex } from '../chunks';
import { arrayOps } from '../ops/index';
import type { ExprNode } from '../runtime/expr';
import type { ReduceSpec } from '../runtime/reduce';
import { reductionRow, type ReduceFn, type ReductionRow } from '../runtime/reduce-table';
import type { NDArray } from '../ndarray';

/** A reduction as a function of an array: a number over every axis, an NDArray over some. */
export interface Reducer<S, F = FullReduceOptions, O = ReduceOptions> {
  (x: ChunkedArray<unknown>, opts?: F): ChunkedArray<S>;
  (x: ChunkedArray<unknown>, opts: O): ChunkedArray<NDArray>;
  /** The reduction's row in the reductions table. */
  readonly reduction: ReduceFn;
}

/** The exported function of a built-in reduction (`da.sum`), named `da.<fn>` in errors. */
export function reducer<S, F = FullReduceOptions, O = ReduceOptions>(fn: ReduceFn): Reducer<S, F, O> {
  const f = (x: ChunkedArray<unknown>, opts?: VarOptions) => reduceBuiltin(x, fn, opts, `da.${fn}`);
  return Object.assign(f, { reduction: fn }) as unknown as Reducer<S, F, O>;
}

export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all when absent or null. */
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  /** Partials merged per tree node: a total (spread over the axes) or per axis. Default core's SPLIT_EVERY.array (16). */
  splitEvery?: number | Readonly<Record<number, number>>;
}

export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom (divisor count - ddof); default 0, as NumPy. var and std only. */
  ddof?: number;
}

/** Options of a reduction over every axis (the result is a number, or a boolean for any/all). */
export interface FullReduceOptions {
  axis?: null;
  keepdims?: false;
  splitEvery?: number;
}

export interface FullVarOptions extends FullReduceOptions {
  ddof?: number;
}

/** argmin/argmax and their nan-versions: one axis or none. */
export interface ArgReduceOptions {
  axis: number;
  keepdims?: boolean;
  splitEvery?: number;
}

const REDUCE_SCHEMA: OptionSchema<VarOptions & { dtype?: unknown; out?: unknown }> = {
  axis: AXIS,
  keepdims: 'boolean',
  splitEvery: SPLIT_EVERY_RULE,
  ddof: 'number',
  dtype: { unsupported: 'not implemented yet (cast with astype first)' },
  out: NOT_YET,
};
const { ddof: _ddof, ...NO_DDOF } = REDUCE_SCHEMA;

/** Checks the options of a built-in reduction: only var and std take ddof. */
function checkReduceOptions(who: string, row: ReductionRow, opts: VarOptions | undefined): VarOptions {
  return checkOptions(who, opts, (row.ddof ? REDUCE_SCHEMA : NO_DDOF) as OptionSchema<VarOptions>);
}

export function normalizeAxes(axis: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -ndim || a >= ndim) throw new RangeError(`axis ${a} is out of bounds for array of dimension ${ndim}`);
    return a < 0 ? a + ndim : a;
  });
  if (new Set(out).size !== out.length) throw new RangeError(`duplicate value in 'axis': [${list.join(', ')}]`);
  return out.sort((a, b) => a - b);
}

/**
 * `splitEvery` per reduced axis, in the order of `axes`: a total is spread evenly over the reduced
 * axes (Dask's rule: int(total ** (1 / len(axes))), at least 2), a record gives each axis its own.
 */
export function splitPerAxis(split: ReduceOptions['splitEvery'], axes: readonly number[], who: string): number[] {
  if (split === undefined || typeof split === 'number') {
    const s = splitEveryFor('array', split, who) as number;
    const per = Math.max(2, Math.floor(s ** (1 / Math.max(1, axes.length)) + 1e-9));
    return axes.map(() => per);
  }
  return axes.map((a) => Math.max(2, split[a] ?? 1e9));
}

/**
 * Where the trees of a reduction over `axes` sit: one tree per output block (the blocks of the kept
 * dimensions, C order), each over the grid of the reduced axes' blocks.
 */
export interface ReductionLayout {
  readonly axes: readonly number[];
  readonly kept: readonly number[];
  /** Blocks along each reduced axis: the grid of every tree. */
  readonly grid: readonly number[];
  /** Number of trees (output blocks). */
  readonly groups: number;
  /** The input block of tree `g` at position `index` of its grid. */
  block(g: number, index: readonly number[]): number[];
  /** The output block index of tree `g`. */
  outIndex(g: number): number[];
  readonly outShape: readonly number[];
  readonly outChunks: number[][];
}

export function reductionLayout(x: ChunkedArray<unknown>, axes: readonly number[], keepdims: boolean): ReductionLayout {
  const nb = x.numblocks;
  const nd = x.ndim;
  const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const keptGrid = kept.map((d) => nb[d]);
  const keptIndex = (g: number): number[] => {
    const out = new Array<number>(kept.length);
    for (let k = kept.length - 1; k >= 0; k--) {
      out[k] = g % keptGrid[k];
      g = Math.floor(g / keptGrid[k]);
    }
    return out;
  };
  return {
    axes,
    kept,
    grid: axes.map((a) => nb[a]),
    groups: keptGrid.reduce((a, b) => a * b, 1),
    block: (g, index) => {
      const full = new Array<number>(nd);
      const ki = keptIndex(g);
      kept.forEach((d, k) => (full[d] = ki[k]));
      axes.forEach((d, k) => (full[d] = index[k]));
      return full;
    },
    outIndex: (g) => {
      const ki = keptIndex(g);
      if (!keepdims) return ki;
      const full = new Array<number>(nd).fill(0);
      kept.forEach((d, k) => (full[d] = ki[k]));
      return full;
    },
    outShape: keepdims ? x.shape.map((s, d) => (axes.includes(d) ? 1 : s)) : kept.map((d) => x.shape[d]),
    outChunks: keepdims ? x.chunks.map((c, d) => (axes.includes(d) ? [1] : [...c])) : kept.map((d) => [...x.chunks[d]]),
  };
}

/** The bytes the partial tasks of a reduction of `x` make or read: an expression's blocks are made inside them. */
export function reductionInfo(x: ChunkedArray<unknown>): LayerInfo {
  const info = arrayInfo(x.shape, x.chunks, x.dtype);
  return { bytes: x.source.k === 'expr' ? info.bytes : 0, largestBlock: info.largestBlock };
}

/** The fused program and inputs that produce the blocks of `x` (an input of its own, if not an expression). */
export function programOf(x: ChunkedArray<unknown>): { expr: ExprNode; inputs: readonly ChunkedArray<unknown>[] } {
  return x.source.k === 'expr' ? { expr: x.source.expr, inputs: x.source.inputs } : { expr: { t: 'in', i: 0, dtype: x.dtype }, inputs: [x] };
}

/** A built-in reduction (a row of the table in runtime/reduce-table.ts) of `x`. */
export function reduceBuiltin<R = unknown>(x: ChunkedArray<unknown>, fn: ReduceFn, options?: VarOptions, who = `da.${fn}`): ChunkedArray<R> {
  const row = reductionRow(fn);
  const opts = checkReduceOptions(who, row, options);
  const nd = x.ndim;
  const axes = normalizeAxes(opts.axis, nd);
  const isArg = row.layout === 'arg';
  if (isArg && opts.axis !== undefined && opts.axis !== null && axes.length !== 1) throw new RangeError(`${fn} takes one axis or none`);
  const keepdims = opts.keepdims ?? false;
  const unknown = x.shape.map((s, d) => (Number.isNaN(s) ? d : -1)).filter((d) => d >= 0);
  if (unknown.length && (isArg || unknown.some((d) => !axes.includes(d)))) {
    throw new RangeError(`${fn}: the array has unknown chunk sizes (after a lazy boolean mask); ${isArg ? 'arg-reductions need' : 'reducing over other dimensions needs'} them: call computeChunkSizes() first`);
  }
  const dtype = row.dtype(x.dtype);
  const spec: ReduceSpec = { fn, axes, ddof: opts.ddof ?? 0, dtype, keepdims, globalShape: isArg ? x.shape : undefined };
  const { expr, inputs } = programOf(x);
  const name = `${fn}-${tokenize(fn, x.name, axes, spec.ddof, keepdims, opts.splitEvery ?? null)}`;
  const grid = x.numblocks;
  const lay = reductionLayout(x, axes, keepdims);
  const tree = treeReduce(
    {
      name,
      grid: lay.grid,
      groups: lay.groups,
      splitEvery: splitPerAxis(opts.splitEvery, axes, who),
      partial: (index, _i, g) => {
        const idx = lay.block(g, index);
        return arrayOps.reduceChunk.call(
          lit(spec),
          lit({ expr, place: { shape: blockShape(x.chunks, idx), offset: blockOffset(x.chunks, idx), id: linearIndex(grid, idx) } }),
          ...inputs.map((a) => ref(a.key(a.shape.map((s, k) => (s === 1 ? 0 : idx[k + nd - a.ndim]))))),
        );
      },
      combine: (parts) => arrayOps.reduceCombine.call(lit(fn), ...parts),
      aggregate: (parts, ctx) => {
        const oidx = lay.outIndex(ctx.group);
        return arrayOps.reduceAggregate.call(lit(spec), lit(lay.outChunks.map((c, d) => c[oidx[d]])), ...parts);
      },
      outputKey: (g) => blockKey(name, lay.outIndex(g)),
      info: reductionInfo(x),
    },
    inputs.map((a) => a.layer),
  );
  return new ChunkedArray<R>(name, lay.outShape, lay.outChunks, dtype, { k: 'layer', node: tree.node });
}

export { blockIndices };
