/** Reductions over all or some axes, built as tree reductions (chunk -> combine... -> aggregate). */
import { config, lit, ref, tokenize } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { blockIndices, blockKey, blockOffset, blockShape, linearIndex, numBlocks } from '../chunks';
import { floatResult, type DType } from '../dtype';
import { blockLayer } from '../layer';
import { arrayOps } from '../ops/index';
import type { ExprNode } from '../runtime/expr';
import type { ReduceFn, ReduceSpec } from '../runtime/reduce';

export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all when absent or null. */
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  /** Partials merged per tree node: a total (spread over the axes) or per axis. Default config 'array.split-every' (16). */
  splitEvery?: number | Readonly<Record<number, number>>;
}

export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom (divisor count - ddof); default 0, as NumPy. */
  ddof?: number;
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

function resultDType(fn: ReduceFn, d: DType): DType {
  if (fn === 'any' || fn === 'all') return 'bool';
  if (fn.includes('arg')) return 'int32';
  if (fn.endsWith('min') || fn.endsWith('max')) return d;
  if (fn.endsWith('sum') || fn.endsWith('prod')) return d === 'float32' ? 'float32' : 'float64';
  return floatResult(d);
}

function splitPerAxis(split: ReduceOptions['splitEvery'], axes: readonly number[]): Record<number, number> {
  const s = split ?? config.get<number>('array.split-every');
  const out: Record<number, number> = {};
  if (typeof s === 'number') {
    if (!(s >= 2)) throw new RangeError(`splitEvery must be at least 2, got ${s}`);
    const per = Math.max(2, Math.floor(s ** (1 / Math.max(1, axes.length)) + 1e-9));
    for (const a of axes) out[a] = per;
  } else {
    for (const a of axes) out[a] = Math.max(2, s[a] ?? 1e9);
  }
  return out;
}

/** The fused program and inputs that produce the blocks of `x` (an input of its own, if not an expression). */
export function programOf(x: ChunkedArray<unknown>): { expr: ExprNode; inputs: readonly ChunkedArray<unknown>[] } {
  return x.source.k === 'expr' ? { expr: x.source.expr, inputs: x.source.inputs } : { expr: { t: 'in', i: 0, dtype: x.dtype }, inputs: [x] };
}

export function reduction<R = unknown>(x: ChunkedArray<unknown>, fn: ReduceFn, opts: VarOptions = {}): ChunkedArray<R> {
  const nd = x.ndim;
  const axes = normalizeAxes(opts.axis, nd);
  const isArg = fn.includes('arg');
  if (isArg && opts.axis !== undefined && opts.axis !== null && axes.length !== 1) throw new RangeError(`${fn} takes one axis or none`);
  const keepdims = opts.keepdims ?? false;
  const unknown = x.shape.map((s, d) => (Number.isNaN(s) ? d : -1)).filter((d) => d >= 0);
  if (unknown.length && (isArg || unknown.some((d) => !axes.includes(d)))) {
    throw new RangeError(`${fn}: the array has unknown chunk sizes (after a lazy boolean mask); ${isArg ? 'arg-reductions need' : 'reducing over other dimensions needs'} them: call computeChunkSizes() first`);
  }
  const dtype = resultDType(fn, x.dtype);
  const spec: ReduceSpec = { fn, axes, ddof: opts.ddof ?? 0, dtype, keepdims, globalShape: isArg ? x.shape : undefined };
  const { expr, inputs } = programOf(x);
  const tok = tokenize(fn, x.name, axes, spec.ddof, keepdims, opts.splitEvery ?? null);
  const grid = numBlocks(x.chunks);

  // Stage 1: one partial per block.
  const chunkName = `${fn}-chunk-${tok}`;
  let level = blockLayer(
    chunkName,
    `${fn}-chunk`,
    grid,
    (idx) =>
      arrayOps.reduceChunk.task(blockKey(chunkName, idx), lit(spec),
        lit({ expr, place: { shape: blockShape(x.chunks, idx), offset: blockOffset(x.chunks, idx), id: linearIndex(grid, idx) } }),
        ...inputs.map((a) => ref(a.key(a.shape.map((s, k) => (s === 1 ? 0 : idx[k + nd - a.ndim]))))),),
    inputs.map((a) => a.layer),
  );
  let levelName = chunkName;
  let g = [...grid];
  const split = splitPerAxis(opts.splitEvery, axes);

  // Stage 2: combine groups until every reduced axis fits in one final group.
  let depth = 0;
  while (axes.some((a) => g[a] > split[a])) {
    const ng = g.map((n, d) => (axes.includes(d) ? Math.ceil(n / split[d]) : n));
    const prevName = levelName;
    const prevGrid = g;
    const name = `${fn}-combine${++depth}-${tok}`;
    level = blockLayer(
      name,
      `${fn}-combine`,
      ng,
      (idx) => {
        const ranges = idx.map((i, d) => (axes.includes(d) ? range(i * split[d], Math.min(prevGrid[d], (i + 1) * split[d])) : [i]));
        const refs = cartesian(ranges).map((j) => ref(blockKey(prevName, j)));
        return arrayOps.reduceCombine.task(blockKey(name, idx), lit(fn), ...refs);
      },
      [level],
    );
    levelName = name;
    g = ng;
  }

  // Stage 3: merge the last group and finalise.
  const outShape = keepdims ? x.shape.map((s, d) => (axes.includes(d) ? 1 : s)) : x.shape.filter((_, d) => !axes.includes(d));
  const outChunks = keepdims ? x.chunks.map((c, d) => (axes.includes(d) ? [1] : [...c])) : x.chunks.filter((_, d) => !axes.includes(d)).map((c) => [...c]);
  const keptDims = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const lastName = levelName;
  const lastGrid = g;
  const last = level;
  const name = `${fn}-${tok}`;
  return fromBlocks<R>(
    fn,
    name,
    outShape,
    outChunks,
    dtype,
    (oidx, key) => {
      // The index in the last level's grid of the kept dimensions.
      const kept = keepdims ? keptDims.map((d) => oidx[d]) : oidx;
      const full = new Array<number>(nd).fill(0);
      keptDims.forEach((d, k) => (full[d] = kept[k]));
      const ranges = full.map((i, d) => (axes.includes(d) ? range(0, lastGrid[d]) : [i]));
      const bshape = outChunks.map((c, d) => c[oidx[d]]);
      return arrayOps.reduceAggregate.task(key, lit(spec), lit(bshape), ...cartesian(ranges).map((j) => ref(blockKey(lastName, j))));
    },
    [],
    [last],
  );
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}

function cartesian(lists: readonly (readonly number[])[]): number[][] {
  let acc: number[][] = [[]];
  for (const l of lists) acc = acc.flatMap((p) => l.map((x) => [...p, x]));
  return acc;
}

export { blockIndices };
