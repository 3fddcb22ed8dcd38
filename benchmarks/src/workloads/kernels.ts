/**
 * Kernel workloads (issue 3): sum of 1e8 float64, group-by mean of 1e7 rows with 10 and 1e6 groups,
 * and the 800 MB read/copy bandwidth reference. Each runs side by side in pdask's kernels (data in
 * kernel memory, and a JS-heap array streamed through), plain JS, nodejs-polars, arquero and
 * NumPy/pandas.
 */
import { loadKernels, type KernelArray, type Kernels } from '@pdask/kernels';
import type { JsRun, Workload } from '../harness.js';
import { loadFailure } from '../peers.js';
import { sharedWasmReader, wasmReader, type SharedWasmReader, type WasmReader } from './wasm-read.js';

const SUM_N = 100_000_000;
const GB_N = 10_000_000;

type Polars = typeof import('nodejs-polars').default;
type Arquero = typeof import('arquero');

async function polars(): Promise<Polars> {
  return (await import('nodejs-polars')).default;
}
async function arquero(): Promise<Arquero> {
  return import('arquero');
}

/** xorshift32 in [0, 1): the same data in every JS system without keeping several copies alive. */
function fillUniform(x: Float64Array, seed: number): void {
  let s = seed | 0 || 1;
  for (let i = 0; i < x.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    x[i] = (s >>> 0) / 4294967296;
  }
}

let sumData: Float64Array | undefined;
/** One 800 MB JS-heap input shared by the systems of the sum and bandwidth workloads. */
function sumInput(): Float64Array {
  if (!sumData) {
    sumData = new Float64Array(SUM_N);
    fillUniform(sumData, 1);
  }
  return sumData;
}

const gbData = new Map<number, { keys: Int32Array; values: Float64Array }>();
function gbInput(groups: number): { keys: Int32Array; values: Float64Array } {
  let d = gbData.get(groups);
  if (!d) {
    const keys = new Int32Array(GB_N);
    const values = new Float64Array(GB_N);
    fillUniform(values, 2);
    let s = 12345;
    for (let i = 0; i < GB_N; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      keys[i] = (s >>> 0) % groups;
    }
    d = { keys, values };
    gbData.set(groups, d);
  }
  return d;
}

function jsSum(a: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (; i < n; i++) s0 += a[i];
  return s0 + s1 + s2 + s3;
}

/** Plain JS group-by mean: direct indexing over the key range (the best plain-JS strategy here). */
function jsGroupbyMean(keys: Int32Array, values: Float64Array): { keys: Int32Array; mean: Float64Array } {
  let lo = 0x7fffffff;
  let hi = -0x80000000;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k < lo) lo = k;
    if (k > hi) hi = k;
  }
  const ng = hi - lo + 1;
  const sum = new Float64Array(ng);
  const cnt = new Float64Array(ng);
  const size = new Uint32Array(ng);
  for (let i = 0; i < keys.length; i++) {
    const g = keys[i] - lo;
    const v = values[i];
    size[g]++;
    if (v === v) {
      sum[g] += v;
      cnt[g]++;
    }
  }
  let m = 0;
  for (let g = 0; g < ng; g++) if (size[g] > 0) m++;
  const outK = new Int32Array(m);
  const mean = new Float64Array(m);
  for (let g = 0, j = 0; g < ng; g++) {
    if (size[g] === 0) continue;
    outK[j] = g + lo;
    mean[j++] = sum[g] / cnt[g];
  }
  return { keys: outK, mean };
}

interface InKernel {
  k: Kernels;
  arrays: KernelArray<Float64Array | Int32Array>[];
}

