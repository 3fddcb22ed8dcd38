/**
 * MiniBatchKMeans (Sculley 2010), with scikit-learn's update: every center moves to the running
 * mean of all the rows ever assigned to it (learning rate 1 / count), low-count centers are
 * reassigned to random rows of the batch now and then, and `fit` stops on scikit-learn's
 * exponentially weighted batch inertia. `partialFit(batch)` is one step over a whole (chunked)
 * batch: one pass over its blocks with the Lloyd kernel, one task per block, whose sums and counts
 * come back with the tasks' reports and are added on the calling thread (block-partials.ts).
 * `fit` draws its mini-batches (seeded, with replacement) many at a time, one gather per round
 * of steps, and runs the steps on the calling thread.
 */
import { NDArray, variance, type ChunkedArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { definedParams, type Params } from '../base/estimator';
import { toFloat64 } from '../eager';
import { runBlockReduce } from '../graph/block-reduce';
import { scheduleFor } from '../graph/schedule';
import { clusterOps, mlOps, rowOps } from '../ops/index';
import { Stream } from '../random';
import { kernelsFor } from '../runtime/kernels';
import { combineLloyd, type LloydPartial } from '../runtime/kmeans';
import { asMatrix, checkFeatures, NotFittedError, rules, seedOf, type Data } from '../validate';
import { blockPartials } from './block-partials';
import { assign, weightedPlusPlus } from './local';
import { nearestCenter } from './nearest';

export type MiniBatchKMeansInit = 'k-means++' | 'random' | NDArray | readonly (readonly number[])[];

export interface MiniBatchKMeansOptions {
  /** Number of clusters (default 8). */
  nClusters?: number;
  /** 'k-means++' (default; greedy, on a sample of initSize rows), 'random' (distinct rows of the sample) or the centers. */
  init?: MiniBatchKMeansInit;
  /** Passes over the data at most, in mini-batch steps (default 100; fit runs maxIter · n / batchSize steps at most). */
  maxIter?: number;
  /** Rows per mini-batch (default 1024). */
  batchSize?: number;
  /** Stop when the centers moved (sum of squared shifts) by at most tol × mean feature variance (default 0: off). */
  tol?: number;
  /** Stop after this many steps without a lower smoothed batch inertia (default 10); null: never. */
  maxNoImprovement?: number | null;
  /** Rows sampled to initialise (default 3 × batchSize, at least 3 × nClusters, at most the rows). */
  initSize?: number;
  /** Initialisations tried on their samples ('auto' (default): 3 for 'random', 1 otherwise, as scikit-learn 1.4). */
  nInit?: number | 'auto';
  /** A center whose count is below this fraction of the largest is moved to a random row of the batch (default 0.01). */
  reassignmentRatio?: number;
  /** Whether fit ends with a pass computing the inertia over X (default true). */
  computeLabels?: boolean;
  /** Seed of the sampling, initialisation and reassignments (default: random). */
  seed?: number;
}

const OPTIONS: OptionSchema<MiniBatchKMeansOptions> = {
  nClusters: rules.positiveInt,
  init: (v) => (v === 'k-means++' || v === 'random' || (typeof v === 'object' && v !== null) ? undefined : "'k-means++', 'random' or an array of initial centers"),
  maxIter: rules.positiveInt,
  batchSize: rules.positiveInt,
  tol: rules.nonNegative,
  maxNoImprovement: (v) => (v === null || (Number.isInteger(v) && (v as number) >= 1) ? undefined : 'a positive integer or null'),
  initSize: rules.positiveInt,
  nInit: (v) => (v === 'auto' || (Number.isInteger(v) && (v as number) >= 1) ? undefined : "'auto' or a positive integer"),
  reassignmentRatio: rules.nonNegative,
  computeLabels: 'boolean',
  seed: rules.seed,
};

/**
 * Values (rows x features) gathered per round of fit's steps at most: many steps per graph, a
 * bounded buffer (8 MiB). Rounds start at a few steps and double, since fit often stops early.
 */
const ROUND_VALUES = 1 << 20;
const FIRST_ROUND_STEPS = 4;

interface State {
  centers: Float64Array;
  /** Rows assigned to each center so far (scikit-learn's `_counts`). */
  counts: Float64Array;
  d: number;
  nSteps: number;
  sinceReassign: number;
  rng: Stream;
}

export class MiniBatchKMeans {
  readonly nClusters: number;
  readonly init: MiniBatchKMeansInit;
  readonly maxIter: number;
  readonly batchSize: number;
  readonly tol: number;
  readonly maxNoImprovement: number | null;
  readonly initSize: number | undefined;
  readonly nInit: number;
  readonly reassignmentRatio: number;
  readonly computeLabels: boolean;
  readonly seed: number | undefined;
  #s: State | null = null;
  #fit: { x: ChunkedArray<unknown>; inertia: number | null; nIter: number } | null = null;

  constructor(opts: MiniBatchKMeansOptions = {}) {
    checkOptions('MiniBatchKMeans', opts, OPTIONS);
    this.nClusters = opts.nClusters ?? 8;
    this.init = opts.init ?? 'k-means++';
    this.maxIter = opts.maxIter ?? 100;
    this.batchSize = opts.batchSize ?? 1024;
    this.tol = opts.tol ?? 0;
    this.maxNoImprovement = opts.maxNoImprovement === undefined ? 10 : opts.maxNoImprovement;
    this.initSize = opts.initSize;
    this.nInit = opts.nInit === undefined || opts.nInit === 'auto' ? (this.init === 'random' ? 3 : 1) : opts.nInit;
    this.reassignmentRatio = opts.reassignmentRatio ?? 0.01;
    this.computeLabels = opts.computeLabels ?? true;
    this.seed = opts.seed;
  }

  #state(method: string): State {
    if (!this.#s) throw new NotFittedError('MiniBatchKMeans', method);
    return this.#s;
  }

  get clusterCenters(): NDArray {
    const s = this.#state('clusterCenters');
    return new NDArray(s.centers.slice(), [this.nClusters, s.d], 'float64');
  }
  /** Rows assigned to each center over all steps. */
  get counts(): Float64Array {
    return this.#state('counts').counts.slice();
  }
  /** Mini-batch steps taken (fit and partialFit calls alike). */
  get nSteps(): number {
    return this.#state('nSteps').nSteps;
  }
  get nFeaturesIn(): number {
    return this.#state('nFeaturesIn').d;
  }
  /** Passes over the data fit made (steps × batchSize / rows, rounded up). */
  get nIter(): number {
    if (!this.#fit) throw new NotFittedError('MiniBatchKMeans', 'nIter');
    return this.#fit.nIter;
  }
  /** Sum of squared distances of fit's rows to their nearest center (fit with computeLabels only). */
  get inertia(): number {
    if (!this.#fit) throw new NotFittedError('MiniBatchKMeans', 'inertia');
    if (this.#fit.inertia === null) throw new RangeError("MiniBatchKMeans.inertia: fit ran with computeLabels: false, so the inertia was not computed");
    return this.#fit.inertia;
  }
  /** fit's rows' cluster labels, lazily. */
  get labels(): ChunkedArray<NDArray> {
    if (!this.#fit) throw new NotFittedError('MiniBatchKMeans', 'labels');
    return this.predict(this.#fit.x);
  }

  #initCenters(sample: Float64Array, m: number, d: number, rng: Stream, who: string): Float64Array {
    const k = this.nClusters;
    if (typeof this.init !== 'string') {
      const c = NDArray.from(this.init as NDArray, 'float64');
      if (c.ndim !== 2 || c.shape[0] !== k || c.shape[1] !== d) throw new RangeError(`${who}: option 'init' has shape [${c.shape.join(', ')}], expected [${k}, ${d}] (nClusters x features)`);
      return Float64Array.from(c.data as Float64Array);
    }
    if (m < k) throw new RangeError(`${who}: ${m} rows to initialise from, fewer than nClusters = ${k}`);
    if (this.init === 'k-means++') return weightedPlusPlus(sample, new Float64Array(m).fill(1), m, d, k, rng);
    const picked = new Set<number>();
    while (picked.size < k) picked.add(rng.below(m));
    const out = new Float64Array(k * d);
    [...picked].forEach((r, j) => out.set(sample.subarray(r * d, r * d + d), j * d));
    return out;
  }

  /**
   * Rows of x at the given positions (any order, repeats allowed), on the calling thread. Each
   * row block holding any of them is read once by one task (its distinct rows, ascending); the
   * rows are put in the asked order here.
   */
  async #gather(x: ChunkedArray<unknown>, rows: number[], opts: ComputeOptions): Promise<Float64Array> {
    const sorted = [...new Set(rows)].sort((a, b) => a - b);
    const d = x.shape[1];
    const local = new Map<number, Int32Array>();
    const heights = x.chunks[0];
    let at = 0;
    let start = 0;
    for (let b = 0; b < heights.length && at < sorted.length; b++) {
      const end = start + heights[b];
      let stop = at;
      while (stop < sorted.length && sorted[stop] < end) stop++;
      if (stop > at) local.set(b, Int32Array.from(sorted.slice(at, stop), (r) => r - start));
      at = stop;
      start = end;
    }
    const parts = await blockPartials<Float64Array>({ label: 'minibatch-kmeans-rows', x, partial: rowOps.takeRows, args: (b) => [local.get(b)!], blocks: [...local.keys()] }, opts);
    const got = new Float64Array(sorted.length * d);
    let off = 0;
    for (const p of parts) {
      got.set(p, off);
      off += p.length;
    }
    const pos = new Map(sorted.map((r, i) => [r, i]));
    const out = new Float64Array(rows.length * d);
    rows.forEach((r, i) => out.set(got.subarray(pos.get(r)! * d, pos.get(r)! * d + d), i * d));
    return out;
  }

  /**
   * scikit-learn's update from one batch's per-cluster sums and counts (taken against the old
   * centers): each center becomes the mean of all rows ever assigned to it. Then, every 10 ·
   * nClusters rows or when a center has no rows yet, centers with counts below
   * reassignmentRatio × the largest move to random rows of the batch. Returns the squared shift.
   */
  async #step(s: State, part: LloydPartial, batchRows: number, pickRows: (rows: number[]) => Promise<Float64Array>): Promise<number> {
    const { d } = s;
    const k = this.nClusters;
    const old = s.centers.slice();
    for (let j = 0; j < k; j++) {
      const c = part.counts[j];
      if (c <= 0) continue;
      const w = s.counts[j];
      for (let t = 0; t < d; t++) s.centers[j * d + t] = (s.centers[j * d + t] * w + part.sums[j * d + t]) / (w + c);
      s.counts[j] = w + c;
    }
    s.sinceReassign += batchRows;
    if (this.reassignmentRatio > 0 && (s.counts.some((c) => c === 0) || s.sinceReassign >= 10 * k)) {
      s.sinceReassign = 0;
      const max = Math.max(...s.counts);
      let low = Array.from({ length: k }, (_, j) => j).filter((j) => s.counts[j] < this.reassignmentRatio * max);
      // At most half a batch of centers move: the lowest counts first.
      if (low.length > 0.5 * batchRows) low = low.sort((a, b) => s.counts[a] - s.counts[b]).slice(0, Math.floor(0.5 * batchRows));
      if (low.length > 0) {
        const picked = new Set<number>();
        while (picked.size < low.length) picked.add(s.rng.below(batchRows));
        const rows = await pickRows([...picked]);
        const lowSet = new Set(low);
        const keep = s.counts.filter((_, j) => !lowSet.has(j));
        const floor = keep.length ? Math.min(...keep) : 0;
        low.forEach((j, i) => {
          s.centers.set(rows.subarray(i * d, i * d + d), j * d);
          s.counts[j] = floor;
        });
      }
    }
    s.nSteps++;
    let shift = 0;
    for (let i = 0; i < old.length; i++) shift += (s.centers[i] - old[i]) ** 2;
    return shift;
  }

  /** One mini-batch step over all of X's rows (the first call initialises from them), as scikit-learn's partial_fit. */
  async partialFit(X: Data, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'MiniBatchKMeans.partialFit');
    const x = asMatrix(X, 'MiniBatchKMeans.partialFit');
    const [n, d] = x.shape;
    const k = this.nClusters;
    if (!this.#s) {
      const rng = new Stream(seedOf(this.seed), 0x6d62);
      let sample: Float64Array = new Float64Array(0);
      let m = 0;
      if (typeof this.init === 'string') {
        m = Math.min(n, this.#initRows());
        sample = await this.#gather(x, distinct(rng, n, m), opts);
      }
      this.#s = { centers: this.#initCenters(sample, m, d, rng, 'MiniBatchKMeans.partialFit'), counts: new Float64Array(k), d, nSteps: 0, sinceReassign: 0, rng };
    } else checkFeatures(x, this.#s.d, 'MiniBatchKMeans.partialFit');
    const s = this.#s;
    const centers = s.centers.slice();
    // The step needs sums and counts only (no inertia: a third of the kernel's work).
    // One task per row block; their sums and counts are added here (no combine task).
    const parts = await blockPartials<LloydPartial>({ label: 'minibatch-kmeans', x, partial: clusterOps.lloydStep, args: () => [centers, k] }, opts);
    await this.#step(s, combineLloyd(...parts), n, (rows) => this.#gather(x, rows, opts));
    return this;
  }

  #initRows(): number {
    const size = this.initSize ?? 3 * this.batchSize;
    return size < this.nClusters ? 3 * this.nClusters : size;
  }

  /** Fits from scratch: scikit-learn's mini-batch loop over seeded draws of X's rows, then (computeLabels) the inertia over X. */
  async fit(X: Data, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'MiniBatchKMeans.fit');
    const x = asMatrix(X, 'MiniBatchKMeans.fit');
    const [n, d] = x.shape;
    const k = this.nClusters;
    if (n < k) throw new RangeError(`MiniBatchKMeans.fit: X has ${n} samples, fewer than nClusters = ${k}`);
    const rng = new Stream(seedOf(this.seed), 0x6d62);
    const batch = Math.min(this.batchSize, n);
    const initRows = Math.min(n, this.#initRows());
    const sched = scheduleFor([x], opts);
    const tolAbs = this.tol > 0 ? (this.tol * toFloat64(await (variance(x, { axis: 0 }) as ChunkedArray<NDArray>).compute(sched)).reduce((a, b) => a + b, 0)) / d : 0;
    // Initialisations, each on its own sample and judged on a validation batch (scikit-learn's way).
    const runs = typeof this.init === 'string' ? this.nInit : 1;
    let best: Float64Array | null = null;
    let bestInertia = Infinity;
    for (let r = 0; r < runs; r++) {
      const rows = await this.#gather(x, [...distinct(rng, n, initRows), ...Array.from({ length: batch }, () => rng.below(n))], opts);
      const centers = this.#initCenters(rows, initRows, d, rng, 'MiniBatchKMeans.fit');
      if (runs === 1) {
        best = centers;
        break;
      }
      const inertia = assign(rows.subarray(initRows * d), null, batch, d, centers, k, new Int32Array(batch));
      if (inertia < bestInertia) [best, bestInertia] = [centers, inertia];
    }
    const s: State = { centers: best!, counts: new Float64Array(k), d, nSteps: 0, sinceReassign: 0, rng };
    this.#s = s;
    const kernels = kernelsFor(undefined);
    const maxSteps = Math.floor((this.maxIter * n) / batch);
    const maxPerRound = Math.max(1, Math.floor(ROUND_VALUES / (batch * d)));
    let perRound = Math.min(FIRST_ROUND_STEPS, maxPerRound);
    let ewa: number | null = null;
    let ewaMin: number | null = null;
    let noImprovement = 0;
    let steps = 0;
    let done = false;
    while (!done && steps < maxSteps) {
      const count = Math.min(perRound, maxSteps - steps);
      perRound = Math.min(2 * perRound, maxPerRound);
      const rows = await this.#gather(x, Array.from({ length: count * batch }, () => rng.below(n)), opts);
      for (let b = 0; b < count && !done; b++) {
        const mb = rows.subarray(b * batch * d, (b + 1) * batch * d);
        const part = kernels.lloydPartial(mb, s.centers, { features: d });
        const shift = await this.#step(s, part, batch, async (idx) => {
          const out = new Float64Array(idx.length * d);
          idx.forEach((r, i) => out.set(mb.subarray(r * d, r * d + d), i * d));
          return out;
        });
        steps++;
        // scikit-learn's stopping rule: the first step is skipped, then a smoothed batch inertia.
        if (steps === 1) continue;
        const inertia = part.inertia / batch;
        const alpha = Math.min(1, (batch * 2) / (n + 1));
        ewa = ewa === null ? inertia : ewa * (1 - alpha) + inertia * alpha;
        if (tolAbs > 0 && shift <= tolAbs) done = true;
        else if (ewaMin === null || ewa < ewaMin) {
          noImprovement = 0;
          ewaMin = ewa;
        } else if (this.maxNoImprovement !== null && ++noImprovement >= this.maxNoImprovement) done = true;
      }
    }
    let inertia: number | null = null;
    if (this.computeLabels) {
      const centers = s.centers.slice();
      inertia = (await runBlockReduce<LloydPartial>({ label: 'minibatch-kmeans-inertia', x, partial: mlOps.lloydPartial, partialArgs: () => [centers, k], combine: mlOps.combineLloyd }, opts)).inertia;
    }
    this.#fit = { x, inertia, nIter: Math.ceil((steps * batch) / n) };
    return this;
  }

  /** The nearest center of each row (int32), lazily. */
  predict(X: Data): ChunkedArray<NDArray> {
    const s = this.#state('predict');
    const x = asMatrix(X, 'MiniBatchKMeans.predict');
    checkFeatures(x, s.d, 'MiniBatchKMeans.predict');
    return nearestCenter(x, s.centers, this.nClusters, s.d);
  }

  async fitPredict(X: Data, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'MiniBatchKMeans.fitPredict');
    await this.fit(X, opts);
    return this.labels;
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'clusterer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ nClusters: this.nClusters, init: this.init, maxIter: this.maxIter, batchSize: this.batchSize, tol: this.tol, maxNoImprovement: this.maxNoImprovement, initSize: this.initSize, nInit: this.nInit, reassignmentRatio: this.reassignmentRatio, computeLabels: this.computeLabels, seed: this.seed });
  }
}

/** m distinct positions below n, in draw order. */
function distinct(rng: Stream, n: number, m: number): number[] {
  const picked = new Set<number>();
  while (picked.size < m) picked.add(rng.below(n));
  return [...picked];
}
