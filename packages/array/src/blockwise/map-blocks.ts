/** mapBlocks: a user function applied to corresponding blocks of one or more arrays. */
import { BlockLayer } from '../layer';
import { lit, ref, taskNode, toOpRef, tokenize, type OpFunction } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { blockOffset, normalizeChunks, sameChunks, type ChunksSpec } from '../chunks';
import { toDType, type DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { opRef } from '../ops/names';
import { rechunk } from '../rechunk/rechunk';
import type { BlockInfo } from '../runtime/user';

export interface MapBlocksOptions {
  /** dtype of the result (default: the first array's). */
  dtype?: DType | string;
  /** Block sizes of the result when the function changes them (default: the first array's). */
  chunks?: ChunksSpec | readonly (readonly number[])[];
  /** Label of the tasks (default 'map-blocks' or the function's name). */
  name?: string;
}

export type { BlockInfo };

/**
 * Calls `fn(block, ..., info)` for every block (the blocks of the other arrays are rechunked to
 * match the first). `fn` runs on worker threads, so it must be self-contained; it returns an
 * NDArray, a typed array of the block's size, or a number (filled).
 */
export function mapBlocks(fn: (...args: [...NDArray[], BlockInfo]) => NDArray | ArrayBufferView | number, arrays: readonly ChunkedArray<unknown>[], opts: MapBlocksOptions = {}): ChunkedArray<NDArray> {
  if (!arrays.length) throw new RangeError('mapBlocks: at least one array is needed');
  const first = arrays[0];
  for (const a of arrays) {
    if (a.ndim !== first.ndim || a.shape.some((s, d) => s !== first.shape[d])) throw new RangeError(`mapBlocks: arrays of different shapes [${first.shape.join(', ')}] and [${a.shape.join(', ')}]`);
  }
  const ins = arrays.map((a) => (a.chunks.every((c, d) => sameChunks(c, first.chunks[d])) ? a : rechunk(a, first.chunks)));
  const dtype = opts.dtype ? toDType(opts.dtype) : first.dtype;
  const op = toOpRef(fn as unknown as OpFunction);
  let chunks = first.chunks.map((c) => [...c]);
  if (opts.chunks) {
    const given = opts.chunks as readonly unknown[];
    if (Array.isArray(given) && given.every((c) => Array.isArray(c))) chunks = (given as number[][]).map((c) => [...c]);
    else chunks = normalizeChunks(opts.chunks as ChunksSpec, first.shape, dtype);
    if (chunks.length !== first.ndim || chunks.some((c, d) => c.length !== first.numblocks[d])) {
      throw new RangeError('mapBlocks: chunks must have one size per block of the input, in every dimension');
    }
  }
  const shape = chunks.map((c) => c.reduce((a, b) => a + b, 0));
  const label = opts.name ?? (op.name || 'map-blocks');
  const name = `${label}-${tokenize(op, ins.map((a) => a.name), chunks, dtype)}`;
  const out = fromBlocks<NDArray>(label, name, shape, chunks, dtype, (idx, key) => {
    const off = blockOffset(chunks, idx);
    const chunkShape = idx.map((b, d) => chunks[d][b]);
    const info: BlockInfo = {
      blockId: idx,
      arrayLocation: off.map((o, d) => [o, o + chunkShape[d]] as [number, number]),
      chunkShape,
      numBlocks: chunks.map((c) => c.length),
      shape,
      dtype,
    };
    return taskNode(key, opRef('mapBlocks'), [{ t: 'fn', op }, lit(info), ...ins.map((a) => ref(a.key(idx)))]);
  }, ins);
  (out.layer.layer as BlockLayer).userCode = true;
  return out;
}
