/**
 * Label vectors brought to the calling thread for the counting metrics (confusion matrix,
 * precision/recall/F1, ROC AUC, log-loss): one graph over both arrays, one value per sample
 * (8 bytes a sample; a per-class count would need the classes first, which costs a pass anyway).
 */
import { NDArray, type ChunkedArray } from '@pdask/array';
import { computeCollections, type ComputeOptions } from '@pdask/core';
import { scheduleFor } from '../graph/schedule';

export function numbers(r: unknown): Float64Array {
  if (r instanceof NDArray) {
    const d = r.data as ArrayLike<number | bigint | boolean>;
    return Float64Array.from({ length: d.length }, (_, i) => Number(d[i]));
  }
  return Float64Array.of(Number(r));
}

export async function computeBoth(a: ChunkedArray<unknown>, b: ChunkedArray<unknown>, opts: ComputeOptions): Promise<[NDArray, NDArray]> {
  const [x, y] = await computeCollections([a, b], scheduleFor([a, b], opts));
  return [x as NDArray, y as NDArray];
}

/** Sorted distinct values of one or more vectors (NumPy's unique of their union). */
export function uniqueSorted(...vs: Float64Array[]): Float64Array {
  const s = new Set<number>();
  for (const v of vs) for (const x of v) s.add(x);
  return Float64Array.from(s).sort();
}

/** scikit-learn refuses NaN in labels and scores ("Input contains NaN"); so do these metrics. */
export function noNaN(v: Float64Array, who: string, arg: string): Float64Array {
  const i = v.findIndex(Number.isNaN);
  if (i >= 0) throw new RangeError(`${who}: ${arg} contains NaN (at ${i})`);
  return v;
}
