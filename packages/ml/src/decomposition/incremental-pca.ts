/**
 * IncrementalPCA (Ross et al. 2008, scikit-learn's algorithm): the model is updated batch by
 * batch from the previous components scaled by their singular values, the centred batch and a
 * row correcting for the moved mean, so no more than a batch of rows is ever in memory. Each
 * batch is computed to the calling thread and factored there (a (k + batch + 1) x features SVD).
 */
import { fromArray, linalg, NDArray, type ChunkedArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, computeCollections, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { definedParams, type Params } from '../base/estimator';
import { toFloat64 } from '../eager';
import { scheduleFor } from '../graph/schedule';
import { asMatrix, checkFeatures, NotFittedError, rules, type Data } from '../validate';
import { flipSigns, project, unproject } from './project';

export interface IncrementalPCAOptions {
  /** Components kept (default: min(samples of the first batch, features)). */
  nComponents?: number;
  /** Scale the projections to unit variance, as PCA's (default false). */
  whiten?: boolean;
  /** Rows per batch in `fit` (default 5 x features, scikit-learn's). */
  batchSize?: number;
}

const OPTIONS: OptionSchema<IncrementalPCAOptions> = { nComponents: rules.positiveInt, whiten: 'boolean', batchSize: rules.positiveInt };

interface State {
  components: Float64Array;
  singularValues: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  noiseVariance: number;
  mean: Float64Array;
  var: Float64Array;
  nSamplesSeen: number;
  k: number;
  d: number;
}

export class IncrementalPCA {
  readonly nComponents: number | undefined;
  readonly whiten: boolean;
  readonly batchSize: number | undefined;
  #s: State | null = null;

  constructor(opts: IncrementalPCAOptions = {}) {
    checkOptions('IncrementalPCA', opts, OPTIONS);
    this.nComponents = opts.nComponents;
    this.whiten = opts.whiten ?? false;
    this.batchSize = opts.batchSize;
  }

  #state(method: string): State {
    if (!this.#s) throw new NotFittedError('IncrementalPCA', method);
    return this.#s;
  }

  get components(): NDArray {
    const s = this.#state('components');
    return new NDArray(s.components.slice(), [s.k, s.d], 'float64');
  }
  get singularValues(): Float64Array {
    return this.#state('singularValues').singularValues;
  }
  get explainedVariance(): Float64Array {
    return this.#state('explainedVariance').explainedVariance;
  }
  get explainedVarianceRatio(): Float64Array {
    return this.#state('explainedVarianceRatio').explainedVarianceRatio;
  }
  get noiseVariance(): number {
    return this.#state('noiseVariance').noiseVariance;
  }
  get mean(): Float64Array {
    return this.#state('mean').mean;
  }
  /** Per-feature variance (ddof 0) of the rows seen. */
  get var(): Float64Array {
    return this.#state('var').var;
  }
  get nSamplesSeen(): number {
    return this.#state('nSamplesSeen').nSamplesSeen;
  }
  get nComponentsFitted(): number {
    return this.#state('nComponentsFitted').k;
  }
  get nFeaturesIn(): number {
    return this.#state('nFeaturesIn').d;
  }

  /**
   * Fits from scratch over X's rows in batches of `batchSize` (scikit-learn's batches: a last
   * batch smaller than nComponents joins the one before it). One batch is computed at a time.
   */
  async fit(X: Data, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'IncrementalPCA.fit');
    const x = asMatrix(X, 'IncrementalPCA.fit');
    const [n, d] = x.shape;
    const size = this.batchSize ?? 5 * d;
    const min = this.nComponents ?? 0;
    this.#s = null;
    let start = 0;
    for (let b = 0; b < Math.floor(n / size); b++) {
      const end = start + size;
      if (end + min > n) continue;
      await this.#update(x.slice(`${start}:${end}`, ':'), 'IncrementalPCA.fit', opts);
      start = end;
    }
    if (start < n) await this.#update(x.slice(`${start}:${n}`, ':'), 'IncrementalPCA.fit', opts);
    return this;
  }

  /** Updates the model with one batch (all of X's rows), as scikit-learn's partial_fit. */
  async partialFit(X: Data, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'IncrementalPCA.partialFit');
    await this.#update(asMatrix(X, 'IncrementalPCA.partialFit'), 'IncrementalPCA.partialFit', opts);
    return this;
  }

  async #update(batch: ChunkedArray<unknown>, who: string, opts: ComputeOptions): Promise<void> {
    const [nb, d] = batch.shape;
    const prev = this.#s;
    if (prev) checkFeatures(batch, prev.d, who);
    const k = prev ? prev.k : (this.nComponents ?? Math.min(nb, d));
    if (k > d) throw new RangeError(`${who}: option 'nComponents' = ${k} exceeds the features (${d})`);
    if (k > nb) throw new RangeError(`${who}: option 'nComponents' = ${k} exceeds the samples of this batch (${nb}); every batch needs at least nComponents rows`);
    const xb = toFloat64((await batch.compute(scheduleFor([batch], opts))) as NDArray);
    // Running mean and variance (Chan et al.'s update of sums of squared deviations).
    const seen = prev?.nSamplesSeen ?? 0;
    const total = seen + nb;
    const bMean = new Float64Array(d);
    for (let i = 0; i < nb; i++) for (let t = 0; t < d; t++) bMean[t] += xb[i * d + t];
    for (let t = 0; t < d; t++) bMean[t] /= nb;
    const bM2 = new Float64Array(d);
    for (let i = 0; i < nb; i++) {
      for (let t = 0; t < d; t++) {
        const v = xb[i * d + t] - bMean[t];
        bM2[t] += v * v;
      }
    }
    const mean = new Float64Array(d);
    const vars = new Float64Array(d);
    for (let t = 0; t < d; t++) {
      const old = prev ? prev.mean[t] : 0;
      mean[t] = (old * seen + bMean[t] * nb) / total;
      const m2 = (prev ? prev.var[t] * seen : 0) + bM2[t] + (seen > 0 ? ((old - bMean[t]) ** 2 * seen * nb) / total : 0);
      vars[t] = m2 / total;
    }
    // The matrix whose SVD is the updated model: previous S·Vᵀ, the centred batch, the mean correction.
    const rows = (prev ? prev.k : 0) + nb + (prev ? 1 : 0);
    const a = new Float64Array(rows * d);
    let r = 0;
    if (prev) for (; r < prev.k; r++) for (let t = 0; t < d; t++) a[r * d + t] = prev.singularValues[r] * prev.components[r * d + t];
    for (let i = 0; i < nb; i++, r++) for (let t = 0; t < d; t++) a[r * d + t] = xb[i * d + t] - bMean[t];
    if (prev) {
      const c = Math.sqrt((seen / total) * nb);
      for (let t = 0; t < d; t++) a[r * d + t] = c * (prev.mean[t] - bMean[t]);
    }
    const [, sv, vt] = linalg.svd(fromArray(new NDArray(a, [rows, d], 'float64'), { chunks: -1 }), { coerceSigns: false });
    const [s, v] = (await computeCollections([sv, vt], { scheduler: 'sync' })) as [NDArray, NDArray];
    const sAll = toFloat64(s);
    const all = sAll.map((x2) => (x2 * x2) / (total - 1));
    const sumVar = vars.reduce((acc, x2) => acc + x2, 0) * total;
    const rest = all.slice(k);
    this.#s = {
      components: flipSigns(toFloat64(v).slice(0, k * d), k, d),
      singularValues: sAll.slice(0, k),
      explainedVariance: all.slice(0, k),
      explainedVarianceRatio: sAll.slice(0, k).map((x2) => (x2 * x2) / sumVar),
      // scikit-learn's rule: no noise when every component of the batch or of the features is kept.
      noiseVariance: k !== nb && k !== d && rest.length > 0 ? rest.reduce((acc, x2) => acc + x2, 0) / rest.length : 0,
      mean,
      var: vars,
      nSamplesSeen: total,
      k,
      d,
    };
  }

  /** (X − mean) · componentsᵀ (whitened with `whiten`), lazily. */
  transform(X: Data): ChunkedArray<NDArray> {
    const s = this.#state('transform');
    const x = asMatrix(X, 'IncrementalPCA.transform');
    checkFeatures(x, s.d, 'IncrementalPCA.transform');
    return project(x, s.mean, s.components, s.k, s.d, this.whiten ? s.explainedVariance.map(Math.sqrt) : null);
  }

  async fitTransform(X: Data, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'IncrementalPCA.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  inverseTransform(Z: Data): ChunkedArray<NDArray> {
    const s = this.#state('inverseTransform');
    const z = asMatrix(Z, 'IncrementalPCA.inverseTransform', 'Z');
    if (z.shape[1] !== s.k) throw new RangeError(`IncrementalPCA.inverseTransform: Z has ${z.shape[1]} columns, but the model has ${s.k} components`);
    return unproject(z, s.mean, s.components, s.k, s.d, this.whiten ? s.explainedVariance.map(Math.sqrt) : null);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ nComponents: this.nComponents, whiten: this.whiten, batchSize: this.batchSize });
  }
}
