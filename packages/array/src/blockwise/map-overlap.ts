/**
 * mapOverlap (Dask's `map_overlap`): a function applied to every block extended by `depth`
 * elements of its neighbours (the halo) on each side, then trimmed back, so stencils (finite
 * differences, filters, rolling windows) see the values across block edges. At the edges of the
 * array the halo comes from the `boundary` rule: 'none' (no halo there, Dask's default),
 * 'reflect' (mirrored, edge included: ..., 1, 0 | 0, 1, ...), 'periodic' (wrapped around),
 * 'nearest' (the edge value repeated) or a number (a constant).
 */
import { lit, ref, taskNode, toOpRef, tokenize, type OpFunction } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { blockIndices, commonChunks, sameChunks } from '../chunks';
import { rechunk } from '../rechunk/rechunk';
import { toDType, type DType } from '../dtype';
import { BlockLayer } from '../layer';
import type { NDArray } from '../ndarray';
import { opRef } from '../ops/names';
import type { DimMap, OverlapSpec } from '../runtime/overlap';
import type { BlockInfo } from '../runtime/user';
import { blockInfo } from './block-info';

export type Boundary = 'none' | 'reflect' | 'periodic' | 'nearest' | number;

export interface MapOverlapOptions {
  /** Halo width: one number for every dimension, one per dimension, or { axis: width }. */
  depth: number | readonly number[] | Readonly<Record<number, number>>;
  /** Edge rule, for every dimension or per dimension (default 'none', as Dask). */
  boundary?: Boundary | readonly Boundary[] | Readonly<Record<number, Boundary>>;
  /** Cut the halo off the function's result (default true; the function must keep the shape). */
  trim?: boolean;
  /** dtype of the result (default the input's). */
  dtype?: DType | string;
  name?: string;
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

/** The source of global position g (outside [0, n) mapped by the boundary rule), or -1: constant. */
function source(g: number, n: number, b: Boundary): number {
  if (g >= 0 && g < n) return g;
  if (b === 'periodic') return ((g % n) + n) % n;
  if (b === 'nearest') return g < 0 ? 0 : n - 1;
  if (b === 'reflect') {
    // Mirror with the edge repeated; a halo wider than the array keeps bouncing.
    const period = 2 * n;
    const m = ((g % period) + period) % period;
    return m < n ? m : period - 1 - m;
  }
  return -1;
}

type OverlapFn = ((block: NDArray, info: BlockInfo) => NDArray | ArrayBufferView | number) | ((...args: never[]) => NDArray | ArrayBufferView | number);

/**
 * `fn` over every block with its halo. With several arrays (same shape; their chunks are unified
 * to the common refinement), `fn(a, b, ..., info)` gets the matching extended block of each.
 */
export function mapOverlap(fn: OverlapFn, xs: ChunkedArray<unknown> | readonly ChunkedArray<unknown>[], opts: MapOverlapOptions): ChunkedArray<NDArray> {
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
  const depth = perDim(opts.depth, nd, 0, 'depth');
  for (const d of depth) if (!Number.isInteger(d) || d < 0) throw new RangeError(`mapOverlap: depth must be a non-negative integer, got ${d}`);
  const boundary = perDim<Boundary>(opts.boundary ?? 'none', nd, 'none', 'boundary');
  const constants = boundary.filter((b): b is number => typeof b === 'number');
  if (new Set(constants).size > 1) throw new RangeError('mapOverlap: one constant boundary value per array');
  for (const b of boundary) {
    if (typeof b !== 'number' && !['none', 'reflect', 'periodic', 'nearest'].includes(b)) {
      throw new RangeError(`mapOverlap: unknown boundary '${String(b)}' (none, reflect, periodic, nearest or a number)`);
    }
  }
  const trim = opts.trim ?? true;
  const dtype = opts.dtype ? toDType(opts.dtype) : x.dtype;
  const op = toOpRef(fn as unknown as OpFunction);
  const starts = x.chunks.map((c) => {
    const s = [0];
    for (const v of c) s.push(s[s.length - 1] + v);
    return s;
  });
  const blockOf = (d: number, g: number): number => {
    const s = starts[d];
    let lo = 0;
    let hi = s.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= g) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Per dimension and block: the extended range's maps and where the core sits in it.
  const plans = x.chunks.map((c, d) =>
    c.map((len, b) => {
      const n = x.shape[d];
      const s = starts[d][b];
      const none = boundary[d] === 'none';
      const lo = none ? Math.max(0, s - depth[d]) : s - depth[d];
      const hi = none ? Math.min(n, s + len + depth[d]) : s + len + depth[d];
      const blocks: number[] = [];
      const which: number[] = [];
      const local: number[] = [];
      for (let g = lo; g < hi; g++) {
        const src = source(g, n, boundary[d]);
        if (src < 0) {
          which.push(-1);
          local.push(0);
          continue;
        }
        const sb = blockOf(d, src);
        let w = blocks.indexOf(sb);
        if (w < 0) w = blocks.push(sb) - 1;
        which.push(w);
        local.push(src - starts[d][sb]);
      }
      return { blocks, map: { which, local, nblocks: blocks.length } as DimMap, core: [s - lo, s - lo + len] as [number, number], ext: hi - lo };
    }),
  );
  const outChunks = trim ? x.chunks.map((c) => [...c]) : plans.map((p) => p.map((q) => q.ext));
  const shape = outChunks.map((c) => c.reduce((a, b) => a + b, 0));
  const label = opts.name ?? (op.name || 'map-overlap');
  const name = `${label}-${tokenize(op, arrays.map((a) => a.name), depth, boundary, trim, dtype)}`;
  const out = fromBlocks<NDArray>(label, name, shape, outChunks, dtype, (idx, key) => {
    const p = idx.map((b, d) => plans[d][b]);
    const spec: OverlapSpec = {
      dims: p.map((q) => q.map),
      constant: constants[0] ?? 0,
      trim: trim ? p.map((q) => q.core) : null,
      dtype,
      arrays: arrays.length,
    };
    const around = [...blockIndices(p.map((q) => q.blocks.length))].map((k) => k.map((w, d) => p[d].blocks[w]));
    const inputs = arrays.flatMap((a) => around.map((k) => a.key(k)));
    const info = blockInfo(x.chunks, idx, [...x.shape], dtype, p.map((q) => q.ext));
    return taskNode(key, opRef('mapOverlap'), [{ t: 'fn', op }, lit(spec), lit(info), ...inputs.map((k) => ref(k))]);
  }, arrays);
  (out.layer.layer as BlockLayer).userCode = true;
  return out;
}
