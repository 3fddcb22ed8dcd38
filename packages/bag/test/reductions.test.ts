import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { fromSequence, range, type Bag } from '../src/index';
import { iota, lcg, SCHEDULERS, sortedByJson } from './helpers';

afterAll(() => closeThreadPools());

/** Two-pass references, written out plainly. */
function refMean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
function refVar(xs: number[], ddof: number): number {
  const m = refMean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (xs.length - ddof);
}

const rand = lcg(42);
const data = Array.from({ length: 997 }, () => Math.floor(rand() * 1000) - 300);

/** The same data in several shapes: one partition, many, more partitions than elements would allow, with empty ones. */
function shapes(xs: number[]): [string, Bag<number>][] {
  return [
    ['1 partition', fromSequence(xs, { npartitions: 1 })],
    ['37 partitions', fromSequence(xs, { npartitions: 37 })],
    // Empty partitions: half of the elements filtered away from whole partitions.
    ['with empty partitions', fromSequence([...xs, ...xs.map(() => 1e9)], { partitionSize: 50 }).filter((x) => x < 1e9)],
  ];
}

describe.each(SCHEDULERS)('aggregations (%s)', (_s, opts) => {
  it.each(shapes(data))('sum count mean min max var std any all: %s', async (_shape, b) => {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const x of data) {
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    expect(await b.sum().compute(opts)).toBe(sum);
    expect(await b.count().compute(opts)).toBe(data.length);
    expect(await b.min().compute(opts)).toBe(min);
    expect(await b.max().compute(opts)).toBe(max);
    expect(await b.mean().compute(opts)).toBeCloseTo(refMean(data), 10);
    expect(await b.var().compute(opts)).toBeCloseTo(refVar(data, 0), 6);
    expect(await b.var(1).compute(opts)).toBeCloseTo(refVar(data, 1), 6);
    expect(await b.std().compute(opts)).toBeCloseTo(Math.sqrt(refVar(data, 0)), 8);
    expect(await b.any().compute(opts)).toBe(true);
    expect(await b.map((x) => x > -1000).all().compute(opts)).toBe(true);
    expect(await b.map((x) => x > 0).all().compute(opts)).toBe(false);
    expect(await b.map((x) => x > 5000).any().compute(opts)).toBe(false);
  });

  it('splitEvery builds a deeper tree with the same result', async () => {
    const b = fromSequence(data, { npartitions: 50 });
    expect(await b.sum({ splitEvery: 2 }).compute(opts)).toBe(data.reduce((s, x) => s + x, 0));
    expect(await b.mean({ splitEvery: 3 }).compute(opts)).toBeCloseTo(refMean(data), 10);
    expect(await b.sum({ splitEvery: false }).compute(opts)).toBe(data.reduce((s, x) => s + x, 0));
  });

  it('var is accurate for data with a large mean', async () => {
    const xs = iota(1000).map((i) => 1e9 + (i % 7));
    expect(await fromSequence(xs, { npartitions: 9 }).var().compute(opts)).toBeCloseTo(refVar(iota(1000).map((i) => i % 7), 0), 8);
  });

  it('empty bags: sum 0, count 0, mean NaN, max an error', async () => {
    const e = range(0, { npartitions: 3 });
    expect(await e.sum().compute(opts)).toBe(0);
    expect(await e.count().compute(opts)).toBe(0);
    expect(await e.mean().compute(opts)).toBeNaN();
    await expect(e.max().compute(opts)).rejects.toThrow(/max\(\) of an empty bag/);
    await expect(fromSequence([]).min().compute(opts)).rejects.toThrow(/min\(\) of an empty bag/);
  });

  it('reduction with user functions, applied as a tree', async () => {
    const b = fromSequence(data, { npartitions: 20 });
    const r = b.reduction(
      (part) => part.length,
      (counts) => counts.reduce((s, c) => s + c, 0),
      { splitEvery: 4 },
    );
    expect(await r.compute(opts)).toBe(data.length);
  });

  it('fold, with and without initial value and combine', async () => {
    const b = fromSequence(data, { npartitions: 8 });
    const sum = data.reduce((s, x) => s + x, 0);
    expect(await b.fold((a, x) => a + x).compute(opts)).toBe(sum);
    expect(await b.fold((a: number, x) => a + x, (a, c) => a + c, 0).compute(opts)).toBe(sum);
    // Collecting into arrays: binop adds an element, combine concatenates.
    const all = await b.fold((acc: number[], x) => [...acc, x], (a, c) => [...a, ...c], []).compute(opts);
    expect(all).toEqual(data);
    expect(await range(0, { npartitions: 3 }).fold((a: number, x) => a + x, undefined, 5).compute(opts)).toBe(5);
    await expect(range(0, { npartitions: 3 }).fold((a, x) => a + x).compute(opts)).rejects.toThrow(/empty bag with no initial value/);
  });

  it('frequencies, sorted or not', async () => {
    const words = data.map((x) => `w${Math.abs(x) % 13}`);
    const counts = new Map<string, number>();
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    const b = fromSequence(words, { npartitions: 11 });
    const f = b.frequencies();
    expect(f.npartitions).toBe(1);
    expect(sortedByJson(await f.compute(opts))).toEqual(sortedByJson([...counts]));
    const sorted = await b.frequencies(true).compute(opts);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1][1]).toBeGreaterThanOrEqual(sorted[i][1]);
    // Keys compare by value: arrays as values.
    expect(sortedByJson(await fromSequence([[1, 'a'], [1, 'a'], [2, 'b']], { npartitions: 3 }).frequencies().compute(opts))).toEqual([
      [[1, 'a'], 2],
      [[2, 'b'], 1],
    ]);
  });

  it('topk by value and by key', async () => {
    const b = fromSequence(data, { npartitions: 13 });
    const desc = [...data].sort((x, y) => y - x);
    expect(await b.topk(5).compute(opts)).toEqual(desc.slice(0, 5));
    const recs = b.map((x) => ({ v: x, neg: -x }));
    expect((await recs.topk(3, 'neg').compute(opts)).map((r) => r.v)).toEqual([...data].sort((x, y) => x - y).slice(0, 3));
    expect(await b.topk(4, (x) => -Math.abs(x - 100)).compute(opts)).toHaveLength(4);
    expect(await fromSequence([3, 1, 2], { npartitions: 3 }).topk(10).compute(opts)).toEqual([3, 2, 1]);
  });

  it('distinct, by value and by key', async () => {
    const b = fromSequence(data, { npartitions: 10 });
    const seen = new Set<number>();
    const firsts: number[] = [];
    for (const x of data) if (!seen.has(x)) (seen.add(x), firsts.push(x));
    expect(await b.distinct().compute(opts)).toEqual(firsts);
    expect(sortedByJson(await b.distinct((x) => ((x % 3) + 3) % 3).map((x) => ((x % 3) + 3) % 3).compute(opts))).toEqual(
      sortedByJson([...new Set(data.map((x) => ((x % 3) + 3) % 3))]),
    );
  });

  it('foldby groups and reduces without a shuffle', async () => {
    const b = fromSequence(data, { npartitions: 17 });
    const ref = new Map<number, number>();
    for (const x of data) {
      const k = ((x % 5) + 5) % 5;
      ref.set(k, (ref.get(k) ?? 0) + x);
    }
    const got = await b.foldby((x) => ((x % 5) + 5) % 5, (acc: number, x) => acc + x, 0, (a, c) => a + c, 0).compute(opts);
    expect(sortedByJson(got)).toEqual(sortedByJson([...ref]));
    // Without initial values, and with the default combine (binop).
    const noInit = await b.foldby((x) => ((x % 5) + 5) % 5, (acc: number, x) => acc + x).compute(opts);
    expect(sortedByJson(noInit)).toEqual(sortedByJson([...ref]));
    // A factory of initial values and a property key.
    const recs = fromSequence(data.map((x) => ({ k: x % 2 === 0 ? 'even' : 'odd', x })), { npartitions: 9 });
    const lists = await recs.foldby('k', (acc: number[], r) => (acc.push(r.x), acc), () => [], (a, c) => a.concat(c), () => []).compute(opts);
    const even = lists.find(([k]) => k === 'even')![1];
    expect([...even].sort((p, q) => p - q)).toEqual(data.filter((x) => x % 2 === 0).sort((p, q) => p - q));
  });
});
