/** MinMaxScaler: each column mapped linearly from [min, max] to `featureRange`. */
import { add, divide, max as maxOf, min as minOf, multiply, subtract, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, computeCollections, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { toFloat64, vector } from '../eager';
import { scheduleFor } from '../graph/schedule';
import { asMatrix, checkFeatures, NotFittedError, type Data } from '../validate';
import { checkNames, inputNames, toFeatures, type FeaturesInput } from '../input/features';
import { isFrame } from '../input/frame-like';
import type { Params } from '../base/estimator';

export interface MinMaxScalerOptions {
  /** Target range of every column (default [0, 1]). */
  featureRange?: readonly [number, number];
  /** scikit-learn's clipping of transformed values: not implemented; refused. */
  clip?: never;
}

const MIN_MAX_OPTIONS: OptionSchema<MinMaxScalerOptions> = {
  featureRange: (v) => (Array.isArray(v) && v.length === 2 && v.every(Number.isFinite) && v[0] < v[1] ? undefined : '[low, high] with low < high'),
  clip: { unsupported: 'not implemented yet' },
};

interface Fitted {
  dataMin: Float64Array;
  dataMax: Float64Array;
  scale: Float64Array;
  min: Float64Array;
  nSamplesSeen: number;
  /** The frame's column names seen in fit (null for arrays). */
  names: string[] | null;
}

export class MinMaxScaler {
  readonly featureRange: readonly [number, number];
  private fitted: Fitted | null = null;

  constructor(opts: MinMaxScalerOptions = {}) {
    checkOptions('MinMaxScaler', opts, MIN_MAX_OPTIONS);
    const r = opts.featureRange ?? [0, 1];
    this.featureRange = [r[0], r[1]];
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('MinMaxScaler', method);
    return this.fitted;
  }

  get dataMin(): Float64Array {
    return this.state('dataMin').dataMin;
  }
  get dataMax(): Float64Array {
    return this.state('dataMax').dataMax;
  }
  get dataRange(): Float64Array {
    const f = this.state('dataRange');
    return f.dataMax.map((v, j) => v - f.dataMin[j]);
  }
  /** Per column: x * scale + min is the transform (scikit-learn's `scale_` and `min_`). */
  get scale(): Float64Array {
    return this.state('scale').scale;
  }
  get min(): Float64Array {
    return this.state('min').min;
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').dataMin.length;
  }
  get nSamplesSeen(): number {
    return this.state('nSamplesSeen').nSamplesSeen;
  }

  async fit(X: FeaturesInput, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'MinMaxScaler.fit');
    const { x, names } = await toFeatures(X, 'MinMaxScaler.fit', opts);
    const [lo, hi] = await computeCollections([minOf(x, { axis: 0 }), maxOf(x, { axis: 0 })], scheduleFor([x], opts));
    const dataMin = toFloat64(lo as NDArray);
    const dataMax = toFloat64(hi as NDArray);
    const [a, b] = this.featureRange;
    // A constant column has range 0: scale it by 1 rather than dividing by zero (scikit-learn).
    const scale = dataMax.map((v, j) => (b - a) / (v - dataMin[j] === 0 ? 1 : v - dataMin[j]));
    const min = dataMin.map((v, j) => a - v * scale[j]);
    this.fitted = { dataMin, dataMax, scale, min, nSamplesSeen: x.shape[0], names: names && [...names] };
    return this;
  }

  transform(X: Data): ChunkedArray<NDArray>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const who = 'MinMaxScaler.transform';
    const f = this.state('transform');
    if (isFrame(X)) return toFeatures(X, who).then((r) => {
      checkNames(f.names, r.names, who);
      return this.transform(r.x);
    });
    const x = asMatrix(X as Data, who);
    checkFeatures(x, f.scale.length, 'MinMaxScaler.transform');
    return add(multiply(x, vector(f.scale)), vector(f.min));
  }

  async fitTransform(X: FeaturesInput, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'MinMaxScaler.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  inverseTransform(X: Data): ChunkedArray<NDArray>;
  inverseTransform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  inverseTransform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const who = 'MinMaxScaler.inverseTransform';
    const f = this.state('inverseTransform');
    if (isFrame(X)) return toFeatures(X, who).then((r) => {
      checkNames(f.names, r.names, who);
      return this.inverseTransform(r.x);
    });
    const x = asMatrix(X as Data, who);
    checkFeatures(x, f.scale.length, 'MinMaxScaler.inverseTransform');
    return divide(subtract(x, vector(f.min)), vector(f.scale));
  }

  /** The input names (the frame's columns, or x0, x1, ...), as scikit-learn's get_feature_names_out. */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.state('getFeatureNamesOut');
    return inputNames(f.names, this.nFeaturesIn, inputFeatures, 'MinMaxScaler.getFeatureNamesOut');
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { featureRange: [this.featureRange[0], this.featureRange[1]] };
  }
}
