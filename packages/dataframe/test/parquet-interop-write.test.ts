/**
 * toParquet files read back by DuckDB and polars: every dtype pdask writes gives the same values
 * and the matching type there; compression and row-group size are honoured (the footers say so);
 * partitionOn writes the hive layout all three readers understand; append adds files. Expected
 * values are the ones the frame was built from.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Bool, Dictionary, Float32, Float64, Int16, Int32, Int64, Int8, makeData, makeVector, Table, TimestampNanosecond, Uint16, Uint32, Uint64, Uint8, Utf8, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { SCHEDULERS } from './helpers';

let dir: string;
let inst: DuckDBInstance;
let con: DuckDBConnection;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-pq-write-'));
  inst = await DuckDBInstance.create(':memory:');
  con = await inst.connect();
  await con.run(`SET TimeZone = 'UTC'`);
});
afterAll(async () => {
  con.closeSync();
  inst.closeSync();
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const N = 700;
const ids = Array.from({ length: N }, (_, i) => i);
const isNull = (i: number, k: number): boolean => (i + k) % 6 === 4;
const NS_2024 = BigInt(Date.UTC(2024, 0, 1)) * 1_000_000n;

/** A column with nulls from cells: fixed-width types from a typed array and a validity bitmap. */
function column(type: DataType, cells: unknown[]): Vector {
  const Arr = (type as unknown as { ArrayType: new (n: number) => Record<number, unknown> }).ArrayType;
  if (Arr === undefined || type instanceof Bool || type instanceof Utf8 || type instanceof Dictionary) return vectorFromArray(cells as never[], type);
  const data = new Arr(cells.length);
  const bitmap = new Uint8Array((cells.length + 7) >> 3);
  cells.forEach((v, i) => {
    if (v === null) return;
    data[i] = v;
    bitmap[i >> 3] |= 1 << (i & 7);
  });
  return makeVector(makeData({ type, length: cells.length, nullCount: cells.filter((v) => v === null).length, data, nullBitmap: bitmap } as never));
}

/** name, Arrow type, value of row i, DuckDB's type, polars' dtype. */
const COLUMNS: [string, DataType, (i: number) => unknown, string, string][] = [
  ['i', new Int32(), (i) => i, 'INTEGER', 'Int32'],
  ['i8', new Int8(), (i) => (i % 200) - 100, 'TINYINT', 'Int8'],
  ['i16', new Int16(), (i) => i * 40 - 14000, 'SMALLINT', 'Int16'],
  ['i64', new Int64(), (i) => 2n ** 61n + BigInt(i) * 1000003n, 'BIGINT', 'Int64'],
  ['u8', new Uint8(), (i) => i % 256, 'UTINYINT', 'UInt8'],
  ['u16', new Uint16(), (i) => 65535 - i, 'USMALLINT', 'UInt16'],
  ['u32', new Uint32(), (i) => 4294967295 - i, 'UINTEGER', 'UInt32'],
  ['u64', new Uint64(), (i) => 2n ** 64n - 1n - BigInt(i), 'UBIGINT', 'UInt64'],
  ['f32', new Float32(), (i) => i / 8, 'FLOAT', 'Float32'],
  ['f64', new Float64(), (i) => i / 3, 'DOUBLE', 'Float64'],
  ['b', new Bool(), (i) => i % 3 === 0, 'BOOLEAN', 'Bool'],
  ['s', new Utf8(), (i) => `w${i}ä`, 'VARCHAR', 'String'],
  ['c', new Dictionary(new Utf8(), new Int32()), (i) => ['x', 'y', 'z'][i % 3], 'VARCHAR', 'String'],
  ['t', new TimestampNanosecond(), (i) => NS_2024 + BigInt(i) * 1_000_000_007n, 'TIMESTAMP_NS', 'Datetime(ns,)'],
  // Whole microseconds: DuckDB reads an instant as TIMESTAMP WITH TIME ZONE, which holds microseconds.
  ['tz', new TimestampNanosecond('UTC'), (i) => NS_2024 + BigInt(i) * 3_600_000_001_000n, 'TIMESTAMP WITH TIME ZONE', 'Datetime(ns,UTC)'],
];
/** Row i as text, the way both readers below print it: null as null, times as epoch nanoseconds. */
const expectedText = (i: number): (string | null)[] => COLUMNS.map(([, , v], k) => (isNull(i, k) && k > 0 ? null : typeof v(i) === 'boolean' ? String(v(i)) : String(v(i))));

