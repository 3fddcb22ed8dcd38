/**
 * Which scheduler an ml computation runs on. As `@pdask/array` does for its own `compute()`, a
 * graph over less than config `array.inline-threshold` bytes (default 1 MiB) runs in the calling
 * thread when no scheduler is asked for: an iterative fit over a small array would otherwise pay
 * a worker round trip (~80 µs) per task and iteration for microseconds of work.
 */
import type { ChunkedArray } from '@pdask/array';
import { config, parseBytes, type ComputeOptions } from '@pdask/core';

export function scheduleFor(arrays: readonly ChunkedArray<unknown>[], opts: ComputeOptions): ComputeOptions {
  if (opts.scheduler !== undefined || config.get<string>('scheduler') !== 'threads') return opts;
  const limit = parseBytes(config.get<string | number>('array.inline-threshold', '1MiB'), "config 'array.inline-threshold'");
  const bytes = arrays.reduce((s, a) => s + a.nbytes, 0);
  return limit > 0 && bytes < limit ? { ...opts, scheduler: 'sync' } : opts;
}
