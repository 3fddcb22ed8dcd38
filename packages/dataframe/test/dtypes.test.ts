/**
 * Dtypes beyond float/int32/bool/string (int64 exact, Int64, datetime64[ns] with zones,
 * timedelta64[ns], category), readCsv's dtype/parseDates/naValues, and the .dt/.str/.cat
 * accessors, against pandas 1.5 (fixtures/make_dtypes.py → dtypes.json) on a CSV pandas wrote,
 * read whole, in blocks of a few lines, and in blocks smaller than a line (empty partitions).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

interface DtypesFixture {
  csv: string;
  dtypes: Record<string, string>;
  id: string[];
  id_sum: string;
  id_min: string;
  id_max: string;
  n: (number | null)[];
  n_sum: number;
  x: (number | null)[];
  k: (string | null)[];
  when: (string | null)[];
  when_min: string;
  when_max: string;
  fields: Record<string, (number | null)[]>;
  normalize: (string | null)[];
  floor_1h: (string | null)[];
  ceil_15min: (string | null)[];
  round_1s: (string | null)[];
  strftime: (string | null)[];
  local_in: (string | null)[];
  localize_ny: (string | null)[];
  ny_hour_after_convert_tokyo: (number | null)[];
  ny_str: (string | null)[];
  ny_floor_day: (string | null)[];
  naive_str: (string | null)[];
  groupby_k_x_sum: Record<string, number>;
  str: Record<string, (string | number | boolean | null)[]>;
  cat_partitions: number[];
  cat_categories: string[];
  cat_codes: number[];
  cat_codes_dtype: string;
  astype: { n_float: (number | null)[]; x_fill_Int64: (number | null)[]; when_int64: string[]; id_str: string[]; td: string[] };
}

const FX = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'dtypes.json'), 'utf8')) as DtypesFixture;
const big = (xs: readonly (string | null)[]): (bigint | null)[] => xs.map((x) => (x === null ? null : BigInt(x)));
const values = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => s.at(i));
const nanToNull = (xs: unknown[]): unknown[] => xs.map((x) => (typeof x === 'number' && Number.isNaN(x) ? null : x));

let dir: string;
let path: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-df-dtypes-'));
  path = join(dir, 'pandas.csv');
  writeFileSync(path, FX.csv);
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const read = (blocksize: number | string): Promise<dd.DataFrame> => dd.readCsv(path, { blocksize, parseDates: ['when'], dtype: { n: 'Int64' }, naValues: ['-', 'missing'] });

// Whole file; blocks of a few lines; blocks smaller than a line (most partitions empty).
const BLOCKS: [string, number | string][] = [['one partition', '64MB'], ['300-byte blocks', 300], ['40-byte blocks', 40]];

describe.each(SCHEDULERS)('dtypes against pandas (%s)', (_, opts) => {
  describe.each(BLOCKS)('%s', (_b, blocksize) => {
    it('reads the pandas CSV with dtype, parseDates and naValues as pandas does', async () => {
      const df = await read(blocksize);
      expect(df.dtypes).toEqual({ ...FX.dtypes, k: 'string' });
      const out = await df.compute(opts);
      expect(values(out.col('id'))).toEqual(FX.id.map(BigInt));
      expect(values(out.col('n'))).toEqual(FX.n.map((x) => (x === null ? null : BigInt(x))));
      expect(nanToNull(values(out.col('x')))).toEqual(FX.x);
      expect(values(out.col('k'))).toEqual(FX.k);
      expect(values(out.col('when'))).toEqual(big(FX.when));
      expect(out.col('n').dtype).toBe('Int64');
    });

    it('reduces int64 exactly and datetimes to exact min/max', async () => {
      const df = await read(blocksize);
      // 2^53 + 1 and friends: a float64 sum would be off.
      expect(await df.col('id').sum().compute(opts)).toBe(BigInt(FX.id_sum));
      expect(await df.col('id').min().compute(opts)).toBe(BigInt(FX.id_min));
      expect(await df.col('id').max().compute(opts)).toBe(BigInt(FX.id_max));
      expect(await df.col('n').sum().compute(opts)).toBe(BigInt(FX.n_sum));
      expect(await df.col('when').min().compute(opts)).toBe(BigInt(FX.when_min));
      expect(await df.col('when').max().compute(opts)).toBe(BigInt(FX.when_max));
      expect(() => df.col('when').sum()).toThrow('datetimes cannot be added');
    });

    it('groups by a string key and a category key', async () => {
      const df = await read(blocksize);
      for (const key of [df, df.assign({ k: df.col('k').astype('category') })]) {
        const g = await key.groupby('k').col('x').sum().compute(opts);
        for (const [k, v] of Object.entries(FX.groupby_k_x_sum)) expect(g.get(k) as number).toBeCloseTo(v, 9);
        expect(g.length).toBe(Object.keys(FX.groupby_k_x_sum).length);
      }
    });

    it('.dt fields, rounding and strftime', async () => {
      const w = (await read(blocksize)).col('when');
      for (const [f, want] of Object.entries(FX.fields)) {
        expect(values(await (w.dt as unknown as Record<string, dd.Series>)[f].compute(opts)), f).toEqual(want);
      }
      expect(values(await w.dt.normalize().compute(opts))).toEqual(big(FX.normalize));
      expect(values(await w.dt.floor('1h').compute(opts))).toEqual(big(FX.floor_1h));
      expect(values(await w.dt.ceil('15min').compute(opts))).toEqual(big(FX.ceil_15min));
      expect(values(await w.dt.round('1s').compute(opts))).toEqual(big(FX.round_1s));
      expect(values(await w.dt.strftime('%Y/%m/%d %H:%M:%S.%f %a %b %j').compute(opts))).toEqual(FX.strftime);
      // pandas writes NaT as the text 'NaT'; pdask's astype('string') keeps it missing (README: departures).
      expect(values(await w.astype('string').compute(opts))).toEqual(FX.naive_str.map((x) => (x === 'NaT' ? null : x)));
    });

    it('.dt time zones: tzLocalize, tzConvert, fields and floor in the zone', async () => {
      const local = dd.fromColumns({ t: BigInt64Array.from(FX.local_in, (x) => BigInt(x ?? 0)) }, { npartitions: 3 });
      const missing = FX.local_in.map((x) => x === null);
      const t = local.col('t').astype('datetime64[ns]');
      // Missing rows: NaT in pandas; here the rows whose fixture value is null are left out of the comparison.
      const ny = t.dt.tzLocalize('America/New_York');
      expect(ny.dtype).toBe('datetime64[ns, America/New_York]');
      const keep = <T,>(xs: T[]): T[] => xs.filter((_x, i) => !missing[i]);
      expect(keep(values(await ny.compute(opts)))).toEqual(keep(big(FX.localize_ny)));
      const tokyo = ny.dt.tzConvert('Asia/Tokyo');
      expect(keep(values(await tokyo.dt.hour.compute(opts)))).toEqual(keep(FX.ny_hour_after_convert_tokyo));
      expect(keep(values(await tokyo.astype('string').compute(opts)))).toEqual(keep(FX.ny_str));
      expect(keep(values(await ny.dt.floor('1D').compute(opts)))).toEqual(keep(big(FX.ny_floor_day)));
      // 02:30 on 2021-03-14 does not exist in New York: pandas raises (nonexistent='raise').
      const gap = dd.fromColumns({ t: BigInt64Array.of(1615689000000000000n) }, { npartitions: 1 }).col('t').astype('datetime64[ns]');
      await expect(gap.dt.tzLocalize('America/New_York').compute(opts)).rejects.toThrow('does not exist in America/New_York');
    });

    it('.str methods', async () => {
      const k = (await read(blocksize)).col('k');
      const S = FX.str;
      const check = async (s: dd.Series, want: unknown[], what: string) => expect(values(await s.compute(opts)), what).toEqual(want);
      await check(k.str.lower(), S.lower, 'lower');
      await check(k.str.upper(), S.upper, 'upper');
      await check(k.str.strip(), S.strip, 'strip');
      await check(k.str.lstrip(), S.lstrip, 'lstrip');
      await check(k.str.rstrip(), S.rstrip, 'rstrip');
      await check(k.str.strip(' Ce'), S.strip_chars, 'strip chars');
      await check(k.str.len(), S.len, 'len');
      await check(k.str.contains('an'), S.contains_an, 'contains');
      await check(k.str.contains('^[ab]', { regex: true }), S.contains_re, 'contains regex');
      await check(k.str.contains('CHERRY', { case: false, na: false }), S.contains_case, 'contains case');
      await check(k.str.contains('.', { regex: false }), S.contains_literal, 'contains literal');
      await check(k.str.startswith('b'), S.startswith, 'startswith');
      await check(k.str.endswith('e'), S.endswith, 'endswith');
      await check(k.str.match('[a-c]\\w+'), S.match, 'match');
      await check(k.str.replace('(a)(n)', '\\2\\1', { regex: true }), S.replace_re, 'replace regex');
      await check(k.str.replace('a', 'A', { regex: false }), S.replace_lit, 'replace literal');
      await check(k.str.replace('a', '_', { n: 1, regex: false }), S.replace_n, 'replace n');
      await check(k.str.slice(1, 4), S.slice, 'slice');
      await check(k.str.slice(null, null, -2), S.slice_step, 'slice step');
      await check(k.str.extract('[^aeiou]*([aeiou]\\w)'), S.extract, 'extract');
      await check(k.str.cat(k.str.upper(), { sep: '-' }), S.cat, 'cat');
      const parts = await k.str.split('a', { n: 1, expand: true }).compute(opts);
      expect(values(parts.col('0'))).toEqual(S.split0);
      expect(values(parts.col('1'))).toEqual(S.split1);
    });

    it('astype between the dtypes as pandas allows', async () => {
      const df = await read(blocksize);
      expect(nanToNull(values(await df.col('n').astype('float64').compute(opts)))).toEqual(FX.astype.n_float);
      const rounded = df.col('x').fillna(0).mapPartitions((s: dd.LocalSeries) => Array.from(s.toArray() as Float64Array, (v) => Math.round(v) + 0));
      expect(values(await rounded.astype('Int64').compute(opts))).toEqual(FX.astype.x_fill_Int64.map((x) => (x === null ? null : BigInt(x))));
      expect(values(await df.col('when').dropna().astype('int64').compute(opts))).toEqual(FX.astype.when_int64.map(BigInt));
      expect(values(await df.col('id').astype('string').compute(opts))).toEqual(FX.astype.id_str);
      // pandas: astype('Int64') of non-integral floats raises (TypeError: cannot safely cast).
      await expect(df.col('x').astype('Int64').compute(opts)).rejects.toThrow('cannot safely cast');
      await expect(df.col('x').astype('int64').compute(opts)).rejects.toThrow("use 'Int64', which keeps missing values");
    });
  });

  it('timedelta64[ns] from texts, printed and summed', async () => {
    const s = dd.fromColumns({ d: ['1 days 02:00:00', '00:00:01.5', '3h', '-1 days +23:00:00'.replace('+', '')] }, { npartitions: 2 }).col('d').astype('timedelta64[ns]');
    expect(s.dtype).toBe('timedelta64[ns]');
    const got = values(await s.compute(opts));
    expect(got).toEqual(FX.astype.td.map(BigInt));
    expect(await s.sum().compute(opts)).toBe(FX.astype.td.map(BigInt).reduce((a, b) => a + b, 0n));
  });

  it('.cat: unknown categories, asKnown as Dask (4 partitions), codes', async () => {
    const k = dd.fromColumns({ k: FX.k }, { npartitions: 4 }).col('k').astype('category');
    expect(k.dtype).toBe('category');
    expect(k.cat.known).toBe(false);
    expect(() => k.cat.categories).toThrow('asKnown');
    expect(() => k.cat.codes).toThrow('asKnown');
    const known = await k.cat.asKnown(opts);
    expect(known.cat.known).toBe(true);
    expect(known.cat.categories).toEqual(FX.cat_categories);
    const codes = known.cat.codes;
    expect(codes.dtype).toBe(FX.cat_codes_dtype);
    expect(values(await codes.compute(opts))).toEqual(FX.cat_codes);
    expect(known.cat.asUnknown().cat.known).toBe(false);
  });
});

describe('dtype errors at build time', () => {
  it('names the problem', async () => {
    expect(() => dd.fromColumns({ x: [1, 2] }, { npartitions: 1 }).astype({ x: 'datetime64[ns, Mars/Olympus]' })).toThrow("unknown time zone 'Mars/Olympus'");
    expect(() => dd.fromColumns({ x: [1, 2] }, { npartitions: 1 }).col('x').dt).toThrow('.dt needs datetime64[ns] values');
    expect(() => dd.fromColumns({ x: [1, 2] }, { npartitions: 1 }).col('x').str).toThrow('.str needs string values');
    await expect(dd.readCsv(path, { parseDates: ['k'] })).rejects.toThrow("parseDates names column 'k', but");
    await expect(dd.readCsv(path, { parseDates: ['nope'] })).rejects.toThrow("parseDates names column 'nope', which is not read");
  });

  it('a later block that does not fit the sampled dtype names the column, the file and the line, and suggests a dtype', async () => {
    const f = join(dir, 'late.csv');
    const lines = ['a,b'];
    for (let i = 0; i < 50; i++) lines.push(`${i},${i}`);
    lines.push('50,');
    lines.push('51,oops');
    writeFileSync(f, lines.join('\n') + '\n');
    const df = await dd.readCsv(f, { sampleBytes: 40, dtype: { a: 'int64' } });
    expect(df.dtypes).toEqual({ a: 'int64', b: 'int32' });
    await expect(df.compute({ scheduler: 'sync' })).rejects.toThrow(`${f}:52: column 'b' is int32 (inferred from the first rows) but has a missing value here; pass { dtype: { 'b': 'float64' } }`);
    const g = await dd.readCsv(f, { sampleBytes: 40, dtype: { b: 'Int64' } });
    await expect(g.compute({ scheduler: 'sync' })).rejects.toThrow(`${f}:53: column 'b' has dtype Int64 (inferred from the first rows, or given as dtype) but holds 'oops' here; pass { dtype: { 'b': 'string' } }`);
  });
});
