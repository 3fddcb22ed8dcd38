import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { expectClose, expectSeries, fixture, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const frame = (opts: dd.PartitionOptions) => dd.fromColumns(fixture.data, opts);
const AGGS = ['sum', 'mean', 'count', 'size', 'min', 'max', 'var', 'std', 'first', 'last'] as const;

// Odd partitionings: a single partition, an uneven last partition, many small ones.
const PARTITIONINGS: [string, dd.PartitionOptions, dd.GroupbyOptions][] = [
  ['1 partition', { npartitions: 1 }, {}],
  ['4 partitions', { npartitions: 4 }, {}],
  ['uneven (7 x 143, last 142)', { npartitions: 7 }, { splitEvery: 2 }],
  ['chunks of 3 (334 partitions, last 1 row), splitEvery 5', { chunksize: 3 }, { splitEvery: 5 }],
];

describe.each(SCHEDULERS)('groupby against pandas (%s)', (_, opts) => {
  it.each(PARTITIONINGS)('integer keys, every aggregation, %s', async (_label, part, gopts) => {
    const g = frame(part).groupby('x', gopts);
    for (const a of AGGS) {
      const [ry, rz] = await Promise.all([g.col('y')[a]().compute(opts), g.col('z')[a]().compute(opts)]);
      expectSeries(ry, fixture.groupby_x_y[a], `groupby(x).y.${a}`);
      expectSeries(rz, fixture.groupby_x_z[a], `groupby(x).z.${a}`);
    }
  });

  it('string keys with missing values (dropped, as dropna=True), values with NaN', async () => {
    const g = frame({ npartitions: 5 }).groupby('k', { splitEvery: 2 });
    for (const a of AGGS) expectSeries(await g.col('z')[a]().compute(opts), fixture.groupby_k_z[a], `groupby(k).z.${a}`);
  });

  it('float keys with NaN (hashed in JS, NaN dropped)', async () => {
    const g = frame({ npartitions: 3 }).groupby('fkey');
    for (const a of ['sum', 'mean', 'count', 'size'] as const) expectSeries(await g.col('y')[a]().compute(opts), fixture.groupby_fkey_y[a], `groupby(fkey).y.${a}`);
  });

  it('wide integer keys (hash strategy: ~860 distinct keys over 2000 values of range)', async () => {
    expectSeries(await frame({ npartitions: 6 }).groupby('w').col('y').mean().compute(opts), fixture.groupby_w_y_mean, 'groupby(w).y.mean');
  });

  it('agg of several columns, names and index', async () => {
    const r = await frame({ npartitions: 4 }).groupby('k').agg({ z: 'mean', y: 'max', w: 'sum' }).compute(opts);
    expect(r.columns).toEqual(['z', 'y', 'w']);
    expect(r.indexName).toBe('k');
    expectSeries(r.col('z'), fixture.groupby_k_agg.z_mean, 'agg z mean');
    expectSeries(r.col('y'), fixture.groupby_k_agg.y_max, 'agg y max');
    expectSeries(r.col('w'), fixture.groupby_k_agg.w_sum, 'agg w sum');
    const multi = await frame({ npartitions: 4 }).groupby('k').agg({ z: ['mean', 'count'] }).compute(opts);
    expect(multi.columns).toEqual(['z_mean', 'z_count']);
    expectSeries(multi.col('z_mean'), fixture.groupby_k_z.mean, 'agg list mean');
    expectSeries(multi.col('z_count'), fixture.groupby_k_z.count, 'agg list count');
  });

  it('whole-frame aggregations skip non-numeric columns; ddof', async () => {
    const r = await frame({ npartitions: 4 }).groupby('x').mean().compute(opts);
    expect(r.columns).toEqual(['y', 'z', 'fkey', 'w']);
    expectSeries(r.col('y'), fixture.groupby_x_y.mean, 'mean().y');
    expectSeries(await frame({ npartitions: 3 }).groupby('x', { ddof: 0 }).col('z').var().compute(opts), fixture.groupby_x_ddof0_var, 'var ddof=0');
    expectSeries(await frame({ npartitions: 3 }).groupby('x').size().compute(opts), fixture.groupby_x_y.size, 'size()');
  });

  it('valueCounts: most frequent first', async () => {
    expectSeries(await frame({ npartitions: 4 }).col('k').valueCounts().compute(opts), fixture.value_counts_k, 'k.valueCounts');
    expectSeries(await frame({ npartitions: 3 }).col('x').valueCounts({ splitEvery: 2 }).compute(opts), fixture.value_counts_x, 'x.valueCounts');
  });

  it('a group-by mean computed from first principles (one-row partitions)', async () => {
    const x = [3, 1, 3, 2, 1, 3];
    const y = [1, 2, 3, 4, 5.5, 8];
    const r = await dd.fromColumns({ x, y }, { chunksize: 1 }).groupby('x').col('y').mean().compute(opts);
    expect(r.indexArray()).toEqual([1, 2, 3]);
    expect(Array.from(r.toArray() as Float64Array)).toEqual([3.75, 4, 4]);
    expectClose(r.get(3) as number, 4);
  });
});

describe('groupby errors', () => {
  const df = dd.fromColumns({ x: [1, 2], y: [0.5, 1.5], s: ['a', 'b'] }, { npartitions: 1 });
  it('unknown columns are named, with the known ones', () => {
    expect(() => df.groupby('nope')).toThrow("DataFrame.groupby: column \"nope\" not found; known columns: 'x', 'y', 's'");
    expect(() => df.groupby('x').col('q')).toThrow("GroupBy.col: column \"q\" not found; known columns: 'x', 'y', 's'");
    expect(() => df.groupby('x').agg({ q: 'mean' })).toThrow("column \"q\" not found; known columns: 'x', 'y', 's'");
  });
  it('bad aggregations and non-numeric values', () => {
    expect(() => df.groupby('x').agg({ y: 'median' as never })).toThrow('unknown aggregation "median"');
    expect(() => df.groupby('x').col('s').mean()).toThrow("column 's' has dtype string");
    expect(() => df.groupby('x', { splitEvery: 1 }).col('y').mean()).toThrow("DataFrame.groupby: option 'splitEvery' must be an integer >= 2 or false, got 1 (number)");
  });
});

describe.each(SCHEDULERS)('key types (%s)', (_, opts) => {
  // Rows (key, value); expected sums and counts computed here from first principles.
  const values = [1, 2, 3, 4, 5, 6, 7, 8];
  function expected(keys: readonly (number | bigint | boolean | string)[]): Map<string, number> {
    const m = new Map<string, number>();
    keys.forEach((k, i) => m.set(String(k), (m.get(String(k)) ?? 0) + values[i]));
    return m;
  }
  const cases: [string, dd.ColumnInput, string][] = [
    ['bool', [true, false, true, true, false, false, true, true], 'bool'],
    ['int8', Int8Array.from([-3, 5, -3, 0, 5, 5, -128, 127]), 'int8'],
    ['uint16', Uint16Array.from([65535, 0, 7, 7, 0, 65535, 1, 1]), 'uint16'],
    ['uint32 (beyond int32: hashed in JS)', Uint32Array.from([4e9, 1, 4e9, 2, 1, 3e9, 3e9, 2]), 'uint32'],
    ['int64', BigInt64Array.from([2n ** 40n, -1n, 2n ** 40n, 0n, -1n, 5n, 5n, 0n]), 'int64'],
    ['float64', [0.5, -1.25, 0.5, 1e10, -1.25, 0.5, 3, 3], 'float64'],
  ];
  it.each(cases)('%s keys keep their type in the index, sorted', async (_label, keys, dtype) => {
    const df = dd.fromColumns({ k: keys, v: values }, { npartitions: 3 });
    const r = await df.groupby('k').col('v').sum().compute(opts);
    const keyList = Array.from(keys as ArrayLike<number | bigint | boolean>);
    const want = expected(keyList);
    const sortedKeys = [...new Set(keyList)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(r.indexArray().map(String)).toEqual(sortedKeys.map(String));
    expect(r.entries().map(([k, v]) => [String(k), v])).toEqual(sortedKeys.map((k) => [String(k), want.get(String(k))]));
    expect(r.toArrow().schema.fields[0].type.toString().toLowerCase()).toContain(dtype === 'bool' ? 'bool' : dtype.replace('uint', 'uint').replace('float64', 'float'));
  });
});

describe('after a failed task', () => {
  it('the runtime stays usable', async () => {
    const df = dd.fromColumns({ k: [1, 2], v: [1, 2] }, { npartitions: 2 });
    // A column that disappears between graph building and running: the task fails by name.
    const bad = new dd.Series(df.col('v').name, 2, df.col('v').layer, df.divisions, { name: 'gone', type: { id: 'float', bits: 64 }, index: null });
    await expect(bad.sum().compute({ scheduler: 'threads' })).rejects.toThrow("column 'gone' not found; known columns: 'v'");
    expect(await df.col('v').sum().compute({ scheduler: 'threads' })).toBe(3);
  });
});
