/**
 * Machine-learning workloads (@pdask/ml) side by side with scikit-learn (and Dask-ML when it is
 * installed): KMeans with 8 clusters on 1,000,000 x 10 float64 (k-means++ then exactly 10 Lloyd
 * iterations), and L2 logistic regression (C = 1) on 1,000,000 x 20. Fitting is timed; making
 * the data is not. The data have the same distribution on both sides, not the same values.
 */
import * as da from '@pdask/array';
import { closeThreadPools, type ComputeOptions } from '@pdask/core';
import { GridSearchCV, KFold, KMeans, LogisticRegression, makePipeline, MiniBatchKMeans, PCA, StandardScaler } from '@pdask/ml';
import type { JsRun, PyRun, Workload } from '../harness.js';
import { xorshift } from '../random.js';

const N = 1_000_000;
const BLOCKS = 4;

/**
 * Row i belongs to blob i % k; blob centers uniform in [-2, 2)^d, points within ±2 of them. The
 * blobs overlap, so Lloyd is still moving after 10 iterations on both sides (scikit-learn stops
 * early, whatever tol says, once no label changes).
 */
function blobs(n: number, d: number, k: number): Float64Array {
  const u = xorshift(11);
  const centers = Float64Array.from({ length: k * d }, () => 4 * u() - 2);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) x[i * d + t] = centers[(i % k) * d + t] + 4 * u() - 2;
  return x;
}

/** X uniform in [-1, 1); y = 1 with probability sigmoid(X · w - 0.5), w_j = (-1)^j (1 + j / 10). */
function logistic(n: number, d: number): { x: Float64Array; y: Float64Array } {
  const u = xorshift(7);
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
    const m = await new KMeans({ nClusters: k, init: 'k-means++', maxIter: 10, tol: 0, seed: 0 }).fit(x, opts);
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


const MULTI_CLASSES = 10;

/** X uniform in [-1, 1); class = argmax of X · W + noise (W and noise normal), as the Python side draws it. */
function multiclass(n: number, d: number, k: number): { x: Float64Array; y: Float64Array } {
  const u = xorshift(5);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const w = Float64Array.from({ length: d * k }, normal);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) x[i * d + t] = 2 * u() - 1;
    let best = -Infinity;
    for (let c = 0; c < k; c++) {
      let z = 0.5 * normal();
      for (let t = 0; t < d; t++) z += x[i * d + t] * w[t * k + c];
      if (z > best) {
        best = z;
        y[i] = c;
      }
    }
  }
  return { x, y };
}

function multinomialWorkload(): Workload {
  const d = 20;
  const setup = () => {
    const { x, y } = multiclass(N, d, MULTI_CLASSES);
    return {
      x: da.fromArray(x, { shape: [N, d], chunks: [N / BLOCKS, d], name: 'bench-ml-multinomial-x' }),
      y: da.fromArray(y, { chunks: N / BLOCKS, name: 'bench-ml-multinomial-y' }),
    };
  };
  const fit = async ({ x, y }: ReturnType<typeof setup>, opts: ComputeOptions) => {
    const m = await new LogisticRegression({ C: 1, multiClass: 'multinomial' }).fit(x, y, opts);
    // Ten classes, and a model that beats chance by far on the rows it saw.
    if (m.classes.length !== MULTI_CLASSES) throw new Error(`wrong classes ${m.classes}`);
    const acc = await m.score(x.slice('0:10000'), y.slice('0:10000'), opts);
    if (!(acc > 0.5)) throw new Error(`wrong result: accuracy ${acc}`);
  };
  return {
    id: 'ml-multinomial-1e6x20',
    group: 'ml',
    description: `multinomial LogisticRegression(C=1, lbfgs, ${MULTI_CLASSES} classes) on 1,000,000 x 20 in ${BLOCKS} row blocks; scikit-learn: multi_class='multinomial', lbfgs. Target (issue 14): at least 2x scikit-learn.`,
    repeat: 3,
    warmup: 0,
    items: { count: N, unit: 'rows' },
    reference: 'scikit-learn',
    js: [{ system: 'pdask-threads', setup, run: (c) => fit(c, { scheduler: 'threads' }), teardown: () => closeThreadPools() }],
    python: [py('scikit-learn', 'setup_multinomial', 'run_sklearn_multinomial', ['sklearn'])],
    targets: [{ system: 'pdask-threads', vs: 'scikit-learn', atLeast: 2 }],
  };
}

// --- issue 14's workloads -----------------------------------------------------------------------

const GRID_N = 200_000;
const GRID_C = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300];

