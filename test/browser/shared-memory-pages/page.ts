/**
 * A cross-origin isolated page summing arrays large enough to live in the arena (a shared
 * WebAssembly memory) on the Web Worker pool, again and again: the pool sends each worker the
 * memory once and then refers to it (platform-web-shared.ts). window.pdaskSharedTest.
 */
import '@pdask/kernels/shared';
import * as da from '@pdask/array';
import { setWorkerSource, sharedThreadsExecutor } from '@pdask/core';

setWorkerSource({ workerUrl: new URL('./worker.js', import.meta.url) });

/** Element i of array `seed`: multiples of 1/4, so every partial sum is exact in float64. */
const valueAt = (seed: number, i: number): number => ((i * 7 + seed) % 13) / 4;

async function sums(seed: number, n: number, chunks: number, rounds: number): Promise<number[]> {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = valueAt(seed, i);
  const dx = da.fromArray(x, { chunks });
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) out.push((await dx.sum().compute({ scheduler: 'threads' })) as number);
  out.push((await dx.max().compute({ scheduler: 'threads' })) as number);
  return out;
}

const api = {
  info: () => ({ mode: sharedThreadsExecutor().mode, isolated: crossOriginIsolated }),
  sums,
  /** Kills a worker, then sums again: its replacement must be sent the memory anew. */
  async afterKill(seed: number, n: number, chunks: number): Promise<number[]> {
    const first = await sums(seed, n, chunks, 1);
    const ex = sharedThreadsExecutor();
    await [...ex.pool.slots.values()][0].worker.terminate();
    await ex.pool.settled();
    return [...first, ...(await sums(seed, n, chunks, 2))];
  },
};

(globalThis as unknown as { pdaskSharedTest: typeof api }).pdaskSharedTest = api;
document.title = 'ready';
