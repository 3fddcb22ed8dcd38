/**
 * A worker thread that dies while a peer waits for one of its results: the peer's request will
 * never be answered. The pool tells the peer the holder is gone; the waiting task then reports
 * the input missing and the scheduler recomputes it (before, the task waited forever and so did
 * the computation).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compute } from '../src/collection/compute';
import { delayed } from '../src/delayed/delayed';
import { closeThreadPools, sharedThreadsExecutor } from '../src/execute/threads/executor';

afterAll(() => closeThreadPools());

const produce = delayed(function produce(n: number) {
  return Float64Array.from({ length: n }, (_, i) => i + 1);
});
/** Blocks its thread (so requests to it queue unanswered), then ends it: once, by a flag shared with every thread. */
const blockThenDie = delayed(function blockThenDie(a: Float64Array, flag: Int32Array) {
  if (Atomics.add(flag, 0, 1) === 0) {
    const t = Date.now();
    while (Date.now() - t < 400);
    process.exit(7);
  }
  return a.length;
});
/** Mostly bytes, so that its reader is placed with it, away from `a`. */
const big = delayed(function big(n: number) {
  return new Float64Array(n).fill(1);
});
const sumBoth = delayed(function sumBoth(a: Float64Array, b: Float64Array) {
  let s = 0;
  for (const x of a) s += x;
  return s + b.length;
});

describe('a holder that dies while a peer fetches from it', () => {
  it('the peer reports the input missing, it is recomputed, the computation finishes', async () => {
    await closeThreadPools();
    const ex = sharedThreadsExecutor(2);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const a = produce(100);
    const b = big(1 << 18);
    const reader = sumBoth(a, b);
    const [killed, s] = (await compute(blockThenDie(a, flag), reader, { scheduler: 'threads', numWorkers: 2 })) as [number, number];
    expect(killed).toBe(100);
    expect(s).toBe(5050 + (1 << 18));
    expect(Atomics.load(flag, 0)).toBe(2);
    const story = ex.story(reader.key);
    // The case under test happened: the reader, running, was told its input was missing.
    expect(story.some((e) => e.from === 'processing' && e.cause === 'missing-data')).toBe(true);
  }, 20_000);
});
