/**
 * toCsv's options against pandas 1.5's to_csv, byte for byte (test/fixtures/make_to_csv.py writes
 * pandas' output for each partition, as Dask calls it), on partitions of 3, 0, 1, 4, 0 and 2 rows,
 * with nulls, quoted strings, bools, ints, float64/float32, datetimes and timedeltas, a named
 * index and a group-by result on two keys; then the files are read back with readCsv.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

interface ToCsvFixture {
  counts: number[];
  data: { i: number[]; f: (number | null)[]; f32: (number | null)[]; s: (string | null)[]; b: boolean[]; t: (string | null)[]; td: (string | null)[]; name: string[] };
  group_data: { a: number[]; b: string[]; v: number[] };
  gzip_first_part: string;
  cases: Record<string, string[]>;
}
const F = JSON.parse(readFileSync(new URL('./fixtures/to_csv.json', import.meta.url), 'utf8')) as ToCsvFixture;
const bytes = (b64: string): Buffer => Buffer.from(b64, 'base64');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-df-tocsv-pd-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

/**
 * The fixture's rows in partitions of F.counts rows: chunks of K rows, each the partition's rows
 * then dummies, the dummies filtered out (so empty partitions stay, and divisions are unknown).
 */
function frame(withName: boolean, rows = F.counts): dd.DataFrame {
  const K = Math.max(...rows) + 1;
  const pad = <T,>(xs: readonly T[], dummy: T): T[] => {
    const out: T[] = [];
    let at = 0;
    for (const c of rows) {
      out.push(...xs.slice(at, at + c), ...Array.from({ length: K - c }, () => dummy));
      at += c;
    }
    return out;
  };
  const D = F.data;
  const cols = {
    ...(withName ? { name: pad(D.name, 'zz') } : {}),
    i: Int32Array.from(pad(D.i, 0)),
    f: pad(D.f, 0),
    f32: pad(D.f32, 0),
    s: pad(D.s, 'dummy'),
    b: pad(D.b, false),
    t: pad(D.t, '2000-01-01'),
    td: pad(D.td, '0 days'),
    keep: pad(D.i.map(() => true), false),
  } as Record<string, dd.ColumnInput>;
  const df = dd.fromColumns(cols, { chunksize: K, ...(withName ? { index: 'name', sort: false } : {}) });
  expect(df.npartitions).toBe(rows.length);
  return df.filter(df.col('keep')).drop(['keep']).astype({ f32: 'float32', t: 'datetime64[ns]', td: 'timedelta64[ns]' });
}

const texts = (paths: readonly string[]): string[] => paths.map((p) => readFileSync(p).toString('base64'));
const decoded = (b64s: readonly string[]): string[] => b64s.map((b) => bytes(b).toString('utf8'));

