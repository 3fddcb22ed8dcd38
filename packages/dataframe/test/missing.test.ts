/** Missing data (isna, notna, fillna, dropna) and column bookkeeping (astype, rename, drop). */
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { expectClose, expectSeries, fixture, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const frame = (opts: dd.PartitionOptions) => dd.fromColumns(fixture.data, opts);
const PARTITIONINGS: [string, dd.PartitionOptions][] = [
  ['1 partition', { npartitions: 1 }],
  ['uneven (7 partitions, last 142 rows)', { npartitions: 7 }],
  ['chunks of 3 (334 partitions, last 1 row)', { chunksize: 3 }],
];
const values = async (s: dd.Series, opts: object) => Array.from((await s.compute(opts)).toArray() as ArrayLike<unknown>);

describe.each(SCHEDULERS)('missing data against pandas (%s)', (_, opts) => {
  it.each(PARTITIONINGS)('isna/notna counts, fillna, dropna lengths, %s', async (_label, part) => {
    const df = frame(part);
    const isna = df.isna();
    expect(isna.dtypes).toEqual({ x: 'bool', y: 'bool', z: 'bool', k: 'bool', fkey: 'bool', w: 'bool' });
    expectSeries(await isna.sum().compute(opts), fixture.isna_sum, 'isna().sum()');
    expectSeries(await df.notna().sum().compute(opts), fixture.notna_sum, 'notna().sum()');
    expectClose(await df.col('z').fillna(-1).sum().compute(opts), fixture.fillna_z_sum, 'z.fillna(-1).sum()');
    const filled = df.fillna({ k: 'missing', z: 0 });
    expectSeries(await filled.col('k').valueCounts().compute(opts), fixture.fillna_k_counts, 'fillna k value_counts');
    expectClose(await filled.col('z').mean().compute(opts), fixture.fillna_z_mean, 'fillna z mean');
    expect(await df.dropna().len(opts)).toBe(fixture.dropna_len);
    expect(await df.dropna({ subset: ['k'] }).len(opts)).toBe(fixture.dropna_k_len);
    expect(await df.dropna({ subset: ['z', 'fkey'], how: 'all' }).len(opts)).toBe(fixture.dropna_all_len);
    expect(df.dropna().divisions).toBeNull();
    expectSeries(await df.dropna({ subset: ['z', 'k'] }).groupby('k').col('z').mean().compute(opts), fixture.dropna_zk_groupby_k_z_mean, 'dropna groupby');
    expect(await df.col('fkey').mul(2).fillna(-1).astype('int32').sum().compute(opts)).toBe(fixture.astype_fkey2_int_sum);
  });

  it('from first principles: every kind of column, nulls and NaN', async () => {
    const df = dd.fromColumns({ f: [1.5, null, NaN, 4], s: ['a', null, 'c', null], b: [true, null, false, true], i: [1, 2, 3, 4] }, { npartitions: 3 });
    const na = await df.isna().compute(opts);
    expect(na.toRecords()).toEqual([
      { f: false, s: false, b: false, i: false },
      { f: true, s: true, b: true, i: false },
      { f: true, s: false, b: false, i: false },
      { f: false, s: true, b: false, i: false },
    ]);
    // A scalar fills the columns whose type holds it; the others are left.
    const f0 = await df.fillna(0).compute(opts);
    expect(Array.from(f0.col('f').toArray() as Float64Array)).toEqual([1.5, 0, 0, 4]);
    expect(f0.col('s').at(1)).toBeNull();
    const fs = await df.fillna({ s: 'z', b: false }).compute(opts);
    expect(Array.from(fs.col('s').toArray() as ArrayLike<unknown>)).toEqual(['a', 'z', 'c', 'z']);
    expect(Array.from(fs.col('b').toArray() as ArrayLike<unknown>)).toEqual([true, false, false, true]);
    expect(fs.dtypes).toEqual({ f: 'float64', s: 'string', b: 'bool', i: 'int32' });
    expect((await df.dropna({ how: 'all', subset: ['f', 's'] }).compute(opts)).col('i').toArray()).toEqual(Int32Array.from([1, 3, 4]));
    expect(await values(df.col('s').dropna(), opts)).toEqual(['a', 'c']);
    expect(await values(df.col('b').notna(), opts)).toEqual([true, false, true, true]);
  });

  it('astype, rename, drop', async () => {
    const df = dd.fromColumns({ a: [1, 2, 3, 4, 5], b: [0.5, 1.0, null, -2.0, 3.0], s: ['10', '-2', '7', null, '0'] }, { chunksize: 2 });
    const t = df.astype({ a: 'float64', s: 'int32' });
    expect(t.dtypes).toEqual({ a: 'float64', b: 'float64', s: 'int32' });
    const r = await t.compute(opts);
    expect(r.dtypes).toEqual({ a: 'float64', b: 'float64', s: 'int32' });
    // toArray() of an integer column gives its raw buffer; at(i) sees the null.
    expect(Array.from({ length: 5 }, (_, i) => r.col('s').at(i))).toEqual([10, -2, 7, null, 0]);
    expect(await values(df.col('b').astype('string'), opts)).toEqual(['0.5', '1.0', null, '-2.0', '3.0']);
    expect(await values(df.col('a').astype('bool'), opts)).toEqual([true, true, true, true, true]);
    expect(await values(df.col('b').fillna(0).astype('int32'), opts)).toEqual([0, 1, 0, -2, 3]);
    await expect(df.col('b').astype('int32').compute(opts)).rejects.toThrow("astype: column 'b' has a missing value at row 2; it cannot become int32 (fill it first with fillna)");
    const rn = df.rename({ columns: { a: 'alpha', s: 'text' } });
    expect(rn.columns).toEqual(['alpha', 'b', 'text']);
    expect((await rn.compute(opts)).columns).toEqual(['alpha', 'b', 'text']);
    const sr = df.col('a').rename('A');
    expect(sr.seriesName).toBe('A');
    expect((await sr.toFrame().compute(opts)).columns).toEqual(['A']);
    const dropped = df.drop(['a', 's']);
    expect(dropped.columns).toEqual(['b']);
    expect(dropped.divisions).toEqual(df.divisions);
    expect((await dropped.compute(opts)).columns).toEqual(['b']);
  });
});

describe('missing data and columns: errors name the column or argument', () => {
  const df = dd.fromColumns({ a: [1, 2], s: ['x', null] }, { npartitions: 1 });
  it('at graph construction', () => {
    expect(() => df.fillna({ a: 'zero' })).toThrow("DataFrame.fillna: column 'a' has dtype int32; it cannot be filled with string \"zero\"");
    expect(() => df.fillna({ a: 0.5 })).toThrow("DataFrame.fillna: column 'a' has dtype int32; it cannot be filled with number 0.5");
    expect(() => df.fillna({ q: 1 })).toThrow("DataFrame.fillna: column \"q\" not found; known columns: 'a', 's'");
    expect(() => df.col('s').fillna(1)).toThrow("Series.fillna: series 's' has dtype string; it cannot be filled with number 1");
    expect(() => df.fillna(null as never)).toThrow('DataFrame.fillna: the value for value must be a number, string or boolean, got null');
    expect(() => df.dropna({ subset: ['q'] })).toThrow("DataFrame.dropna: column \"q\" not found");
    expect(() => df.dropna({ how: 'some' as never })).toThrow("DataFrame.dropna: option 'how' must be one of 'any', 'all', got 'some' (string)");
    expect(() => df.astype({ a: 'float16' as never })).toThrow("DataFrame.astype: unknown dtype \"float16\" for column 'a'; known: float64, float32");
    expect(() => df.astype({ q: 'float64' })).toThrow("DataFrame.astype: column \"q\" not found");
    expect(() => df.rename({ columns: { q: 'r' } })).toThrow("DataFrame.rename: column \"q\" not found");
    expect(() => df.rename({ columns: { a: 's' } })).toThrow("DataFrame.rename: the renamed frame would have two columns named 's'");
    expect(() => df.drop('q')).toThrow("DataFrame.drop: column \"q\" not found; known columns: 'a', 's'");
  });
  it('in tasks', async () => {
    await expect(df.astype({ s: 'float64' }).compute({ scheduler: 'sync' })).rejects.toThrow("astype: column 's' holds \"x\" at row 0, which is not a number");
  });
});
