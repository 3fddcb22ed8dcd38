/**
 * Module-level map / mapPartitions over several bags (against Dask's db.map / db.map_partitions
 * results recorded by fixtures/make_bag_extras.py), and repartition by npartitions or by size
 * (sizes worked out by hand from core's sizeOf: a string of length L is 16 + 2L bytes, a number
 * 8, an array 16 plus its elements).
 */
import { closeThreadPools, delayed } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as db from '../src/index';
import { Bag, fromSequence, range } from '../src/index';
import { EXTRAS } from './fixtures';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const M = EXTRAS.bagMap;

async function partitions<T>(b: Bag<T>): Promise<T[][]> {
  return Promise.all(b.toDelayed().map((d) => d.compute({ scheduler: 'sync' })));
}

describe.each(SCHEDULERS)('db.map and db.mapPartitions (%s)', (_s, opts) => {
  const a = fromSequence(M.a, { npartitions: M.npartitions });
  const c = fromSequence(M.c, { npartitions: M.npartitions });

  it('bags anywhere among the arguments, others broadcast, lazy values computed', async () => {
    expect(await db.map((x: number, y: number) => x + y, a, c).compute(opts)).toEqual(M.addAC);
    expect(await db.map((k: number, x: number) => k * 1000 + x, 5, a).compute(opts)).toEqual(M.scalarFirst);
    expect(await db.map((x: number, k: string, y: number) => [x, k, y], a, 'k', c).compute(opts)).toEqual(M.middle);
    expect(await db.map((x: number, m: number) => x - m, a, a.max()).compute(opts)).toEqual(M.withItem);
    const off = delayed((v: number) => v * 2)(50);
    expect(await db.map((o: number, x: number, y: number) => o + x + y, off, a, c).compute(opts)).toEqual(M.addAC.map((v) => v + 100));
    // The bag given first may be a fused chain, and the others too.
    expect(await db.map((k: number, x: number, y: number) => k + x + y, 1, a.map((x) => x * 2), c.filter(() => true)).compute(opts)).toEqual(M.a.map((x, i) => 1 + 2 * x + M.c[i]));
  });

  it('mapPartitions receives whole partitions, in argument order', async () => {
    // Dask split the 7 elements 3, 3, 1 (pdask's fromSequence splits evenly: 3, 2, 2), so partition as Dask did.
    const da = Bag.fromPartitions<number>('dask-a', [M.a.slice(0, 3), M.a.slice(3, 6), M.a.slice(6)]);
    const dc = Bag.fromPartitions<number>('dask-c', [M.c.slice(0, 3), M.c.slice(3, 6), M.c.slice(6)]);
    const lens = db.mapPartitions((k: string, p: number[], q: number[]) => [k, p.length, p.reduce((s, x) => s + x, 0) + q.reduce((s, x) => s + x, 0)], 'k', da, dc);
    expect(await lens.compute(opts)).toEqual(M.mapPartitionsLens);
    expect(await db.mapPartitions((p: number[], q: number[]) => p.map((x, i) => x * q[i]), a, c).compute(opts)).toEqual(M.a.map((x, i) => x * M.c[i]));
  });

  it('refuses as Dask does: no bag, different numbers of partitions; and a capturing function by name', () => {
    expect(() => db.map((x: number) => x, 1)).toThrow(/at least one argument must be a Bag/);
    expect(() => db.map((x: number, y: number) => x + y, a, fromSequence(M.a, { npartitions: 2 }))).toThrow(/all bags must have the same number of partitions \(got 3 and 2/);
    expect(() => (db.mapPartitions as (f: unknown) => unknown)((p: number[]) => p)).toThrow(/at least one argument must be a Bag \(got no arguments\)/);
    const k = 3;
    expect(() => db.map((x: number, b: number) => x + b + k, 1, a)).toThrow(/captures 'k'/);
    // Bags with equal partition counts but different partition lengths fail when computed, naming the partition
    // (a: 3, 2, 3 elements; uneven: 1, 3, 3): on threads either mismatched partition may fail first.
    const uneven = Bag.fromPartitions<number>('uneven', [[1], [2, 3, 4], [5, 6, 7]]);
    return expect(db.map((x: number, y: number) => x + y, a, uneven).compute(opts)).rejects.toThrow(/partition (0 of the bags being combined element-wise has 3 and 1|1 of the bags being combined element-wise has 2 and 3) elements/);
  });
});

describe.each(SCHEDULERS)('repartition (%s)', (_s, opts) => {
  const text = Array.from({ length: 100 }, (_, i) => String(i).padStart(42, '0')); // 16 + 84 = 100 bytes each

  it('by npartitions (a number or { npartitions }): order kept, sizes even', async () => {
    const b = range(10, { npartitions: 3 });
    expect(await partitions(b.repartition({ npartitions: 7 }))).toEqual([[0, 1], [2, 3], [4], [5, 6], [7], [8], [9]]);
    expect(await partitions(b.repartition(2))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7, 8, 9]]);
    expect(b.repartition({ npartitions: 3 })).toBe(b);
  });

  it('by partitionSize: large partitions cut, small neighbours merged', async () => {
    // Partitions of 25 strings: 16 + 25 * 100 = 2516 bytes each.
    const b = fromSequence(text, { npartitions: 4 }).map((s) => s);
    // 1000 bytes: each cut into 1 + floor(2516 / 1000) = 3 pieces (8, 8, 9 elements) of ~839 bytes, none merged.
    const cut = await b.repartition({ partitionSize: 1000, ...opts });
    expect((await partitions(cut)).map((p) => p.length)).toEqual([8, 8, 9, 8, 8, 9, 8, 8, 9, 8, 8, 9]);
    expect(await cut.compute(opts)).toEqual(text);
    // '6kB': no cuts; 2516 + 2516 fits, a third does not: two partitions of 50.
    const merged = await b.repartition({ partitionSize: '6kB', ...opts });
    expect((await partitions(merged)).map((p) => p.length)).toEqual([50, 50]);
    expect(await merged.compute(opts)).toEqual(text);
  });

  it('by partitionSize with empty partitions, and a partition exactly the size (cut in two, then merged back)', async () => {
    // [0] [1] [2] [3] [] []: 24, 24, 24, 24, 16, 16 bytes; at most 50: [0, 1] [2, 3] [].
    expect(await partitions(await range(4, { npartitions: 6 }).repartition({ partitionSize: 50, ...opts }))).toEqual([[0, 1], [2, 3], []]);
    // [0, 1, 2, 3] is 48 bytes: 1 + floor(48 / 48) = 2 pieces of 24, which fit together again.
    expect(await partitions(await range(4, { npartitions: 1 }).repartition({ partitionSize: 48, ...opts }))).toEqual([[0, 1, 2, 3]]);
  });

  it('refuses unclear options by name', () => {
    const b = range(4, { npartitions: 2 });
    expect(() => b.repartition({} as never)).toThrow(/give npartitions or partitionSize/);
    expect(() => b.repartition({ npartitions: 2, partitionSize: 10 } as never)).toThrow(/give npartitions or partitionSize/);
    expect(() => b.repartition({ npartition: 2 } as never)).toThrow(/unknown option 'npartition'.*did you mean 'npartitions'/);
    expect(() => b.repartition({ npartitions: 2, scheduler: 'sync' })).toThrow(/compute options \(scheduler\) apply only with partitionSize/);
    expect(() => b.repartition({ partitionSize: 'lots' })).toThrow(/byte size|size/);
    expect(() => b.repartition({ partitionSize: 0 })).toThrow(/at least 1 byte/);
  });
});
