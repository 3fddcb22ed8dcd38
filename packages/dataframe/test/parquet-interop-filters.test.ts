/**
 * readParquet on directories, globs and hive-partitioned datasets DuckDB writes, and `filters`:
 * partitions pruned by their hive values and row groups by their statistics (fewer partitions
 * made), then exactly the rows that satisfy the filters. Expected rows come from the formulas the
 * SQL uses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools, type ComputeOptions } from '@pdask/core';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
let inst: DuckDBInstance;
let con: DuckDBConnection;
const N = 10000;
const ids = Array.from({ length: N }, (_, i) => i);
const REGIONS = ['eu', 'us'];
const NS_2024 = BigInt(Date.UTC(2024, 0, 1)) * 1_000_000n;
/** The rows' values, as the SQL below makes them. */
const row = (i: number) => ({
  i,
  x: i % 10 === 7 ? null : i * 0.5,
  s: i % 11 === 5 ? null : ['a', 'b', 'c', 'd'][i % 4],
  t: NS_2024 + BigInt(i) * 60_000_000_000n,
  year: 2022 + (i % 3),
  region: REGIONS[Math.floor(i / 7) % 2],
});
const SELECT = `SELECT i::INTEGER AS i, CASE WHEN i % 10 = 7 THEN NULL ELSE i * 0.5 END::DOUBLE AS x,
  CASE WHEN i % 11 = 5 THEN NULL ELSE ['a', 'b', 'c', 'd'][i % 4 + 1] END AS s,
  TIMESTAMP '2024-01-01' + to_minutes(i) AS t, (2022 + i % 3)::INTEGER AS year, ['eu', 'us'][(i // 7) % 2 + 1] AS region
  FROM range(${N}) r(i) ORDER BY i`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-filters-'));
  inst = await DuckDBInstance.create(':memory:');
  con = await inst.connect();
  await con.run(`COPY (${SELECT}) TO '${join(dir, 'hive')}' (FORMAT parquet, PARTITION_BY (year, region))`);
  await con.run(`COPY (SELECT i, x, s, t FROM (${SELECT})) TO '${join(dir, 'flat.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
});
afterAll(async () => {
  con.closeSync();
  inst.closeSync();
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

type Row = ReturnType<typeof row>;
/** The frame's rows as objects, sorted by i (a hive dataset is read partition by partition). */
async function rowsOf(df: dd.DataFrame, opts: ComputeOptions): Promise<Record<string, unknown>[]> {
  const r = await df.compute(opts);
  const out = Array.from({ length: r.numRows }, (_, k) => Object.fromEntries(df.columns.map((c) => [c, r.col(c).at(k)])));
  return out.sort((a, b) => (a.i as number) - (b.i as number));
}
const pick = (rows: Row[], cols: readonly string[]) => rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c as keyof Row]])));

describe.each(SCHEDULERS)('hive datasets, directories and globs (%s)', (_s, opts) => {
  it('a hive directory: partition keys become the last columns (int32, category), one partition per file', async () => {
    const df = await dd.readParquet(join(dir, 'hive'));
    expect({ ...df.dtypes }).toEqual({ i: 'int32', x: 'float64', s: 'string', t: 'datetime64[ns]', year: 'int32', region: 'category' });
    expect(df.npartitions).toBe(6);
    expect(await rowsOf(df, opts)).toEqual(pick(ids.map(row), df.columns));
  });

  it('filters on partition keys read only the matching files', async () => {
    const df = await dd.readParquet(join(dir, 'hive'), { filters: [['year', '>=', 2023], ['region', '==', 'eu']] });
    expect(df.npartitions).toBe(2);
    const want = ids.map(row).filter((r) => r.year >= 2023 && r.region === 'eu');
    expect(await rowsOf(df, opts)).toEqual(pick(want, df.columns));
  });

  it('a glob over the hive layout gives the keys too; filters mix keys and columns', async () => {
    const df = await dd.readParquet(join(dir, 'hive', 'year=*', 'region=us', '*.parquet'), { columns: ['i', 's', 'year'], filters: [[['year', 'in', [2022, 2024]], ['s', '!=', 'b']], [['i', '<', 3]]] });
    // year=2023/region=us is pruned: its year is not listed and its smallest i (7) is not < 3.
    expect(df.npartitions).toBe(2);
    expect(df.columns).toEqual(['i', 's', 'year']);
    const want = ids.map(row).filter((r) => r.region === 'us' && ((r.year !== 2023 && r.s !== null && r.s !== 'b') || r.i < 3));
    expect(await rowsOf(df, opts)).toEqual(pick(want, df.columns));
  });

  it('the directory toParquet wrote reads back in partition order (part.10 after part.2)', async () => {
    const src = dd.fromColumns({ i: ids.slice(0, 120), y: ids.slice(0, 120).map((i) => i / 4) }, { chunksize: 10 });
    expect(src.npartitions).toBe(12);
    const out = join(dir, `written-${_s}`);
    await src.toParquet(out, opts);
    const back = await dd.readParquet(out);
    expect(back.npartitions).toBe(12);
    const r = await back.compute(opts);
    expect(Array.from({ length: r.numRows }, (_, k) => r.col('i').at(k))).toEqual(ids.slice(0, 120));
  });
});

describe.each(SCHEDULERS)('filters prune row groups by their statistics (%s)', (_s, opts) => {
  const flat = () => join(dir, 'flat.parquet');

  it('a range reads the 2 row groups (of 5) it overlaps, and exactly its rows', async () => {
    const all = await dd.readParquet(flat(), { splitRowGroups: true });
    expect(all.npartitions).toBe(5);
    const df = await dd.readParquet(flat(), { splitRowGroups: true, filters: [['i', '>=', 4000], ['i', '<', 6100]] });
    expect(df.npartitions).toBe(2);
    expect(await rowsOf(df, opts)).toEqual(pick(ids.map(row).filter((r) => r.i >= 4000 && r.i < 6100), df.columns));
  });

  it('OR of ANDs: the first and last row groups; a filter column left out of `columns` is still applied', async () => {
    const df = await dd.readParquet(flat(), { columns: ['x'], splitRowGroups: true, filters: [[['i', '<', 10], ['x', '>', 1]], [['i', '>', 9990]]] });
    expect(df.npartitions).toBe(2);
    expect(df.columns).toEqual(['x']);
    const r = await df.compute(opts);
    const want = ids.map(row).filter((w) => (w.i < 10 && w.x !== null && w.x > 1) || w.i > 9990);
    expect(Array.from({ length: r.numRows }, (_, k) => r.col('x').at(k))).toEqual(want.map((w) => w.x));
  });

  it('timestamps compare with a Date; whole files are one partition of only the groups kept', async () => {
    const from = new Date(Date.UTC(2024, 0, 1) + 9000 * 60_000);
    const df = await dd.readParquet(flat(), { filters: [['t', '>=', from], ['s', 'in', ['a', 'c']]] });
    expect(df.npartitions).toBe(1);
    expect(await rowsOf(df, opts)).toEqual(pick(ids.map(row).filter((r) => r.i >= 9000 && (r.s === 'a' || r.s === 'c')), df.columns));
  });

  it('nothing left: one empty partition with the columns and dtypes', async () => {
    const df = await dd.readParquet(flat(), { filters: [['i', '>', 1e9]] });
    expect(df.npartitions).toBe(1);
    expect({ ...df.dtypes }).toEqual({ i: 'int32', x: 'float64', s: 'string', t: 'datetime64[ns]' });
    expect((await df.compute(opts)).numRows).toBe(0);
  });
});

describe('string statistics in UTF-8 byte order', () => {
  it('a bound above U+FFFF does not prune a group JavaScript would order differently', async () => {
    // Byte order: min U+E000, max U+10000; in UTF-16 units U+10000 (a surrogate pair) sorts first.
    const p = join(dir, 'astral.parquet');
    await con.run(`COPY (SELECT * FROM (VALUES (chr(57344)), (chr(65536))) t(s)) TO '${p}' (FORMAT parquet)`);
    const df = await dd.readParquet(p, { filters: [['s', '==', '\u{10000}']] });
    expect(df.npartitions).toBe(1);
    const r = await df.compute({ scheduler: 'sync' });
    expect(Array.from({ length: r.numRows }, (_, k) => r.col('s').at(k))).toEqual(['\u{10000}']);
  });
});

describe('filters errors', () => {
  it('name the filter, the column and what was expected', async () => {
    const p = join(dir, 'flat.parquet');
    await expect(dd.readParquet(p, { filters: [['q', '==', 1]] })).rejects.toThrow("readParquet: filter 0: no column 'q'; known columns: 'i', 'x', 's', 't'");
    await expect(dd.readParquet(p, { filters: [['i', '~', 1]] as never })).rejects.toThrow("readParquet: filter 0: unknown operator '~'");
    await expect(dd.readParquet(p, { filters: [['s', '>', 1]] })).rejects.toThrow("readParquet: filter 0 on 's': expected a string, got 1");
    await expect(dd.readParquet(p, { filters: [['i', 'in', 3]] })).rejects.toThrow("readParquet: filter 0: 'in' takes a list of values");
    await expect(dd.readParquet(p, { filters: [] })).rejects.toThrow("option 'filters'");
  });
});
