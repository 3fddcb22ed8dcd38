/**
 * readParquet's page-by-page decoding of flat columns (io/parquet/flat-column.ts) and its
 * vectorised filters (filter-mask.ts) on a DuckDB file made to stress them: several row groups
 * read as one partition, many pages, a string dictionary that overflows into PLAIN pages, nulls
 * and NaN, and filters on every kind of column. Expected rows come from the SQL's formulas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import type { ParquetFilters as Filters } from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
let path: string;
const N = 60_000;
const ids = Array.from({ length: N }, (_, i) => i);

// Missing where the formula says; f is NaN (not null) at every 11th row.
const row = (i: number) => ({
  id: i,
  f: i % 13 === 4 ? null : i % 11 === 0 ? NaN : (i % 1000) / 8,
  i8: i % 9 === 1 ? null : (i % 200) - 100,
  u32: 4_000_000_000 + (i % 1000),
  i64: i % 17 === 0 ? null : 2n ** 40n + BigInt(i % 5000),
  b: i % 10 === 3 ? null : i % 3 === 0,
  // Few values first (a dictionary), then one per row (the dictionary overflows into PLAIN pages).
  s: i % 7 === 6 ? null : i < 20_000 ? `k${i % 50}` : `long-unique-value-${i}-ü`,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-flat-'));
  path = join(dir, 'flat.parquet');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(`COPY (SELECT CAST(i AS INTEGER) AS id,
      CASE WHEN i % 13 = 4 THEN NULL WHEN i % 11 = 0 THEN CAST('NaN' AS DOUBLE) ELSE (i % 1000) / 8 END AS f,
      CASE WHEN i % 9 = 1 THEN NULL ELSE CAST(i % 200 - 100 AS TINYINT) END AS i8,
      CAST(4000000000 + i % 1000 AS UINTEGER) AS u32,
      CASE WHEN i % 17 = 0 THEN NULL ELSE CAST(1099511627776 + i % 5000 AS BIGINT) END AS i64,
      CASE WHEN i % 10 = 3 THEN NULL ELSE i % 3 = 0 END AS b,
      CASE WHEN i % 7 = 6 THEN NULL WHEN i < 20000 THEN 'k' || (i % 50) ELSE 'long-unique-value-' || i || '-ü' END AS s
    FROM range(${N}) t(i) ORDER BY i) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 16384)`);
  con.closeSync();
  inst.closeSync();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const cells = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => s.at(i));
const COLS = ['id', 'f', 'i8', 'u32', 'i64', 'b', 's'] as const;

describe.each(SCHEDULERS)('readParquet flat decoding (%s)', (_sched, opts) => {
  it('every column, several row groups in one partition, nulls and NaN kept', async () => {
    const df = await dd.readParquet(path, { splitRowGroups: false });
    expect(df.npartitions).toBe(1);
    expect({ ...df.dtypes }).toEqual({ id: 'int32', f: 'float64', i8: 'int8', u32: 'uint32', i64: 'int64', b: 'bool', s: 'string' });
    const r = await df.compute(opts);
    const want = ids.map(row);
    for (const c of COLS) {
      expect(cells(r.col(c)), c).toEqual(want.map((w) => w[c]));
    }
  });

  const cases: [string, Filters, (w: ReturnType<typeof row>) => boolean][] = [
    ['f > 60 (NaN and null fail)', [['f', '>', 60]], (w) => w.f !== null && w.f > 60],
    ["f != 0 (NaN and null fail, as in pyarrow)", [['f', '!=', 0]], (w) => w.f !== null && !Number.isNaN(w.f) && w.f !== 0],
    ['i8 == -100 or i8 <= -99', [[['i8', '==', -100]], [['i8', '<=', -99]]], (w) => w.i8 !== null && w.i8 <= -99],
    ['u32 >= 4000000990', [['u32', '>=', 4_000_000_990]], (w) => w.u32 >= 4_000_000_990],
    ['i64 < 2^40 + 3 (bigint values)', [['i64', '<', 2n ** 40n + 3n]], (w) => w.i64 !== null && w.i64 < 2n ** 40n + 3n],
    ['s in [k3, long-unique-value-59999-ü] and b == true', [['s', 'in', ['k3', 'long-unique-value-59999-ü']], ['b', '==', true]], (w) => (w.s === 'k3' || w.s === 'long-unique-value-59999-ü') && w.b === true],
  ];
  it.each(cases)('filters: %s', async (_name, filters, keep) => {
    const df = await dd.readParquet(path, { columns: ['id', 's'], filters, splitRowGroups: true });
    const r = await df.compute(opts);
    const want = ids.map(row).filter(keep);
    expect(cells(r.col('id'))).toEqual(want.map((w) => w.id));
    expect(cells(r.col('s'))).toEqual(want.map((w) => w.s));
  });
});
