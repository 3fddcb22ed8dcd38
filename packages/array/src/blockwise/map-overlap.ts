/**
 * mapOverlap (Dask's `map_overlap`): a function applied to every block extended by `depth`
 * elements of its neighbours (the halo) on each side, then trimmed back, so stencils (finite
 * differences, filters, rolling windows) see the values across block edges. At the edges of the
 * array the halo comes from the `boundary` rule: 'none' (no halo there, Dask's default),
 * 'reflect' (mirrored, edge included: ..., 1, 0 | 0, 1, ...), 'periodic' (wrapped around),
 * 'nearest' (the edge value repeated) or a number (a constant).
 */
import { checkOptions, fnArg, lit, ref, toOpRef, tokenize, type OpFunction, type OptionSchema } from '@pdask/core';
import { DTYPE, NOT_YET } from '../options';
import { fromBlocks, USER_CODE, type ChunkedArray } from '../array';
import { blockIndices, commonChunks, sameChunks } from '../chunks';
import { rechunk } from '../rechunk/rechunk';
import { toDType, type DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import type { OverlapSpec } from '../runtime/overlap';
import type { BlockInfo } from '../runtime/user';
import { blockInfo } from './block-info';
import { haloPlans, type Boundary } from './halo-plan';

export type { Boundary };

/** Halo width of one array: one number for every dimension, one per dimension, or { axis: width }. */
export type Depth = number | readonly number[] | Readonly<Record<number, number>>;
/** Edge rule of one array: one for every dimension, one per dimension, or { axis: rule }. */
export type BoundarySpec = Boundary | readonly Boundary[] | Readonly<Record<number, Boundary>>;
/**
 * One entry per array, for several arrays (Dask's list of depths or boundaries). A plain list
 * already means one entry per dimension, so the per-array form is marked.
 */
export interface PerArray<T> {
  readonly perArray: readonly T[];
}

export interface MapOverlapOptions {
  /** Halo width, the same for every array or `{ perArray: [...] }`. */
  depth: Depth | PerArray<Depth>;
  /** Edge rule (default 'none', as Dask), the same for every array or `{ perArray: [...] }`. */
  boundary?: BoundarySpec | PerArray<BoundarySpec>;
  /**
   * Cut the halo off the function's result (default true; the function must return the shape of
   * the first array's extended block). The first array's depth and boundary say what to cut.
   */
  trim?: boolean;
  /** dtype of the result (default the input's). */
  dtype?: DType | string;
  name?: string;
}

const isPerArray = <T>(v: T | PerArray<T>): v is PerArray<T> => v !== null && typeof v === 'object' && !Array.isArray(v) && 'perArray' in (v as object);

function perArray<T>(v: T | PerArray<T>, n: number, what: string): T[] {
  if (!isPerArray(v)) return new Array<T>(n).fill(v);
  const list = v.perArray;
  if (!Array.isArray(list) || list.length !== n) throw new RangeError(`mapOverlap: ${what} { perArray } needs one entry per array (${n}), got ${Array.isArray(list) ? list.length : typeof list}`);
  return [...list];
}

function perDim<T>(v: T | readonly T[] | Readonly<Record<number, T>>, nd: number, dflt: T, what: string): T[] {
  if (Array.isArray(v)) {
    if (v.length !== nd) throw new RangeError(`mapOverlap: ${what} has ${v.length} entries for ${nd} dimensions`);
    return [...v];
  }
  if (v !== null && typeof v === 'object') {
    const rec = v as Readonly<Record<number, T>>;
    for (const k of Object.keys(rec)) if (!(Number(k) >= 0 && Number(k) < nd)) throw new RangeError(`mapOverlap: ${what} names axis ${k} of a ${nd}-d array`);
    return Array.from({ length: nd }, (_, d) => rec[d] ?? dflt);
  }
  return new Array<T>(nd).fill(v as T);
}

/** Depth and boundary of one array, checked, one entry per dimension. */
function halo(depthSpec: Depth, boundarySpec: BoundarySpec, nd: number, what: string): { depth: number[]; boundary: Boundary[]; constant: number } {
  const depth = perDim(depthSpec, nd, 0, `depth${what}`);
  for (const d of depth) if (!Number.isInteger(d) || d < 0) throw new RangeError(`mapOverlap: depth${what} must be a non-negative integer, got ${d}`);
  const boundary = perDim<Boundary>(boundarySpec, nd, 'none', `boundary${what}`);
  for (const b of boundary) {
    if (typeof b !== 'number' && !['none', 'reflect', 'periodic', 'nearest'].includes(b)) {
      throw new RangeError(`mapOverlap: unknown boundary '${String(b)}'${what} (none, reflect, periodic, nearest or a number)`);
    }
  }
  const constants = boundary.filter((b): b is number => typeof b === 'number');
  if (new Set(constants).size > 1) throw new RangeError(`mapOverlap: one constant boundary value per array${what}, got ${[...new Set(constants)].join(' and ')}`);
  return { depth, boundary, constant: constants[0] ?? 0 };
}

type OverlapFn = ((block: NDArray, info: BlockInfo) => NDArray | ArrayBufferView | number) | ((...args: never[]) => NDArray | ArrayBufferView | number);

/**
 * `fn` over every block with its halo. With several arrays (same shape; their chunks are unified
 * to the common refinement), `fn(a, b, ..., info)` gets the matching extended block of each,
 * each extended by its own depth and boundary.
 */
const SCHEMA: OptionSchema<MapOverlapOptions & { allowRechunk?: unknown; meta?: unknown; alignArrays?: unknown }> = {
  depth: 'any',
  boundary: 'any',
  trim: 'boolean',
  dtype: DTYPE,
  name: 'string',
  allowRechunk: NOT_YET,
  alignArrays: NOT_YET,
  meta: { unsupported: 'not implemented yet (give dtype)' },
};

export function mapOverlap(fn: OverlapFn, xs: ChunkedArray<unknown> | readonly ChunkedArray<unknown>[], options: MapOverlapOptions, /** @internal the public name in errors */ who = 'da.mapOverlap'): ChunkedArray<NDArray> {
  const opts = checkOptions(who, options, SCHEMA);
  const arrays0 = Array.isArray(xs) ? [...(xs as readonly ChunkedArray<unknown>[])] : [xs as ChunkedArray<unknown>];
  if (!arrays0.length) throw new RangeError('mapOverlap: pass at least one array');
  const x0 = arrays0[0];
  for (const a of arrays0) {
    if (a.ndim !== x0.ndim || a.shape.some((s, d) => s !== x0.shape[d])) {
      throw new RangeError(`mapOverlap: arrays must have the same shape, got [${x0.shape.join(', ')}] and [${a.shape.join(', ')}]`);
    }
  }
  const unified = x0.chunks.map((c, d) => arrays0.reduce((acc, a) => commonChunks(acc, a.chunks[d] as number[]), [...c] as number[]));
  const arrays = arrays0.map((a) => (a.chunks.every((c, d) => sameChunks(c, unified[d])) ? a : rechunk(a, unified)));
  const x = arrays[0];
  const nd = x.ndim;
  if (opts === undefined || opts.depth === undefined) throw new TypeError('mapOverlap: pass { depth }');
  const k = arrays.length;
  const depths = perArray(opts.depth, k, 'depth');
  const boundaries = perArray<BoundarySpec>(opts.boundary ?? 'none', k, 'boundary');
  const halos = arrays.map((_, a) => halo(depths[a], boundaries[a], nd, isPerArray(opts.depth) || isPerArray(opts.boundary ?? 'none') ? ` of array ${a}` : ''));
  const trim = opts.trim ?? true;
  const dtype = opts.dtype ? toDType(opts.dtype) : x.dtype;
  const op = toOpRef(fn as unknown as OpFunction);
  // Per array, dimension and block: the extended range's maps and where the block sits in it.
  // The first array's plan shapes the result (Dask trims with the first array's depth).
  const plans = halos.map((h) => haloPlans(x.chunks, x.shape, h.depth, h.boundary));
  const outChunks = trim ? x.chunks.map((c) => [...c]) : plans[0].map((p) => p.map((q) => q.ext));
  const shape = outChunks.map((c) => c.reduce((a, b) => a + b, 0));
  const label = opts.name ?? (op.name || 'map-overlap');
  const name = `${label}-${tokenize(op, arrays.map((a) => a.name), halos, trim, dtype)}`;
  const out = fromBlocks<NDArray>(label, name, shape, outChunks, dtype, (idx, key) => {
    const own = plans.map((pa) => idx.map((b, d) => pa[d][b]));
    const spec: OverlapSpec = {
      arrays: own.map((p, a) => ({ dims: p.map((q) => q.map), constant: halos[a].constant })),
      trim: trim ? own[0].map((q) => q.core) : null,
      dtype,
    };
    const inputs = arrays.flatMap((arr, a) => [...blockIndices(own[a].map((q) => q.blocks.length))].map((w) => arr.key(w.map((v, d) => own[a][d].blocks[v]))));
    const info = blockInfo(x.chunks, idx, [...x.shape], dtype, own[0].map((q) => q.ext));
    return arrayOps.mapOverlap.task(key, fnArg(op), lit(spec), lit(info), ...inputs.map((kk) => ref(kk)));
  }, arrays, [], USER_CODE);
  return out;
}
