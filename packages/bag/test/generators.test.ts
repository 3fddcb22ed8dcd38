/**
 * map with a generator function: as Dask's reify, the generators a step returns are materialised
 * into arrays when they land in a partition, so threads and sync agree and no worker dies trying
 * to copy a generator object. A step later in the same chain still receives the generator itself.
 */
import { closeThreadPools, delayed } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { Bag, fromDelayed, fromSequence } from '../src/index';
import { EXTRAS } from './fixtures';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const G = EXTRAS.mapGenerator;

function* tens(x: number): Generator<number> {
  for (let i = 0; i < x; i++) yield i * 10;
}

describe.each(SCHEDULERS)('generators returned by user functions (%s)', (_s, opts) => {
  const b = fromSequence(G.input, { npartitions: G.npartitions });

  it('map(generator function) computes to arrays, as Dask', async () => {
    expect(await b.map(tens).compute(opts)).toEqual(G.map);
    // An empty generator (input 0) is an empty array; a one-element bag and size-1 partitions too.
    expect(await fromSequence([0, 2, 1], { npartitions: 3 }).map(tens).compute(opts)).toEqual([[], [0, 10], [0]]);
  });

  it('the next step in the chain sees the generator; flatten and count work on them', async () => {
    const sum = (g: Iterable<number>) => {
      let s = 0;
      for (const v of g) s += v;
      return s;
    };
    expect(await b.map(tens).map(sum).compute(opts)).toEqual(G.mapThenSum);
    expect(await b.map(tens).flatten().compute(opts)).toEqual(G.mapThenFlatten);
    expect(await b.map(tens).count().compute(opts)).toBe(G.count);
    // Materialised before a reduction that collects its partition, and before frequencies compares by value.
    expect(await (b.map(tens) as unknown as Bag<number[]>).fold((acc: number, g: number[]) => acc + g.length, (p: number, q: number) => p + q, 0).compute(opts)).toBe(10);
    const freq = await fromSequence([2, 1, 2], { npartitions: 2 }).map(tens).frequencies().compute(opts);
    expect(freq).toEqual([[[0, 10], 2], [[0], 1]]);
  });

  it('mapPartitions and fromDelayed results holding generators are materialised too', async () => {
    const parts = await b.mapPartitions((p: number[]) => p.map((x) => (function* () { yield x; yield -x; })())).compute(opts);
    expect(parts).toEqual(G.input.map((x) => [x, -x]));
    const mk = delayed((n: number) => [(function* () { for (let i = 0; i < n; i++) yield i; })()], { pure: true });
    expect(await fromDelayed<number[]>([mk(2), mk(0)]).compute(opts)).toEqual([[0, 1], []]);
  });

  it('an async function is refused with a clear error, and the runtime stays usable', async () => {
    await expect(b.map(async (x: number) => x + 1).compute(opts)).rejects.toThrow(/element 0 of partition [01] is a Promise; bag functions must be synchronous/);
    await expect(b.map(async function* (x: number) { yield x; }).compute(opts)).rejects.toThrow(/is an async iterator/);
    expect(await b.map((x) => x + 1).compute(opts)).toEqual(G.input.map((x) => x + 1));
  });
});
