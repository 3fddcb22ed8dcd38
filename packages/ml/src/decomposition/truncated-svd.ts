/**
 * TruncatedSVD (latent semantic analysis): the leading singular vectors of X itself, not centred,
 * by `@pdask/array`'s exact tall-and-skinny SVD ('tsqr', Dask-ML's default) or its randomized
 * `svdCompressed` ('randomized', scikit-learn's default). One graph gives the singular values,
 * Vᵀ and the column means and variances of X (for the variance of the projections).
 */
import { linalg, mean as meanOf, variance, NDArray, type ChunkedArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, computeCollections, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { definedParams, type Params } from '../base/estimator';
import { toFloat64 } from '../eager';
import { scheduleFor } from '../graph/schedule';
import { asMatrix, checkFeatures, NotFittedError, rules, seedOf, type Data } from '../validate';
import { flipSigns, project, unproject, withoutEmptyBlocks } from './project';

export interface TruncatedSVDOptions {
  /** Components kept (default 2, scikit-learn's); fewer than the features. */
  nComponents?: number;
  /** 'tsqr' (default, Dask-ML's: exact, X needs at least as many samples as features) or 'randomized'. */
  algorithm?: 'tsqr' | 'randomized';
  /** 'randomized': power iterations (default 5, scikit-learn's). */
  nIter?: number;
  /** 'randomized': sampled columns beyond nComponents (default 10; the sketch has at least 20 when X allows). */
  nOversamples?: number;
  /** 'randomized': seed of the Gaussian sketch (default: random). */
  seed?: number;
  /** scikit-learn's ARPACK tolerance: no ARPACK solver here; refused. */
  tol?: never;
  /** scikit-learn's LU/none normalisation of power iterations: pdask always re-orthogonalises by QR; refused. */
  powerIterationNormalizer?: never;
}

const OPTIONS: OptionSchema<TruncatedSVDOptions> = {
  nComponents: rules.positiveInt,
  algorithm: { oneOf: ['tsqr', 'randomized'] },
  nIter: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'an integer >= 0'),
  nOversamples: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'an integer >= 0'),
  seed: rules.seed,
  tol: { unsupported: "it is ARPACK's tolerance, and pdask has no ARPACK solver ('tsqr' is exact)" },
  powerIterationNormalizer: { unsupported: 'pdask re-orthogonalises every power iteration by QR (TSQR)' },
};

interface Fitted {
  components: Float64Array;
  singularValues: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  k: number;
  d: number;
}

export class TruncatedSVD {
  readonly nComponents: number;
  readonly algorithm: 'tsqr' | 'randomized';
  readonly nIter: number;
  readonly nOversamples: number;
  readonly seed: number | undefined;
  #fitted: Fitted | null = null;

  constructor(opts: TruncatedSVDOptions = {}) {
    checkOptions('TruncatedSVD', opts, OPTIONS);
    this.nComponents = opts.nComponents ?? 2;
    this.algorithm = opts.algorithm ?? 'tsqr';
    this.nIter = opts.nIter ?? 5;
    this.nOversamples = opts.nOversamples ?? 10;
    this.seed = opts.seed;
  }

  #state(method: string): Fitted {
    if (!this.#fitted) throw new NotFittedError('TruncatedSVD', method);
    return this.#fitted;
  }

  /** nComponents x features; each row's largest loading is positive. */
  get components(): NDArray {
    const f = this.#state('components');
    return new NDArray(f.components.slice(), [f.k, f.d], 'float64');
  }
  get singularValues(): Float64Array {
    return this.#state('singularValues').singularValues;
  }
  /** Variance (ddof 0) of each column of the projection X · componentsᵀ. */
  get explainedVariance(): Float64Array {
    return this.#state('explainedVariance').explainedVariance;
  }
  /** explainedVariance over the total variance of X's columns. */
  get explainedVarianceRatio(): Float64Array {
    return this.#state('explainedVarianceRatio').explainedVarianceRatio;
  }
  get nFeaturesIn(): number {
    return this.#state('nFeaturesIn').d;
  }

  async fit(X: Data, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'TruncatedSVD.fit');
    const x = asMatrix(X, 'TruncatedSVD.fit');
    const [n, d] = x.shape;
    const k = this.nComponents;
    if (k >= d) throw new RangeError(`TruncatedSVD.fit: option 'nComponents' = ${k} must be less than the features (${d})`);
    if (k > n) throw new RangeError(`TruncatedSVD.fit: option 'nComponents' = ${k} exceeds the samples (${n})`);
    let s: ChunkedArray<NDArray>;
    let vt: ChunkedArray<NDArray>;
    if (this.algorithm === 'randomized') {
      [, s, vt] = linalg.svdCompressed(x, k, { nPowerIter: this.nIter, nOversamples: this.nOversamples, seed: seedOf(this.seed), coerceSigns: false });
    } else {
      if (n < d) throw new RangeError(`TruncatedSVD.fit: X has ${n} samples and ${d} features; algorithm 'tsqr' needs at least as many samples as features (use 'randomized')`);
      [, s, vt] = linalg.svd(withoutEmptyBlocks(x), { coerceSigns: false });
    }
    const [sv, v, xm, xv] = (await computeCollections([s, vt, meanOf(x, { axis: 0 }), variance(x, { axis: 0 })], scheduleFor([x], opts))) as [NDArray, NDArray, NDArray, NDArray];
    const sAll = toFloat64(sv);
    const vAll = toFloat64(v);
    const xMean = toFloat64(xm);
    // The projections X·v = u·s have variance s²/n − (mean(X)·v)², whatever v's sign: no pass over U.
    const explainedVariance = Float64Array.from({ length: k }, (_, c) => {
      let m = 0;
      for (let t = 0; t < d; t++) m += xMean[t] * vAll[c * d + t];
      return (sAll[c] * sAll[c]) / n - m * m;
    });
    const total = toFloat64(xv).reduce((a, b) => a + b, 0);
    this.#fitted = {
      components: flipSigns(vAll.slice(0, k * d), k, d),
      singularValues: sAll.slice(0, k),
      explainedVariance,
      explainedVarianceRatio: explainedVariance.map((e) => (total > 0 ? e / total : 0)),
      k,
      d,
    };
    return this;
  }

  /** X · componentsᵀ, lazily (one task per row block). */
  transform(X: Data): ChunkedArray<NDArray> {
    const f = this.#state('transform');
    const x = asMatrix(X, 'TruncatedSVD.transform');
    checkFeatures(x, f.d, 'TruncatedSVD.transform');
    return project(x, null, f.components, f.k, f.d, null);
  }

  async fitTransform(X: Data, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'TruncatedSVD.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  /** Z · components: back to feature space. */
  inverseTransform(Z: Data): ChunkedArray<NDArray> {
    const f = this.#state('inverseTransform');
    const z = asMatrix(Z, 'TruncatedSVD.inverseTransform', 'Z');
    if (z.shape[1] !== f.k) throw new RangeError(`TruncatedSVD.inverseTransform: Z has ${z.shape[1]} columns, but the model has ${f.k} components`);
    return unproject(z, null, f.components, f.k, f.d, null);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ nComponents: this.nComponents, algorithm: this.algorithm, nIter: this.nIter, nOversamples: this.nOversamples, seed: this.seed });
  }
}
