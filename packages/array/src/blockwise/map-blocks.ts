/** mapBlocks: a user function applied to corresponding blocks of one or more arrays. */
import { blockwise } from './blockwise';
import { checkOptions, fnArg, lit, ref, toOpRef, tokenize, type OpFunction, type OptionSchema } from '@pdask/core';
import { CHUNKS, DTYPE, NOT_YET } from '../options';
import { fromBlocks, USER_CODE, type ChunkedArray } from '../array';
import { normalizeChunks, sameChunks, type ChunksSpec } from '../chunks';
import { toDType, type DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import type { BlockInfo } from '../runtime/user';
import { blockInfo } from './block-info';

export interface MapBlocksOptions {
  /** dtype of the result (default: the first array's). */
  dtype?: DType | string;
  /** Block sizes of the result when the function changes them (default: the first array's). */
  chunks?: ChunksSpec | readonly (readonly number[])[];
  /** Label of the tasks (default 'map-blocks' or the function's name). */
  name?: string;
  /**
   * Input axes the function removes (Dask's `drop_axis`; negative counts from the end). Blocks
   * along a dropped axis are concatenated first, so the function sees the whole axis.
   */
  dropAxis?: number | readonly number[];
  /**
   * Axes of the output the function adds, after the drop (Dask's `new_axis`): length 1 each, or
   * the sizes given in `chunks` (one block per new axis).
   */
  newAxis?: number | readonly number[];
}

export type { BlockInfo };

/**
 * Calls `fn(block, ..., info)` for every block (the blocks of the other arrays are rechunked to
 * match the first). `fn` runs on worker threads, so it must be self-contained; it returns an
 * NDArray, a typed array of the block's size, or a number (filled).
 */
const SCHEMA: OptionSchema<MapBlocksOptions & { meta?: unknown; token?: unknown; enforceNdim?: unknown }> = {
  dtype: DTYPE,
  chunks: CHUNKS,
  name: 'string',
  dropAxis: { anyOf: ['integer', 'array'] },
  newAxis: { anyOf: ['integer', 'array'] },
  meta: { unsupported: 'not implemented yet (give dtype)' },
  token: NOT_YET,
  enforceNdim: NOT_YET,
};

export function mapBlocks(
  fn: (...args: [...NDArray[], BlockInfo]) => NDArray | ArrayBufferView | number,
  arrays: readonly ChunkedArray<unknown>[],
  options?: MapBlocksOptions,
  /** @internal the public name in errors */
  who = 'da.mapBlocks',
): ChunkedArray<NDArray> {
  const opts = checkOptions(who, options, SCHEMA);
  if (!arrays.length) throw new RangeError('mapBlocks: at least one array is needed');
  const first = arrays[0];
  for (const a of arrays) {
    if (a.ndim !== first.ndim || a.shape.some((s, d) => s !== first.shape[d])) throw new RangeError(`mapBlocks: arrays of different shapes [${first.shape.join(', ')}] and [${a.shape.join(', ')}]`);
  }
  if (opts.dropAxis !== undefined || opts.newAxis !== undefined) return mapBlocksAxes(fn, arrays, opts);
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
    const info = blockInfo(chunks, idx, shape, dtype);
    return arrayOps.mapBlocks.task(key, fnArg(op), lit(info), ...ins.map((a) => ref(a.key(idx))));
  }, ins, [], USER_CODE);
  return out;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const asList = (v: number | readonly number[] | undefined): number[] => (v === undefined ? [] : typeof v === 'number' ? [v] : [...v]);

/** mapBlocks with dropAxis / newAxis, as Dask does it: blockwise with contracted and new letters. */
function mapBlocksAxes(fn: (...args: [...NDArray[], BlockInfo]) => NDArray | ArrayBufferView | number, arrays: readonly ChunkedArray<unknown>[], opts: MapBlocksOptions): ChunkedArray<NDArray> {
  const first = arrays[0];
  const nd = first.ndim;
  if (nd + asList(opts.newAxis).length > LETTERS.length) throw new RangeError('mapBlocks: too many dimensions');
  const drop = asList(opts.dropAxis).map((a) => {
    const ax = a < 0 ? a + nd : a;
    if (!Number.isInteger(ax) || ax < 0 || ax >= nd) throw new RangeError(`mapBlocks: dropAxis ${a} is out of bounds for an array of ${nd} dimensions`);
    return ax;
  });
  if (new Set(drop).size !== drop.length) throw new RangeError('mapBlocks: dropAxis repeats an axis');
  const inIndex = LETTERS.slice(0, nd);
  const out = [...inIndex].filter((_, d) => !drop.includes(d));
  const outNd = out.length + asList(opts.newAxis).length;
  const added = asList(opts.newAxis).map((a) => {
    const ax = a < 0 ? a + outNd : a;
    if (!Number.isInteger(ax) || ax < 0 || ax >= outNd) throw new RangeError(`mapBlocks: newAxis ${a} is out of bounds for a result of ${outNd} dimensions`);
    return ax;
  });
  if (new Set(added).size !== added.length) throw new RangeError('mapBlocks: newAxis repeats an axis');
  const newAxes: Record<string, number> = {};
  let next = nd;
  for (const ax of [...added].sort((x, y) => x - y)) {
    const c = LETTERS[next++];
    out.splice(ax, 0, c);
    newAxes[c] = 1;
  }
  // chunks: one entry per output dimension (a size for every block, or the block sizes).
  const adjustChunks: Record<string, number | number[]> = {};
  if (opts.chunks !== undefined) {
    const given = opts.chunks as unknown;
    if (!Array.isArray(given) || given.length !== outNd) throw new RangeError(`mapBlocks: with dropAxis/newAxis, chunks needs one entry per output dimension (${outNd})`);
    out.forEach((c, d) => {
      const v = given[d] as number | number[];
      if (c in newAxes) {
        const sizes = typeof v === 'number' ? [v] : v;
        if (sizes.length !== 1) throw new RangeError(`mapBlocks: new axis ${d} must be one block (chunks[${d}] = [${sizes.join(', ')}])`);
        newAxes[c] = sizes[0];
      } else adjustChunks[c] = typeof v === 'number' ? v : [...v];
    });
  }
  const ins = arrays.map((a) => {
    if (a.ndim !== nd || a.shape.some((s, d) => s !== first.shape[d])) throw new RangeError(`mapBlocks: arrays of different shapes [${first.shape.join(', ')}] and [${a.shape.join(', ')}]`);
    return a.chunks.every((c, d) => sameChunks(c, first.chunks[d])) ? a : rechunk(a, first.chunks);
  });
  return blockwise(fn as never, out.join(''), ...ins.flatMap((a) => [a, inIndex]), {
    dtype: opts.dtype,
    adjustChunks,
    newAxes,
    concatenate: true,
    name: opts.name ?? ((fn as { name?: string }).name || 'map-blocks'),
  });
}