function sumWorkload(): Workload {
  const inKernel: JsRun<InKernel & { x: KernelArray<Float64Array> }> = {
    system: 'pdask-kernels',
    setup: async () => {
      // Sized up front so that the 800 MB array is one allocation without regrowth.
      const k = await loadKernels({ initialBytes: SUM_N * 8 + 2 ** 24 });
      const x = k.copyIn(sumInput());
      return { k, x, arrays: [x] };
    },
    run: ({ k, x }) => k.sum(x),
    teardown: (c) => c.arrays.forEach((a) => a.free()),
  };
  const streamed: JsRun<{ k: Kernels; x: Float64Array }> = {
    system: 'pdask-kernels (JS array)',
    setup: async () => ({ k: await loadKernels(), x: sumInput() }),
    run: ({ k, x }) => k.sum(x),
  };
  const plain: JsRun<Float64Array> = { system: 'plain-js', setup: sumInput, run: jsSum };
  const pl: JsRun<{ s: import('nodejs-polars').Series }> = {
    system: 'nodejs-polars',
    unavailable: () => loadFailure(polars, 'nodejs-polars'),
    setup: async () => ({ s: (await polars()).Series('x', sumInput()) }),
    run: ({ s }) => s.sum(),
  };
  const aqRun: JsRun<{ aq: Arquero; t: ReturnType<Arquero['table']> }> = {
    system: 'arquero',
    unavailable: () => loadFailure(arquero, 'arquero'),
    setup: async () => {
      const aq = await arquero();
      return { aq, t: aq.table({ x: sumInput() }) };
    },
    run: ({ aq, t }) => t.rollup({ s: aq.op.sum('x') }).get('s', 0),
  };
  return {
    id: 'kernels-sum-1e8',
    group: 'kernels',
    description: 'sum of 100,000,000 float64 (800 MB), single thread',
    repeat: 5,
    warmup: 1,
    items: { count: SUM_N, unit: 'values' },
    reference: 'numpy',
    js: [inKernel, streamed, plain, pl, aqRun],
    python: [{ system: 'numpy', file: 'kernels_sum.py', setup: 'setup', run: 'run_sum', requires: ['numpy'] }],
    // Issue 16's target (0.8 in issue 3).
    targets: [{ system: 'pdask-kernels', vs: 'numpy', atLeast: 0.95 }],
  };
}

function groupbyWorkload(groups: number, label: string, vsPandas: number): Workload {
  const inKernel: JsRun<InKernel & { keys: KernelArray<Int32Array>; values: KernelArray<Float64Array> }> = {
    system: 'pdask-kernels',
    setup: async () => {
      const k = await loadKernels({ initialBytes: GB_N * 12 + 2 ** 26 });
      const d = gbInput(groups);
      const keys = k.copyIn(d.keys);
      const values = k.copyIn(d.values);
      return { k, keys, values, arrays: [keys, values] };
    },
    run: ({ k, keys, values }) => k.groupbyAgg(keys, values, 'mean'),
    teardown: (c) => c.arrays.forEach((a) => a.free()),
  };
  const streamed: JsRun<{ k: Kernels; keys: Int32Array; values: Float64Array }> = {
    system: 'pdask-kernels (JS array)',
    setup: async () => ({ k: await loadKernels(), ...gbInput(groups) }),
    run: ({ k, keys, values }) => k.groupbyAgg(keys, values, 'mean'),
  };
  const plain: JsRun<{ keys: Int32Array; values: Float64Array }> = {
    system: 'plain-js',
    setup: () => gbInput(groups),
    run: ({ keys, values }) => jsGroupbyMean(keys, values),
  };
  const pl: JsRun<{ pl: Polars; df: import('nodejs-polars').DataFrame }> = {
    system: 'nodejs-polars',
    unavailable: () => loadFailure(polars, 'nodejs-polars'),
    setup: async () => {
      const p = await polars();
      const d = gbInput(groups);
      return { pl: p, df: p.DataFrame({ k: d.keys, v: d.values }) };
    },
    run: ({ pl, df }) => df.groupBy('k').agg(pl.col('v').mean()),
  };
  const aqRun: JsRun<{ aq: Arquero; t: ReturnType<Arquero['table']> }> = {
    system: 'arquero',
    unavailable: () => loadFailure(arquero, 'arquero'),
    setup: async () => {
      const aq = await arquero();
      const d = gbInput(groups);
      return { aq, t: aq.table({ k: d.keys, v: d.values }) };
    },
    run: ({ aq, t }) => t.groupby('k').rollup({ m: aq.op.mean('v') }),
  };
  return {
    id: `kernels-groupby-mean-${label}`,
    group: 'kernels',
    description: `group-by mean of 10,000,000 rows, ${groups.toLocaleString('en-US')} groups (int32 keys, float64 values)`,
    repeat: 5,
    warmup: 1,
    items: { count: GB_N, unit: 'rows' },
    reference: 'pandas',
    js: [inKernel, streamed, plain, pl, aqRun],
    python: [{ system: 'pandas', file: 'kernels_groupby.py', setup: groups === 10 ? 'setup_10' : 'setup_1m', run: 'run_mean', requires: ['numpy', 'pandas'] }],
    targets: [
      { system: 'pdask-kernels', vs: 'pandas', atLeast: vsPandas },
      { system: 'pdask-kernels', vs: 'nodejs-polars', atLeast: 1 },
    ],
  };
}

