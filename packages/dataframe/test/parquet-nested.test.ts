/**
 * Parquet lists and structs (issue #12): files DuckDB and polars write, read as Arrow List/Struct
 * columns of dtype 'object' whose values are JS arrays and objects, with nulls at every level (a
 * missing list or struct, a missing element or field, missing inner lists and structs). Expected
 * values come from the formulas the writers were given, not from pdask.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
let inst: DuckDBInstance;
let con: DuckDBConnection;
const N = 5000;
const ids = Array.from({ length: N }, (_, i) => i);
const NS_2024 = BigInt(Date.UTC(2024, 0, 1)) * 1_000_000n;

// j is i as an INTEGER (int32 values are JS numbers); every nested column has nulls at each level.
const COLUMNS: [name: string, sql: string, value: (i: number) => unknown][] = [
  ['lst', 'CASE WHEN i % 5 = 1 THEN NULL ELSE [j, CASE WHEN i % 3 = 0 THEN NULL ELSE j * 2 END] END', (i) => (i % 5 === 1 ? null : [i, i % 3 === 0 ? null : i * 2])],
  ['empty', 'CASE WHEN i % 2 = 0 THEN [] ELSE [CAST(j AS DOUBLE) / 4] END', (i) => (i % 2 === 0 ? [] : [i / 4])],
  ['ll', 'CASE WHEN i % 7 = 2 THEN NULL ELSE [[j, NULL], CASE WHEN i % 2 = 0 THEN NULL ELSE [] END] END', (i) => (i % 7 === 2 ? null : [[i, null], i % 2 === 0 ? null : []])],
  ['st', "CASE WHEN i % 6 = 5 THEN NULL ELSE {'p': CASE WHEN i % 4 = 0 THEN NULL ELSE j END, 'q': 'x' || i || 'é'} END", (i) => (i % 6 === 5 ? null : { p: i % 4 === 0 ? null : i, q: `x${i}é` })],
  [
    'ns',
    "{'s': CASE WHEN i % 3 = 1 THEN NULL ELSE {'t': CASE WHEN i % 2 = 0 THEN NULL ELSE j END} END, 'l': CASE WHEN i % 5 = 0 THEN NULL ELSE [CAST(j AS DOUBLE) / 8, NULL] END}",
    (i) => ({ s: i % 3 === 1 ? null : { t: i % 2 === 0 ? null : i }, l: i % 5 === 0 ? null : [i / 8, null] }),
  ],
  ['ls', "[{'a': j, 'd': CAST(j * 0.01 AS DECIMAL(9, 2))}, NULL, {'a': NULL, 'd': NULL}]", (i) => [{ a: i, d: i / 100 }, null, { a: null, d: null }]],
  ['sts', "{'t': TIMESTAMP '2024-01-01' + to_seconds(i), 'b': i % 2 = 0}", (i) => ({ t: NS_2024 + BigInt(i) * 1_000_000_000n, b: i % 2 === 0 })],
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-nested-'));
  inst = await DuckDBInstance.create(':memory:');
  con = await inst.connect();
  await con.run(`SET TimeZone = 'UTC'`);
  const select = COLUMNS.map(([name, sql]) => `${sql} AS ${name}`).join(', ');
  await con.run(`COPY (SELECT j AS id, ${select} FROM (SELECT i, CAST(i AS INTEGER) AS j FROM range(${N}) t(i)) ORDER BY i) TO '${join(dir, 'duck.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  await con.run(`COPY (SELECT CAST(i AS INTEGER) AS id, MAP {'k': i} AS m FROM range(10) t(i)) TO '${join(dir, 'map.parquet')}' (FORMAT parquet)`);
});
afterAll(async () => {
  con.closeSync();
  inst.closeSync();
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const cells = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => s.at(i));

describe.each(SCHEDULERS)('Parquet lists and structs (%s)', (_sched, opts) => {
  it('DuckDB: every nested column as JS values, nulls at every level, row groups as partitions', async () => {
    const df = await dd.readParquet(join(dir, 'duck.parquet'), { splitRowGroups: true });
    expect(df.npartitions).toBe(3);
    expect({ ...df.dtypes }).toEqual({ id: 'int32', ...Object.fromEntries(COLUMNS.map(([n]) => [n, 'object'])) });
    const r = await df.compute(opts);
    expect(r.numRows).toBe(N);
    for (const [name, , value] of COLUMNS) expect(cells(r.col(name)), name).toEqual(ids.map(value));
  });

  it('rows kept by readParquet filters and by a frame filter carry their nested values', async () => {
    const df = await dd.readParquet(join(dir, 'duck.parquet'), { columns: ['id', 'll', 'st', 'ns'], filters: [['id', '>=', 2500]], splitRowGroups: true });
    const f = df.filter(df.col('id').mod(3).eq(1));
    const r = await f.compute(opts);
    const kept = ids.filter((i) => i >= 2500 && i % 3 === 1);
    expect(cells(r.col('id'))).toEqual(kept);
    for (const [name, , value] of COLUMNS.filter(([n]) => ['ll', 'st', 'ns'].includes(n))) expect(cells(r.col(name)), name).toEqual(kept.map(value));
  });

  it('polars: a list with missing lists and elements, and a struct with missing fields', async () => {
    const path = join(dir, `polars-${_sched}.parquet`);
    const lists = ids.map((i) => (i % 4 === 3 ? null : i % 4 === 2 ? [] : [i, i % 3 === 0 ? null : -i]));
    const frame = pl.DataFrame([pl.Series('id', ids, pl.Int32), pl.Series('l', lists, pl.List(pl.Int32)), pl.Series('a', ids.map((i) => (i % 5 === 0 ? null : `a${i}`)), pl.Utf8), pl.Series('b', ids.map((i) => (i % 7 === 0 ? null : i / 2)), pl.Float64)]).withColumns(pl.struct([pl.col('a'), pl.col('b')]).alias('st'));
    frame.writeParquet(path, { compression: 'zstd' });
    const df = await dd.readParquet(path, { columns: ['id', 'l', 'st'] });
    expect({ ...df.dtypes }).toEqual({ id: 'int32', l: 'object', st: 'object' });
    const r = await df.compute(opts);
    expect(cells(r.col('l'))).toEqual(lists);
    expect(cells(r.col('st'))).toEqual(ids.map((i) => ({ a: i % 5 === 0 ? null : `a${i}`, b: i % 7 === 0 ? null : i / 2 })));
  });
});

describe('Parquet lists and structs: what is refused', () => {
  it('toParquet refuses a list or struct column by name', async () => {
    const df = await dd.readParquet(join(dir, 'duck.parquet'), { columns: ['id', 'st'] });
    await expect(df.toParquet(join(dir, 'out'))).rejects.toThrow("toParquet: column 'st' holds structs (dtype object), which toParquet cannot write");
    const l = await dd.readParquet(join(dir, 'duck.parquet'), { columns: ['lst'] });
    await expect(l.toParquet(join(dir, 'out2'))).rejects.toThrow("toParquet: column 'lst' holds lists (dtype object)");
  });

  it('astype and group-bys refuse a list column by name', async () => {
    const df = await dd.readParquet(join(dir, 'duck.parquet'), { columns: ['id', 'lst'] });
    await expect(df.col('lst').astype('string').compute()).rejects.toThrow("astype: column 'lst' holds lists (dtype object); it cannot become string");
    await expect(df.groupby('lst').col('id').sum().compute()).rejects.toThrow("cannot group by column 'lst'");
  });

  it('a map column is refused by name when chosen, and the other columns read', async () => {
    const path = join(dir, 'map.parquet');
    await expect(dd.readParquet(path)).rejects.toThrow(/readParquet: column 'm' of .*map\.parquet holds a map \(MAP 'm'\), which pdask cannot read/);
    const r = await (await dd.readParquet(path, { columns: ['id'] })).compute();
    expect(cells(r.col('id'))).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });
});
