/**
 * QuantileTransformer: each column through its empirical CDF, to a uniform or normal output
 * (scikit-learn's). The quantiles are NumPy's exact nanpercentile over all rows when there are at
 * most `subsample` of them; above that, over `subsample` rows drawn without replacement by a
 * seeded stream (not NumPy's, so other rows than scikit-learn's).
 */
import { take, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { definedParams, type Params } from '../base/estimator';
import { checkNames, inputNames, toFeatures, type FeaturesInput } from '../input/features';
import { isFrame } from '../input/frame-like';
import { preprocessingOps } from '../ops/index';
import { Stream } from '../random';
import { asMatrix, checkFeatures, NotFittedError, rules, seedOf, type Data } from '../validate';
import { mapRowBlocks } from './block-map';
import { gatherColumns } from './gather';
import { linspace01, percentileSorted, sortedFinite } from './numpy-stats';

export interface QuantileTransformerOptions {
  /** Number of quantiles (default 1000; at most the number of samples is used). */
  nQuantiles?: number;
  /** 'uniform' (default) or 'normal'. */
  outputDistribution?: 'uniform' | 'normal';
  /** Rows used to estimate the quantiles (default 100,000); all rows when there are fewer. */
  subsample?: number;
  /** Seed of the row draw when there are more rows than `subsample`. */
  seed?: number;
  ignoreImplicitZeros?: never;
}

const OPTIONS: OptionSchema<QuantileTransformerOptions> = {
  nQuantiles: rules.positiveInt,
  outputDistribution: (v) => (v === 'uniform' || v === 'normal' ? undefined : "'uniform' or 'normal'"),
  subsample: rules.positiveInt,
  seed: rules.seed,
  ignoreImplicitZeros: { unsupported: 'sparse input is not implemented' },
};

interface Fitted {
  quantiles: number[][];
  references: number[];
  names: string[] | null;
}

export class QuantileTransformer {
  readonly nQuantiles: number;
  readonly outputDistribution: 'uniform' | 'normal';
  readonly subsample: number;
  readonly seed: number | undefined;
  private fitted: Fitted | null = null;

  constructor(opts: QuantileTransformerOptions = {}) {
    checkOptions('QuantileTransformer', opts, OPTIONS);
    this.nQuantiles = opts.nQuantiles ?? 1000;
    this.outputDistribution = opts.outputDistribution ?? 'uniform';
    this.subsample = opts.subsample ?? 100_000;
    this.seed = opts.seed;
    if (this.nQuantiles > this.subsample) throw new RangeError(`QuantileTransformer: nQuantiles (${this.nQuantiles}) must not exceed subsample (${this.subsample})`);
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('QuantileTransformer', method);
    return this.fitted;
  }

  /** The quantiles of each column (nQuantilesFitted x features, scikit-learn's quantiles_). */
  get quantiles(): number[][] {
    const q = this.state('quantiles').quantiles;
    return q[0].map((_, i) => q.map((c) => c[i]));
  }
  get references(): Float64Array {
    return Float64Array.from(this.state('references').references);
  }
  get nQuantilesFitted(): number {
    return this.state('nQuantilesFitted').references.length;
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').quantiles.length;
  }

  async fit(X: FeaturesInput, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'QuantileTransformer.fit');
    const { x, names } = await toFeatures(X, 'QuantileTransformer.fit', opts);
    const n = x.shape[0];
    let rows = x;
    if (n > this.subsample) {
      // Rows without replacement: a partial Fisher-Yates shuffle of the positions, sorted back.
      const rand = new Stream(seedOf(this.seed));
      const idx = Int32Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < this.subsample; i++) {
        const j = i + rand.below(n - i);
        [idx[i], idx[j]] = [idx[j], idx[i]];
      }
      rows = take(x, Array.from(idx.subarray(0, this.subsample)).sort((a, b) => a - b), 0);
    }
    const cols = (await gatherColumns(rows, 'QuantileTransformer.fit', opts)).map(sortedFinite);
    const references = linspace01(Math.min(this.nQuantiles, n));
    const quantiles = cols.map((c) => {
      // np.nanpercentile(col, references * 100), then np.maximum.accumulate (scikit-learn 1.2).
      const q = Array.from(references, (r) => percentileSorted(c, r * 100));
      for (let i = 1; i < q.length; i++) if (q[i] < q[i - 1]) q[i] = q[i - 1];
      return q;
    });
    this.fitted = { quantiles, references: Array.from(references), names: names && [...names] };
    return this;
  }

  #apply(X: FeaturesInput, who: string, inverse: boolean): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const f = this.state(inverse ? 'inverseTransform' : 'transform');
    const run = (x: ChunkedArray<unknown>, names: readonly string[] | null) => {
      checkFeatures(x, f.quantiles.length, who);
      if (!inverse) checkNames(f.names, names, who);
      const spec = { quantiles: f.quantiles, references: f.references, normal: this.outputDistribution === 'normal', inverse };
      return mapRowBlocks(inverse ? 'quantile-inverse' : 'quantile', x, preprocessingOps.quantileBlock, [spec], x.shape[1], 'float64');
    };
    if (isFrame(X)) return toFeatures(X, who).then((r) => run(r.x, r.names));
    return run(asMatrix(X as Data, who), null);
  }

  transform(X: Data): ChunkedArray<NDArray>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    return this.#apply(X, 'QuantileTransformer.transform', false);
  }

  inverseTransform(X: Data): ChunkedArray<NDArray>;
  inverseTransform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  inverseTransform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    return this.#apply(X, 'QuantileTransformer.inverseTransform', true);
  }

  async fitTransform(X: FeaturesInput, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'QuantileTransformer.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.state('getFeatureNamesOut');
    return inputNames(f.names, f.quantiles.length, inputFeatures, 'QuantileTransformer.getFeatureNamesOut');
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ nQuantiles: this.nQuantiles, outputDistribution: this.outputDistribution, subsample: this.subsample, seed: this.seed });
  }
}
