/**
 * readParquet with filters reads the columns the filters test first and the others only at the
 * rows kept (io/parquet/fast-page.ts, hybrid.ts): every flat type, nulls, dictionary and PLAIN
 * pages, several row groups in one partition (the mask spans ranges), unaligned PLAIN values, and
 * filters keeping none, some and all rows of a piece. Files by DuckDB and by polars; expected rows
 * come from the formulas that made them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import type { ParquetFilters as Filters } from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
let duck: string;
let polars: string;
const N = 50_000;
const ids = Array.from({ length: N }, (_, i) => i);

const row = (i: number) => ({
  id: i,
  f: i % 13 === 4 ? null : i % 11 === 0 ? NaN : (i % 1000) / 8,
  i8: i % 9 === 1 ? null : (i % 200) - 100,
  i16: i % 6 === 5 ? null : (i % 7) * 1000 - 3000,
  u32: 4_000_000_000 + (i % 1000),
  i64: i % 17 === 0 ? null : 2n ** 40n + BigInt(i % 5000),
  // Few values: a dictionary of numbers.
  g: i % 19 === 3 ? null : (i % 5) * 0.5,
  b: i % 10 === 3 ? null : i % 3 === 0,
  // A dictionary first, then one value per row (the dictionary overflows into PLAIN pages).
  s: i % 7 === 6 ? null : i < 20_000 ? `k${i % 50}` : `long-unique-value-${i}-ü`,
});
type Row = ReturnType<typeof row>;
const COLS = ['id', 'f', 'i8', 'i16', 'u32', 'i64', 'g', 'b', 's'] as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-masked-'));
  duck = join(dir, 'duck.parquet');
  polars = join(dir, 'polars.parquet');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(`COPY (SELECT CAST(i AS INTEGER) AS id,
      CASE WHEN i % 13 = 4 THEN NULL WHEN i % 11 = 0 THEN CAST('NaN' AS DOUBLE) ELSE (i % 1000) / 8 END AS f,
      CASE WHEN i % 9 = 1 THEN NULL ELSE CAST(i % 200 - 100 AS TINYINT) END AS i8,
      CASE WHEN i % 6 = 5 THEN NULL ELSE CAST((i % 7) * 1000 - 3000 AS SMALLINT) END AS i16,
      CAST(4000000000 + i % 1000 AS UINTEGER) AS u32,
      CASE WHEN i % 17 = 0 THEN NULL ELSE CAST(1099511627776 + i % 5000 AS BIGINT) END AS i64,
      CASE WHEN i % 19 = 3 THEN NULL ELSE (i % 5) * 0.5 END AS g,
      CASE WHEN i % 10 = 3 THEN NULL ELSE i % 3 = 0 END AS b,
      CASE WHEN i % 7 = 6 THEN NULL WHEN i < 20000 THEN 'k' || (i % 50) ELSE 'long-unique-value-' || i || '-ü' END AS s
    FROM range(${N}) t(i) ORDER BY i) TO '${duck}' (FORMAT parquet, ROW_GROUP_SIZE 12000)`);
  con.closeSync();
  inst.closeSync();
  const want = ids.map(row);
  const frame = pl.DataFrame({
    id: pl.Series('id', ids, pl.Int32),
    f: pl.Series('f', want.map((w) => w.f), pl.Float64),
    i8: pl.Series('i8', want.map((w) => w.i8), pl.Int8),
    i16: pl.Series('i16', want.map((w) => w.i16), pl.Int16),
    u32: pl.Series('u32', want.map((w) => w.u32), pl.UInt32),
    i64: pl.Series('i64', want.map((w) => (w.i64 === null ? null : String(w.i64))), pl.Utf8).cast(pl.Int64),
    g: pl.Series('g', want.map((w) => w.g), pl.Float64),
    b: pl.Series('b', want.map((w) => w.b), pl.Bool),
    s: pl.Series('s', want.map((w) => w.s), pl.Utf8),
  });
  await frame.lazy().sinkParquet(polars, { compression: 'snappy', rowGroupSize: 7000 }).collect();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const cells = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => s.at(i));

const cases: [string, Filters, (w: Row) => boolean][] = [
  ['id in the third row group and f > 60', [['id', '>=', 24_000], ['id', '<', 36_000], ['f', '>', 60]], (w) => w.id >= 24_000 && w.id < 36_000 && w.f !== null && w.f > 60],
  ['f > 100 (every row group)', [['f', '>', 100]], (w) => w.f !== null && w.f > 100],
  ['b == true or i8 < -95', [[['b', '==', true]], [['i8', '<', -95]]], (w) => w.b === true || (w.i8 !== null && w.i8 < -95)],
  ['s in [k7, long-unique-value-30001-ü]', [['s', 'in', ['k7', 'long-unique-value-30001-ü']]], (w) => w.s === 'k7' || w.s === 'long-unique-value-30001-ü'],
  ['id < 0 (no row)', [['id', '<', 0]], () => false],
  ['id >= 0 (every row)', [['id', '>=', 0]], () => true],
];

describe.each(SCHEDULERS)('readParquet reads untested columns at the kept rows only (%s)', (_sched, opts) => {
  for (const [writer, file] of [
    ['DuckDB', () => duck],
    ['polars', () => polars],
  ] as const) {
    it.each(cases)(`${writer}: %s`, async (_name, filters, keep) => {
      // One partition over several row groups: the mask runs across the ranges of the piece.
      const df = await dd.readParquet(file(), { filters, splitRowGroups: false });
      const r = await df.compute(opts);
      const want = ids.map(row).filter(keep);
      expect(r.length).toBe(want.length);
      for (const c of COLS) expect(cells(r.col(c)), c).toEqual(want.map((w) => w[c]));
    });
  }

  it('a projection with a filter column left out, split by row groups', async () => {
    const df = await dd.readParquet(polars, { columns: ['s', 'g', 'i64'], filters: [['f', '<', 10]], splitRowGroups: true });
    const r = await df.compute(opts);
    const want = ids.map(row).filter((w) => w.f !== null && w.f < 10);
    expect(r.columns).toEqual(['s', 'g', 'i64']);
    for (const c of ['s', 'g', 'i64'] as const) expect(cells(r.col(c)), c).toEqual(want.map((w) => w[c]));
  });
});
