/** Group-by on several columns: results indexed by the key combinations (pandas' MultiIndex). */
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { expectClose, expectSeries, fixture, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const frame = (opts: dd.PartitionOptions) => dd.fromColumns(fixture.data, opts);
const AGGS = ['sum', 'mean', 'count', 'size', 'min', 'max', 'var', 'std', 'first', 'last'] as const;

const PARTITIONINGS: [string, dd.PartitionOptions, dd.GroupbyOptions][] = [
  ['1 partition', { npartitions: 1 }, {}],
  ['uneven (7 x 143, last 142), splitEvery 2', { npartitions: 7 }, { splitEvery: 2 }],
  ['chunks of 3 (334 partitions, last 1 row), splitEvery 5', { chunksize: 3 }, { splitEvery: 5 }],
];

describe.each(SCHEDULERS)('groupby on several columns against pandas (%s)', (_, opts) => {
  it.each(PARTITIONINGS)('int x string keys (nulls dropped), every aggregation, %s', async (_label, part, gopts) => {
    const g = frame(part).groupby(['x', 'k'], gopts);
    for (const a of AGGS) expectSeries(await g.col('z')[a]().compute(opts), fixture.groupby_xk_z[a], `groupby([x, k]).z.${a}`);
  });

  it('string x float keys with NaN; three keys', async () => {
    const g = frame({ npartitions: 4 }).groupby(['k', 'fkey']);
    for (const a of ['sum', 'mean', 'count', 'size'] as const) expectSeries(await g.col('y')[a]().compute(opts), fixture.groupby_kfkey_y[a], `groupby([k, fkey]).y.${a}`);
    expectSeries(await frame({ npartitions: 5 }).groupby(['x', 'k', 'fkey'], { splitEvery: 3 }).col('y').sum().compute(opts), fixture.groupby_wxk_y_sum, 'groupby([x, k, fkey]).y.sum');
  });

  it('agg: index levels, names, printing and conversion', async () => {
    const r = await frame({ npartitions: 3 }).groupby(['fkey', 'k']).agg({ y: 'mean', z: 'max' }).compute(opts);
    expect(r.columns).toEqual(['y', 'z']);
    expect(r.indexNames).toEqual(['fkey', 'k']);
    expect(r.index).toBeUndefined();
    expect(r.indexName).toBeNull();
    expectSeries(r.col('y'), fixture.groupby_fkeyk_agg.y, 'agg y mean');
    expectSeries(r.col('z'), fixture.groupby_fkeyk_agg.z, 'agg z max');
    // toArrow and toRecords give the key columns first.
    const t = r.toArrow();
    expect(t.schema.fields.map((f) => f.name)).toEqual(['fkey', 'k', 'y', 'z']);
    expect(t.getChild('k')!.get(1)).toBe((fixture.groupby_fkeyk_agg.y.index[1] as (number | string)[])[1]);
    expect(r.toRecords()[0]).toEqual({ fkey: 0, k: 'apple', y: r.col('y').at(0), z: r.col('z').at(0) });
    expect(r.labelAt(8)).toEqual([0.5, 'banana']);
    // Printed like pandas, outer level shown only where it changes.
    const head = await frame({ npartitions: 3 }).groupby(['fkey', 'k']).agg({ y: 'mean', z: 'max' }).head(12, opts);
    expect(String(head)).toBe(fixture.groupby_fkeyk_repr);
    const s = await frame({ npartitions: 2 }).groupby(['fkey', 'k']).col('y').mean().head(12, opts);
    expect(String(s)).toBe(fixture.groupby_fkeyk_y_repr);
    expectClose(s.get([0.5, 'cherry']) as number, fixture.groupby_kfkey_y.mean.values[fixture.groupby_kfkey_y.mean.index.findIndex((l) => JSON.stringify(l) === JSON.stringify(['cherry', 0.5]))]);
  });

  it('from first principles: one-row partitions, whole-frame sum, size', async () => {
    const a = [1, 2, 1, 2, 1, 1];
    const b = ['u', 'u', 'v', 'u', 'u', 'v'];
    const v = [1, 2, 4, 8, 16, 32];
    const df = dd.fromColumns({ a, b, v }, { chunksize: 1 });
    const r = await df.groupby(['b', 'a']).sum().compute(opts);
    expect(r.columns).toEqual(['v']);
    expect(r.toRecords()).toEqual([
      { b: 'u', a: 1, v: 17 },
      { b: 'u', a: 2, v: 10 },
      { b: 'v', a: 1, v: 36 },
    ]);
    const size = await df.groupby(['a', 'b']).size().compute(opts);
    expect(size.entries()).toEqual([
      [[1, 'u'], 2],
      [[1, 'v'], 2],
      [[2, 'u'], 2],
    ]);
  });
});

describe('groupby on several columns: errors', () => {
  const df = dd.fromColumns({ x: [1, 2], y: [0.5, 1.5], s: ['a', 'b'] }, { npartitions: 1 });
  it('names the problem', () => {
    expect(() => df.groupby(['x', 'nope'])).toThrow("DataFrame.groupby: column \"nope\" not found; known columns: 'x', 'y', 's'");
    expect(() => df.groupby([])).toThrow('DataFrame.groupby: by must be a column name or a non-empty array of column names');
    expect(() => df.groupby(['x', 'x'])).toThrow("column 'x' is given twice");
    expect(() => df.groupby(['x', 's']).col('s')).toThrow("GroupBy.col: 's' is a grouping column");
  });
});