function bandwidthWorkload(): Workload {
  const copyIn: JsRun<{ k: Kernels; dst: KernelArray<Float64Array>; src: Float64Array }> = {
    system: 'copy into kernel memory',
    setup: async () => {
      const k = await loadKernels({ initialBytes: SUM_N * 8 + 2 ** 24 });
      return { k, dst: k.alloc(Float64Array, SUM_N), src: sumInput() };
    },
    run: ({ dst, src }) => dst.array.set(src),
    teardown: ({ dst }) => dst.free(),
  };
  const jsCopy: JsRun<{ dst: Float64Array; src: Float64Array }> = {
    system: 'plain-js copy',
    setup: () => ({ dst: new Float64Array(SUM_N), src: sumInput() }),
    run: ({ dst, src }) => dst.set(src),
  };
  const jsRead: JsRun<Float64Array> = { system: 'plain-js read', setup: sumInput, run: jsSum };
  // The WebAssembly limit: a plain v128 load loop (wasm-read.ts) over the same 800 MB.
  const wasmRead: JsRun<WasmReader> = {
    system: 'wasm read (plain load loop)',
    setup: () => {
      const r = wasmReader(SUM_N);
      r.data.set(sumInput());
      return r;
    },
    run: (r) => r.read(),
  };
  // The two-core limit: the same loop on two worker threads, each reading half of a shared memory.
  const wasmRead2: JsRun<SharedWasmReader> = {
    system: 'wasm read, 2 threads (plain load loop, shared memory)',
    setup: async () => {
      const r = await sharedWasmReader(SUM_N);
      r.data.set(sumInput());
      return r;
    },
    run: (r) => r.read(),
    teardown: (r) => r.close(),
  };
  return {
    id: 'kernels-bandwidth-800mb',
    group: 'kernels',
    description: 'memory-bandwidth reference: read (sum) and copy of 800 MB',
    repeat: 5,
    warmup: 1,
    items: { count: SUM_N * 8, unit: 'bytes' },
    reference: 'numpy read',
    js: [jsRead, jsCopy, copyIn, wasmRead, wasmRead2],
    python: [
      { system: 'numpy read', file: 'kernels_sum.py', setup: 'setup', run: 'run_sum', requires: ['numpy'] },
      { system: 'numpy copy', file: 'kernels_sum.py', setup: 'setup', run: 'run_copy', requires: ['numpy'] },
      // NumPy asks the kernel for transparent huge pages (madvise) for large arrays; WebAssembly
      // memory gets 4 KiB pages. The same read on 4 KiB pages shows what that is worth here.
      { system: 'numpy read, 4 KiB pages', file: 'kernels_sum.py', setup: 'setup_small_pages', run: 'run_sum', requires: ['numpy'] },
    ],
  };
}

export const kernelWorkloads: Workload[] = [
  sumWorkload(),
  groupbyWorkload(10, '10', 5),
  groupbyWorkload(1_000_000, '1e6', 3),
  bandwidthWorkload(),
];
