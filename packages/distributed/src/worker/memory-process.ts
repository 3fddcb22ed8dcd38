/**
 * How a nanny starts a memory-limited worker process so that its resident memory follows what it
 * holds. Without this, RSS lags the values freed by tens of megabytes for tens of milliseconds
 * (V8 frees array buffers on a background thread after a collection, and glibc keeps freed blocks
 * of up to 32 MiB in its heap), which is the margin a small limit does not have.
 */

/** V8 flags: `gc()` for the worker's collections, and array buffers freed within that call. */
export function workerNodeFlags(memoryLimit: number): string[] {
  return memoryLimit > 0 ? ['--expose-gc', '--no-concurrent-array-buffer-sweeping'] : ['--expose-gc'];
}

/**
 * glibc malloc settings (ignored by other C libraries): blocks of 64 KiB and more are mapped and
 * unmapped on their own, so a freed value leaves RSS at once (Dask's nanny sets
 * MALLOC_TRIM_THRESHOLD_ for the same reason). A value already in the environment wins.
 */
export function workerMallocEnv(memoryLimit: number, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (memoryLimit <= 0) return {};
  const out: NodeJS.ProcessEnv = {};
  if (env.MALLOC_MMAP_THRESHOLD_ === undefined) out.MALLOC_MMAP_THRESHOLD_ = '65536';
  if (env.MALLOC_TRIM_THRESHOLD_ === undefined) out.MALLOC_TRIM_THRESHOLD_ = '65536';
  return out;
}

/** A full collection, if the process was started with --expose-gc. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
