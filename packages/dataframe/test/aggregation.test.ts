/**
 * Custom group-by aggregations (dd.Aggregation) against pandas: a custom mean and a custom range
 * (max - min) against the recorded pandas mean/max/min (fixtures/make_fixtures.py), a custom sum of
 * squares against the same sums computed here from the data and from pandas' var, mean and count.
 */
import { closeThreadPools, UnshippableFunctionError } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { expectClose, expectSeries, fixture, SCHEDULERS, type PandasSeries } from './helpers';

afterAll(() => closeThreadPools());

const frame = (opts: dd.PartitionOptions) => dd.fromColumns(fixture.data, opts);

const customMean = new dd.Aggregation({
  name: 'custom_mean',
  chunk: (g) => [g.sum(), g.count()],
  agg: (s, c) => [s.sum(), c.sum()],
  finalize: (s, c) => s.div(c),
});

// No finalize: agg's only result is the answer.
const sumOfSquares = new dd.Aggregation({
  name: 'sumsq',
  chunk: (g) => g.map((x) => x * x).sum(),
  agg: (s) => s.sum(),
});

const range = new dd.Aggregation({
  name: 'range',
  chunk: (g) => [g.max(), g.min()],
  agg: (hi, lo) => [hi.max(), lo.min()],
  finalize: (hi, lo) => hi.sub(lo),
});

/** pandas' max - min per group, from the recorded max and min. */
function pandasRange(p: Record<string, PandasSeries>): PandasSeries {
  return { ...p.max, values: p.max.values.map((v, i) => (v === null || p.min.values[i] === null ? null : v - p.min.values[i]!)) };
}

/** Σ z² per group of key column `key`, from the data: groups sorted, missing keys and values skipped. */
function sumsqFromData(key: 'k' | 'x', column: 'z' | 'y'): Map<string | number, number> {
  const out = new Map<string | number, number>();
  const keys = fixture.data[key] as (string | number | null)[];
  const vals = fixture.data[column] as (number | null)[];
  keys.forEach((k, i) => {
    const v = vals[i];
    if (k === null) return;
    out.set(k, (out.get(k) ?? 0) + (v === null || Number.isNaN(v) ? 0 : v * v));
  });
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// Single partition, uneven partitions combined two at a time, and many partitions in a deep tree.
const PARTITIONINGS: [string, dd.PartitionOptions, dd.GroupbyOptions][] = [
  ['1 partition', { npartitions: 1 }, {}],
  ['7 partitions, splitEvery 2', { npartitions: 7 }, { splitEvery: 2 }],
  ['chunks of 40 (25 partitions), default splitEvery', { chunksize: 40 }, {}],
];

describe.each(SCHEDULERS)('Aggregation against pandas (%s)', (_, opts) => {
  it.each(PARTITIONINGS)('custom mean, sum of squares and range, %s', async (_label, part, gopts) => {
    const g = frame(part).groupby('x', gopts);
    expectSeries(await g.col('y').agg(customMean).compute(opts), fixture.groupby_x_y.mean, 'custom mean of y');
    expectSeries(await g.col('y').agg(range).compute(opts), pandasRange(fixture.groupby_x_y), 'range of y');
    const byK = frame(part).groupby('k', gopts);
    // z has missing values: skipped, as pandas' mean does.
    expectSeries(await byK.col('z').agg(customMean).compute(opts), fixture.groupby_k_z.mean, 'custom mean of z (missing values)');
    expectSeries(await byK.col('z').agg(range).compute(opts), pandasRange(fixture.groupby_k_z), 'range of z');
    const sq = await byK.col('z').agg(sumOfSquares).compute(opts);
    const expected = sumsqFromData('k', 'z');
    expect(sq.indexArray()).toEqual([...expected.keys()]);
    const got = Array.from(sq.toArray() as ArrayLike<number>);
    [...expected.values()].forEach((v, i) => expectClose(got[i], v, `sumsq[${i}]`));
    // The same sums from pandas' statistics: Σz² = var·(n-1) + n·mean².
    const p = fixture.groupby_k_z;
    p.count.values.forEach((n, i) => {
      const fromPandas = p.var.values[i]! * (n! - 1) + n! * p.mean.values[i]! ** 2;
      expect(Math.abs(got[i] - fromPandas)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(fromPandas)));
    });
  });

  it('agg({ col: custom }), lists mixing built-in and custom, every column, several keys', async () => {
    const r = await frame({ npartitions: 4 }).groupby('k').agg({ z: customMean, y: [range, 'max'] }).compute(opts);
    expect(r.columns).toEqual(['z', 'y_range', 'y_max']);
    expect(r.indexName).toBe('k');
    expectSeries(r.col('z'), fixture.groupby_k_z.mean, 'agg z custom mean');
    expectSeries(r.col('y_max'), fixture.groupby_k_agg.y_max, 'agg y max');
    const all = await frame({ npartitions: 3 }).groupby('x').agg(customMean).compute(opts);
    expect(all.columns).toEqual(['y', 'z', 'fkey', 'w']);
    expectSeries(all.col('y'), fixture.groupby_x_y.mean, 'agg(custom) y');
    expectSeries(all.col('z'), fixture.groupby_x_z.mean, 'agg(custom) z');
    const s = await frame({ npartitions: 3 }).groupby('x').col('y').agg([customMean, 'mean']).compute(opts);
    expect(s.columns).toEqual(['custom_mean', 'mean']);
    expectSeries(s.col('custom_mean'), fixture.groupby_x_y.mean, 'SeriesGroupBy.agg list');
    // Several keys: groups are the combinations, as the built-in mean's.
    const multi = await frame({ npartitions: 5 }).groupby(['x', 'k'], { splitEvery: 2 }).col('z').agg(customMean).compute(opts);
    expectSeries(multi, fixture.groupby_xk_z.mean, 'groupby([x, k]).z custom mean');
  });

  it('errors in the user functions name the aggregation and fail the computation', async () => {
    const short = new dd.Aggregation({ name: 'short', chunk: (g) => new Float64Array(g.ngroups + 1), agg: (s) => s.sum() });
    await expect(frame({ npartitions: 2 }).groupby('x').col('y').agg(short).compute(opts)).rejects.toThrow("Aggregation 'short': chunk returned");
    const uneven = new dd.Aggregation({ name: 'uneven', chunk: (g) => [g.sum(), g.count()], agg: (s) => s.sum() });
    await expect(frame({ npartitions: 2 }).groupby('x').col('y').agg(uneven).compute(opts)).rejects.toThrow("Aggregation 'uneven': chunk returns 2 results but agg 1");
    const two = new dd.Aggregation({ name: 'two', chunk: (g) => [g.sum(), g.count()], agg: (s, c) => [s.sum(), c.sum()] });
    await expect(frame({ npartitions: 2 }).groupby('x').col('y').agg(two).compute(opts)).rejects.toThrow("Aggregation 'two': agg returns 2 results; give a finalize");
  });
});