function gridWorkload(): Workload {
  const d = 20;
  const setup = () => {
    const { x, y } = logistic(GRID_N, d);
    return {
      x: da.fromArray(x, { shape: [GRID_N, d], chunks: [GRID_N / BLOCKS, d], name: 'bench-ml-grid-x' }),
      y: da.fromArray(y, { chunks: GRID_N / BLOCKS, name: 'bench-ml-grid-y' }),
    };
  };
  const fit = async ({ x, y }: ReturnType<typeof setup>, opts: ComputeOptions) => {
    const pipe = makePipeline(new StandardScaler(), new LogisticRegression());
    const search = await new GridSearchCV(pipe, { logisticregression__C: GRID_C }, { cv: new KFold({ nSplits: 3 }) }).fit(x, y, opts);
    // The generating model is learnable: accuracy well above chance.
    if (!(search.bestScore > 0.6)) throw new Error(`wrong result: best score ${search.bestScore}`);
  };
  return {
    id: 'ml-grid-search-2e5x20',
    group: 'ml',
    description: `GridSearchCV(StandardScaler + LogisticRegression, ${GRID_C.length} values of C x 3 folds) on ${GRID_N.toLocaleString('en')} x 20. Target (issue 14): at least 2x scikit-learn.`,
    repeat: 3,
    warmup: 0,
    items: { count: GRID_C.length * 3, unit: 'fits' },
    reference: 'scikit-learn',
    js: [{ system: 'pdask-threads', setup, run: (c) => fit(c, { scheduler: 'threads' }), teardown: () => closeThreadPools() }],
    python: [py('scikit-learn', 'setup_grid', 'run_sklearn_grid', ['sklearn'])],
    targets: [{ system: 'pdask-threads', vs: 'scikit-learn', atLeast: 2 }],
  };
}

const MB_N = 10_000_000;
const MB_BLOCK = 100_000;

function miniBatchWorkload(): Workload {
  const d = 10;
  const k = 8;
  // 100 blocks of 1e5 rows, each in two chunks so both threads step it.
  const setup = () => {
    const x = blobs(MB_N, d, k);
    const blocks: da.ChunkedArray[] = [];
    for (let s = 0; s < MB_N; s += MB_BLOCK) blocks.push(da.fromArray(x.subarray(s * d, (s + MB_BLOCK) * d), { shape: [MB_BLOCK, d], chunks: [MB_BLOCK / 2, d] }));
    return blocks;
  };
  const fit = async (blocks: da.ChunkedArray[], opts: ComputeOptions) => {
    const m = new MiniBatchKMeans({ nClusters: k, seed: 0 });
    for (const b of blocks) await m.partialFit(b, opts);
    const c = m.clusterCenters;
    if (c.shape[0] !== k || c.shape[1] !== d) throw new Error(`wrong centers shape ${c.shape}`);
  };
  return {
    id: 'ml-minibatch-kmeans-1e7',
    group: 'ml',
    description: `MiniBatchKMeans(8 clusters).partialFit over ${MB_N.toLocaleString('en')} x 10 rows in blocks of ${MB_BLOCK.toLocaleString('en')}. Target (issue 14): at least 2x scikit-learn.`,
    repeat: 3,
    warmup: 0,
    items: { count: MB_N, unit: 'rows' },
    reference: 'scikit-learn',
    js: [{ system: 'pdask-threads', setup, run: (b) => fit(b, { scheduler: 'threads' }), teardown: () => closeThreadPools() }],
    python: [py('scikit-learn', 'setup_minibatch', 'run_sklearn_minibatch', ['sklearn'])],
    targets: [{ system: 'pdask-threads', vs: 'scikit-learn', atLeast: 2 }],
  };
}

const PCA_N = 1_000_000;

function pcaWorkload(): Workload {
  const d = 100;
  // Rank-10 signal plus noise, as the Python side draws it.
  const setup = () => {
    const u = xorshift(3);
    const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const mix = Float64Array.from({ length: 10 * d }, normal);
    const x = new Float64Array(PCA_N * d);
    const z = new Float64Array(10);
    for (let i = 0; i < PCA_N; i++) {
      for (let t = 0; t < 10; t++) z[t] = normal();
      for (let j = 0; j < d; j++) {
        let v = 0.1 * normal();
        for (let t = 0; t < 10; t++) v += z[t] * mix[t * d + j];
        x[i * d + j] = v;
      }
    }
    return da.fromArray(x, { shape: [PCA_N, d], chunks: [PCA_N / BLOCKS, d], name: 'bench-ml-pca-x' });
  };
  const fit = async (x: da.ChunkedArray, opts: ComputeOptions) => {
    const m = await new PCA({ nComponents: 10, svdSolver: 'randomized', seed: 0 }).fit(x, opts);
    const ratio = m.explainedVarianceRatio.reduce((a, b) => a + b, 0);
    if (!(ratio > 0.95)) throw new Error(`wrong result: explained variance ratio ${ratio}`);
  };
  return {
    id: 'ml-pca-randomized-1e6x100',
    group: 'ml',
    description: `PCA(10 components, randomized SVD) on ${PCA_N.toLocaleString('en')} x 100 float64 in ${BLOCKS} row blocks. Target (issue 14): at least 2x scikit-learn.`,
    repeat: 3,
    warmup: 0,
    items: { count: PCA_N, unit: 'rows' },
    reference: 'scikit-learn',
    js: [{ system: 'pdask-threads', setup, run: (x) => fit(x, { scheduler: 'threads' }), teardown: () => closeThreadPools() }],
    python: [py('scikit-learn', 'setup_pca', 'run_sklearn_pca', ['sklearn'])],
    targets: [{ system: 'pdask-threads', vs: 'scikit-learn', atLeast: 2 }],
  };
}

export const mlWorkloads: Workload[] = [kmeansWorkload(), logisticWorkload(), multinomialWorkload(), gridWorkload(), miniBatchWorkload(), pcaWorkload()];
