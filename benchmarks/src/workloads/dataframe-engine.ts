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
import type { JsRun, PyRun, Workload } from '../harness.js';

type Polars = typeof import('nodejs-polars').default;

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
async function polarsMissing(): Promise<string | undefined> {
  try {
    await polars();
    return undefined;
  } catch (e) {
    return `nodejs-polars does not load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}

/** xorshift32 stream in [0, 1): the same data in every JS system. */
function uniform(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
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
    const u = uniform(1 + f * 7919);
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
  const u = uniform(12345);
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
  ],
  python: [{ system: 'dask-threads', file: 'dataframe_engine.py', setup: 'setup_merge', run: 'run_merge', requires: ['dask', 'pandas'] }],
};

function setIndexInput(): { k: Float64Array; v: Float64Array } {
  const u = uniform(777);
  return { k: Float64Array.from({ length: C_ROWS }, u), v: Float64Array.from({ length: C_ROWS }, u) };
}

const setIndex: Workload = {
  id: 'df-engine-set-index',
  group: 'dataframe-engine',
  description: `setIndex on ${C_ROWS.toLocaleString('en')} rows (random float64 key, 20 partitions), persisted (polars: a sort by the key).`,
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
  ],
  python: [{ system: 'dask-threads', file: 'dataframe_engine.py', setup: 'setup_set_index', run: 'run_set_index', requires: ['dask', 'pandas'] }],
};

export const dataframeEngineWorkloads: Workload[] = [parquetFilterGroupby, mergeGroupby, setIndex];
// Python peers read the same sizes from the environment.
process.env.PDASK_BENCH_ENGINE_ROWS = JSON.stringify({ a: A_ROWS, bLeft: B_LEFT, bRight: B_RIGHT, c: C_ROWS, files: FILES, keys: KEYS });