describe('Aggregation is checked when made', () => {
  it('refuses closures, naming what they capture', () => {
    const scale = 2;
    const make = () => new dd.Aggregation({ name: 'scaled', chunk: (g) => g.sum().mul(scale), agg: (s) => s.sum() });
    expect(make).toThrow(UnshippableFunctionError);
    expect(make).toThrow("Aggregation 'scaled': chunk captures 'scale' from its enclosing scope");
    const offset = 1;
    expect(() => new dd.Aggregation({ name: 'f', chunk: (g) => g.sum(), agg: (s) => s.sum(), finalize: (s) => s.add(offset) })).toThrow("Aggregation 'f': finalize captures 'offset'");
  });

  it('refuses a bad spec by name', () => {
    const chunk = (g: dd.GroupedValues) => g.sum();
    expect(() => new dd.Aggregation({ name: 'x', chunk, agg: chunk, finalise: chunk } as never)).toThrow("Aggregation: unknown option 'finalise' (known: name, chunk, agg, finalize); did you mean 'finalize'?");
    expect(() => new dd.Aggregation({ name: 'x', chunk } as never)).toThrow("Aggregation: 'agg' is required");
    expect(() => new dd.Aggregation({ name: '', chunk, agg: chunk })).toThrow("Aggregation: option 'name' must be a non-empty string");
    expect(() => new dd.Aggregation({ name: 'x', chunk: 3, agg: chunk } as never)).toThrow("Aggregation: option 'chunk' must be a function");
    const df = frame({ npartitions: 2 });
    expect(() => df.groupby('x').agg({ y: 'median' as never })).toThrow('GroupBy.agg: unknown aggregation "median"');
    expect(() => df.groupby('k').agg({ k: new dd.Aggregation({ name: 'c', chunk, agg: chunk }) })).toThrow("column 'k' has dtype string");
  });
});

describe('GroupedValues and PerGroup (what the functions see)', () => {
  it('reduce per group, skipping NaN, from first principles', () => {
    const g = new dd.GroupedValues(Float64Array.from([1, 2, NaN, 4, 5, NaN]), Int32Array.from([0, 1, 0, 1, 0, 2]), 3);
    expect(g.sum().toArray()).toEqual([6, 6, 0]);
    expect(g.count().toArray()).toEqual([2, 2, 0]);
    expect(g.size().toArray()).toEqual([3, 2, 1]);
    expect(g.mean().toArray()).toEqual([3, 3, NaN]);
    expect(g.min().toArray()).toEqual([1, 2, NaN]);
    expect(g.max().toArray()).toEqual([5, 4, NaN]);
    expect(g.first().toArray()).toEqual([1, 2, NaN]);
    expect(g.last().toArray()).toEqual([5, 4, NaN]);
    expect(g.apply((v) => v.length).toArray()).toEqual([3, 2, 1]);
    expect(g.map((x) => x * 10).sum().toArray()).toEqual([60, 60, 0]);
    expect(g.sum().sub(g.min()).div(2).pow(2).add(1).mul(3).toArray()).toEqual([((6 - 1) / 2) ** 2 * 3 + 3, ((6 - 2) / 2) ** 2 * 3 + 3, NaN]);
    expect(() => g.sum().add(new dd.PerGroup(new Float64Array(2)))).toThrow('PerGroup.add: 3 groups and 2 groups do not match');
  });
});
