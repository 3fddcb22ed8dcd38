/**
 * PCA of the centred data: the tall-and-skinny SVD of `@pdask/array` (TSQR, then the SVD of the
 * small R; exact), or the randomized SVD (randomized.ts: `svdCompressed`'s seeded Gaussian sketch
 * and power iterations, in passes that each read X once and centre it on the fly). Only small
 * factors come back. Components are the rows of Vᵀ.
 */
import { linalg, mean as meanOf, rechunk, subtract, NDArray, type ChunkedArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, computeCollections, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { toFloat64, vector } from '../eager';
import { scheduleFor } from '../graph/schedule';
import { asMatrix, checkFeatures, NotFittedError, rules, seedOf, type Data } from '../validate';
import { allFinite, refuseNonFinite } from '../input/finite';
import { definedParams, type Params } from '../base/estimator';
import { flipSigns, project, unproject, withoutEmptyBlocks } from './project';
import { randomizedPca } from './randomized';

export type PCASolver = 'auto' | 'full' | 'tsqr' | 'randomized';

export interface PCAOptions {
  /** Components kept (default min(samples, features)). */
  nComponents?: number;
  /** Scale the projections to unit variance (divide by √explainedVariance), as scikit-learn (default false). */
  whiten?: boolean;
  /**
   * 'auto' (default, scikit-learn's rule): 'randomized' when X is larger than 500 x 500 and
   * nComponents < 80% of min(samples, features), else 'full'. 'full' and 'tsqr' are the exact
   * tall-and-skinny SVD (TSQR) of the row blocks; 'full' also takes X with fewer samples than
   * features (its rows then in one block), 'tsqr' refuses it. 'randomized': `svdCompressed`.
   */
  svdSolver?: PCASolver;
  /** 'randomized': power iterations; 'auto' (default) is scikit-learn's: 7 when nComponents < 10% of min(samples, features), else 4. */
  iteratedPower?: number | 'auto';
  /** 'randomized': sampled columns beyond nComponents (default 10; the sketch has at least 20 when X allows). */
  nOversamples?: number;
  /** 'randomized': seed of the Gaussian sketch (default: random). */
  seed?: number;
  /** scikit-learn's LU/none normalisation of power iterations: pdask always re-orthogonalises by QR (of a features x sample matrix); refused. */
  powerIterationNormalizer?: never;
}

const PCA_OPTIONS: OptionSchema<PCAOptions> = {
  nComponents: rules.positiveInt,
  whiten: 'boolean',
  svdSolver: { oneOf: ['auto', 'full', 'tsqr', 'randomized'] },
  iteratedPower: (v) => (v === 'auto' || (Number.isInteger(v) && (v as number) >= 0) ? undefined : "'auto' or an integer >= 0"),
  nOversamples: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'an integer >= 0'),
  seed: rules.seed,
  powerIterationNormalizer: { unsupported: 'pdask re-orthogonalises every power iteration by QR' },
};

interface Fitted {
  mean: Float64Array;
  /** k x d, row-major. */
  components: Float64Array;
  singularValues: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
  noiseVariance: number;
  solver: Exclude<PCASolver, 'auto'>;
  k: number;
  d: number;
  nSamples: number;
}

export class PCA {
  readonly nComponents: number | undefined;
  readonly whiten: boolean;
  readonly svdSolver: PCASolver;
  readonly iteratedPower: number | 'auto';
  readonly nOversamples: number;
  readonly seed: number | undefined;
  private fitted: Fitted | null = null;

