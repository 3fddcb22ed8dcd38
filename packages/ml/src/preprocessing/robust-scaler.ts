/**
 * RobustScaler: (x − median) / (interquartile range) per column, with NumPy's exact percentiles
 * (scikit-learn's; Dask-ML's uses approximate `da.percentile`). NaN values are ignored in fit and
 * kept in transform.
 */
import { astype, divide, multiply, add, subtract, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import type { Params } from '../base/estimator';
import { vector } from '../eager';
import { checkNames, inputNames, toFeatures, type FeaturesInput } from '../input/features';
import { isFrame } from '../input/frame-like';
import { asMatrix, checkFeatures, NotFittedError, type Data } from '../validate';
import { gatherColumns } from './gather';
import { medianSorted, normPpf, percentileSorted, sortedFinite } from './numpy-stats';

export interface RobustScalerOptions {
  /** Subtract the median (default true). */
  withCentering?: boolean;
  /** Divide by the quantile range (default true). */
  withScaling?: boolean;
  /** Percentiles [low, high] of the range (default [25, 75]). */
  quantileRange?: readonly [number, number];
  /** Scale so that normally distributed data get variance 1 (default false). */
  unitVariance?: boolean;
}

const OPTIONS: OptionSchema<RobustScalerOptions> = {
  withCentering: 'boolean',
  withScaling: 'boolean',
  quantileRange: (v) => (Array.isArray(v) && v.length === 2 && v.every((q) => typeof q === 'number' && q >= 0 && q <= 100) && v[0] <= v[1] ? undefined : '[low, high] percentiles with 0 <= low <= high <= 100'),
  unitVariance: 'boolean',
};

interface Fitted {
  center: Float64Array | null;
  scale: Float64Array | null;
  names: string[] | null;
  nIn: number;
}

export class RobustScaler {
  readonly withCentering: boolean;
  readonly withScaling: boolean;
  readonly quantileRange: readonly [number, number];
  readonly unitVariance: boolean;
  private fitted: Fitted | null = null;

  constructor(opts: RobustScalerOptions = {}) {
    checkOptions('RobustScaler', opts, OPTIONS);
    this.withCentering = opts.withCentering ?? true;
    this.withScaling = opts.withScaling ?? true;
    const q = opts.quantileRange ?? [25, 75];
    this.quantileRange = [q[0], q[1]];
    this.unitVariance = opts.unitVariance ?? false;
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('RobustScaler', method);
    return this.fitted;
  }

  /** Column medians (null with withCentering: false). */
  get center(): Float64Array | null {
    return this.state('center').center;
  }
  /** Column quantile ranges, 1 where a range is 0 (null with withScaling: false). */
  get scale(): Float64Array | null {
    return this.state('scale').scale;
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').nIn;
  }

  async fit(X: FeaturesInput, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'RobustScaler.fit');
    const { x, names } = await toFeatures(X, 'RobustScaler.fit', opts);
    const cols = (await gatherColumns(x, 'RobustScaler.fit', opts)).map(sortedFinite);
    const center = this.withCentering ? Float64Array.from(cols, medianSorted) : null;
    let scale: Float64Array | null = null;
    if (this.withScaling) {
      const [lo, hi] = this.quantileRange;
      scale = Float64Array.from(cols, (c) => percentileSorted(c, hi) - percentileSorted(c, lo));
      // scikit-learn's _handle_zeros_in_scale: a range within rounding of 0 scales by 1.
      scale = scale.map((s) => (s < 10 * Number.EPSILON ? 1 : s));
      if (this.unitVariance) {
        const adjust = normPpf(hi / 100) - normPpf(lo / 100);
        scale = scale.map((s) => s / adjust);
      }
    }
    this.fitted = { center, scale, names: names && [...names], nIn: x.shape[1] };
    return this;
  }

  #apply(X: FeaturesInput, who: string, inverse: boolean): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const f = this.state(inverse ? 'inverseTransform' : 'transform');
    const run = (x: ChunkedArray<unknown>, names: readonly string[] | null) => {
      checkFeatures(x, f.nIn, who);
      if (!inverse) checkNames(f.names, names, who);
      let r: ChunkedArray<unknown> = astype(x, 'float64');
      if (!inverse) {
        if (f.center) r = subtract(r, vector(f.center));
        if (f.scale) r = divide(r, vector(f.scale));
      } else {
        if (f.scale) r = multiply(r, vector(f.scale));
        if (f.center) r = add(r, vector(f.center));
      }
      return r as ChunkedArray<NDArray>;
    };
    if (isFrame(X)) return toFeatures(X, who).then((r) => run(r.x, r.names));
    return run(asMatrix(X as Data, who), null);
  }

  transform(X: Data): ChunkedArray<NDArray>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    return this.#apply(X, 'RobustScaler.transform', false);
  }

  inverseTransform(X: Data): ChunkedArray<NDArray>;
  inverseTransform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  inverseTransform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    return this.#apply(X, 'RobustScaler.inverseTransform', true);
  }

  async fitTransform(X: FeaturesInput, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'RobustScaler.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.state('getFeatureNamesOut');
    return inputNames(f.names, f.nIn, inputFeatures, 'RobustScaler.getFeatureNamesOut');
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { withCentering: this.withCentering, withScaling: this.withScaling, quantileRange: this.quantileRange, unitVariance: this.unitVariance };
  }
}
