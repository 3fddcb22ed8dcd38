/**
 * Boolean masks that are themselves chunked arrays (Dask's `x[mask]` with a dask mask): how many
 * elements each block keeps is known only when it runs, so the masked dimension has unknown
 * (NaN) chunk sizes, as in Dask. Each output block is one task reading one block of x and the
 * mask block along the masked dimension. A mask over several leading dimensions is applied to
 * both arrays raveled over those dimensions first, which keeps NumPy's C order of the result.
 */
import { checkComputeOptions, lit, ref, tokenize, type ComputeOptions } from '@pdask/core';
import { ChunkedArray, fromBlocks } from '../array';
import { commonChunks, sameChunks } from '../chunks';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import { reshape } from '../shape/shape';

type A = ChunkedArray<unknown>;

export const hasUnknown = (x: A): boolean => x.shape.some((s) => Number.isNaN(s));

/** x[..., mask, ...] where the mask covers dimensions [axis, axis + mask.ndim) of x. */
export function lazyMask(x: A, mask: A, axis: number): A {
  if (mask.dtype !== 'bool') throw new TypeError(`a lazy index must be a boolean mask (dtype bool), got ${mask.dtype}; integer index arrays must be eager`);
  if (hasUnknown(x) || hasUnknown(mask)) throw new RangeError('boolean mask of an array with unknown chunk sizes: call computeChunkSizes() first');
  const m = mask.ndim;
  if (m === 0 || axis + m > x.ndim) throw new RangeError(`too many indices for array: a ${m}-d mask at dimension ${axis} of a ${x.ndim}-d array`);
  for (let d = 0; d < m; d++) {
    if (mask.shape[d] !== x.shape[axis + d]) {
      throw new RangeError(`boolean index did not match indexed array along dimension ${axis + d}; dimension is ${x.shape[axis + d]} but corresponding boolean dimension is ${mask.shape[d]}`);
    }
  }
  if (m > 1) {
    const n = mask.size;
    const xs = [...x.shape.slice(0, axis), n, ...x.shape.slice(axis + m)];
    return lazyMask(reshape(x, xs), reshape(mask, [n]), axis);
  }
  const cuts = commonChunks(x.chunks[axis] as number[], mask.chunks[0] as number[]);
  const xx = sameChunks(x.chunks[axis], cuts) ? x : rechunk(x, x.chunks.map((c, d) => (d === axis ? cuts : [...c])));
  const mm = sameChunks(mask.chunks[0], cuts) ? mask : rechunk(mask, [cuts]);
  const chunks = xx.chunks.map((c, d) => (d === axis ? c.map(() => NaN) : [...c]));
  const shape = xx.shape.map((s, d) => (d === axis ? NaN : s));
  const name = `getitem-mask-${tokenize(xx.name, mm.name, axis)}`;
  return fromBlocks('getitem-mask', name, shape, chunks, xx.dtype, (idx, key) =>
    arrayOps.maskBlock.task(key, lit(axis), ref(xx.key(idx)), ref(mm.key([idx[axis]]))), [xx, mm]);
}

/**
 * The same array with its chunk sizes known (Dask's compute_chunk_sizes): computes every block
 * (only its shape comes back to the caller). The blocks are computed again when the result is
 * used, unless the array is persisted first.
 */
export async function computeChunkSizes<R>(x: ChunkedArray<R>, options?: ComputeOptions): Promise<ChunkedArray<R>> {
  const opts = checkComputeOptions(options, 'ChunkedArray.computeChunkSizes');
  if (!hasUnknown(x)) return x;
  const nd = x.ndim;
  const grid = x.numblocks;
  const name = `chunk-shapes-${tokenize(x.name)}`;
  const shapes = fromBlocks<NDArray>('chunk-shapes', name, [...grid, nd], [...grid.map((g) => new Array<number>(g).fill(1)), [nd]], 'float64', (idx, key) =>
    arrayOps.blockShapeOf.task(key, ref(x.key(idx.slice(0, nd)))), [x]);
  const got = (await shapes.compute(opts)) as NDArray;
  const chunks = grid.map((g, d) =>
    Array.from({ length: g }, (_, i) => got.get(...grid.map((_, e) => (e === d ? i : 0)), d) as number),
  );
  return new ChunkedArray<R>(x.name, chunks.map((c) => c.reduce((a, b) => a + b, 0)), chunks, x.dtype, x.source);
}
