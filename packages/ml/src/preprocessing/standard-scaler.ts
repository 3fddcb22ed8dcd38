/** StandardScaler: (x - mean) / std per column, the statistics from one tree reduction each. */
import { add, astype, divide, mean as meanOf, multiply, subtract, variance as varOf, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, computeCollections, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { toFloat64, vector } from '../eager';
import { scheduleFor } from '../graph/schedule';
import { asMatrix, checkFeatures, NotFittedError, type Data } from '../validate';
import { checkNames, inputNames, toFeatures, type FeaturesInput } from '../input/features';
import { isFrame } from '../input/frame-like';
import type { Params } from '../base/estimator';
import { momentsOps, scalerOps } from '../ops/index';
import { runBlockReduce } from '../graph/block-reduce';
import type { Moments } from './column-moments';
import { mapRowBlocks } from './block-map';

export interface StandardScalerOptions {
  /** Subtract the column means (default true). */
  withMean?: boolean;
  /** Divide by the column standard deviations (default true). */
  withStd?: boolean;
}

const STANDARD_OPTIONS: OptionSchema<StandardScalerOptions> = { withMean: 'boolean', withStd: 'boolean' };

interface Fitted {
  mean: Float64Array;
  var: Float64Array;
  scale: Float64Array | null;
  nSamplesSeen: number;
  /** The frame's column names seen in fit (null for arrays). */
  names: string[] | null;
}

/** Column means and variances (ddof 0): one pass of column-moments.ts, or @pdask/array's reductions when row chunk sizes are unknown. */
async function columnMoments(x: ChunkedArray<unknown>, opts: ComputeOptions): Promise<[Float64Array, Float64Array]> {
  if (x.shape[0] > 0 && x.chunks[0].every((c) => Number.isFinite(c))) {
    const r = await runBlockReduce<Moments>({ label: 'column-moments', x, partial: momentsOps.momentsPartial, partialArgs: () => [], combine: momentsOps.momentsCombine }, opts);
    return [r.mean, r.m2.map((s) => s / r.n)];
  }
  // Both reductions in one graph: x's blocks are produced once and read by both.
  const [m, v] = await computeCollections([meanOf(x, { axis: 0 }), varOf(x, { axis: 0 })], scheduleFor([x], opts));
  return [toFloat64(m as NDArray), toFloat64(v as NDArray)];
}

export class StandardScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  private fitted: Fitted | null = null;

  constructor(opts: StandardScalerOptions = {}) {
    checkOptions('StandardScaler', opts, STANDARD_OPTIONS);
    this.withMean = opts.withMean ?? true;
    this.withStd = opts.withStd ?? true;
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('StandardScaler', method);
    return this.fitted;
  }

  /** Column means (NumPy's `mean(axis=0)`). */
  get mean(): Float64Array {
    return this.state('mean').mean;
  }
  /** Column variances, ddof 0 (scikit-learn's `var_`). */
  get var(): Float64Array {
    return this.state('var').var;
  }
  /** Column standard deviations, 1 where a column is constant; null with `withStd: false`. */
  get scale(): Float64Array | null {
    return this.state('scale').scale;
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').mean.length;
  }
  get nSamplesSeen(): number {
    return this.state('nSamplesSeen').nSamplesSeen;
  }

  async fit(X: FeaturesInput, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'StandardScaler.fit');
    const { x, names } = await toFeatures(X, 'StandardScaler.fit', opts);
    const [mean, variance] = await columnMoments(x, opts);
    // A constant column is left as it is (scale 1), as scikit-learn does; "constant" allows for
    // the rounding error of the variance itself (its bound from scikit-learn's _is_constant_feature).
    const n = x.shape[0];
    const eps = Number.EPSILON;
    const scale = this.withStd ? variance.map((s, j) => (s <= n * eps * s + (n * mean[j] * eps) ** 2 ? 1 : Math.sqrt(s))) : null;
    this.fitted = { mean, var: variance, scale, nSamplesSeen: x.shape[0], names: names && [...names] };
    return this;
  }

  transform(X: Data): ChunkedArray<NDArray>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const who = 'StandardScaler.transform';
    const f = this.state('transform');
    if (isFrame(X)) return toFeatures(X, who).then((r) => {
      checkNames(f.names, r.names, who);
      return this.transform(r.x);
    });
    const x = asMatrix(X as Data, who);
    checkFeatures(x, f.mean.length, 'StandardScaler.transform');
    const mean = this.withMean ? f.mean : null;
    if ((mean || f.scale) && x.chunks[0].every((c) => Number.isFinite(c))) {
      return mapRowBlocks('standard-scale', x, scalerOps.scaleBlock, [{ mean, scale: f.scale }], x.shape[1], 'float64');
    }
    let r: ChunkedArray<unknown> = astype(x, 'float64');
    if (this.withMean) r = subtract(r, vector(f.mean));
    if (f.scale) r = divide(r, vector(f.scale));
    return r as ChunkedArray<NDArray>;
  }

  async fitTransform(X: FeaturesInput, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'StandardScaler.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  inverseTransform(X: Data): ChunkedArray<NDArray>;
  inverseTransform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  inverseTransform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const who = 'StandardScaler.inverseTransform';
    const f = this.state('inverseTransform');
    if (isFrame(X)) return toFeatures(X, who).then((r) => {
      checkNames(f.names, r.names, who);
      return this.inverseTransform(r.x);
    });
    const x = asMatrix(X as Data, who);
    checkFeatures(x, f.mean.length, 'StandardScaler.inverseTransform');
    let r: ChunkedArray<unknown> = astype(x, 'float64');
    if (f.scale) r = multiply(r, vector(f.scale));
    if (this.withMean) r = add(r, vector(f.mean));
    return r as ChunkedArray<NDArray>;
  }

  /** The input names (the frame's columns, or x0, x1, ...), as scikit-learn's get_feature_names_out. */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.state('getFeatureNamesOut');
    return inputNames(f.names, this.nFeaturesIn, inputFeatures, 'StandardScaler.getFeatureNamesOut');
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { withMean: this.withMean, withStd: this.withStd };
  }
}