describe.each(SCHEDULERS)('toCsv against pandas (%s)', (sched, opts) => {
  const out = (name: string): string => join(dir, sched, name, 'part-*.csv');
  const cases: [string, dd.ToCsvOptions, boolean][] = [
    ['default', {}, false],
    ['no_index_no_header', { index: false, header: false }, false],
    ['aliases_narep_f2_semicolon', { header: ['I', 'F', 'F32', 'S', 'B', 'T', 'TD'], naRep: 'NA', floatFormat: '%.2f', sep: ';' }, false],
    ['float_e3', { floatFormat: '%.3e', index: false }, false],
    ['float_f0', { floatFormat: '%.0f', index: false }, false],
    ['named_index', {}, true],
  ];
  it.each(cases)('%s: every file as pandas writes it', async (name, o, withName) => {
    const paths = await frame(withName).toCsv(out(name), { ...o, ...opts });
    expect(paths.length).toBe(F.counts.length);
    expect(decoded(texts(paths))).toEqual(decoded(F.cases[name]));
    expect(texts(paths)).toEqual(F.cases[name]);
  });

  it('singleFile: one file, partitions in order, the header once (with and without the index)', async () => {
    const p = join(dir, sched, 'single', 'all.csv');
    expect(await frame(false).toCsv(p, { singleFile: true, ...opts })).toEqual([p]);
    expect(texts([p])).toEqual(F.cases.single_file);
    await frame(false).toCsv(p, { singleFile: true, index: false, ...opts });
    expect(texts([p])).toEqual(F.cases.single_file_no_index);
    // mode 'a' appends to what is there (header included, as pandas' mode='a').
    await frame(false).toCsv(p, { singleFile: true, mode: 'a', ...opts });
    expect(readFileSync(p).toString('utf8')).toBe(bytes(F.cases.single_file_no_index[0]).toString('utf8') + bytes(F.cases.single_file[0]).toString('utf8'));
  });

  it('a one-column frame writes a row of one empty field as "" (Python csv)', async () => {
    const paths = await frame(false).select(['s']).toCsv(out('one_column'), { index: false, ...opts });
    expect(texts(paths)).toEqual(F.cases.one_column);
  });

  it('a group-by result on two keys writes its levels first, named', async () => {
    const g = dd.fromColumns(F.group_data, { npartitions: 2 }).groupby(['a', 'b']).agg({ v: 'sum' });
    expect(texts(await g.toCsv(join(dir, sched, 'g-*.csv'), opts))).toEqual(F.cases.groupby_multi);
    expect(texts(await g.toCsv(join(dir, sched, 'gn-*.csv'), { index: false, ...opts }))).toEqual(F.cases.groupby_multi_no_index);
  });

  it('encoding latin1 and gzip (given or inferred from .gz)', async () => {
    const df = dd.fromColumns({ i: Int32Array.from([1, 10]), 'sé': ['plain', 'ünï ß'] }, { npartitions: 2 });
    expect(texts(await df.toCsv(join(dir, sched, 'l1-*.csv'), { encoding: 'latin1', index: false, ...opts }))).toEqual(F.cases.latin1);
    const full = frame(false);
    const gz = await full.toCsv(join(dir, sched, 'gz-*.csv.gz'), { compression: 'infer', ...opts });
    expect(gunzipSync(readFileSync(gz[0])).toString('base64')).toBe(F.gzip_first_part);
    expect(gz.map((p) => gunzipSync(readFileSync(p)).toString('base64'))).toEqual(F.cases.default);
    const one = join(dir, sched, 'gz-single.csv');
    await full.toCsv(one, { compression: 'gzip', singleFile: true, ...opts });
    expect(gunzipSync(readFileSync(one)).toString('base64')).toEqual(F.cases.single_file[0]);
    // Without compression (Dask's default), a '.gz' name is written as plain text.
    const plain = await full.toCsv(join(dir, sched, 'plain-*.csv.gz'), opts);
    expect(readFileSync(plain[0]).toString('base64')).toBe(F.cases.default[0]);
  });

  it('the files read back with readCsv: the same values, the index as its first column', async () => {
    const paths = await frame(false, [3, 0, 1, 4, 0, 2]).toCsv(out('readback'), opts);
    const back = await (await dd.readCsv(paths)).compute(opts);
    expect(back.columns).toEqual(['Unnamed: 0', 'i', 'f', 'f32', 's', 'b', 't', 'td']);
    const col = (c: string): unknown[] => Array.from({ length: back.numRows }, (_, r) => {
      const v = back.col(c).at(r);
      return typeof v === 'number' && Number.isNaN(v) ? null : v;
    });
    const D = F.data;
    expect(col('Unnamed: 0')).toEqual(D.i.map((_, r) => r));
    expect(col('i')).toEqual(D.i);
    expect(col('f')).toEqual(D.f);
    expect(col('f32').map((v) => (v === null ? null : Math.fround(v as number)))).toEqual(D.f32.map((v) => (v === null ? null : Math.fround(v))));
    // pandas reads '' as missing too; a lone '\r' is written unquoted and read back as it is.
    expect(col('s')).toEqual(D.s.map((v) => (v === '' ? null : v)));
    expect(col('b')).toEqual(D.b);
  });
});

describe('toCsv option errors', () => {
  const df = dd.fromColumns({ a: [1.5, 2] }, { npartitions: 2 });
  it.each([
    [{ floatFormat: '%.3g' }, "DataFrame.toCsv: floatFormat '%.3g' is not supported; give '%.Nf' or '%.Ne'"],
    [{ header: ['x', 'y'] }, 'DataFrame.toCsv: Writing 1 cols but got 2 aliases'],
    [{ compression: 'bz2' }, "'bz2' is not written: no maintained compressor"],
    [{ encoding: 'klingon' }, "DataFrame.toCsv: unknown encoding 'klingon'"],
    [{ mode: 'r' }, "'w' or 'a'"],
    [{ quoting: 1 }, "DataFrame.toCsv: option 'quoting' is not supported"],
    [{ dateFormat: '%Y' }, "DataFrame.toCsv: option 'dateFormat' is not supported"],
  ] as [Record<string, unknown>, string][])('%j', async (o, msg) => {
    await expect(df.toCsv(join(dir, 'e-*.csv'), o as dd.ToCsvOptions)).rejects.toThrow(msg);
  });
  it('singleFile refuses a *; compression inferred from .bz2 is refused by name', async () => {
    await expect(df.toCsv(join(dir, 'e-*.csv'), { singleFile: true })).rejects.toThrow('singleFile writes one file');
    await expect(df.toCsv(join(dir, 'e-*.csv.bz2'), { compression: 'infer' })).rejects.toThrow("compression 'bz2' (inferred from");
  });
});
