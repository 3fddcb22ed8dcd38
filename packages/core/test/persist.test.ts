import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { compute, persist, releasePersisted } from '../src/collection/compute';
import { collectionSymbol } from '../src/collection/protocol';
import { delayed, type Delayed } from '../src/delayed/delayed';
import { ThreadsExecutor } from '../src/execute/threads/executor';
import { ThreadPool } from '../src/execute/threads/pool';
import { PersistedDataLostError, ResidentValue } from '../src/execute/threads/resident';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const executors: ThreadsExecutor[] = [];
function pool(size = 2): ThreadsExecutor {
  const ex = new ThreadsExecutor(new ThreadPool({ size }));
  executors.push(ex);
  return ex;
}
afterAll(() => Promise.all(executors.map((e) => e.close())));

/** Resident values held by each worker thread of a pool, by slot id. */
async function residentCounts(ex: ThreadsExecutor): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const s of ex.pool.slots.values()) out.set(s.id, (await s.control.stats()).resident);
  return out;
}
const total = (m: Map<number, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * Polls the workers' resident counts until they reach `want` (2 s at most): forget messages and
 * stats calls travel on different ports, and garbage collection runs finalizers later still.
 */
async function settleResident(ex: ThreadsExecutor, want: number, opts: { collect: boolean }): Promise<number> {
  let left = -1;
  for (let i = 0; i < 100 && left !== want; i++) {
    if (opts.collect) gc();
    await new Promise((r) => setTimeout(r, 20));
    left = total(await residentCounts(ex));
  }
  return left;
}

/** The value a persisted Delayed's single data node holds. */
function heldValue(d: Delayed<unknown>): unknown {
  const g = d[collectionSymbol]();
  const node = [...g.roots[0].layer.materialize()].find((n) => n.key === g.keys[0]);
  return node?.kind === 'data' ? node.value : undefined;
}

const range = (n: number) => Float64Array.from({ length: n }, (_, i) => i);
const sumOf = (a: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};
const add = (x: number, y: number) => x + y;
// Sum of 0..n-1, from first principles.
const triangle = (n: number) => (n * (n - 1)) / 2;

describe('persist on the threads scheduler', () => {
  it('keeps results in the worker threads that computed them, and later computations read them there', async () => {
    const ex = pool();
    const [a, b] = await persist(delayed(range)(100_000), delayed(range)(50_000), { scheduler: ex });
    expect(heldValue(a)).toBeInstanceOf(ResidentValue);
    expect(heldValue(b)).toBeInstanceOf(ResidentValue);
    expect(total(await residentCounts(ex))).toBe(2);
    // Readers run twice: a reader that took the persisted buffers would break the second run.
    for (let round = 0; round < 2; round++) {
      const [sa, sb, both] = await compute(delayed(sumOf)(a), delayed(sumOf)(b), delayed(add)(delayed(sumOf)(a), delayed(sumOf)(b)), { scheduler: ex });
      expect(sa).toBe(triangle(100_000));
      expect(sb).toBe(triangle(50_000));
      expect(both).toBe(triangle(100_000) + triangle(50_000));
    }
    // Computing the persisted value itself copies it to the caller; the worker keeps its own.
    const got = (await a.compute({ scheduler: ex })) as Float64Array;
    expect(got.length).toBe(100_000);
    expect(got[99_999]).toBe(99_999);
    expect(((await a.compute({ scheduler: ex })) as Float64Array)[12_345]).toBe(12_345);
    expect(total(await residentCounts(ex))).toBe(2);
  });

  it('other schedulers get copies of persisted values', async () => {
    const ex = pool();
    const [a] = await persist(delayed(range)(1000), { scheduler: ex });
    expect(await delayed(sumOf)(a).compute({ scheduler: 'sync' })).toBe(triangle(1000));
    const other = pool(1);
    expect(await delayed(sumOf)(a).compute({ scheduler: other })).toBe(triangle(1000));
    expect(total(await residentCounts(ex))).toBe(1);
    expect(total(await residentCounts(other))).toBe(0);
  });

  it('a failed persist leaves nothing behind in the workers, and the pool stays usable', async () => {
    const ex = pool();
    const slow = (n: number) => {
      const end = Date.now() + 30;
      while (Date.now() < end) {
        // still running when its sibling fails
      }
      return new Float64Array(n);
    };
    const boom = () => {
      throw new RangeError('no such thing');
    };
    await expect(persist(delayed(range)(10), delayed(slow)(20), delayed(boom)(), { scheduler: ex })).rejects.toThrow(/no such thing/);
    expect(await settleResident(ex, 0, { collect: false })).toBe(0);
    expect(await delayed(sumOf)(delayed(range)(10)).compute({ scheduler: ex })).toBe(triangle(10));
  });

  it('persisting a persisted collection keeps the same data', async () => {
    const ex = pool();
    const [a] = await persist(delayed(range)(10), { scheduler: ex });
    const [again] = await persist(a, { scheduler: ex });
    expect(heldValue(again)).toBe(heldValue(a));
    expect(total(await residentCounts(ex))).toBe(1);
  });

  it('releases the worker copies when the persisted collection is garbage-collected', async () => {
    const ex = pool();
    await (async () => {
      const [a, b] = await persist(delayed(range)(1000), delayed(range)(2000), { scheduler: ex });
      expect(await compute(delayed(sumOf)(a), delayed(sumOf)(b), { scheduler: ex })).toEqual([triangle(1000), triangle(2000)]);
      expect(total(await residentCounts(ex))).toBe(2);
    })();
    expect(await settleResident(ex, 0, { collect: true })).toBe(0);
  });

  it('releasePersisted lets the workers drop the data now; the collection is recomputed if used again', async () => {
    const ex = pool();
    const [a, b] = await persist(delayed(range)(300), delayed(range)(400), { scheduler: ex });
    const c = (await persist(delayed(sumOf)(a), { scheduler: ex }))[0];
    expect(total(await residentCounts(ex))).toBe(3);
    releasePersisted(a, c); // a's and c's results; b stays
    // The forget message and the stats call travel on different ports: poll.
    expect(await settleResident(ex, 1, { collect: false })).toBe(1);
    expect((heldValue(a) as ResidentValue).live).toBe(false);
    expect(await compute(delayed(sumOf)(a), c, delayed(sumOf)(b), { scheduler: ex })).toEqual([triangle(300), triangle(300), triangle(400)]);
  });

  it('recomputes a persisted value from its lineage when its worker thread is gone', async () => {
    const ex = pool();
    const [a] = await persist(delayed(add)(delayed(sumOf)(delayed(range)(1000)), 1), { scheduler: ex });
    const held = heldValue(a) as ResidentValue;
    const slot = ex.pool.slots.get(held.holder)!;
    await slot.worker.terminate();
    await ex.pool.settled();
    expect(held.live).toBe(false);
    expect(await delayed(add)(a, 1).compute({ scheduler: ex })).toBe(triangle(1000) + 2);
    expect(await a.compute({ scheduler: 'sync' })).toBe(triangle(1000) + 1);
  });

  it('an iterative loop that persists each step holds only the live step; lineage still recomputes it all', async () => {
    const ex = pool();
    const double = (a: Float64Array) => a.map((v) => 2 * v);
    let x = (await persist(delayed(range)(1000), { scheduler: ex }))[0];
    for (let i = 0; i < 5; i++) x = (await persist(delayed(double)(x), { scheduler: ex }))[0];
    expect(await settleResident(ex, 1, { collect: true })).toBe(1);
    expect(await delayed(sumOf)(x).compute({ scheduler: ex })).toBe(32 * triangle(1000));
    // Its thread gone, the last step is recomputed through the five before it.
    await ex.pool.slots.get((heldValue(x) as ResidentValue).holder)!.worker.terminate();
    await ex.pool.settled();
    expect(await delayed(sumOf)(x).compute({ scheduler: ex })).toBe(32 * triangle(1000));
  });

  it('recomputes from lineage after its pool was closed', async () => {
    const ex = pool();
    const [a] = await persist(delayed(sumOf)(delayed(range)(500)), { scheduler: ex });
    await ex.close();
    expect(await delayed(add)(a, 0).compute({ scheduler: pool(1) })).toBe(triangle(500));
  });

  it('a holder dying mid-computation fails it with a clear error; the next computation recomputes', async () => {
    const ex = pool();
    const [a] = await persist(delayed(range)(100), { scheduler: ex });
    // Placed with its input (locality), so it takes the holder down with it.
    const exitThread = (x: Float64Array) => {
      if (x.length) process.exit(3);
      return 0;
    };
    await expect(delayed(exitThread)(a).compute({ scheduler: ex })).rejects.toThrow(PersistedDataLostError);
    await ex.pool.settled();
    expect(await delayed(sumOf)(a).compute({ scheduler: ex })).toBe(triangle(100));
  });
});
