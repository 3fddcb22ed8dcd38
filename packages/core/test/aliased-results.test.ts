/**
 * A task may return part of its input (a field picked from an object, a view on the input's data,
 * the input itself). A wanted result nothing else reads is handed to the caller by moving its
 * buffers; when they are shared with the input still kept in the worker, that move detached the
 * input's data: a later reader on the same worker saw an empty array (wrong answer), and a peer
 * fetching the input made its holder throw a DataCloneError and die, the peer then waiting
 * forever for the answer (the hang seen with da.linalg.svd's s, vt and mean(u) in one compute).
 * Shared buffers now travel as copies.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compute } from '../src/collection/compute';
import { delayed } from '../src/delayed/delayed';
import { closeThreadPools, sharedThreadsExecutor } from '../src/execute/threads/executor';

afterAll(() => closeThreadPools());

const threads = { scheduler: 'threads' } as const;

/** An object of two blocks, like a decomposition's factors. */
const makeFactors = delayed(function makeFactors(n: number) {
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = i + 1;
    b[i] = 2 * (i + 1);
  }
  return { a: { data: a }, b: { data: b } };
});
const pickA = delayed(function pickA(f: { a: { data: Float64Array } }) {
  return f.a;
});
/** Reads the whole input object after a pause, long enough for the pick to be handed over first. */
const sumLater = delayed(function sumLater(f: { a: { data: Float64Array }; b: { data: Float64Array } }, _gate: number) {
  let s = 0;
  for (const x of f.a.data) s += x;
  for (const x of f.b.data) s += x;
  return s;
});
const gate = delayed(function gate(ms: number) {
  return new Promise<number>((resolve) => setTimeout(() => resolve(ms), ms));
});

describe('a wanted result sharing buffers with its input', () => {
  // n = 1..n summed, and twice that: 3 n (n + 1) / 2.
  const n = 1000;
  const total = (3 * n * (n + 1)) / 2;
  const first = Array.from({ length: n }, (_, i) => i + 1);

  for (const round of [1, 2, 3]) {
    it(`is copied to the caller, the input keeps its data (first computation of a fresh pool, round ${round})`, async () => {
      await closeThreadPools();
      const f = makeFactors(n);
      const picked = pickA(f);
      const later = sumLater(f, gate(150));
      const [a, s] = (await compute(picked, later, threads)) as [{ data: Float64Array }, number];
      expect(Array.from(a.data)).toEqual(first);
      expect(s).toBe(total);
      // No worker died on the way (a death would have been recovered from, silently).
      expect(sharedThreadsExecutor().pool.slots.size).toBe(sharedThreadsExecutor().pool.options.size);
    }, 20_000);
  }

  it('the input itself returned (identity), and a view on it, are copied too', async () => {
    await closeThreadPools();
    const f = makeFactors(n);
    const same = delayed(function same(x: unknown) {
      return x;
    })(f);
    const view = delayed(function view(x: { b: { data: Float64Array } }) {
      return x.b.data.subarray(0);
    })(f);
    const later = sumLater(f, gate(150));
    const [x, v, s] = (await compute(same, view, later, threads)) as [{ a: { data: Float64Array } }, Float64Array, number];
    expect(Array.from(x.a.data)).toEqual(first);
    expect(Array.from(v)).toEqual(first.map((i) => 2 * i));
    expect(s).toBe(total);
  }, 20_000);
});
