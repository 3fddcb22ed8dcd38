/**
 * Exact order statistics (medians, percentiles, modes) need every value of a column: X is
 * computed to the calling thread, after checking that it fits the limit below (a clear error
 * rather than an allocation that brings the process down).
 */
import { NDArray, type ChunkedArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { scheduleFor } from '../graph/schedule';

/** The most X may hold for a fit that gathers it (512 MiB). */
export const GATHER_LIMIT_BYTES = 512 * 2 ** 20;

/** The columns of X as float64 arrays (column-major copies), computed once. */
export async function gatherColumns(x: ChunkedArray<unknown>, who: string, opts: ComputeOptions): Promise<Float64Array[]> {
  const [n, d] = x.shape;
  const bytes = n * d * 8;
  if (bytes > GATHER_LIMIT_BYTES) throw new RangeError(`${who}: exact quantiles need all ${n} x ${d} values on the calling thread (${(bytes / 2 ** 20).toFixed(0)} MiB), more than the ${GATHER_LIMIT_BYTES / 2 ** 20} MiB limit`);
  const r = await x.compute(scheduleFor([x], opts));
  const raw = (r as NDArray).data as ArrayLike<number | bigint>;
  const data: ArrayLike<number> = raw instanceof BigInt64Array ? Float64Array.from(raw, Number) : (raw as ArrayLike<number>);
  return Array.from({ length: d }, (_, j) => {
    const col = new Float64Array(n);
    for (let i = 0, at = j; i < n; i++, at += d) col[i] = data[at];
    return col;
  });
}
