/**
 * Small graphs of tiny tasks on the thread pool run on one worker, their later tasks sent ahead
 * with the first (execute/threads/ahead.ts). These tests check the answers and the recovery paths
 * of that mode (a failing task sent ahead, retries, a lost worker, tasks longer than the hint);
 * that it is used at all is checked by counting the messages of one computation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compute } from '../src/collection/compute';
import { delayed, type Delayed } from '../src/delayed/delayed';
import { ThreadsExecutor } from '../src/execute/threads/executor';
import { ThreadPool } from '../src/execute/threads/pool';
import type { ToWorker } from '../src/execute/threads/protocol';

const ex = new ThreadsExecutor(new ThreadPool({ size: 2 }));
const dir = mkdtempSync(join(tmpdir(), 'pdask-small-graph-'));
afterAll(async () => {
  await ex.close();
  rmSync(dir, { recursive: true, force: true });
});

/** [value, thread id] of a leaf: 10 * i. */
const leaf = (i: number): [number, number] => [10 * i, process.getBuiltinModule('node:worker_threads').threadId];
/** The sum of the leaves' values, and every thread id involved (the leaves', then its own). */
const total = (...parts: [number, number][]): [number, number[]] => {
  let s = 0;
  for (const p of parts) s += p[0];
  return [s, [...parts.map((p) => p[1]), process.getBuiltinModule('node:worker_threads').threadId]];
};
/** Four leaves and their total: the shape of the seed case (10 * (0 + 1 + 2 + 3) = 60). */
const diamond = (): Delayed<[number, number[]]> => delayed(total)(...[0, 1, 2, 3].map((i) => delayed(leaf)(i)));

/** Messages the pool sends to its workers while `fn` runs, by type. */
async function messagesDuring<T>(fn: () => Promise<T>): Promise<{ result: T; sent: ToWorker['t'][] }> {
  const sent: ToWorker['t'][] = [];
  const pool = ex.pool;
  const send = pool.send;
  pool.send = (slot, msg) => {
    sent.push(msg.t);
    send.call(pool, slot, msg);
  };
  try {
    return { result: await fn(), sent };
  } finally {
    pool.send = send;
  }
}

/** Runs the diamond until a computation goes out as one message (the mode needs a hint of tiny tasks first). */
async function soloRun(): Promise<{ value: number; threads: number[]; sent: ToWorker['t'][] }> {
  let last: { value: number; threads: number[]; sent: ToWorker['t'][] } | undefined;
  for (let i = 0; i < 30; i++) {
    const { result, sent } = await messagesDuring(() => diamond().compute({ scheduler: ex }));
    last = { value: result[0], threads: result[1], sent };
    expect(result[0]).toBe(60);
    if (sent.filter((t) => t === 'batch').length === 1) return last;
  }
  return last!;
}

