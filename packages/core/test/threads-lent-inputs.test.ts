/**
 * Small batches' embedded inputs cross to a worker in a buffer its slot reuses (share-inputs.ts,
 * LentInputs): the worker copies them out on arrival. These tests check that a result which is
 * its task's input (so would be a view on that buffer without the copy) keeps its values when the
 * buffer is reused, and that it is reused at all.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { delayed } from '../src/delayed/delayed';
import { ThreadsExecutor } from '../src/execute/threads/executor';
import { ThreadPool } from '../src/execute/threads/pool';
import type { ToWorker } from '../src/execute/threads/protocol';

const ex = new ThreadsExecutor(new ThreadPool({ size: 2 }));
afterAll(() => ex.close());

/** The task's input, returned as it is (the identity: no copy made by the task). */
const same = (a: Float64Array): Float64Array => a;
/** The mean of the first and the last half of a block: checks contents without returning them. */
const halves = (a: Float64Array): [number, number] => {
  let s0 = 0;
  let s1 = 0;
  const h = a.length / 2;
  for (let i = 0; i < h; i++) s0 += a[i];
  for (let i = h; i < a.length; i++) s1 += a[i];
  return [s0 / h, s1 / h];
};

/** The lent part of every batch sent while `fn` runs. */
async function lentDuring<T>(fn: () => Promise<T>): Promise<{ result: T; lent: (Extract<ToWorker, { t: 'batch' }>['lent'])[] }> {
  const lent: Extract<ToWorker, { t: 'batch' }>['lent'][] = [];
  const pool = ex.pool;
  const send = pool.send;
  pool.send = (slot, msg) => {
    if (msg.t === 'batch') lent.push(msg.lent);
    send.call(pool, slot, msg);
  };
  try {
    return { result: await fn(), lent };
  } finally {
    pool.send = send;
  }
}

describe('inputs lent to a worker in a reused buffer', () => {
  it('a result that is its input keeps its values when the buffer is reused for the next batch', async () => {
    // 8,192 float64 = 64 KB: over the 32 KB from which inputs go through shared memory.
    const first = await lentDuring(() => delayed(same)(new Float64Array(8192).fill(1)).compute({ scheduler: ex }));
    const second = await lentDuring(() => delayed(same)(new Float64Array(8192).fill(2)).compute({ scheduler: ex }));
    const a = first.result;
    const b = second.result;
    expect(a).toHaveLength(8192);
    expect(b).toHaveLength(8192);
    expect(a.every((v) => v === 1)).toBe(true);
    expect(b.every((v) => v === 2)).toBe(true);
    // Both went through the lent path; if they went to one worker, through one buffer.
    expect(first.lent[0]).toBeDefined();
    expect(second.lent[0]).toBeDefined();
  });

  it('the same buffer serves back-to-back batches of one worker, with the right contents each time', async () => {
    const seen = new Map<SharedArrayBuffer, number>();
    for (let k = 1; k <= 6; k++) {
      const x = new Float64Array(8192);
      x.fill(k, 0, 4096);
      x.fill(10 * k, 4096);
      const { result, lent } = await lentDuring(() => delayed(halves)(x).compute({ scheduler: ex }));
      expect(result).toEqual([k, 10 * k]);
      const batch = lent.find((l) => l !== undefined);
      expect(batch).toBeDefined();
      seen.set(batch!.buffer, (seen.get(batch!.buffer) ?? 0) + 1);
    }
    // Two workers at most, each with one buffer reused: 6 batches through at most 2 buffers.
    expect(seen.size).toBeLessThanOrEqual(2);
    expect(Math.max(...seen.values())).toBeGreaterThanOrEqual(3);
  });

  it('inputs larger than the lent buffer allows still arrive whole (a fresh buffer each)', async () => {
    // 2 MB: over LENT_MAX_BYTES.
    const x = new Float64Array(262_144);
    for (let i = 0; i < x.length; i++) x[i] = i % 2 === 0 ? 3 : 5;
    const { result, lent } = await lentDuring(() => delayed(halves)(x).compute({ scheduler: ex }));
    expect(result).toEqual([4, 4]);
    expect(lent.every((l) => l === undefined)).toBe(true);
  });
});
