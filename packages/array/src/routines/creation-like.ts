/** emptyLike: Dask's `empty_like` (zeros: typed arrays are always initialised). */
import { checkOptions, type OptionSchema } from '@pdask/core';
import type { ChunkedArray } from '../array';
import type { Chunks, ChunksSpec } from '../chunks';
import { zeros, type CreationOptions } from '../creation/creation';
import type { DType } from '../dtype';
import { CHUNKS, DTYPE, NOT_YET } from '../options';

const SCHEMA: OptionSchema<CreationOptions & { order?: unknown; shape?: unknown; name?: unknown }> = { chunks: CHUNKS, dtype: DTYPE, order: NOT_YET, shape: NOT_YET, name: NOT_YET };

export function emptyLike(a: { shape: readonly number[]; chunks: Chunks; dtype: DType }, options?: CreationOptions): ChunkedArray {
  const opts = checkOptions('da.emptyLike', options, SCHEMA) ?? {};
  return zeros(a.shape, { chunks: opts.chunks ?? (a.chunks as ChunksSpec), dtype: opts.dtype ?? a.dtype });
}