function frame(part: dd.PartitionOptions): dd.DataFrame {
  const vectors = Object.fromEntries(COLUMNS.map(([name, type, v], k) => [name, column(type, ids.map((i) => (isNull(i, k) && k > 0 ? null : v(i))))]));
  return dd.fromArrow(new Table(vectors), part);
}

/** DuckDB's view of the files: its types, and every row as text (times as epoch nanoseconds). */
async function duck(glob: string, hive = false): Promise<{ types: Record<string, string>; rows: (string | null)[][] }> {
  const src = `read_parquet('${glob}'${hive ? ', hive_partitioning = true' : ''})`;
  const desc = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJS();
  const types = Object.fromEntries(desc.map((r) => [String(r.column_name), String(r.column_type)]));
  const cols = Object.keys(types).map((c) => (types[c].startsWith('TIMESTAMP') ? `epoch_ns("${c}")::VARCHAR` : `"${c}"::VARCHAR`));
  const rows = (await con.runAndReadAll(`SELECT ${cols.join(', ')} FROM ${src} ORDER BY i`)).getRowsJS() as (string | null)[][];
  return { types, rows };
}

/** polars' view: dtypes, and every row as text (times as epoch nanoseconds). */
function polars(paths: string[]): { types: Record<string, string>; rows: (string | null)[][] } {
  const df = pl.concat(paths.map((p) => pl.readParquet(p))).sort('i');
  const types = Object.fromEntries(df.columns.map((c) => [c, String(df.getColumn(c).dtype).replace(/^DataType\((.*)\)$/, '$1')]));
  const text = df.select(...df.columns.map((c) => (types[c].startsWith('Datetime') ? pl.col(c).cast(pl.Int64).cast(pl.Utf8) : pl.col(c).cast(pl.Utf8)).alias(c)));
  const rows = text.toRecords().map((r) => df.columns.map((c) => (r[c] === null || r[c] === undefined ? null : String(r[c]))));
  return { types, rows };
}

describe.each(SCHEDULERS)('toParquet read by DuckDB and polars (%s)', (sched, opts) => {
  it('every dtype, nulls, 3 partitions, row groups of 100: the same values and types', async () => {
    const out = join(dir, `all-${sched}`);
    const paths = await frame({ npartitions: 3 }).toParquet(out, { ...opts, rowGroupSize: 100 });
    expect(paths.length).toBe(3);
    const d = await duck(join(out, '*.parquet'));
    expect(d.types).toEqual(Object.fromEntries(COLUMNS.map(([n, , , t]) => [n, t])));
    // DuckDB prints floats and booleans its own way; compare those through numbers.
    const norm = (rows: (string | null)[][]) => rows.map((r) => r.map((v, k) => (v === null ? null : COLUMNS[k][1] instanceof Float32 || COLUMNS[k][1] instanceof Float64 ? String(Number(v)) : v)));
    expect(norm(d.rows)).toEqual(ids.map(expectedText));
    const p = polars(paths);
    expect(p.types).toEqual(Object.fromEntries(COLUMNS.map(([n, , , , t]) => [n, t])));
    expect(norm(p.rows)).toEqual(ids.map(expectedText));
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(paths[0]));
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([100, 100, 34]);
  });
});