describe('small graphs on the thread pool', () => {
  it('run on one worker, the total sent with the leaves: one message out, the right answer', async () => {
    const { value, threads, sent } = await soloRun();
    expect(value).toBe(60);
    expect(sent.filter((t) => t === 'batch')).toHaveLength(1);
    expect(new Set(threads).size).toBe(1);
  });

  it('a task sent ahead that fails fails the computation naming it; the pool computes on', async () => {
    await soloRun();
    const boom = (...parts: [number, number][]): number => {
      throw new RangeError(`boom after ${parts.length} parts`);
    };
    const failing = delayed(boom)(...[0, 1, 2, 3].map((i) => delayed(leaf)(i)));
    const err = (await failing.compute({ scheduler: ex }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('boom after 4 parts');
    expect((await diamond().compute({ scheduler: ex }))[0]).toBe(60);
  });

  it('an input that fails fails its reader sent ahead, which never runs', async () => {
    await soloRun();
    const bad = (i: number): [number, number] => {
      if (i === 2) throw new TypeError('leaf 2 is bad');
      return [i, 0];
    };
    const marker = join(dir, 'reader-ran');
    const reader = (m: string, ...parts: [number, number][]): number => {
      process.getBuiltinModule('node:fs').writeFileSync(m, 'ran');
      return parts.length;
    };
    const err = (await delayed(reader)(marker, ...[0, 1, 2, 3].map((i) => delayed(bad)(i)))
      .compute({ scheduler: ex })
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe('leaf 2 is bad');
    // A fifth computation lets any stray run of the reader show.
    expect((await diamond().compute({ scheduler: ex }))[0]).toBe(60);
    expect(process.getBuiltinModule('node:fs').existsSync(marker)).toBe(false);
  });

  it('an input retried after a failure is read by its reader sent ahead (retries)', async () => {
    await soloRun();
    const marker = join(dir, 'failed-once');
    const flaky = (m: string, i: number): [number, number] => {
      const fs = process.getBuiltinModule('node:fs');
      if (i === 1 && !fs.existsSync(m)) {
        fs.writeFileSync(m, 'x');
        throw new Error('first attempt fails');
      }
      return [10 * i, 0];
    };
    const got = await delayed(total)(...[0, 1, 2, 3].map((i) => delayed(flaky)(marker, i))).compute({ scheduler: ex, retries: 1 });
    expect(got[0]).toBe(60);
  });

  it('a worker lost mid-computation: the others take over and the answer is right', async () => {
    await soloRun();
    const marker = join(dir, 'died-once');
    const dies = (m: string, i: number): [number, number] => {
      const fs = process.getBuiltinModule('node:fs');
      if (i === 3 && !fs.existsSync(m)) {
        fs.writeFileSync(m, 'x');
        process.exit(7);
      }
      return [10 * i, 0];
    };
    const got = await delayed(total)(...[0, 1, 2, 3].map((i) => delayed(dies)(marker, i))).compute({ scheduler: ex });
    expect(got[0]).toBe(60);
    await ex.pool.settled();
    expect(ex.pool.slots.size).toBe(2);
  });

  it('tasks longer than the hint said: the other worker joins', async () => {
    await soloRun();
    const busy = (i: number): [number, number] => {
      const start = Date.now();
      while (Date.now() - start < 3) {
        // keep this worker busy so that the other one is needed
      }
      return [i, process.getBuiltinModule('node:worker_threads').threadId];
    };
    const parts = Array.from({ length: 16 }, (_, i) => delayed(busy)(i));
    const [sum, threads] = await delayed(total)(...parts).compute({ scheduler: ex });
    expect(sum).toBe(120);
    expect(new Set(threads.slice(0, 16)).size).toBe(2);
  });

  it('typed arrays embedded in tasks reach the worker intact (shared memory): identity kept, the caller\'s arrays untouched', async () => {
    const n = 10_000; // 80 KB each: above the size at which a batch's embedded arrays go through shared memory
    const a = Float64Array.from({ length: n }, (_, i) => i);
    const b = Int32Array.from({ length: n }, (_, i) => 2 * i);
    const part = a.subarray(10, 20); // a view on part of a buffer travels as it did (the clone)
    const inspect = (x: Float64Array, again: Float64Array, o: { nested: { data: Int32Array } }, p: Float64Array): number[] => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i] + o.nested.data[i];
      return [s, x === again ? 1 : 0, p.length, p[0], p.buffer.byteLength];
    };
    const echo = (x: Float64Array): Float64Array => x;
    const [r, back] = await compute(delayed(inspect)(a, a, { nested: { data: b } }, part), delayed(echo)(a), { scheduler: ex });
    // sum of i + 2i over i < n = 3 * n(n-1)/2
    expect(r).toEqual([(3 * n * (n - 1)) / 2, 1, 10, 10, n * 8]);
    expect(back).toHaveLength(n);
    expect((back as Float64Array)[n - 1]).toBe(n - 1);
    expect(a[n - 1]).toBe(n - 1);
    expect(a.buffer).toBeInstanceOf(ArrayBuffer);
    expect(b[n - 1]).toBe(2 * (n - 1));
  });
});
