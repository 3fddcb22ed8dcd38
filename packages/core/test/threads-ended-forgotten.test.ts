/**
 * A worker thread forgets the computations that ended once nothing it holds refers to them. It
 * used to remember every ended computation's id for the pool's life: one more entry per
 * computation, a slow leak for a long-lived pool running many small computes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { delayed, type Delayed } from '../src/delayed/delayed';
import { ThreadsExecutor } from '../src/execute/threads/executor';
import { ThreadPool } from '../src/execute/threads/pool';

const ex = new ThreadsExecutor(new ThreadPool({ size: 2 }));
afterAll(async () => {
  await ex.close();
});

const sum = (...xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const square = (x: number): number => x * x;
const refuse = (x: number): number => {
  throw new RangeError(`refused ${x}`);
};
/** Sum of the squares 0..n-1, one task per square. */
const squares = (n: number): Delayed<number> => delayed(sum)(...Array.from({ length: n }, (_, i) => delayed(square)(i)));

async function endedHeld(): Promise<number[]> {
  return Promise.all([...ex.pool.slots.values()].map(async (s) => (await s.control.stats()).endedHeld));
}

/** The pool tells the workers of an end shortly after it (batched): wait for them to hear it. */
async function settledEndedHeld(): Promise<number[]> {
  const until = Date.now() + 5000;
  let held = await endedHeld();
  while (held.some((n) => n !== 0) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    held = await endedHeld();
  }
  return held;
}

describe('a worker thread and the computations that ended', () => {
  it('remembers none of them once idle, after successes and a failure', async () => {
    for (let k = 0; k < 12; k++) expect(await squares(30).compute({ scheduler: ex })).toBe((29 * 30 * 59) / 6);
    await expect(delayed(sum)(delayed(square)(3), delayed(refuse)(7)).compute({ scheduler: ex })).rejects.toThrow('refused 7');
    expect(await settledEndedHeld()).toEqual([0, 0]);
    // And the workers still run what comes next.
    expect(await squares(40).compute({ scheduler: ex })).toBe((39 * 40 * 79) / 6);
    expect(await settledEndedHeld()).toEqual([0, 0]);
  });
});
