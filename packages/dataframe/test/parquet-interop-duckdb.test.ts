/**
 * readParquet of files DuckDB writes (@duckdb/node-api): every type, nulls in every column, four
 * codecs, several row groups. Expected values are computed here from the same formulas the SQL
 * uses, not read back through pdask.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
let inst: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-duckdb-'));
  inst = await DuckDBInstance.create(':memory:');
  con = await inst.connect();
});
afterAll(async () => {
  con.closeSync();
  inst.closeSync();
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const N = 5000;
const ids = Array.from({ length: N }, (_, i) => i);
/** Column k is null where (i + k) % 7 == 3: nulls in every column, at different rows. */
const isNull = (i: number, k: number): boolean => (i + k) % 7 === 3;
const nul = (k: number) => `CASE WHEN (i + ${k}) % 7 = 3 THEN NULL ELSE`;
const NS_DAY = 86_400_000_000_000n;
const NS_2024 = BigInt(Date.UTC(2024, 0, 1)) * 1_000_000n;

const COLUMNS: [name: string, sql: string, value: (i: number) => unknown, dtype: string][] = [
  ['i8', 'CAST(i % 256 - 128 AS TINYINT)', (i) => (i % 256) - 128, 'int8'],
  ['i16', 'CAST(i * 7 % 65536 - 32768 AS SMALLINT)', (i) => ((i * 7) % 65536) - 32768, 'int16'],
  ['i32', 'CAST(i * 1000 - 2500000 AS INTEGER)', (i) => i * 1000 - 2500000, 'int32'],
  ['i64', 'CAST(1152921504606846976 + i * 1000000007 AS BIGINT)', (i) => 2n ** 60n + BigInt(i) * 1000000007n, 'int64'],
  ['u8', 'CAST(i % 256 AS UTINYINT)', (i) => i % 256, 'uint8'],
  ['u16', 'CAST(i * 13 % 65536 AS USMALLINT)', (i) => (i * 13) % 65536, 'uint16'],
  ['u32', 'CAST(4000000000 + i AS UINTEGER)', (i) => 4000000000 + i, 'uint32'],
  ['u64', 'CAST(18446744073709551615 - i AS UBIGINT)', (i) => 2n ** 64n - 1n - BigInt(i), 'uint64'],
  ['f32', 'CAST(i / 4 AS FLOAT)', (i) => i / 4, 'float32'],
  ['f64', 'CAST(i AS DOUBLE) / 3.0', (i) => i / 3, 'float64'],
  ['dec', 'CAST(i * 0.07 AS DECIMAL(10, 2))', (i) => (i * 7) / 100, 'float64'],
  ['wide', 'CAST(i * 1.001 - 2 AS DECIMAL(20, 3))', (i) => (i * 1001 - 2000) / 1000, 'float64'],
  ['b', 'i % 3 = 0', (i) => i % 3 === 0, 'bool'],
  ['s', "'s' || i || 'ü'", (i) => `s${i}ü`, 'string'],
  ['d', "DATE '2000-01-01' + CAST(i AS INTEGER)", (i) => (10957n + BigInt(i)) * NS_DAY, 'datetime64[ns]'],
  ['ts', "TIMESTAMP '2024-01-01' + to_seconds(i) + to_microseconds(i)", (i) => NS_2024 + BigInt(i) * 1_000_000_000n + BigInt(i) * 1000n, 'datetime64[ns]'],
  ['tms', 'CAST(epoch_ms(1700000000000 + i * 1001) AS TIMESTAMP_MS)', (i) => BigInt(1700000000000 + i * 1001) * 1_000_000n, 'datetime64[ns]'],
  ['tns', "CAST(TIMESTAMP '2024-01-01' AS TIMESTAMP_NS) + to_microseconds(i)", (i) => NS_2024 + BigInt(i) * 1000n, 'datetime64[ns]'],
  ['tz', "CAST(TIMESTAMP '2024-01-01' + to_seconds(i) AS TIMESTAMPTZ)", (i) => NS_2024 + BigInt(i) * 1_000_000_000n, 'datetime64[ns, UTC]'],
  ['lst', '[i, i + 1]', (i) => [BigInt(i), BigInt(i + 1)], 'object'],
  ['st', "{'p': i, 'q': 'x' || i}", (i) => ({ p: BigInt(i), q: `x${i}` }), 'object'],
];

async function write(path: string, codec: string, rowGroupSize = 2048): Promise<void> {
  const select = COLUMNS.map(([name, sql], k) => `${nul(k)} ${sql} END AS ${name}`).join(', ');
  await con.run(`SET TimeZone = 'UTC'`);
  await con.run(`COPY (SELECT ${select} FROM range(${N}) t(i) ORDER BY i) TO '${path}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${rowGroupSize})`);
}

const cells = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => s.at(i));

describe.each(SCHEDULERS)('readParquet of DuckDB files (%s)', (_sched, opts) => {
  it.each(['snappy', 'gzip', 'zstd', 'lz4'])('every type with nulls, %s, several row groups', async (codec) => {
    const path = join(dir, `all-${codec}-${_sched}.parquet`);
    await write(path, codec);
    const df = await dd.readParquet(path, { splitRowGroups: true });
    expect(df.npartitions).toBe(3);
    expect({ ...df.dtypes }).toEqual(Object.fromEntries(COLUMNS.map(([n, , , t]) => [n, t])));
    const r = await df.compute(opts);
    expect(r.numRows).toBe(N);
    COLUMNS.forEach(([name, , value], k) => {
      expect(cells(r.col(name)), name).toEqual(ids.map((i) => (isNull(i, k) ? null : value(i))));
    });
  });
});
