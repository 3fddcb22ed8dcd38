/**
 * PCA through `@pdask/array`'s tall-and-skinny SVD of the centred data (TSQR, then the SVD of the
 * small R): X is read once for the means and once for the QR, and only p x p factors are
 * gathered. Components are the rows of Vᵀ.
 */
import { add, fromArray, linalg, matmul, mean as meanOf, NDArray, subtract, type ChunkedArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, computeCollections, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { toFloat64, vector } from '../eager';
import { scheduleFor } from '../graph/schedule';
import { asMatrix, checkFeatures, NotFittedError, rules, type Data } from '../validate';
import { definedParams, type Params } from '../base/estimator';

export interface PCAOptions {
  /** Components kept (default min(samples, features)). */
  nComponents?: number;
  /** scikit-learn's whitening: not implemented; refused. */
  whiten?: never;
  /** scikit-learn's solver choice: not implemented (always the tall-and-skinny SVD); refused. */
  svdSolver?: never;
}

const PCA_OPTIONS: OptionSchema<PCAOptions> = { nComponents: rules.positiveInt, whiten: rules.notYet, svdSolver: rules.notYet };

interface Fitted {
  mean: Float64Array;
  /** k x d, row-major. */
  components: Float64Array;
  singularValues: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  noiseVariance: number;
  k: number;
  d: number;
  nSamples: number;
}

export class PCA {
  readonly nComponents: number | undefined;
  private fitted: Fitted | null = null;

  constructor(opts: PCAOptions = {}) {
    checkOptions('PCA', opts, PCA_OPTIONS);
    this.nComponents = opts.nComponents;
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('PCA', method);
    return this.fitted;
  }

  /** Principal axes, nComponents x features, by decreasing explained variance. */
  get components(): NDArray {
    const f = this.state('components');
    return new NDArray(f.components.slice(), [f.k, f.d], 'float64');
  }
  get explainedVariance(): Float64Array {
    return this.state('explainedVariance').explainedVariance;
  }
  get explainedVarianceRatio(): Float64Array {
    return this.state('explainedVarianceRatio').explainedVarianceRatio;
  }
  get singularValues(): Float64Array {
    return this.state('singularValues').singularValues;
  }
  get mean(): Float64Array {
    return this.state('mean').mean;
  }
  /** Mean variance of the dropped components (scikit-learn's probabilistic PCA noise); 0 when none is dropped. */
  get noiseVariance(): number {
    return this.state('noiseVariance').noiseVariance;
  }
  get nComponentsFitted(): number {
    return this.state('nComponentsFitted').k;
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').d;
  }
  get nSamples(): number {
    return this.state('nSamples').nSamples;
  }

  async fit(X: Data, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'PCA.fit');
    const x = asMatrix(X, 'PCA.fit');
    const [n, d] = x.shape;
    if (n < d) throw new RangeError(`PCA.fit: X has ${n} samples and ${d} features; the tall-and-skinny SVD needs at least as many samples as features`);
    if (n < 2) throw new RangeError('PCA.fit: X needs at least 2 samples');
    const full = Math.min(n, d);
    const k = this.nComponents ?? full;
    if (k > full) throw new RangeError(`PCA.fit: option 'nComponents' = ${k} exceeds min(samples, features) = ${full}`);
    const sched = scheduleFor([x], opts);
    const mean = toFloat64(await (meanOf(x, { axis: 0 }) as ChunkedArray<NDArray>).compute(sched));
    const [, s, vt] = linalg.svd(subtract(x, vector(mean)));
    const [sv, v] = (await computeCollections([s, vt], sched)) as [NDArray, NDArray];
    const sAll = toFloat64(sv);
    const vAll = toFloat64(v);
    // Signs: the largest loading of each component is positive (deterministic; see the README).
    const components = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      let big = 0;
      for (let t = 0; t < d; t++) if (Math.abs(vAll[c * d + t]) > Math.abs(vAll[c * d + big])) big = t;
      const sign = vAll[c * d + big] < 0 ? -1 : 1;
      for (let t = 0; t < d; t++) components[c * d + t] = sign * vAll[c * d + t];
    }
    const varAll = sAll.map((x2) => (x2 * x2) / (n - 1));
    const total = varAll.reduce((a, b) => a + b, 0);
    const explainedVariance = varAll.slice(0, k);
    const explainedVarianceRatio = explainedVariance.map((v2) => (total > 0 ? v2 / total : 0));
    const rest = varAll.slice(k);
    const noiseVariance = rest.length ? rest.reduce((a, b) => a + b, 0) / rest.length : 0;
    this.fitted = { mean, components, singularValues: sAll.slice(0, k), explainedVariance, explainedVarianceRatio, noiseVariance, k, d, nSamples: n };
    return this;
  }

  /** (X - mean) · componentsᵀ, lazily (one task per row block). */
  transform(X: Data): ChunkedArray<NDArray> {
    const f = this.state('transform');
    const x = asMatrix(X, 'PCA.transform');
    checkFeatures(x, f.d, 'PCA.transform');
    const ct = new Float64Array(f.d * f.k);
    for (let c = 0; c < f.k; c++) for (let t = 0; t < f.d; t++) ct[t * f.k + c] = f.components[c * f.d + t];
    return matmul(subtract(x, vector(f.mean)), fromArray(new NDArray(ct, [f.d, f.k], 'float64'), { chunks: -1 }));
  }

  async fitTransform(X: Data, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'PCA.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  /** Z · components + mean: back to feature space (exact when every component is kept). */
  inverseTransform(Z: Data): ChunkedArray<NDArray> {
    const f = this.state('inverseTransform');
    const z = asMatrix(Z, 'PCA.inverseTransform', 'Z');
    if (z.shape[1] !== f.k) throw new RangeError(`PCA.inverseTransform: Z has ${z.shape[1]} columns, but the model has ${f.k} components`);
    return add(matmul(z, fromArray(new NDArray(f.components.slice(), [f.k, f.d], 'float64'), { chunks: -1 })), vector(f.mean));
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ nComponents: this.nComponents });
  }
}
