/**
 * Arrays from lazy values (Dask's `da.from_delayed`, and the blocks-along-axis-0 form other
 * collections need, e.g. a data frame's partitions as row blocks: Dask's `to_dask_array`).
 * Sizes may be unknown (NaN) along the first axis, as after a boolean mask; `computeChunkSizes()`
 * finds them.
 */
import { checkOptions, lit, ref, tokenize, type Delayed, type OptionSchema } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { toDType, type DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';

export interface FromDelayedBlocksOptions {
  /** Chunks per dimension: the first has one size per block (NaN when unknown), each other one size. */
  chunks: readonly (readonly number[])[];
  dtype: DType | string;
}

export interface FromDelayedOptions {
  shape: readonly number[];
  dtype: DType | string;
}

const isChunks = (v: unknown): string | undefined =>
  Array.isArray(v) && v.length > 0 && v.every((c) => Array.isArray(c) && c.every((x) => typeof x === 'number' && (Number.isNaN(x) || (Number.isInteger(x) && x >= 0))))
    ? undefined
    : 'an array of chunk sizes per dimension (non-negative integers, NaN when unknown)';
const isDtype = (v: unknown): string | undefined => (typeof v === 'string' ? undefined : 'a dtype name');
const BLOCKS_OPTIONS: OptionSchema<FromDelayedBlocksOptions> = { chunks: isChunks, dtype: isDtype };
const ONE_OPTIONS: OptionSchema<FromDelayedOptions> = {
  shape: (v) => (Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0) ? undefined : 'an array of non-negative integers'),
  dtype: isDtype,
};

const isDelayed = (x: unknown): x is Delayed<unknown> => typeof x === 'object' && x !== null && typeof (x as Delayed<unknown>).key === 'string' && 'layer' in x;

/**
 * An array whose blocks, stacked along the first axis, are the values of `blocks` (each an
 * NDArray, a typed array for 1-D, or `{ values, shape }`); the other axes are one chunk each.
 */
export function fromDelayedBlocks(blocks: readonly Delayed<unknown>[], options: FromDelayedBlocksOptions): ChunkedArray<NDArray> {
  const o = checkOptions('da.fromDelayedBlocks', options, BLOCKS_OPTIONS);
  if (o.chunks === undefined || o.dtype === undefined) throw new TypeError('da.fromDelayedBlocks: give { chunks, dtype }');
  if (!Array.isArray(blocks) || !blocks.every(isDelayed)) throw new TypeError('da.fromDelayedBlocks: expected an array of Delayed values (one per block)');
  const chunks = o.chunks.map((c) => [...c]);
  if (chunks[0].length !== blocks.length) throw new RangeError(`da.fromDelayedBlocks: ${blocks.length} blocks but ${chunks[0].length} chunk sizes along the first axis`);
  if (chunks.slice(1).some((c) => c.length !== 1 || Number.isNaN(c[0]))) throw new RangeError('da.fromDelayedBlocks: every axis but the first must be one chunk of known size');
  const dtype: DType = toDType(o.dtype);
  const shape = chunks.map((c) => c.reduce((a, b) => a + b, 0));
  const name = `from-delayed-${tokenize(blocks.map((b) => b.key), chunks, dtype)}`;
  const parents = [...new Set(blocks.map((b) => b.layer))];
  return fromBlocks<NDArray>(
    'from-delayed',
    name,
    shape,
    chunks,
    dtype,
    (idx, key) => arrayOps.delayedBlock.task(key, ref(blocks[idx[0]].key), lit(dtype), lit(chunks.map((c, d) => (Number.isNaN(c[idx[d]]) ? null : c[idx[d]])))),
    [],
    parents,
  );
}

/** One block from one lazy value of a known shape (Dask's `da.from_delayed(value, shape, dtype)`). */
export function fromDelayed(value: Delayed<unknown>, options: FromDelayedOptions): ChunkedArray<NDArray> {
  const o = checkOptions('da.fromDelayed', options, ONE_OPTIONS);
  if (o.shape === undefined || o.dtype === undefined) throw new TypeError('da.fromDelayed: give { shape, dtype }');
  if (o.shape.length === 0) throw new RangeError('da.fromDelayed: 0-d values are not supported; give a shape of at least one dimension');
  return fromDelayedBlocks([value], { chunks: o.shape.map((s) => [s]), dtype: o.dtype });
}
