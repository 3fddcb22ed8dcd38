import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compute } from '../src/collection/compute';
import { delayed, type Delayed } from '../src/delayed/delayed';
import { closeThreadPools, sharedThreadsExecutor, ThreadsExecutor } from '../src/execute/threads/executor';
import { ThreadPool } from '../src/execute/threads/pool';
import { KilledWorkerError } from '../src/schedule/errors';
import * as config from '../src/config/config';

afterAll(() => closeThreadPools());

const add = (x: number, y: number) => x + y;

/** A pairwise reduction tree over n leaves `inc(i)`, i.e. sum of 1..n. */
function treeSum(n: number): Delayed<number> {
  const inc = (i: number) => i + 1;
  let level: Delayed<number>[] = [];
  for (let i = 0; i < n; i++) level.push(delayed(inc)(i));
  while (level.length > 1) {
    const next: Delayed<number>[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

describe('threads executor', () => {
  it('computes a 100,001-task graph correctly (sum of 1..50,001 by a reduction tree)', async () => {
    const root = treeSum(50_001); // 50,001 leaves + 50,000 adds
    expect(await root.compute({ scheduler: 'threads' })).toBe((50_001 * 50_002) / 2);
  });

  it('uses every worker thread', async () => {
    const whichThread = (i: number) => {
      const start = Date.now();
      while (Date.now() - start < 2) {
        // busy: keep this worker occupied so the others take tasks too
      }
      return process.getBuiltinModule('node:worker_threads').threadId + i * 0;
    };
    const ids = await compute(Array.from({ length: 40 }, (_, i) => delayed(whichThread)(i)), { scheduler: 'threads', numWorkers: 2 });
    expect(new Set(ids[0]).size).toBe(2);
  });

  it('moves typed arrays between threads and back intact', async () => {
    const make = (n: number) => Float64Array.from({ length: n }, (_, i) => i);
    const total = (a: Float64Array, b: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] + b[i];
      return s;
    };
    const a = delayed(make)(100_000);
    const b = delayed(make)(100_000);
    const [arr, sum] = await compute(a, delayed(total)(a, b), { scheduler: 'threads' });
    expect(arr).toBeInstanceOf(Float64Array);
    expect((arr as Float64Array)[99_999]).toBe(99_999);
    expect(sum).toBe(2 * ((99_999 * 100_000) / 2));
  });

  it('reports an error with its class, message, worker stack and failing key; the pool stays usable', async () => {
    const explode = (x: number) => {
      if (x > 2) throw new RangeError(`x too large: ${x}`);
      return x;
    };
    const bad = delayed(explode)(5);
    const out = delayed(add)(bad, 1);
    let error: unknown;
    try {
      await out.compute({ scheduler: 'threads' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe('x too large: 5');
    expect((error as Error).stack).toMatch(/RangeError: x too large: 5\n\s+at /);
    expect((error as { taskKey?: string }).taskKey).toBe(bad.key);
    // The next computation on the same pool works.
    expect(await delayed(add)(1, 2).compute({ scheduler: 'threads' })).toBe(3);
  });

  it('keeps a custom error class name', async () => {
    const fail = () => {
      class ValidationError extends Error {
        override name = 'ValidationError';
      }
      throw new ValidationError('bad record');
    };
    await expect(delayed(fail)().compute({ scheduler: 'threads' })).rejects.toMatchObject({ name: 'ValidationError', message: 'bad record' });
  });

  it('fails with KilledWorkerError when a task kills every worker that runs it, without hanging', async () => {
    const die = (x: number) => {
      process.exit(3);
      return x;
    };
    const s = config.set({ 'scheduler.allowed-failures': 2 });
    try {
      const err = await delayed(add)(delayed(die)(1), 1)
        .compute({ scheduler: 'threads' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KilledWorkerError);
      expect((err as Error).message).toMatch(/died, 3 times/);
      expect((err as Error).message).toMatch(/exit(ed)? (with )?code 3/);
    } finally {
      s.restore();
    }
    // Dead workers were replaced: the pool computes again at full strength.
    expect(await treeSum(1000).compute({ scheduler: 'threads' })).toBe(500_500);
    await sharedThreadsExecutor().pool.settled();
    expect(sharedThreadsExecutor().pool.slots.size).toBe(config.get<number>('num-workers'));
  });

  it('reruns the lost work when a worker exits mid-computation once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-exit-'));
    try {
      const marker = join(dir, 'died');
      // Dies the first time it runs anywhere (a file marks that it happened), then succeeds.
      const dieOnce = (path: string, x: number) => {
        const fs = process.getBuiltinModule('node:fs');
        if (!fs.existsSync(path)) {
          fs.writeFileSync(path, 'once');
          process.exit(1);
        }
        return x * 2;
      };
      const parts = Array.from({ length: 20 }, (_, i) => delayed(add)(i, 1));
      const doubled = delayed(dieOnce)(marker, delayed((...xs: number[]) => xs.reduce((a, b) => a + b, 0))(...parts));
      expect(await doubled.compute({ scheduler: 'threads' })).toBe(2 * (190 + 20));
      expect(existsSync(marker)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('survives a worker killed by an uncaught exception in a timer: reruns or fails clearly, never hangs', async () => {
    const timeBomb = (x: number) => {
      setTimeout(() => {
        throw new Error('late failure');
      }, 0);
      return x + 1;
    };
    const slow = (x: number) => {
      const start = Date.now();
      while (Date.now() - start < 20) {
        // the timer is due before this task ends: it fires as soon as the worker is idle
      }
      return x;
    };
    const pool = sharedThreadsExecutor().pool;
    await pool.settled();
    const before = Math.max(...pool.slots.keys());
    // timeBomb and the slow() reading it form a linear chain: they run fused, under slow's key.
    const hit = delayed(slow)(delayed(timeBomb)(1));
    const total = delayed(add)(hit, 1);
    const outcome = await total.compute({ scheduler: 'threads' }).catch((e: unknown) => e);
    // Whether the reader of `hit` gets its value before the timer kills the worker is a race; the
    // acceptable outcomes are the right answer, or a KilledWorkerError that blames a task the dead
    // workers ran last (`hit`, or `total` if it ran right after it) and carries the timer's error.
    if (outcome !== 3) {
      expect(outcome).toBeInstanceOf(KilledWorkerError);
      expect([hit.key, total.key]).toContain((outcome as KilledWorkerError).key);
      expect((outcome as Error).message).toContain('late failure');
    }
    // The timer kills a worker in any case, possibly after the result came back: wait for that.
    for (let i = 0; i < 500 && Math.max(...pool.slots.keys(), -1) <= before; i++) await new Promise((r) => setTimeout(r, 10));
    await pool.settled();
    expect(Math.max(...pool.slots.keys())).toBeGreaterThan(before); // a dead worker was replaced
    expect(pool.slots.size).toBe(config.get<number>('num-workers'));
    expect(await delayed(add)(2, 2).compute({ scheduler: 'threads' })).toBe(4);
  });


  it('replaces a single worker that runs out of memory, and fails the task that did it', async () => {
    const hog = (n: number) => {
      const keep: string[] = [];
      for (let i = 0; i < n; i++) keep.push('x'.repeat(100) + i);
      return keep.length;
    };
    // One 24 MB-heap worker: nothing else can take over, so the replacement must be awaited.
    const executor = new ThreadsExecutor(new ThreadPool({ size: 1, maxOldGenerationMb: 24 }));
    try {
      const err = await delayed(hog)(1e8)
        .compute({ scheduler: executor })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KilledWorkerError);
      expect((err as Error).message).toMatch(/memory limit/);
      expect(await delayed(hog)(1000).compute({ scheduler: executor })).toBe(1000);
    } finally {
      await executor.close();
    }
  });

  it('a worker thread from another build of @pdask/core refuses to start, saying why', async () => {
    const { Worker, MessageChannel } = await import('node:worker_threads');
    const { createRequire } = await import('node:module');
    const entry = createRequire(import.meta.url).resolve('@pdask/core/worker');
    const { port2 } = new MessageChannel();
    const w = new Worker(entry, { workerData: { id: 0, current: new SharedArrayBuffer(8), control: port2, buildId: 'some-other-build' }, transferList: [port2] });
    const err = await new Promise<Error>((resolve) => w.once('error', resolve));
    expect(err.message).toMatch(/rebuilt while this program ran: the caller is build some-other-build, this worker thread is build \w+/);
  });
});

