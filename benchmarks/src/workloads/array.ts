/**
 * Array workloads (issue 4), side by side with Dask (threads) and NumPy: a 1e8-element sum in 4
 * chunks, the fused (x + y).sum(), the mean of a random 10000x10000 array, and the seed's
 * 10,000-element example end to end.
 */
import * as da from '@pdask/array';
import { closeThreadPools } from '@pdask/core';
import type { JsRun, PyRun, Workload } from '../harness.js';
import { uniform } from '../random.js';

const N = 100_000_000;
const CHUNK = N / 4;


const threads = { scheduler: 'threads' } as const;
const closePools = () => closeThreadPools();

function check(v: number, lo: number, hi: number): number {
  if (!(v >= lo && v <= hi)) throw new Error(`wrong result ${v}, expected within [${lo}, ${hi}]`);
  return v;
}

const py = (system: string, setup: string | undefined, run: string, requires: string[], extra: Partial<PyRun> = {}): PyRun => ({
  system,
  file: 'array_bench.py',
  setup,
  run,
  requires,
  ...extra,
});

function sumWorkload(): Workload {
  const pd: JsRun<da.ChunkedArray> = {
    system: 'pdask-threads',
    // A name skips hashing 800 MB (not timed anyway, like Dask's from_array in its setup).
    setup: () => da.fromArray(uniform(N, 1), { chunks: CHUNK, name: 'bench-sum-x' }),
    run: async (dx) => check(await dx.sum().compute(threads), N * 0.49, N * 0.51),
    teardown: closePools,
  };
  return {
    id: 'array-sum-1e8',
    group: 'array',
    description: 'dx.sum() of 100,000,000 float64 (800 MB) in 4 chunks; pdask: 2 worker threads, Dask: threaded scheduler',
    repeat: 5,
    warmup: 1,
    items: { count: N, unit: 'values' },
    reference: 'dask-threads',
    js: [pd],
    python: [py('dask-threads', 'setup_sum', 'run_dask_sum', ['dask']), py('numpy (1 thread)', 'setup_sum', 'run_numpy_sum', ['numpy'])],
    // Issue 16's target (1 before it).
    targets: [{ system: 'pdask-threads', vs: 'dask-threads', atLeast: 1.2 }],
  };
}

function addSumWorkload(): Workload {
  const pd: JsRun<{ dx: da.ChunkedArray; dy: da.ChunkedArray }> = {
    system: 'pdask-threads',
    setup: () => ({
      dx: da.fromArray(uniform(N, 1), { chunks: CHUNK, name: 'bench-add-x' }),
      dy: da.fromArray(uniform(N, 2), { chunks: CHUNK, name: 'bench-add-y' }),
    }),
    run: async ({ dx, dy }) => check(await dx.add(dy).sum().compute(threads), N * 0.98, N * 1.02),
    teardown: closePools,
  };
  return {
    id: 'array-add-sum-1e8',
    group: 'array',
    description: '(dx + dy).sum() over two 100,000,000-element float64 arrays in 4 chunks (pdask fuses the add into the reduction)',
    repeat: 5,
    warmup: 1,
    items: { count: N, unit: 'values' },
    reference: 'dask-threads',
    js: [pd],
    python: [py('dask-threads', 'setup_add_sum', 'run_dask_add_sum', ['dask']), py('numpy (1 thread)', 'setup_add_sum', 'run_numpy_add_sum', ['numpy'])],
    targets: [{ system: 'pdask-threads', vs: 'dask-threads', atLeast: 2 }],
  };
}

function randomMeanWorkload(): Workload {
  const pd: JsRun<undefined> = {
    system: 'pdask-threads',
    run: async () => check(await da.random.random([10000, 10000], { chunks: [1000, 1000] }).mean().compute(threads), 0.499, 0.501),
    teardown: closePools,
  };
  return {
    id: 'array-random-mean',
    group: 'array',
    description: 'da.random.random((10000, 10000), chunks=(1000, 1000)).mean(): graph building, generation and the tree reduction',
    repeat: 5,
    warmup: 1,
    items: { count: N, unit: 'values' },
    reference: 'dask-threads',
    js: [pd],
    python: [py('dask-threads', undefined, 'run_dask_random_mean', ['dask'])],
    targets: [{ system: 'pdask-threads', vs: 'dask-threads', atLeast: 2 }],
  };
}

/** The 4000 x 4000 random mean of issue 18 (memory checks and the inline heuristic must not slow it). */
function randomMean4000Workload(): Workload {
  const pd: JsRun<undefined> = {
    system: 'pdask-threads',
    run: async () => check(await da.random.random([4000, 4000], { chunks: [1000, 1000] }).mean().compute(threads), 0.498, 0.502),
    teardown: closePools,
  };
  return {
    id: 'array-random-mean-4000',
    group: 'array',
    description: 'da.random.random((4000, 4000), chunks=(1000, 1000)).mean() on threads',
    repeat: 10,
    warmup: 2,
    items: { count: 16_000_000, unit: 'values' },
    reference: 'dask-threads',
    js: [pd],
    python: [py('dask-threads', undefined, 'run_dask_random_mean_4000', ['dask'])],
    targets: [],
  };
}

