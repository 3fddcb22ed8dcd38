/**
 * The dataframe engine workloads of issue #12, each system in a process of its own so that its peak
 * resident memory is recorded beside its time:
 *  (a) 1e8 rows in 20 Parquet files (10 columns) → filter + groupby on a string key + mean, which
 *      reads 3 of the 10 columns;
 *  (b) merge of 2e7 x 2e6 rows on an int key, then a groupby;
 *  (c) setIndex of 2e7 rows (a full sort by a random key).
 * `PDASK_BENCH_ENGINE_SCALE` (default 1) scales every row count, for quick runs. The Parquet files
 * are written once by nodejs-polars into the OS temp directory and reused.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { fromColumns, readParquet } from '@pdask/dataframe';
import type { Workload } from '../harness.js';
import { loadFailure } from '../peers.js';
import { xorshift } from '../random.js';

type Polars = typeof import('nodejs-polars').default;
type DuckConn = import('@duckdb/node-api').DuckDBConnection;

const SCALE = Number(process.env.PDASK_BENCH_ENGINE_SCALE ?? '1');
const rows = (n: number): number => Math.max(1000, Math.round(n * SCALE));
const FILES = 20;
const KEYS = 100;
const A_ROWS = rows(100_000_000);
const B_LEFT = rows(20_000_000);
const B_RIGHT = rows(2_000_000);
const C_ROWS = rows(20_000_000);

async function polars(): Promise<Polars> {
  return (await import('nodejs-polars')).default;
}
const polarsMissing = (): Promise<string | undefined> => loadFailure(polars, 'nodejs-polars');

const duckdbMissing = (): Promise<string | undefined> => loadFailure(() => import('@duckdb/node-api'), '@duckdb/node-api');

/** A DuckDB connection on both cores (its default: all of them) with `sql` run first (untimed setup). */
async function duckdb(...sql: string[]): Promise<DuckConn> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  for (const q of sql) await conn.run(q);
  return conn;
}

async function duckCount(conn: DuckConn, sql: string): Promise<number> {
  return (await conn.runAndReadAll(sql)).currentRowCount;
}

const keyNames = Array.from({ length: KEYS }, (_, i) => `key-${String(i).padStart(2, '0')}`);

