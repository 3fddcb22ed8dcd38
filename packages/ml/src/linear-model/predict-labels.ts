/** Class codes computed and mapped to their labels (for labels a chunked array cannot hold). */
import type { ChunkedArray, NDArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import type { Label } from './labels';

export async function predictLabels(codes: ChunkedArray<NDArray>, classes: readonly Label[], opts: ComputeOptions): Promise<Label[]> {
  const r = (await codes.compute(opts)) as NDArray;
  return Array.from(r.data as ArrayLike<number>, (c) => classes[c]);
}
