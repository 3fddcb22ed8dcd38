import { afterAll, describe, expect, it } from 'vitest';
import { compute } from '../src/collection/compute';
import { delayed } from '../src/delayed/delayed';
import { TaskTimeoutError } from '../src/execute/errors';
import { closeThreadPools, sharedThreadsExecutor } from '../src/execute/threads/executor';
import * as config from '../src/config/config';

afterAll(() => closeThreadPools());

const spin = function spinForever(x: number) {
  // A runaway task: nothing in JavaScript can interrupt it, only stopping its thread.
  for (;;) x++;
  return x;
};
const busy = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
  return ms;
};

describe("compute's taskTimeoutMs", () => {
  it('fails a runaway task with TaskTimeoutError naming it, stops its thread, and the pool computes on', async () => {
    const looping = delayed(spin, { name: 'spin' })(1);
    const t0 = Date.now();
    // Unfused, so that the runaway task is a task of its own (a fused chain is named by its output).
    const err = await compute(delayed((a: number, b: number) => a + b)(looping, 1), { scheduler: 'threads', taskTimeoutMs: 400, optimizeGraph: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect((err as TaskTimeoutError).key).toBe(looping.key);
    expect((err as Error).message).toBe(`Task '${looping.key}' ran longer than its timeout of 400 ms: its worker thread was stopped`);
    // Not before its time, and not the 'never' it would be without the timeout.
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(20_000);
    // The stopped thread is replaced and the pool computes exactly again.
    const leaves = Array.from({ length: 40 }, (_, i) => delayed((k: number) => k * k)(i));
    expect(await compute(delayed((xs: number[]) => xs.reduce((a, b) => a + b, 0))(leaves), { scheduler: 'threads' })).toEqual([
      (39 * 40 * 79) / 6,
    ]);
    await sharedThreadsExecutor().pool.settled();
    expect(sharedThreadsExecutor().pool.slots.size).toBe(config.get<number>('num-workers'));
  });

  it('lets tasks shorter than the timeout finish, and retries a timed-out one when retries says so', async () => {
    expect(await compute(delayed(busy)(50), delayed(busy)(60), { scheduler: 'threads', taskTimeoutMs: 5_000 })).toEqual([50, 60]);
    const err = await compute(delayed(spin)(2), { scheduler: 'threads', taskTimeoutMs: 200, retries: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskTimeoutError);
  });

  it('is refused by the sync scheduler (which cannot stop a task) and checked for its value', async () => {
    await expect(compute(delayed(busy)(1), { scheduler: 'sync', taskTimeoutMs: 100 })).rejects.toThrow(
      "compute: option 'taskTimeoutMs' needs a scheduler that can stop a running task ('threads' or a distributed client); the 'sync' scheduler runs tasks where it cannot stop them",
    );
    await expect(compute(delayed(busy)(1), { scheduler: 'threads', taskTimeoutMs: 0 })).rejects.toThrow(
      "compute: option 'taskTimeoutMs' must be a number of milliseconds > 0, got 0 (number)",
    );
  });
});
