import { closeThreadPools, Delayed, delayed } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { Bag, concat, fromDelayed, fromSequence, range, zip } from '../src/index';
import { iota, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

/** Partition contents, computed one by one through toDelayed. */
async function partitions<T>(b: Bag<T>): Promise<T[][]> {
  return Promise.all(b.toDelayed().map((d) => d.compute({ scheduler: 'sync' })));
}

describe('creation', () => {
  it('fromSequence splits evenly, in order, never more partitions than elements', async () => {
    const b = fromSequence(iota(10), { npartitions: 4 });
    expect(b.npartitions).toBe(4);
    expect(await partitions(b)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]]);
    const few = fromSequence([1, 2, 3], { npartitions: 10 });
    expect(few.npartitions).toBe(3);
    expect(await partitions(few)).toEqual([[1], [2], [3]]);
    const empty = fromSequence([], { npartitions: 4 });
    expect(empty.npartitions).toBe(1);
    expect(await empty.compute()).toEqual([]);
    expect(await partitions(fromSequence(iota(7), { partitionSize: 3 }))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    // Default: about 100 partitions.
    expect(fromSequence(iota(1000)).npartitions).toBe(100);
    // Any iterable.
    expect(await fromSequence(new Set(['a', 'b']), { npartitions: 2 }).compute()).toEqual(['a', 'b']);
  });

  it('names are deterministic (equal data, equal keys) and differ for different data', () => {
    expect(fromSequence(iota(10), { npartitions: 2 }).name).toBe(fromSequence(iota(10), { npartitions: 2 }).name);
    expect(fromSequence(iota(10), { npartitions: 2 }).name).not.toBe(fromSequence(iota(10), { npartitions: 3 }).name);
    expect(fromSequence([1, 2], { npartitions: 1 }).name).not.toBe(fromSequence(['1', '2'], { npartitions: 1 }).name);
    const f = (x: number) => x + 1;
    const b = fromSequence(iota(10), { npartitions: 2 });
    expect(b.map(f).name).toBe(b.map(f).name);
    expect(b.map(f).name).not.toBe(b.map((x: number) => x + 2).name);
  });

  it('range generates 0..n-1 with empty partitions when npartitions > n', async () => {
    const r = range(5, { npartitions: 8 });
    expect(r.npartitions).toBe(8);
    const parts = await partitions(r);
    expect(parts.flat()).toEqual([0, 1, 2, 3, 4]);
    expect(parts.filter((p) => p.length === 0).length).toBe(3);
    expect(await range(1000, { npartitions: 7 }).sum().compute()).toBe(499500);
  });

  it('fromDelayed makes one partition per lazy value; toDelayed goes back', async () => {
    const mk = delayed((n: number) => Array.from({ length: n }, (_, i) => i * 10), { pure: true });
    const b = fromDelayed<number>([mk(2), mk(3)]);
    expect(b.npartitions).toBe(2);
    expect(await b.compute()).toEqual([0, 10, 0, 10, 20]);
    const ds = b.map((x) => x + 1).toDelayed();
    expect(ds[0]).toBeInstanceOf(Delayed);
    expect(await ds[1].compute()).toEqual([1, 11, 21]);
    // A Delayed of a partition can feed core's delayed functions.
    const total = delayed((a: number[], c: number[]) => a.length + c.length)(ds[0], ds[1]);
    expect(await total.compute()).toBe(5);
  });

  it('concat and zip', async () => {
    const a = fromSequence([1, 2, 3], { npartitions: 2 });
    const b = fromSequence([4, 5], { npartitions: 2 });
    const c = concat([a, b]);
    expect(c.npartitions).toBe(4);
    expect(await c.compute()).toEqual([1, 2, 3, 4, 5]);
    const z = zip(fromSequence([1, 2, 3], { npartitions: 2 }), fromSequence(['a', 'b', 'c'], { npartitions: 2 }));
    expect(await z.compute()).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
    expect(() => zip(a, fromSequence([1], { npartitions: 1 }))).toThrow(/partitioned identically/);
  });
});