  constructor(opts: PCAOptions = {}) {
    checkOptions('PCA', opts, PCA_OPTIONS);
    this.nComponents = opts.nComponents;
    this.whiten = opts.whiten ?? false;
    this.svdSolver = opts.svdSolver ?? 'auto';
    this.iteratedPower = opts.iteratedPower ?? 'auto';
    this.nOversamples = opts.nOversamples ?? 10;
    this.seed = opts.seed;
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
  /** The solver the fit used ('auto' resolved). */
  get fitSvdSolver(): Exclude<PCASolver, 'auto'> {
    return this.state('fitSvdSolver').solver;
  }

  async fit(X: Data, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'PCA.fit');
    const x = asMatrix(X, 'PCA.fit');
    const [n, d] = x.shape;
    if (n < 2) throw new RangeError(`PCA.fit: X has ${n} samples and ${d} features; PCA needs at least 2 samples`);
    const full = Math.min(n, d);
    const k = this.nComponents ?? full;
    if (k > full) throw new RangeError(`PCA.fit: option 'nComponents' = ${k} exceeds min(samples, features) = ${full}`);
    let solver = this.svdSolver;
    if (solver === 'auto') solver = Math.max(n, d) > 500 && k < 0.8 * full ? 'randomized' : 'full';
    if (solver === 'tsqr' && n < d) throw new RangeError(`PCA.fit: X has ${n} samples and ${d} features; the tall-and-skinny SVD (svdSolver 'tsqr') needs at least as many samples as features (use 'full' or 'randomized')`);
    const sched = scheduleFor([x], opts);
    let mean: Float64Array;
    let sAll: Float64Array;
    let vAll: Float64Array;
    let totalVar: number;
    if (solver === 'randomized') {
      const power = this.iteratedPower === 'auto' ? (k < 0.1 * full ? 7 : 4) : this.iteratedPower;
      ({ mean, s: sAll, vt: vAll, totalVar } = await randomizedPca(x, { k, power, oversamples: this.nOversamples, seed: seedOf(this.seed) }, sched));
      // NaN or infinity in X makes the column means non-finite: refused by name (input/finite.ts).
      if (!allFinite(mean, totalVar)) await refuseNonFinite(x, 'PCA.fit', sched);
    } else {
      mean = toFloat64(await (meanOf(x, { axis: 0 }) as ChunkedArray<NDArray>).compute(sched));
      if (!allFinite(mean)) await refuseNonFinite(x, 'PCA.fit', sched);
      const centred = subtract(x, vector(mean));
      // Wide X ('full' only): its rows in one block, where the SVD is that of the transpose.
      const a = n < d ? rechunk(centred, [[n], [d]]) : withoutEmptyBlocks(centred);
      const [, s, vt] = linalg.svd(a, { coerceSigns: false });
      const [sv, v] = (await computeCollections([s, vt], sched)) as [NDArray, NDArray];
      [sAll, vAll] = [toFloat64(sv), toFloat64(v)];
      totalVar = sAll.reduce((acc, x2) => acc + (x2 * x2) / (n - 1), 0);
    }
    const components = flipSigns(vAll.slice(0, k * d), k, d);
    const explainedVariance = sAll.slice(0, k).map((x2) => (x2 * x2) / (n - 1));
    const explainedVarianceRatio = explainedVariance.map((v2) => (totalVar > 0 ? v2 / totalVar : 0));
    const kept = explainedVariance.reduce((a, b) => a + b, 0);
    // The variance the kept components leave, spread over the dropped ones (scikit-learn's rule).
    const noiseVariance = k < full ? (totalVar - kept) / (full - k) : 0;
    this.fitted = { mean, components, singularValues: sAll.slice(0, k), explainedVariance, explainedVarianceRatio, noiseVariance, solver, k, d, nSamples: n };
    return this;
  }

  /** (X − mean) · componentsᵀ (divided by √explainedVariance with `whiten`), lazily (one task per row block). */
  transform(X: Data): ChunkedArray<NDArray> {
    const f = this.state('transform');
    const x = asMatrix(X, 'PCA.transform');
    checkFeatures(x, f.d, 'PCA.transform');
    return project(x, f.mean, f.components, f.k, f.d, this.whiten ? f.explainedVariance.map(Math.sqrt) : null);
  }

  async fitTransform(X: Data, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'PCA.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  /** Z · components + mean (Z scaled back by √explainedVariance with `whiten`): exact when every component is kept. */
  inverseTransform(Z: Data): ChunkedArray<NDArray> {
    const f = this.state('inverseTransform');
    const z = asMatrix(Z, 'PCA.inverseTransform', 'Z');
    if (z.shape[1] !== f.k) throw new RangeError(`PCA.inverseTransform: Z has ${z.shape[1]} columns, but the model has ${f.k} components`);
    return unproject(z, f.mean, f.components, f.k, f.d, this.whiten ? f.explainedVariance.map(Math.sqrt) : null);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ nComponents: this.nComponents, whiten: this.whiten, svdSolver: this.svdSolver, iteratedPower: this.iteratedPower, nOversamples: this.nOversamples, seed: this.seed });
  }
}
