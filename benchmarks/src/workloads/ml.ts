/**
 * Machine-learning workloads (@pdask/ml) side by side with scikit-learn (and Dask-ML when it is
 * installed): KMeans with 8 clusters on 1,000,000 x 10 float64 (k-means++ then exactly 10 Lloyd
 * iterations), and L2 logistic regression (C = 1) on 1,000,000 x 20. Fitting is timed; making
 * the data is not. The data have the same distribution on both sides, not the same values.
 */
import * as da from '@pdask/array';
import { closeThreadPools, type ComputeOptions } from '@pdask/core';
import { KMeans, LogisticRegression } from '@pdask/ml';
import type { JsRun, PyRun, Workload } from '../harness.js';

const N = 1_000_000;
const BLOCKS = 4;

/** xorshift32 in [0, 1). */
function stream(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/**
 * Row i belongs to blob i % k; blob centers uniform in [-2, 2)^d, points within ±2 of them. The
 * blobs overlap, so Lloyd is still moving after 10 iterations on both sides (scikit-learn stops
 * early, whatever tol says, once no label changes).
 */
function blobs(n: number, d: number, k: number): Float64Array {
  const u = stream(11);
  const centers = Float64Array.from({ length: k * d }, () => 4 * u() - 2);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) x[i * d + t] = centers[(i % k) * d + t] + 4 * u() - 2;
  return x;
}

/** X uniform in [-1, 1); y = 1 with probability sigmoid(X · w - 0.5), w_j = (-1)^j (1 + j / 10). */
function logistic(n: number, d: number): { x: Float64Array; y: Float64Array } {
  const u = stream(7);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = -0.5;
    for (let t = 0; t < d; t++) {
      const v = 2 * u() - 1;
      x[i * d + t] = v;
      z += v * (t % 2 ? -1 : 1) * (1 + t / 10);
    }
    y[i] = u() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x, y };
}

const py = (system: string, setup: string, run: string, requires: string[]): PyRun => ({ system, file: 'ml_bench.py', setup, run, requires });

function kmeansWorkload(): Workload {
  const d = 10;
  const k = 8;
  const setup = () => da.fromArray(blobs(N, d, k), { shape: [N, d], chunks: [N / BLOCKS, d], name: 'bench-ml-kmeans-x' });
  const fit = async (x: da.ChunkedArray, opts: ComputeOptions) => {
    const m = await new KMeans({ nClusters: k, maxIter: 10, tol: 0, seed: 0 }).fit(x, opts);
    // Ten full iterations, and an inertia below that of one cluster (variance 4/3 + 4/3 per feature).
    if (m.nIter !== 10 || !(m.inertia > 0 && m.inertia < N * d * (8 / 3))) throw new Error(`wrong result: nIter ${m.nIter}, inertia ${m.inertia}`);
  };
  const systems: JsRun<da.ChunkedArray>[] = [
    { system: 'pdask-threads', setup, run: (x) => fit(x, { scheduler: 'threads' }), teardown: () => closeThreadPools() },
    { system: 'pdask-sync', setup, run: (x) => fit(x, { scheduler: 'sync' }) },
  ];
  return {
    id: 'ml-kmeans-1e6x10',
    group: 'ml',
    description: `KMeans(8 clusters, k-means++, 10 Lloyd iterations) on 1,000,000 x 10 float64 in ${BLOCKS} row blocks; scikit-learn: KMeans(n_init=1, max_iter=10, tol=0, algorithm='lloyd')`,
    repeat: 3,
    warmup: 1,
    items: { count: N, unit: 'rows' },
    reference: 'scikit-learn',
    js: systems,
    python: [py('scikit-learn', 'setup_kmeans', 'run_sklearn_kmeans', ['sklearn']), py('dask-ml', 'setup_kmeans_dask', 'run_daskml_kmeans', ['dask_ml'])],
  };
}

function logisticWorkload(): Workload {
  const d = 20;
  const setup = () => {
    const { x, y } = logistic(N, d);
    return {
      x: da.fromArray(x, { shape: [N, d], chunks: [N / BLOCKS, d], name: 'bench-ml-logistic-x' }),
      y: da.fromArray(y, { chunks: N / BLOCKS, name: 'bench-ml-logistic-y' }),
    };
  };
  const fit = async ({ x, y }: ReturnType<typeof setup>, opts: ComputeOptions) => {
    const m = await new LogisticRegression({ C: 1, solver: 'newton' }).fit(x, y, opts);
    // The generating weights: the fit must find them to within sampling error.
    if (!m.converged || Math.abs(m.coef[0] - 1) > 0.05 || Math.abs(m.intercept + 0.5) > 0.05) throw new Error(`wrong result: coef[0] ${m.coef[0]}, intercept ${m.intercept}`);
  };
  return {
    id: 'ml-logistic-1e6x20',
    group: 'ml',
    description: `LogisticRegression(C=1) on 1,000,000 x 20 float64 in ${BLOCKS} row blocks; pdask: Newton (one pass per iteration), scikit-learn: lbfgs and newton-cg (tol 1e-4)`,
    repeat: 3,
    warmup: 1,
    items: { count: N, unit: 'rows' },
    reference: 'scikit-learn lbfgs',
    js: [
      { system: 'pdask-threads', setup, run: (c) => fit(c, { scheduler: 'threads' }), teardown: () => closeThreadPools() },
      { system: 'pdask-sync', setup, run: (c) => fit(c, { scheduler: 'sync' }) },
    ],
    python: [
      py('scikit-learn lbfgs', 'setup_logistic', 'run_sklearn_lbfgs', ['sklearn']),
      py('scikit-learn newton-cg', 'setup_logistic', 'run_sklearn_newton', ['sklearn']),
      py('dask-ml', 'setup_logistic_dask', 'run_daskml_logistic', ['dask_ml']),
    ],
  };
}

export const mlWorkloads: Workload[] = [kmeansWorkload(), logisticWorkload()];