describe.each(SCHEDULERS)('seed and element-wise operations (%s)', (_name, opts) => {
  it("the seed's map/filter/sum gives 166616670000", async () => {
    const b = fromSequence(iota(10000), { npartitions: 4 });
    const result = b.map((x) => x ** 2).filter((x) => x % 2 === 0).sum();
    let expected = 0;
    for (let x = 0; x < 10000; x++) if ((x * x) % 2 === 0) expected += x * x;
    expect(expected).toBe(166616670000);
    expect(await result.compute(opts)).toBe(expected);
  });

  it('map with extra arguments: constants, zipped bags, Items, Delayed', async () => {
    const xs = iota(20);
    const a = fromSequence(xs, { npartitions: 3 });
    const b = a.map((x) => x * 100);
    const offset = delayed((v: number) => v)(7);
    const count = a.count();
    const got = await a.map((x, y, k, off, n) => x + y + k + off + n, b, 1000, offset, count).compute(opts);
    expect(got).toEqual(xs.map((x) => x + x * 100 + 1000 + 7 + 20));
  });

  it('filter, remove, flatten, flatMap, pluck, starmap, mapPartitions', async () => {
    const xs = iota(50);
    const b = fromSequence(xs, { npartitions: 6 });
    expect(await b.filter((x, m) => x % m === 0, 3).compute(opts)).toEqual(xs.filter((x) => x % 3 === 0));
    expect(await b.remove((x) => x % 3 === 0).compute(opts)).toEqual(xs.filter((x) => x % 3 !== 0));
    const nested = b.map((x) => Array.from({ length: x % 4 }, () => x));
    const flat: number[] = [];
    for (const x of xs) for (let k = 0; k < x % 4; k++) flat.push(x);
    expect(await nested.flatten().compute(opts)).toEqual(flat);
    expect(await b.flatMap((x) => Array.from({ length: x % 4 }, () => x)).compute(opts)).toEqual(flat);
    const recs = b.map((x) => ({ id: x, name: `n${x}`, tags: [x % 2] }));
    expect(await recs.pluck('name').compute(opts)).toEqual(xs.map((x) => `n${x}`));
    expect(await recs.pluck(['id', 'name']).compute(opts)).toEqual(xs.map((x) => [x, `n${x}`]));
    expect(await recs.pluck('nope' as 'id', -1).compute(opts)).toEqual(xs.map(() => -1));
    const pairs = b.map((x) => [x, x + 1] as [number, number]);
    expect(await pairs.starmap((p, q, r) => p * q + r, 5).compute(opts)).toEqual(xs.map((x) => x * (x + 1) + 5));
    const sums = await b.mapPartitions((part) => [part.reduce((s, x) => s + x, 0)]).compute(opts);
    expect(sums.length).toBe(6);
    expect(sums.reduce((s, x) => s + x, 0)).toBe(1225);
    // Bags given to mapPartitions arrive partition by partition.
    expect(await b.mapPartitions((p, q: number[]) => [p.length === q.length], b.map((x) => -x)).compute(opts)).toEqual(Array(6).fill(true));
  });

  it('empty partitions pass through every element-wise step', async () => {
    const b = range(3, { npartitions: 6 });
    expect(await b.map((x) => x * 2).filter((x) => x > 0).flatMap((x) => [x, x]).compute(opts)).toEqual([2, 2, 4, 4]);
  });
});

describe('collection protocol', () => {
  it('persist keeps the name and the values; computing the persisted bag runs no user code', async () => {
    const b = fromSequence(iota(10), { npartitions: 3 }).map((x) => x * 3);
    const p = await b.persist({ scheduler: 'sync' });
    expect(p.name).toBe(b.name);
    expect(p.npartitions).toBe(3);
    expect(await p.compute()).toEqual(iota(10).map((x) => x * 3));
    expect(await p.sum().compute()).toBe(135);
  });

  it('visualize draws one node per task; toString names the bag', async () => {
    const b = fromSequence(iota(8), { npartitions: 4 }).map((x) => x + 1);
    const total = b.sum();
    const dot = await total.visualize({ format: 'dot' });
    expect(dot).toContain('digraph');
    // map fused into the reduction: one task per partition, the map's own tasks are not in the graph.
    for (let i = 0; i < 4; i++) expect(dot).toContain(`${total.key}-partial-${i}`);
    expect(dot).not.toContain(b.key(0));
    const own = await b.visualize({ format: 'dot' });
    for (let i = 0; i < 4; i++) expect(own).toContain(b.key(i));
    expect(String(b)).toBe(`Bag<${b.name}, npartitions=4>`);
    expect(String(b.sum())).toMatch(/^Item\('sum-/);
  });

  it('Item.apply and Item.toDelayed', async () => {
    const s = fromSequence(iota(5), { npartitions: 2 }).sum();
    expect(await s.apply((v, k) => v * k, 10).compute()).toBe(100);
    expect(await s.toDelayed().compute()).toBe(10);
  });
});