/** The directory of workload (a)'s files, written by nodejs-polars on first use. */
async function parquetDir(): Promise<string> {
  const dir = path.join(os.tmpdir(), `pdask-bench-engine-${A_ROWS}`);
  if (existsSync(path.join(dir, '_complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pl = await polars();
  const per = Math.ceil(A_ROWS / FILES);
  for (let f = 0; f < FILES; f++) {
    const n = Math.min(per, A_ROWS - f * per);
    const u = xorshift(1 + f * 7919);
    const cols: Record<string, unknown> = {};
    cols.key = Array.from({ length: n }, () => keyNames[Math.floor(u() * KEYS)]);
    cols.id = BigInt64Array.from({ length: n }, (_, i) => BigInt(f * per + i));
    for (const c of ['x', 'y', 'c0', 'c1', 'c2', 'c3', 'c4', 'c5']) cols[c] = Float64Array.from({ length: n }, u);
    pl.DataFrame(cols).writeParquet(path.join(dir, `part-${String(f).padStart(2, '0')}.parquet`), { compression: 'snappy' });
  }
  writeFileSync(path.join(dir, '_complete'), '');
  return dir;
}

function checkGroups(n: number, what: string): void {
  if (n !== KEYS) throw new Error(`${what}: ${n} groups, expected ${KEYS}`);
}

const parquetFilterGroupby: Workload = {
  id: 'df-engine-parquet-filter-groupby',
  group: 'dataframe-engine',
  description: `${A_ROWS.toLocaleString('en')} rows in ${FILES} Parquet files (snappy, 10 columns) → filter x > 0.5 → groupby a string key (${KEYS} values) → mean of y: reads 3 of the 10 columns. Each system in its own process (peak RSS recorded).`,
  items: { count: A_ROWS, unit: 'rows' },
  reference: 'dask-threads',
  repeat: 3,
  warmup: 0,
  isolate: true,
  js: [
    {
      system: 'pdask-threads',
      setup: parquetDir,
      run: async (dir: string) => {
        const df = await readParquet(path.join(dir, '*.parquet'));
        const r = await df.filter(df.col('x').gt(0.5)).groupby('key').col('y').mean().compute({ scheduler: 'threads' });
        checkGroups(r.length, 'pdask');
      },
      teardown: () => closeThreadPools(),
    },
    {
      system: 'nodejs-polars',
      unavailable: polarsMissing,
      setup: parquetDir,
      run: async (dir: string) => {
        const pl = await polars();
        const r = await pl.scanParquet(path.join(dir, '*.parquet')).filter(pl.col('x').gt(0.5)).groupBy('key').agg(pl.col('y').mean()).collect();
        checkGroups(r.height, 'polars');
      },
    },
    {
      system: 'duckdb',
      unavailable: duckdbMissing,
      setup: async () => ({ dir: await parquetDir(), conn: await duckdb() }),
      run: async ({ dir, conn }: { dir: string; conn: DuckConn }) => {
        const glob = path.join(dir, '*.parquet').replaceAll("'", "''");
        checkGroups(await duckCount(conn, `SELECT key, avg(y) FROM read_parquet('${glob}') WHERE x > 0.5 GROUP BY key`), 'duckdb');
      },
      teardown: ({ conn }: { conn: DuckConn }) => conn.closeSync(),
    },
  ],
  python: [
    {
      system: 'dask-threads',
      file: 'dataframe_engine.py',
      setup: 'setup_parquet',
      run: 'run_parquet',
      requires: ['dask', 'pandas', 'pyarrow'],
      whenMissing: "Dask reads Parquet through pyarrow or fastparquet, and Debian bookworm packages neither; the machine's only registries are npm and Debian",
    },
  ],
};

interface MergeInput {
  left: { k: Int32Array; v: Float64Array };
  right: { k: Int32Array; g: Int32Array };
}

/** Left: B_LEFT rows, keys uniform over the right side's B_RIGHT unique keys; right: a group per key (100 groups). */
function mergeInput(): MergeInput {
  const u = xorshift(12345);
  const k = Int32Array.from({ length: B_LEFT }, () => Math.floor(u() * B_RIGHT));
  const v = Float64Array.from({ length: B_LEFT }, u);
  const rk = Int32Array.from({ length: B_RIGHT }, (_, i) => i);
  const g = Int32Array.from({ length: B_RIGHT }, (_, i) => i % KEYS);
  return { left: { k, v }, right: { k: rk, g } };
}

const mergeGroupby: Workload = {
  id: 'df-engine-merge-groupby',
  group: 'dataframe-engine',
  description: `merge of ${B_LEFT.toLocaleString('en')} x ${B_RIGHT.toLocaleString('en')} rows on an int key (20 and 2 partitions; every left key matches), then groupby (${KEYS} groups) mean. In-memory inputs, partitioning timed.`,
  items: { count: B_LEFT, unit: 'rows' },
  reference: 'dask-threads',
  repeat: 3,
  warmup: 0,
  isolate: true,
  js: [
    {
      system: 'pdask-threads',
      setup: mergeInput,
      run: async (d: MergeInput) => {
        const left = fromColumns({ k: d.left.k, v: d.left.v }, { npartitions: 20 });
        const right = fromColumns({ k: d.right.k, g: d.right.g }, { npartitions: 2 });
        const r = await left.merge(right, { on: 'k' }).groupby('g').col('v').mean().compute({ scheduler: 'threads' });
        checkGroups(r.length, 'pdask');
      },
      teardown: () => closeThreadPools(),
    },
    {
      system: 'nodejs-polars',
      unavailable: polarsMissing,
      setup: mergeInput,
      run: async (d: MergeInput) => {
        const pl = await polars();
        const left = pl.DataFrame({ k: d.left.k, v: d.left.v });
        const right = pl.DataFrame({ k: d.right.k, g: d.right.g });
        const r = left.join(right, { on: 'k' }).groupBy('g').agg(pl.col('v').mean());
        checkGroups(r.height, 'polars');
      },
    },
    {
      // The tables are made by DuckDB in its setup (same sizes and distributions, untimed): loading
      // typed arrays through its appender would time the binding, not the engine.
      system: 'duckdb',
      unavailable: duckdbMissing,
      setup: () =>
        duckdb(
          `CREATE TABLE l AS SELECT (random() * ${B_RIGHT})::INTEGER % ${B_RIGHT} AS k, random() AS v FROM range(${B_LEFT})`,
          `CREATE TABLE r AS SELECT i::INTEGER AS k, (i % ${KEYS})::INTEGER AS g FROM range(${B_RIGHT}) t(i)`,
        ),
      run: async (conn: DuckConn) => checkGroups(await duckCount(conn, 'SELECT g, avg(v) FROM l JOIN r USING (k) GROUP BY g'), 'duckdb'),
      teardown: (conn: DuckConn) => conn.closeSync(),
    },
  ],
  python: [{ system: 'dask-threads', file: 'dataframe_engine.py', setup: 'setup_merge', run: 'run_merge', requires: ['dask', 'pandas'] }],
};

function setIndexInput(): { k: Float64Array; v: Float64Array } {
  const u = xorshift(777);
  return { k: Float64Array.from({ length: C_ROWS }, u), v: Float64Array.from({ length: C_ROWS }, u) };
}

const setIndex: Workload = {
  id: 'df-engine-set-index',
  group: 'dataframe-engine',
  description: `setIndex on ${C_ROWS.toLocaleString('en')} rows (random float64 key, 20 partitions), persisted (polars: a sort by the key; DuckDB: CREATE TABLE AS ... ORDER BY k).`,
  items: { count: C_ROWS, unit: 'rows' },
  reference: 'dask-threads',
  repeat: 3,
  warmup: 0,
  isolate: true,
  js: [
    {
      system: 'pdask-threads',
      setup: setIndexInput,
      run: async (d: { k: Float64Array; v: Float64Array }) => {
        const df = fromColumns({ k: d.k, v: d.v }, { npartitions: 20 });
        const s = await (await df.setIndex('k')).persist({ scheduler: 'threads' });
        if (s.npartitions < 1) throw new Error('pdask: no partitions');
      },
      teardown: () => closeThreadPools(),
    },
    {
      system: 'nodejs-polars',
      unavailable: polarsMissing,
      setup: setIndexInput,
      run: async (d: { k: Float64Array; v: Float64Array }) => {
        const pl = await polars();
        const r = pl.DataFrame({ k: d.k, v: d.v }).sort('k');
        if (r.height !== C_ROWS) throw new Error('polars: wrong length');
      },
    },
    {
      system: 'duckdb',
      unavailable: duckdbMissing,
      setup: () => duckdb(`CREATE TABLE t AS SELECT random() AS k, random() AS v FROM range(${C_ROWS})`),
      run: async (conn: DuckConn) => {
        await conn.run('CREATE OR REPLACE TABLE s AS SELECT * FROM t ORDER BY k');
        if ((await duckCount(conn, 'SELECT k FROM s')) !== C_ROWS) throw new Error('duckdb: wrong length');
      },
      teardown: (conn: DuckConn) => conn.closeSync(),
    },
  ],
  python: [{ system: 'dask-threads', file: 'dataframe_engine.py', setup: 'setup_set_index', run: 'run_set_index', requires: ['dask', 'pandas'] }],
};

export const dataframeEngineWorkloads: Workload[] = [parquetFilterGroupby, mergeGroupby, setIndex];
// Python peers read the same sizes from the environment.
process.env.PDASK_BENCH_ENGINE_ROWS = JSON.stringify({ a: A_ROWS, bLeft: B_LEFT, bRight: B_RIGHT, c: C_ROWS, files: FILES, keys: KEYS });