describe('toParquet options', () => {
  it.each([['snappy', 'SNAPPY'], ['gzip', 'GZIP'], ['brotli', 'BROTLI'], ['none', 'UNCOMPRESSED'], [null, 'UNCOMPRESSED']] as const)('compression %s is written and read back by DuckDB', async (codec, name) => {
    const out = join(dir, `codec-${String(codec)}`);
    const df = dd.fromColumns({ i: ids, s: ids.map((i) => `v${i % 13}`) }, { npartitions: 2 });
    const paths = await df.toParquet(out, { compression: codec, scheduler: 'sync' });
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(paths[1]));
    expect(meta.row_groups[0].columns.map((c) => c.meta_data?.codec)).toEqual([name, name]);
    const rows = (await con.runAndReadAll(`SELECT count(*)::INTEGER n, sum(i)::INTEGER s FROM read_parquet('${out}/*.parquet')`)).getRowObjectsJS();
    expect(rows).toEqual([{ n: N, s: (N * (N - 1)) / 2 }]);
    const back = await (await dd.readParquet(out)).compute({ scheduler: 'sync' });
    expect(Array.from({ length: back.numRows }, (_, k) => back.col('i').at(k))).toEqual(ids);
  });

  it('zstd and lz4 are refused by name', async () => {
    const df = dd.fromColumns({ i: ids }, { npartitions: 1 });
    await expect(df.toParquet(join(dir, 'z'), { compression: 'zstd' as never })).rejects.toThrow("option 'compression'");
    await expect(df.toParquet(join(dir, 'z'), { compression: 'lz4' as never })).rejects.toThrow('zstd and lz4 are read but not written');
  });

  it('partitionOn writes key=value directories that DuckDB, polars and readParquet read as columns', async () => {
    const out = join(dir, 'hive');
    const df = dd.fromColumns({ i: ids, year: ids.map((i) => 2020 + (i % 3)), region: ids.map((i) => (i % 2 ? 'us' : 'eu')), x: ids.map((i) => i * 2) }, { npartitions: 2 });
    const paths = await df.toParquet(out, { partitionOn: ['year', 'region'], scheduler: 'sync' });
    expect(paths.length).toBe(12);
    expect(readdirSync(out).sort()).toEqual(['year=2020', 'year=2021', 'year=2022']);
    expect(readdirSync(join(out, 'year=2021', 'region=us')).sort()).toEqual(['part.0.parquet', 'part.1.parquet']);
    const d = (await con.runAndReadAll(`SELECT i, year::INTEGER y, region, x FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true) ORDER BY i`)).getRowsJS();
    expect(d).toEqual(ids.map((i) => [i, 2020 + (i % 3), i % 2 ? 'us' : 'eu', i * 2]));
    const p = (await pl.scanParquet(`${out}/**/*.parquet`, { hivePartitioning: true }).sort('i').collect()).toRecords();
    expect(p.map((r) => [r.i, Number(r.year), r.region, r.x])).toEqual(ids.map((i) => [i, 2020 + (i % 3), i % 2 ? 'us' : 'eu', i * 2]));
    const back = await dd.readParquet(out, { filters: [['year', '==', 2021]] });
    expect(back.npartitions).toBe(4);
    const r = await back.compute({ scheduler: 'sync' });
    const got = Array.from({ length: r.numRows }, (_, k) => [r.col('i').at(k), r.col('year').at(k), r.col('region').at(k)]).sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(got).toEqual(ids.filter((i) => i % 3 === 1).map((i) => [i, 2021, i % 2 ? 'us' : 'eu']));
  });

  it('append adds files numbered after those there, without _metadata; mismatched columns are refused', async () => {
    const out = join(dir, 'append');
    await dd.fromColumns({ i: ids.slice(0, 300), s: ids.slice(0, 300).map(String) }, { npartitions: 3 }).toParquet(out, { scheduler: 'sync' });
    const more = await dd.fromColumns({ i: ids.slice(300), s: ids.slice(300).map(String) }, { npartitions: 2 }).toParquet(out, { append: true, scheduler: 'sync' });
    expect(more).toEqual([join(out, 'part.3.parquet'), join(out, 'part.4.parquet')]);
    expect(readdirSync(out).sort()).toEqual(['part.0.parquet', 'part.1.parquet', 'part.2.parquet', 'part.3.parquet', 'part.4.parquet']);
    const r = await (await dd.readParquet(out)).compute({ scheduler: 'sync' });
    expect(Array.from({ length: r.numRows }, (_, k) => r.col('i').at(k))).toEqual(ids);
    const rows = (await con.runAndReadAll(`SELECT count(*)::INTEGER n FROM read_parquet('${out}/*.parquet')`)).getRowObjectsJS();
    expect(rows).toEqual([{ n: N }]);
    await expect(dd.fromColumns({ i: [1.5] }, { npartitions: 1 }).toParquet(out, { append: true })).rejects.toThrow(`cannot append columns 'i' to ${out}, whose files hold 'i', 's'`);
    await expect(dd.fromColumns({ i: [1.5], s: ['a'] }, { npartitions: 1 }).toParquet(out, { append: true })).rejects.toThrow(`cannot append column 'i' of dtype float64 to ${out}, where it is int32`);
  });
});
