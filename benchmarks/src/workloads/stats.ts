/**
 * Statistics workloads (issue 13), side by side with Dask (threads) and NumPy: percentile and
 * histogram of 1e8 float64, unique of 1e8 integers with 1,000 distinct values (4 chunks each),
 * and einsum('ij,jk->ik') of two 4000 x 4000 float64 arrays in 1000 x 1000 chunks.
 */
import * as da from '@pdask/array';
import { closeThreadPools } from '@pdask/core';
import type { JsRun, PyRun, Workload } from '../harness.js';
import { uniform } from '../random.js';

const N = 100_000_000;
const CHUNK = N / 4;
const threads = { scheduler: 'threads' } as const;
const closePools = () => closeThreadPools();


const py = (system: string, setup: string, run: string, requires: string[], extra: Partial<PyRun> = {}): PyRun => ({ system, file: 'stats_bench.py', setup, run, requires, ...extra });

function fail(what: string): never {
  throw new Error(`wrong result: ${what}`);
}

function percentileWorkload(): Workload {
  const pd: JsRun<da.ChunkedArray> = {
    system: 'pdask-threads',
    setup: () => da.fromArray(uniform(N, 1), { chunks: CHUNK, name: 'bench-percentile-x' }),
    run: async (dx) => {
      const q = (await da.percentile(dx, [25, 50, 75]).compute(threads)) as da.NDArray;
      if (Math.abs(q.get(1) - 0.5) > 1e-3) fail(`median ${q.get(1)}`);
    },
    teardown: closePools,
  };
  return {
    id: 'array-percentile-1e8',
    group: 'array-stats',
    description: 'percentile(x, [25, 50, 75]) of 100,000,000 float64 in 4 chunks (pdask: exact, Dask: approximate merge of chunk percentiles)',
    repeat: 3,
    warmup: 1,
    items: { count: N, unit: 'values' },
    reference: 'dask-threads',
    js: [pd],
    python: [py('dask-threads', 'setup_floats', 'run_dask_percentile', ['dask']), py('numpy (1 thread)', 'setup_floats', 'run_numpy_percentile', ['numpy'])],
    targets: [{ system: 'pdask-threads', vs: 'dask-threads', atLeast: 2 }],
  };
}

function uniqueWorkload(): Workload {
  const pd: JsRun<da.ChunkedArray> = {
    system: 'pdask-threads',
    setup: () => {
      const f = uniform(N, 2);
      const ints = new Int32Array(N);
      for (let i = 0; i < N; i++) ints[i] = Math.floor(f[i] * 1000);
      return da.fromArray(ints, { chunks: CHUNK, name: 'bench-unique-x' });
    },
    run: async (dx) => {
      const u = (await da.unique(dx).compute(threads)) as da.NDArray;
      if (u.size !== 1000) fail(`${u.size} distinct values`);
    },
    teardown: closePools,
  };
  return {
    id: 'array-unique-1e8',
    group: 'array-stats',
    description: 'unique(x) of 100,000,000 integers with 1,000 distinct values, 4 chunks',
    repeat: 3,
    warmup: 1,
    items: { count: N, unit: 'values' },
    reference: 'dask-threads',
    js: [pd],
    python: [py('dask-threads', 'setup_ints', 'run_dask_unique', ['dask']), py('numpy (1 thread)', 'setup_ints', 'run_numpy_unique', ['numpy'])],
    targets: [{ system: 'pdask-threads', vs: 'dask-threads', atLeast: 2 }],
  };
}

function histogramWorkload(): Workload {
  const pd: JsRun<da.ChunkedArray> = {
    system: 'pdask-threads',
    setup: () => da.fromArray(uniform(N, 3), { chunks: CHUNK, name: 'bench-histogram-x' }),
    run: async (dx) => {
      const h = (await da.histogram(dx, { bins: 100, range: [0, 1] })[0].compute(threads)) as da.NDArray;
      let s = 0;
      for (let i = 0; i < h.size; i++) s += Number(h.data[i]);
      if (s !== N) fail(`counts add up to ${s}`);
    },
    teardown: closePools,
  };
  return {
    id: 'array-histogram-1e8',
    group: 'array-stats',
    description: 'histogram(x, bins=100, range=(0, 1)) of 100,000,000 float64 in 4 chunks',
    repeat: 3,
    warmup: 1,
    items: { count: N, unit: 'values' },
    reference: 'dask-threads',
    js: [pd],
    python: [py('dask-threads', 'setup_floats', 'run_dask_histogram', ['dask']), py('numpy (1 thread)', 'setup_floats', 'run_numpy_histogram', ['numpy'])],
    targets: [{ system: 'pdask-threads', vs: 'dask-threads', atLeast: 2 }],
  };
}

function einsumWorkload(): Workload {
  const M = 4000;
  const pd: JsRun<{ a: da.ChunkedArray; b: da.ChunkedArray }> = {
    system: 'pdask-threads',
    setup: () => ({
      a: da.fromArray(uniform(M * M, 4), { shape: [M, M], chunks: [1000, 1000], name: 'bench-einsum-a' }),
      b: da.fromArray(uniform(M * M, 5), { shape: [M, M], chunks: [1000, 1000], name: 'bench-einsum-b' }),
    }),
    run: async ({ a, b }) => {
      const r = (await da.einsum('ij,jk->ik', a, b).compute(threads)) as da.NDArray;
      const v = r.get(0, 0);
      if (!(v > 900 && v < 1100)) fail(`r[0, 0] = ${v}`);
    },
    teardown: closePools,
  };
  return {
    id: 'array-einsum-4000',
    group: 'array-stats',
    description: "einsum('ij,jk->ik') of two 4000 x 4000 float64 arrays in 1000 x 1000 chunks",
    repeat: 3,
    warmup: 1,
    items: { count: 2 * M * M * M, unit: 'flops' },
    reference: 'dask-threads',
    js: [pd],
    python: [
      py('dask-threads', 'setup_einsum', 'run_dask_einsum', ['dask'], { warmup: 0 }),
      py('numpy (1 thread)', 'setup_einsum', 'run_numpy_einsum', ['numpy'], { repeat: 1, warmup: 0 }),
    ],
    targets: [{ system: 'pdask-threads', vs: 'dask-threads', atLeast: 2 }],
  };
}

export const statsWorkloads: Workload[] = [percentileWorkload(), uniqueWorkload(), histogramWorkload(), einsumWorkload()];
