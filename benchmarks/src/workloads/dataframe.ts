/**
 * DataFrame workloads: the seed's `dd.from_pandas(df, npartitions=4).groupby('x').y.mean()` at
 * 10,000,000 rows (10 groups) and at the seed's 10,000 rows, side by side with pandas and Dask
 * (threads and sync schedulers). Partitioning the in-memory columns (fromColumns / from_pandas)
 * is timed on both sides, as is building the graph.
 */
import { closeThreadPools, type ComputeOptions } from '@pdask/core';
import { fromColumns } from '@pdask/dataframe';
import type { JsRun, PyRun, Workload } from '../harness.js';
import { groupColumns } from '../random.js';

const PARTS = 4;
// Every row (pandas too) reaches its steady state first. At 300, V8 was still compiling 18-30 of
// the pipeline's functions per 100 runs at run 1,200 (a helper's trace, session 10), and the rows
// timed later in the process (threads, default) came out faster than the first (sync) running the
// same code.
const SEED_WARMUP = 3000;

interface Input {
  x: Int32Array;
  y: Float64Array;
}

/** x in 0..9 and y uniform in [0, 1) (random.ts's group-by columns): the same data on every run. */
function input(n: number): Input {
  const { k, v } = groupColumns(n);
  return { x: k, y: v };
}

async function groupbyMean(d: Input, opts: ComputeOptions): Promise<void> {
  const r = await fromColumns({ x: d.x, y: d.y }, { npartitions: PARTS }).groupby('x').col('y').mean().compute(opts);
  const vals = r.toArray() as Float64Array;
  if (r.length !== 10 || !vals.every((m) => Math.abs(m - 0.5) < 0.05)) throw new Error(`wrong result:\n${String(r)}`);
}

/** The same columns over a SharedArrayBuffer, which fromColumns uses in place (no copy). */
function sharedInput(n: number): Input {
  const { k, v } = groupColumns(n, new SharedArrayBuffer(n * 12));
  return { x: k, y: v };
}

function systems(n: number, withShared: boolean, withDefault = false): JsRun<Input>[] {
  const setup = () => input(n);
  const runs: JsRun<Input>[] = [
    { system: 'pdask-sync', setup, run: (d) => groupbyMean(d, { scheduler: 'sync' }) },
    { system: 'pdask-threads', setup, run: (d) => groupbyMean(d, { scheduler: 'threads' }), teardown: () => closeThreadPools() },
  ];
  // compute() without a scheduler: what a user gets by default (issue 16's "default" row).
  if (withDefault) runs.push({ system: 'pdask-default', setup, run: (d) => groupbyMean(d, {}), teardown: () => closeThreadPools() });
  if (withShared) {
    runs.push({ system: 'pdask-threads (input in shared memory)', setup: () => sharedInput(n), run: (d) => groupbyMean(d, { scheduler: 'threads' }), teardown: () => closeThreadPools() });
  }
  return runs;
}

const py = (system: string, setup: string, run: string, requires: string[], warmup?: number): PyRun => ({ system, file: 'dataframe_groupby.py', setup, run, requires, warmup });

/** `daskWarmup`: Python has no JIT to warm; Dask's 10 ms runs need no hundreds of warm-up runs. */
function pythonSystems(setup: string, daskWarmup?: number): PyRun[] {
  return [
    py('pandas', setup, 'run_pandas', ['pandas', 'dask']),
    py('dask-threads', setup, 'run_dask_threads', ['pandas', 'dask'], daskWarmup),
    py('dask-sync', setup, 'run_dask_sync', ['pandas', 'dask'], daskWarmup),
  ];
}

const large: Workload = {
  id: 'dataframe-groupby-mean-1e7',
  group: 'dataframe',
  description: `fromColumns({x, y}, {npartitions: ${PARTS}}).groupby('x').col('y').mean(): 10,000,000 rows, 10 groups (int32 keys, float64 values), partitioning and graph building included.`,
  items: { count: 10_000_000, unit: 'rows' },
  reference: 'dask-threads',
  repeat: 5,
  js: systems(10_000_000, true),
  python: pythonSystems('setup'),
};

const seed: Workload = {
  id: 'dataframe-seed-groupby',
  group: 'dataframe',
  description: `The seed: 10,000 rows, fromColumns({x, y}, {npartitions: ${PARTS}}).groupby('x').col('y').mean(), end to end, after ${SEED_WARMUP} warm-up runs.`,
  items: { count: 10_000, unit: 'rows' },
  reference: 'dask-threads',
  repeat: 21,
  // A run takes a fraction of a millisecond: after one warm-up run V8 is still compiling the
  // pipeline (the first few hundred runs take two to three times as long), which is what a single
  // warm-up measured, rather than the steady state that pandas' compiled code starts in.
  warmup: SEED_WARMUP,
  js: systems(10_000, false, true),
  python: pythonSystems('setup_seed', 5),
};

export const dataframeWorkloads: Workload[] = [seed, large];
