import { closeThreadPools, collectionsToGraph, collectionSymbol, delayed } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { fromSequence, range, type Bag } from '../src/index';
import { iota, lcg, SCHEDULERS, sortedByJson } from './helpers';

afterAll(() => closeThreadPools());

async function partitions<T>(b: Bag<T>): Promise<T[][]> {
  return Promise.all(b.toDelayed().map((d) => d.compute({ scheduler: 'sync' })));
}

const rand = lcg(7);
const records = Array.from({ length: 3000 }, (_, i) => ({ id: i, user: `u${Math.floor(rand() * 97)}`, v: Math.floor(rand() * 100) }));

describe.each(SCHEDULERS)('groupby, a shuffle across partitions (%s)', (_s, opts) => {
  it('groups every key into exactly one output partition, across many partitions', async () => {
    const b = fromSequence(records, { npartitions: 23 });
    const g = b.groupby((r) => r.user, { npartitions: 16 });
    expect(g.npartitions).toBe(16);
    const parts = await Promise.all(g.toDelayed().map((d) => d.compute(opts)));
    const ref = new Map<string, number[]>();
    for (const r of records) ref.set(r.user, [...(ref.get(r.user) ?? []), r.id]);
    const seen = new Map<string, number>();
    parts.forEach((p, j) => {
      for (const [k] of p) {
        expect(seen.has(k)).toBe(false);
        seen.set(k, j);
      }
    });
    expect(seen.size).toBe(ref.size);
    const got = parts.flat().map(([k, rs]) => [k, rs.map((r) => r.id)] as const);
    // Within a group, elements keep their order in the bag.
    expect(sortedByJson(got)).toEqual(sortedByJson([...ref]));
  });

  it('the graph is a real shuffle: every output partition reads every input partition', () => {
    const b = fromSequence(records, { npartitions: 5 });
    const g = b.groupby('user', { npartitions: 3 });
    const { graph } = collectionsToGraph([g[collectionSymbol]()], { optimizeGraph: false });
    const nodes = graph.toGraph();
    for (let j = 0; j < 3; j++) {
      const pieces = nodes.get(g.key(j))!.deps;
      expect(pieces.length).toBe(5);
      const inputs = pieces.map((p) => nodes.get(p)!.deps[0]);
      expect(new Set(inputs).size).toBe(5);
    }
  });

  it('property keys, more output partitions than keys, one partition, empty partitions', async () => {
    const ref = new Map<number, number>();
    for (const r of records) ref.set(r.v % 3, (ref.get(r.v % 3) ?? 0) + 1);
    const counts = (gs: [number, unknown[]][]) => sortedByJson(gs.map(([k, xs]) => [k, xs.length]));
    const b = fromSequence(records, { npartitions: 7 }).map((r) => ({ ...r, m: r.v % 3 }));
    expect(counts(await b.groupby('m', { npartitions: 10 }).compute(opts))).toEqual(sortedByJson([...ref]));
    expect(counts(await b.groupby('m', { npartitions: 1 }).compute(opts))).toEqual(sortedByJson([...ref]));
    expect(await range(0, { npartitions: 4 }).groupby((x) => x % 2).compute(opts)).toEqual([]);
    // Array keys group by value.
    const pairs = await fromSequence([1, 2, 3, 4, 5, 6], { npartitions: 3 }).groupby((x) => [x % 2, 'k']).compute(opts);
    expect(sortedByJson(pairs)).toEqual(sortedByJson([[[1, 'k'], [1, 3, 5]], [[0, 'k'], [2, 4, 6]]]));
  });
});

describe.each(SCHEDULERS)('repartition, accumulate, join, product, take (%s)', (_s, opts) => {
  it('repartition to fewer and more partitions keeps order', async () => {
    const xs = iota(103);
    const b = fromSequence(xs, { npartitions: 10 });
    for (const m of [1, 3, 10, 17, 40]) {
      const r = b.repartition(m);
      expect(r.npartitions).toBe(m);
      expect(await r.compute(opts)).toEqual(xs);
    }
    const sizes = (await partitions(b.repartition(20))).map((p) => p.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('accumulate runs through partitions in order, with and without initial', async () => {
    const xs = iota(40).map((i) => (i * 7) % 11);
    const running: number[] = [];
    let acc = 0;
    for (const x of xs) running.push((acc += x));
    const b = fromSequence(xs, { npartitions: 6 });
    expect(await b.accumulate((a: number, x) => a + x).compute(opts)).toEqual(running);
    expect(await b.accumulate((a: number, x) => a + x, 100).compute(opts)).toEqual([100, ...running.map((r) => r + 100)]);
    // Empty partitions carry the running value over.
    const e = range(5, { npartitions: 9 });
    expect(await e.accumulate((a: number, x) => a + x).compute(opts)).toEqual([0, 1, 3, 6, 10]);
  });

  it('join pairs [other, self] on keys', async () => {
    const people = fromSequence(['Alice', 'Bob', 'Charlie', 'Dan'], { npartitions: 3 });
    const fruit = ['Apple', 'Apricot', 'Banana', 'Cherry'];
    const expected: [string, string][] = [];
    for (const p of ['Alice', 'Bob', 'Charlie', 'Dan']) for (const f of fruit) if (f[0] === p[0]) expected.push([f, p]);
    expect(await people.join(fruit, (x) => x[0]).compute(opts)).toEqual(expected);
    expect(await people.join(fromSequence(fruit, { npartitions: 1 }), (x) => x[0]).compute(opts)).toEqual(expected);
    const lazy = delayed((xs: string[]) => xs)(fruit);
    expect(await people.join(lazy, (x) => x[0]).compute(opts)).toEqual(expected);
    expect(() => people.join(fromSequence(fruit, { npartitions: 2 }), (x) => x[0])).toThrow(/one partition/);
  });

  it('product is the cartesian product', async () => {
    const a = fromSequence([1, 2, 3], { npartitions: 2 });
    const b = fromSequence(['x', 'y'], { npartitions: 2 });
    const p = a.product(b);
    expect(p.npartitions).toBe(4);
    const expected: [number, string][] = [];
    for (const x of [1, 2, 3]) for (const y of ['x', 'y']) expected.push([x, y]);
    expect(sortedByJson(await p.compute(opts))).toEqual(sortedByJson(expected));
  });

  it('take computes only the partitions it needs', async () => {
    // Partition 1 would throw: take(3) from partition 0 must not run it.
    const b = fromSequence(iota(20), { npartitions: 4 }).map((x) => {
      if (x >= 5) throw new Error('partition 1 was computed');
      return x * 2;
    });
    expect(await b.take(3, opts)).toEqual([0, 2, 4]);
    const all = fromSequence(iota(20), { npartitions: 4 });
    expect(await all.take(12, { ...opts, npartitions: 3 })).toEqual(iota(12));
    expect(await all.take(100, { ...opts, npartitions: -1, warn: false })).toEqual(iota(20));
    await expect(all.take(1, { npartitions: 9 })).rejects.toThrow(/only 4 partitions/);
  });
});
