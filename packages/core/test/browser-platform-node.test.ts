/**
 * The platform layer's Node side: the pool reports where and how it runs, and the Web Worker
 * options are checked by name (a worker script means nothing to Node's worker threads).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, OptionError, setWorkerSource, sharedThreadsExecutor, ThreadPool } from '@pdask/core';

afterAll(() => closeThreadPools());

describe('the threads pool on Node', () => {
  it('runs on worker threads in shared mode', () => {
    const ex = sharedThreadsExecutor(1);
    expect(ex.platform).toBe('node');
    expect(ex.mode).toBe('shared');
  });

  it('checks the worker-source options by name', () => {
    expect(() => new ThreadPool({ size: 1, workerUrl: 5 as unknown as string })).toThrow(OptionError);
    expect(() => new ThreadPool({ size: 1, workerUrl: 5 as unknown as string })).toThrow(/option 'workerUrl' must be a URL/);
    expect(() => new ThreadPool({ size: 1, createWorker: 'w.js' as unknown as () => never })).toThrow(/option 'createWorker' must be a function/);
    expect(() => setWorkerSource({ workerUrl: 'a.js', createWorker: () => ({}) as never })).toThrow(/workerUrl or createWorker, not both/);
    expect(() => setWorkerSource({ workerURL: 'a.js' } as never)).toThrow(/unknown option 'workerURL'/);
  });

  it('refuses a Web Worker script rather than ignoring it', async () => {
    const pool = new ThreadPool({ size: 1, workerUrl: 'https://example.invalid/w.js' });
    await expect(pool.start()).rejects.toThrow(/workerUrl and createWorker choose Web Workers in a browser/);
    await pool.close();
  });
});
