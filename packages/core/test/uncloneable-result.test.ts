/**
 * A task whose result cannot cross threads (a function, an object holding one) fails its
 * computation with an error naming the problem; the worker thread that made it lives on and the
 * pool computes exactly afterwards (before, postMessage threw inside the worker and killed it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compute } from '../src/collection/compute';
import { delayed } from '../src/delayed/delayed';
import { closeThreadPools, sharedThreadsExecutor } from '../src/execute/threads/executor';

afterAll(() => closeThreadPools());

const threadIds = () => [...sharedThreadsExecutor().pool.slots.values()].map((s) => s.worker.threadId).sort();

describe('a result that cannot be sent between threads', () => {
  it('fails the computation naming it; no worker dies; the pool computes on', async () => {
    const ok = await compute(delayed((a: number) => a + 1)(1), { scheduler: 'threads' });
    expect(ok).toEqual([2]);
    await sharedThreadsExecutor().pool.settled();
    const before = threadIds();
    const makesFunction = delayed(function makesFunction(k: number) {
      return () => k;
    })(3);
    const err = await compute(makesFunction, { scheduler: 'threads' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('DataCloneError');
    expect((err as Error).message).toContain("The task's result (a function) cannot be sent between threads");
    const holder = delayed(function holdsFunction(k: number) {
      return { k, f: () => k };
    })(4);
    const plain = delayed((k: number) => k * 10)(5);
    const err2 = await compute(plain, holder, { scheduler: 'threads' }).catch((e: unknown) => e);
    expect((err2 as Error).message).toContain("The task's result (an object of class Object) cannot be sent between threads");
    // The same threads, and exact results from them.
    const leaves = Array.from({ length: 30 }, (_, i) => delayed((k: number) => k * k)(i));
    expect(await compute(delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0))(leaves), { scheduler: 'threads' })).toEqual([(29 * 30 * 59) / 6]);
    await sharedThreadsExecutor().pool.settled();
    expect(threadIds()).toEqual(before);
  }, 60_000);
});