function persistedWorkload(): Workload {
  const pd: JsRun<da.ChunkedArray> = {
    system: 'pdask-threads',
    // Not timed: the blocks are generated once and stay in the worker threads.
    setup: () => da.random.random([10000, 10000], { chunks: [1000, 1000] }).persist(threads),
    run: async (x) => {
      const d = x.sub(0.5);
      return check(await d.mul(d).mean().compute(threads), 1 / 12 - 1e-3, 1 / 12 + 1e-3);
    },
    teardown: closePools,
  };
  return {
    id: 'array-persisted-var',
    group: 'array',
    description: 'x = random((10000, 10000), chunks (1000, 1000)).persist() once, then ((x - 0.5) * (x - 0.5)).mean() on the persisted blocks',
    repeat: 5,
    warmup: 1,
    items: { count: N, unit: 'values' },
    reference: 'dask-threads',
    js: [pd],
    python: [py('dask-threads', 'setup_persisted', 'run_dask_persisted', ['dask'])],
    targets: [{ system: 'pdask-threads', vs: 'dask-threads', atLeast: 2 }],
  };
}

const QR_ROWS = 2_000_000;
const QR_COLS = 10;

function qrWorkload(): Workload {
  const pd: JsRun<da.ChunkedArray> = {
    system: 'pdask-threads',
    setup: () => {
      const x = new Float64Array(QR_ROWS * QR_COLS);
      for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.001) + (i % 7);
      return da.fromArray(x, { shape: [QR_ROWS, QR_COLS], chunks: [250_000, QR_COLS], name: 'bench-qr-x' });
    },
    run: async (x) => {
      const [, r] = da.linalg.qr(x);
      const rr = (await r.compute(threads)) as unknown as { shape: number[]; get(i: number, j: number): number };
      if (rr.shape[0] !== QR_COLS || rr.shape[1] !== QR_COLS) throw new Error(`wrong R shape ${rr.shape.join('x')}`);
      return Math.abs(rr.get(0, 0));
    },
    teardown: closePools,
  };
  return {
    id: 'array-tsqr-2e6x10',
    group: 'array',
    description: 'R of linalg.qr (TSQR) of a 2,000,000 x 10 float64 array in 8 row blocks (160 MB)',
    repeat: 5,
    warmup: 1,
    items: { count: QR_ROWS, unit: 'rows' },
    reference: 'dask-threads',
    js: [pd],
    python: [py('dask-threads', 'setup_qr', 'run_dask_qr', ['dask'])],
    targets: [],
  };
}

function seedWorkload(): Workload {
  const inputs = () => ({ x: uniform(10_000, 3), y: uniform(10_000, 4) });
  // 'default': compute() with no options, as the seed and Dask's run_dask_seed do (pdask runs a
  // graph this small in the calling thread; Dask's default is its thread pool).
  const run = (scheduler: 'sync' | 'threads' | 'default') => async ({ x, y }: { x: Float64Array; y: Float64Array }) => {
    const dx = da.fromArray(x, { chunks: x.length / 4 });
    const dy = da.fromArray(y, { chunks: y.length / 4 });
    return check(await dx.add(dy).sum().compute(scheduler === 'default' ? {} : { scheduler }), 9000, 11000);
  };
  return {
    id: 'array-seed-1e4',
    group: 'array',
    description: "the seed's example end to end: fromArray twice (10,000 float64, 4 chunks), (dx + dy).sum(), compute()",
    repeat: 200,
    // V8 needs thousands of runs of graph-building code before it is fully optimised (measured:
    // after 1,500 runs a run still took ~1.4x what it took after 3,000, and with 1,000 the first
    // system measured paid for it); Python has no JIT, so this only changes pdask.
    warmup: 3000,
    items: { count: 1, unit: 'runs' },
    reference: 'dask-threads',
    js: [
      { system: 'pdask-default', setup: inputs, run: run('default') },
      { system: 'pdask-threads', setup: inputs, run: run('threads'), teardown: closePools },
      { system: 'pdask-sync', setup: inputs, run: run('sync') },
    ],
    python: [py('dask-threads', 'setup_seed', 'run_dask_seed', ['dask']), py('numpy', 'setup_seed', 'run_numpy_seed', ['numpy'])],
    targets: [
      { system: 'pdask-default', vs: 'dask-threads', atLeast: 10 },
      { system: 'pdask-threads', vs: 'dask-threads', atLeast: 10 },
      { system: 'pdask-sync', vs: 'dask-threads', atLeast: 10 },
    ],
  };
}

export const arrayWorkloads: Workload[] = [sumWorkload(), addSumWorkload(), randomMeanWorkload(), randomMean4000Workload(), persistedWorkload(), qrWorkload(), seedWorkload()];
