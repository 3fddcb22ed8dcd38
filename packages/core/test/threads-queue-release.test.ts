/**
 * A worker thread lets go of the run specs it has run once its queue drains. It used to keep them
 * until 4,096 had run, so every small computation's decoded batch (its literal arguments
 * included) survived into the old generation: heap growth and costly scavenges on the workers of
 * a stream of small computes (the array seed case on an explicit threads scheduler).
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
/** A literal block per leaf, so each spec carries data: leaf i sums 100 copies of i. */
const leafSum = (block: Float64Array): number => block.reduce((a, b) => a + b, 0);
const graph = (n: number): Delayed<number> =>
  delayed(sum)(...Array.from({ length: n }, (_, i) => delayed(leafSum)(new Float64Array(100).fill(i))));

async function specsHeld(): Promise<number[]> {
  return Promise.all([...ex.pool.slots.values()].map(async (s) => (await s.control.stats()).specsHeld));
}

describe('a worker thread after its queue drains', () => {
  it('holds no run specs, after small and wider computations', async () => {
    for (const n of [4, 4, 4, 40, 4, 300]) {
      // 100 * (0 + 1 + ... + n-1)
      expect(await graph(n).compute({ scheduler: ex })).toBe(50 * n * (n - 1));
      expect(await specsHeld()).toEqual([0, 0]);
    }
  });

  it('still runs and reports every task of later computations', async () => {
    const values = await Promise.all([graph(8).compute({ scheduler: ex }), graph(20).compute({ scheduler: ex })]);
    expect(values).toEqual([50 * 8 * 7, 50 * 20 * 19]);
    expect(await specsHeld()).toEqual([0, 0]);
  });
});
