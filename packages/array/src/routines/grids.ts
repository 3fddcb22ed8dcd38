/** meshgrid and indices: 1-d ranges reshaped and broadcast (no block holds more than its share). */
import { checkOptions, type OptionSchema } from '@pdask/core';
import { ChunkedArray } from '../array';
import { normalizeChunks, type ChunksSpec } from '../chunks';
import { arange } from '../creation/creation';
import { toDType, type DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { CHUNKS, DTYPE } from '../options';
import { expandDims, ravel, reshape, stack } from '../shape/shape';
import { broadcastTo } from './broadcast';

type A = ChunkedArray<unknown>;

export interface MeshgridOptions {
  /** 'xy' (default: the first two axes swapped, Cartesian) or 'ij' (matrix). */
  indexing?: 'xy' | 'ij';
  /** Length-1 axes instead of broadcast ones. */
  sparse?: boolean;
}
const MESHGRID: OptionSchema<MeshgridOptions & { copy?: unknown }> = { indexing: { oneOf: ['xy', 'ij'] }, sparse: 'boolean', copy: 'boolean' };

/** NumPy's `meshgrid(x1, x2, ...)`; options go in a last argument after the array list: `meshgrid([x, y], { indexing: 'ij' })`. */
export function meshgrid(...xs: A[]): ChunkedArray<NDArray>[];
export function meshgrid(xs: readonly A[], options?: MeshgridOptions): ChunkedArray<NDArray>[];
export function meshgrid(...args: (A | readonly A[] | MeshgridOptions | undefined)[]): ChunkedArray<NDArray>[] {
  const listed = args.length <= 2 && Array.isArray(args[0]) && !(args[1] instanceof ChunkedArray);
  const xs = (listed ? args[0] : args) as readonly A[];
  const opts = checkOptions('da.meshgrid', (listed ? args[1] : undefined) as MeshgridOptions | undefined, MESHGRID) ?? {};
  for (const x of xs) if (!(x instanceof ChunkedArray)) throw new TypeError('meshgrid: pass chunked arrays (or a list of them and an options object)');
  const flat = xs.map((x) => ravel(x));
  const nd = flat.length;
  const swap = (opts.indexing ?? 'xy') === 'xy' && nd > 1;
  const pos = (i: number): number => (swap && i < 2 ? 1 - i : i);
  const owner = Array.from({ length: nd }, (_, d) => flat.findIndex((_, i) => pos(i) === d));
  const shape = owner.map((i) => flat[i].shape[0]);
  const chunks = owner.map((i) => [...flat[i].chunks[0]]);
  return flat.map((x, i) => {
    const r = expandDims(x, shape.map((_, d) => d).filter((d) => d !== pos(i)));
    return (opts.sparse ? r : broadcastTo(r, shape, { chunks })) as ChunkedArray<NDArray>;
  });
}

export interface IndicesOptions {
  /** Default int64 (NumPy's int). */
  dtype?: DType | string;
  chunks?: ChunksSpec;
}
const INDICES: OptionSchema<IndicesOptions & { sparse?: unknown }> = { dtype: DTYPE, chunks: CHUNKS, sparse: { unsupported: 'not implemented yet' } };

/** NumPy's `indices(dimensions)`: shape [n, ...dimensions], one block along the first axis per dimension. */
export function indices(dimensions: readonly number[], options?: IndicesOptions): ChunkedArray<NDArray> {
  const opts = checkOptions('da.indices', options, INDICES) ?? {};
  const dtype = opts.dtype ? toDType(opts.dtype) : 'int64';
  for (const s of dimensions) if (!Number.isInteger(s) || s < 0) throw new RangeError(`indices: bad dimensions [${dimensions.join(', ')}]`);
  const chunks = normalizeChunks(opts.chunks, dimensions, dtype);
  if (!dimensions.length) return reshape(arange(0, { dtype }), [0]) as ChunkedArray<NDArray>;
  const grids = dimensions.map((n, i) => {
    const r = expandDims(arange(n, { dtype, chunks: [chunks[i]] }), dimensions.map((_, d) => d).filter((d) => d !== i));
    return broadcastTo(r, dimensions, { chunks });
  });
  return stack(grids, 0) as ChunkedArray<NDArray>;
}
