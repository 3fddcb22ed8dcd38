/**
 * KMeans by Lloyd's algorithm. Each iteration is one pass over the row blocks: every block
 * assigns its rows to the nearest center and returns per-cluster sums and counts (k x d + k
 * numbers), which a tree reduction adds up; the new centers are computed on the calling thread.
 */
import { NDArray, variance, type ChunkedArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, OptionError, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { toFloat64 } from '../eager';
import { runBlockReduce } from '../graph/block-reduce';
import { scheduleFor } from '../graph/schedule';
import { clusterOps, mlOps } from '../ops/index';
import type { LloydPartial } from '../runtime/kmeans';
import { asMatrix, checkFeatures, NotFittedError, rules, seedOf, type Data } from '../validate';
import { allFinite, nonFiniteError, nonFiniteKind, refuseNonFinite } from '../input/finite';
import { kmeansParallel, kmeansPlusPlus, randomRows } from './init';
import { nearestCenter } from './nearest';
import { definedParams, type Params } from '../base/estimator';

export type KMeansInit = 'k-means||' | 'k-means++' | 'random' | NDArray | readonly (readonly number[])[];

export interface KMeansOptions {
  /** Number of clusters (default 8). */
  nClusters?: number;
  /**
   * 'k-means||' (default, as Dask-ML: a few oversampling passes, then a weighted k-means++ of the
   * candidates), 'k-means++' (one pass per center), 'random' (distinct rows), or the initial
   * centers (nClusters x features).
   */
  init?: KMeansInit;
  /** Lloyd iterations at most (default 300). */
  maxIter?: number;
  /**
   * Stop when the centers moved (sum of squared shifts) by at most tol times the mean variance of
   * the features (default 1e-4, scikit-learn's rule); 0 runs until nothing moves or maxIter.
   */
  tol?: number;
  /**
   * Initialisations tried, keeping the one of least inertia. 'auto' (default, scikit-learn 1.4's):
   * 1 for 'k-means||', 'k-means++' and given centers, 10 for 'random'. Each costs its
   * initialisation and Lloyd passes over the data.
   */
  nInit?: number | 'auto';
  /** Seed of the initialisation (default: random). */
  seed?: number;
  /**
   * 'lloyd' (the only one). 'elkan' is refused: its distance bounds are per-row state carried
   * between passes, which pdask's stateless block passes do not keep (and it gives Lloyd's centers).
   */
  algorithm?: 'lloyd';
  /** k-means||: rows drawn per round, in expectation (default 2, Dask-ML's). */
  oversamplingFactor?: number;
  /** k-means||: rounds at most (Dask-ML's init_max_iter; default round(ln ψ), ψ the first cost). */
  initMaxIter?: number;
}

const KMEANS_OPTIONS: OptionSchema<KMeansOptions> = {
  nClusters: rules.positiveInt,
  init: (v) => (v === 'k-means||' || v === 'k-means++' || v === 'random' || (typeof v === 'object' && v !== null) ? undefined : "'k-means++', 'random' or an array of initial centers (nClusters x features), or 'k-means||'"),
  maxIter: rules.positiveInt,
  tol: rules.nonNegative,
  nInit: (v) => (v === 'auto' || (Number.isInteger(v) && (v as number) >= 1) ? undefined : "'auto' or a positive integer"),
  seed: rules.seed,
  algorithm: { oneOf: ['lloyd', 'elkan'] },
  oversamplingFactor: rules.positive,
  initMaxIter: rules.positiveInt,
};

interface Fitted {
  centers: Float64Array;
  d: number;
  inertia: number;
  nIter: number;
  x: ChunkedArray<unknown>;
}

export class KMeans {
  readonly nClusters: number;
  readonly init: KMeansInit;
  readonly maxIter: number;
  readonly tol: number;
  readonly nInit: number;
  readonly seed: number | undefined;
  readonly oversamplingFactor: number;
  readonly initMaxIter: number | undefined;
  private fitted: Fitted | null = null;

  constructor(opts: KMeansOptions = {}) {
    checkOptions('KMeans', opts, KMEANS_OPTIONS);
    this.nClusters = opts.nClusters ?? 8;
    this.maxIter = opts.maxIter ?? 300;
    this.tol = opts.tol ?? 1e-4;
    if ((opts.algorithm as string | undefined) === 'elkan') {
      throw new OptionError(
        "KMeans: option 'algorithm' is not supported for 'elkan': Elkan's distance bounds are per-row state kept between passes, which pdask's block passes do not keep; 'lloyd' (the default) gives the same centers",
        'KMeans',
        'algorithm',
      );
    }
    this.init = opts.init ?? 'k-means||';
    this.nInit = opts.nInit === undefined || opts.nInit === 'auto' ? (this.init === 'random' ? 10 : 1) : opts.nInit;
    this.seed = opts.seed;
    this.oversamplingFactor = opts.oversamplingFactor ?? 2;
    this.initMaxIter = opts.initMaxIter;
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('KMeans', method);
    return this.fitted;
  }

  /** The centers, nClusters x features. */
  get clusterCenters(): NDArray {
    const f = this.state('clusterCenters');
    return new NDArray(f.centers.slice(), [this.nClusters, f.d], 'float64');
  }
  /** Sum of squared distances of the training rows to their nearest center. */
  get inertia(): number {
    return this.state('inertia').inertia;
  }
  /** Lloyd iterations run. */
  get nIter(): number {
    return this.state('nIter').nIter;
  }
  /** The training rows' cluster labels, lazily (predict on the array given to fit). */
  get labels(): ChunkedArray<NDArray> {
    const f = this.state('labels');
    return this.predict(f.x);
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').d;
  }

  private async initialCenters(x: ChunkedArray<unknown>, seed: number, run: number, opts: ComputeOptions): Promise<Float64Array> {
    const k = this.nClusters;
    const d = x.shape[1];
    if (typeof this.init !== 'string') {
      const c = NDArray.from(this.init as NDArray, 'float64');
      if (c.ndim !== 2 || c.shape[0] !== k || c.shape[1] !== d) throw new RangeError(`KMeans.fit: option 'init' has shape [${c.shape.join(', ')}], expected [${k}, ${d}] (nClusters x features)`);
      return Float64Array.from(c.data as Float64Array);
    }
    if (this.init === 'random') return randomRows(x, k, seed, run, opts);
    if (this.init === 'k-means++') return kmeansPlusPlus(x, k, seed, run, opts);
    return kmeansParallel(x, k, seed, run, { oversamplingFactor: this.oversamplingFactor, initMaxIter: this.initMaxIter }, opts);
  }

  /** One pass: per-cluster sums and counts, and the inertia only when asked (it costs a third of the pass). */
  private lloyd(x: ChunkedArray<unknown>, centers: Float64Array, inertia: boolean, opts: ComputeOptions): Promise<LloydPartial> {
    const k = this.nClusters;
    const partial = inertia ? mlOps.lloydPartial : clusterOps.lloydStep;
    return runBlockReduce<LloydPartial>({ label: inertia ? 'kmeans-inertia' : 'kmeans-lloyd', x, partial, partialArgs: () => [centers, k], combine: mlOps.combineLloyd }, opts);
  }

  async fit(X: Data, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'KMeans.fit');
    const x = asMatrix(X, 'KMeans.fit');
    const [n, d] = x.shape;
    const k = this.nClusters;
    if (n < k) throw new RangeError(`KMeans.fit: X has ${n} samples, fewer than nClusters = ${k}`);
    // scikit-learn's tolerance is relative to the data's spread: tol x mean of the column variances.
    const sched = scheduleFor([x], opts);
    const tolAbs = this.tol > 0 ? this.tol * (toFloat64(await (variance(x, { axis: 0 }) as ChunkedArray<NDArray>).compute(sched)).reduce((s, v) => s + v, 0) / d) : 0;
    // NaN or infinity in X makes the variances (or else the inertia) non-finite: refused by name (input/finite.ts).
    if (!allFinite(tolAbs)) await refuseNonFinite(x, 'KMeans.fit', sched);
    // Given centers make every run the same: one is enough.
    const runs = typeof this.init === 'string' ? this.nInit : 1;
    const seed = seedOf(this.seed);
    let best: Omit<Fitted, 'x' | 'd'> | null = null;
    try {
      for (let run = 0; run < runs; run++) {
        const r = await this.runOnce(x, await this.initialCenters(x, seed, run, opts), tolAbs, opts);
        if (!best || r.inertia < best.inertia) best = r;
      }
    } catch (e) {
      // Unchecked so far (tol 0): a failure caused by NaN or infinity is reported as that.
      const kind = this.tol === 0 ? await nonFiniteKind(x, sched) : null;
      throw kind ? nonFiniteError(kind, 'KMeans.fit') : e;
    }
    if (!allFinite(best!.inertia, best!.centers)) await refuseNonFinite(x, 'KMeans.fit', sched);
    this.fitted = { ...best!, d, x };
    return this;
  }

  /** Lloyd from the given centers until they move by at most tolAbs, or maxIter. */
  private async runOnce(x: ChunkedArray<unknown>, init: Float64Array, tolAbs: number, opts: ComputeOptions): Promise<Omit<Fitted, 'x' | 'd'>> {
    const k = this.nClusters;
    const d = x.shape[1];
    let centers = init;
    let nIter = 0;
    for (let it = 0; it < this.maxIter; it++) {
      const part = await this.lloyd(x, centers, false, opts);
      const next = new Float64Array(k * d);
      let shift = 0;
      for (let j = 0; j < k; j++) {
        const c = part.counts[j];
        for (let t = 0; t < d; t++) {
          // An empty cluster keeps its center (scikit-learn moves it to a far point instead).
          const v = c > 0 ? part.sums[j * d + t] / c : centers[j * d + t];
          next[j * d + t] = v;
          shift += (v - centers[j * d + t]) ** 2;
        }
      }
      centers = next;
      nIter = it + 1;
      if (shift <= tolAbs) break;
    }
    // The inertia of the final centers: one more assignment pass, as scikit-learn does.
    const last = await this.lloyd(x, centers, true, opts);
    return { centers, inertia: last.inertia, nIter };
  }

  /** The nearest center of each row (int32), lazily: argmin over ||c||² - 2 x·c, one task per block. */
  predict(X: Data): ChunkedArray<NDArray> {
    const f = this.state('predict');
    const x = asMatrix(X, 'KMeans.predict');
    checkFeatures(x, f.d, 'KMeans.predict');
    return nearestCenter(x, f.centers, this.nClusters, f.d);
  }

  async fitPredict(X: Data, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'KMeans.fitPredict');
    await this.fit(X, opts);
    return this.labels;
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'clusterer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ nClusters: this.nClusters, init: this.init, maxIter: this.maxIter, tol: this.tol, nInit: this.nInit, seed: this.seed, oversamplingFactor: this.oversamplingFactor, initMaxIter: this.initMaxIter });
  }
}
