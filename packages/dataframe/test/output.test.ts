/**
 * Printing computed frames and series as pandas 1.5 prints them, compared character for character
 * with the repr recorded by test/fixtures/make_output.py (max_rows 60, max_columns 20, width 80),
 * on frames cut into partitions oddly (one row each, uneven, one partition).
 */
import { readFileSync } from 'node:fs';
import { makeVector } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

interface OutputFixture {
  data: Record<string, unknown>;
  repr: Record<string, string>;
  records: Record<string, Record<string, unknown>[]>;
  to_dask_array: Record<string, { chunks: number[][]; unknown_chunks?: (number | null)[][]; dtype: string; values: unknown[] }>;
}
const F = JSON.parse(readFileSync(new URL('./fixtures/output.json', import.meta.url), 'utf8')) as OutputFixture;
const nums = (xs: readonly (number | null)[]): number[] => xs.map((x) => (x === null ? Number.NaN : x));
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe.each(SCHEDULERS)('printing like pandas (%s)', (_, opts) => {
  const frame = async (cols: Record<string, dd.ColumnInput>, npartitions = 3) => String(await dd.fromColumns(cols, { npartitions }).compute(opts));

  test('a small frame of floats with NaN, ints, strings with None and bools', async () => {
    const m = F.data.mixed as { a: (number | null)[]; b: number[]; s: (string | null)[]; flag: boolean[] };
    expect(await frame({ a: nums(m.a), b: Int32Array.from(m.b), s: m.s, flag: m.flag }, 5)).toBe(F.repr.mixed);
  });

  test('long frames and series keep the first and last 5 rows, with the shape or the length', async () => {
    const l = F.data.long as { i: number[]; x: number[] };
    const df = dd.fromColumns({ i: Int32Array.from(l.i), x: Float64Array.from(l.x) }, { npartitions: 7 });
    expect(String(await df.compute(opts))).toBe(F.repr.long);
    expect(String(await df.col('x').compute(opts))).toBe(F.repr.long_series.replace('dtype: float64', 'dtype: float64'));
    expect(String(await df.col('i').compute(opts))).toBe(F.repr.long_int_series.replace('dtype: int64', 'dtype: int32'));
    expect(await frame({ i: Int32Array.from(range(60)) }, 4)).toBe(F.repr.rows60);
    expect(await frame({ i: Int32Array.from(range(61)) }, 4)).toBe(F.repr.rows61);
  });

  test('wide frames: 20 columns at most, wrapped at 80 characters with a backslash', async () => {
    const cols = (d: Record<string, number[]>, int = false) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, int ? Int32Array.from(v) : Float64Array.from(v)]));
    expect(await frame(cols(F.data.wide as Record<string, number[]>), 2)).toBe(F.repr.wide);
    expect(await frame(cols(F.data.wide12 as Record<string, number[]>), 3)).toBe(F.repr.wide12);
    expect(await frame(cols(F.data.wide_long as Record<string, number[]>, true), 3)).toBe(F.repr.wide_long);
  });

  test('series: named and unnamed, strings of different widths, ints, bools', async () => {
    const s = (xs: dd.ColumnInput, name: string, n = 2) => dd.fromColumns({ [name]: xs }, { npartitions: n }).col(name).compute(opts).then(String);
    expect(await s(nums(F.data.short_series as (number | null)[]), 'y')).toBe(F.repr.short_series);
    expect(String(new dd.LocalSeries(makeVector(Float64Array.from([1.5, 2.0])), null))).toBe(F.repr.short_unnamed);
    const strs = F.data.strings as (string | null)[];
    // pdask's text columns are Arrow utf8, named 'string' (pandas: object).
    expect(await s(strs, 's', 5)).toBe(F.repr.strings.replace('dtype: object', 'dtype: string'));
    expect(await frame({ s: strs, n: Int32Array.from([1, 22, 333, 4444, 55555]) }, 2)).toBe(F.repr.strings_frame);
    expect(await s(Int32Array.from([1, -12, 123456789, 0]), 'n', 3)).toBe(F.repr.ints);
    expect(await s([true, false, true], 'b', 3)).toBe(F.repr.bools);
  });

  test('floats: common decimals, exponents for tiny or large and long values, inf', async () => {
    const fl = F.data.floats as Record<string, (number | string)[]>;
    const val = (x: number | string): number => (x === 'inf' ? Infinity : x === '-inf' ? -Infinity : (x as number));
    const cols = Object.fromEntries(Object.entries(fl).map(([k, v]) => [k, Float64Array.from(v.map(val))]));
    for (const k of Object.keys(fl)) expect(String(await dd.fromColumns({ [k]: cols[k] }, { npartitions: 2 }).col(k).compute(opts))).toBe(F.repr[`float_${k}`]);
    expect(await frame(cols, 2)).toBe(F.repr.floats_frame);
  });

  test('missing values: NaN, <NA> (Int64, boolean), None, NaT', async () => {
    const df = dd
      .fromColumns({ f: [1, Number.NaN, 3.5], i: [1, Number.NaN, 3], b: [true, null, false], s: ['u', null, 'w'], t: ['2021-03-04 05:06:07', null, '2021-12-31'] }, { npartitions: 2 })
      .astype({ i: 'Int64', b: 'boolean', t: 'datetime64[ns]' });
    const r = await df.compute(opts);
    // The computed boolean column stays the masked 'boolean' (it used to come back as 'bool').
    expect(r.dtypes).toEqual({ f: 'float64', i: 'Int64', b: 'boolean', s: 'string', t: 'datetime64[ns]' });
    expect(String(r)).toBe(F.repr.missing);
  });

  test('datetimes: as many fraction digits as needed, dates alone at midnight', async () => {
    const when = dd.fromColumns({ when: F.data.datetimes as (string | null)[] }, { npartitions: 3 }).col('when').astype('datetime64[ns]');
    expect(String(await when.compute(opts))).toBe(F.repr.datetimes);
    const d = dd.fromColumns({ d: F.data.dates as (string | null)[] }, { npartitions: 2 }).col('d').astype('datetime64[ns]');
    expect(String(await d.compute(opts))).toBe(F.repr.dates);
  });

  test('a named index, and group-by results on one and two keys', async () => {
    const n = F.data.named_index as { t: number[]; v: number[]; w: string[] };
    const df = dd.fromColumns({ t: Int32Array.from(n.t), v: Float64Array.from(n.v), w: n.w }, { index: 't', npartitions: 2 });
    expect(String(await df.compute(opts))).toBe(F.repr.named_index);
    expect(String(await df.col('v').compute(opts))).toBe(F.repr.named_index_series);
    const g = F.data.groupby2_series as { k: string[]; x: number[]; y: number[] };
    const gdf = dd.fromColumns({ k: g.k, x: Int32Array.from(g.x), y: Float64Array.from(g.y) }, { npartitions: 3 });
    expect(String(await gdf.groupby(['k', 'x']).col('y').sum().compute(opts))).toBe(F.repr.groupby2_series);
    expect(String(await gdf.groupby('k').col('y').mean().compute(opts))).toBe(F.repr.groupby1_series);
    const agg = await gdf.groupby(['k', 'x']).agg({ y: ['sum', 'max'] }).compute(opts);
    expect(String(agg)).toBe(F.repr.groupby2_frame);
  });

  test('empty frames and series', async () => {
    const df = dd.fromColumns({ a: new Float64Array(0), b: new Float64Array(0) }, { npartitions: 1 });
    expect(String(await df.compute(opts))).toBe(F.repr.empty_frame);
    expect(String(await dd.fromColumns({ e: new Float64Array(0) }, { npartitions: 1 }).col('e').compute(opts))).toBe(F.repr.empty_series);
  });
});
