/**
 * SimpleImputer: missing values (NaN, or a given number) replaced per column by its mean, median,
 * most frequent value or a constant (scikit-learn's, numeric columns). Columns with no observed
 * value are dropped from the output, as scikit-learn does, unless `keepEmptyFeatures`.
 */
import { astype, equal, isnan, nanmean, take, where, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, computeCollections, type ComputeOptions, type OptionSchema } from '@pdask/core';
import type { Params } from '../base/estimator';
import { toFloat64, vector } from '../eager';
import { scheduleFor } from '../graph/schedule';
import { checkNames, inputNames, toFeatures, type FeaturesInput } from '../input/features';
import { isFrame } from '../input/frame-like';
import { asMatrix, checkFeatures, NotFittedError, rules, type Data } from '../validate';
import { gatherColumns } from './gather';
import { medianSorted, sortedFinite } from './numpy-stats';

export interface SimpleImputerOptions {
  /** 'mean' (default), 'median', 'mostFrequent' (scikit-learn's 'most_frequent') or 'constant'. */
  strategy?: 'mean' | 'median' | 'mostFrequent' | 'constant';
  /** The value that marks a missing entry (default NaN). */
  missingValues?: number;
  /** The value of the 'constant' strategy (default 0). */
  fillValue?: number;
  /** Keep columns with no observed value, imputed with 0 (default false: dropped). */
  keepEmptyFeatures?: boolean;
  addIndicator?: never;
}

const OPTIONS: OptionSchema<SimpleImputerOptions> = {
  strategy: (v) => (['mean', 'median', 'mostFrequent', 'constant'].includes(v as string) ? undefined : "'mean', 'median', 'mostFrequent' or 'constant'"),
  // NaN is the default and scikit-learn's usual missing_values=np.nan, so it is accepted explicitly too.
  missingValues: (v) => (typeof v === 'number' ? undefined : 'a number (NaN included)'),
  fillValue: (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'a finite number (numeric columns only)'),
  keepEmptyFeatures: 'boolean',
  addIndicator: rules.notYet,
};

/** The most frequent value of sorted values, the smallest on ties (scipy's mode); NaN when empty. */
function modeSorted(s: Float64Array): number {
  let best = Number.NaN;
  let bestCount = 0;
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j < s.length && s[j] === s[i]) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = s[i];
    }
    i = j;
  }
  return best;
}

interface Fitted {
  statistics: Float64Array;
  keep: number[];
  names: string[] | null;
}

export class SimpleImputer {
  readonly strategy: 'mean' | 'median' | 'mostFrequent' | 'constant';
  readonly missingValues: number;
  readonly fillValue: number;
  readonly keepEmptyFeatures: boolean;
  private fitted: Fitted | null = null;

  constructor(opts: SimpleImputerOptions = {}) {
    checkOptions('SimpleImputer', opts, OPTIONS);
    this.strategy = opts.strategy ?? 'mean';
    this.missingValues = opts.missingValues ?? Number.NaN;
    this.fillValue = opts.fillValue ?? 0;
    this.keepEmptyFeatures = opts.keepEmptyFeatures ?? false;
    if (opts.fillValue !== undefined && this.strategy !== 'constant') throw new TypeError("SimpleImputer: option 'fillValue' is only used with strategy: 'constant'");
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('SimpleImputer', method);
    return this.fitted;
  }

  /** The fill value of each input column (NaN for a column with no observed value). */
  get statistics(): Float64Array {
    return this.state('statistics').statistics.slice();
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').statistics.length;
  }

  /** X with the missing marker as NaN (float64). */
  #marked(x: ChunkedArray<unknown>): ChunkedArray<unknown> {
    const f = astype(x, 'float64');
    return Number.isNaN(this.missingValues) ? f : where(equal(f, this.missingValues), Number.NaN, f);
  }

  async fit(X: FeaturesInput, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'SimpleImputer.fit');
    const { x, names } = await toFeatures(X, 'SimpleImputer.fit', opts);
    const m = this.#marked(x);
    const d = x.shape[1];
    let stats: Float64Array;
    if (this.strategy === 'constant') stats = new Float64Array(d).fill(this.fillValue);
    else if (this.strategy === 'mean') {
      const [r] = await computeCollections([nanmean(m, { axis: 0 })], scheduleFor([x], opts));
      stats = toFloat64(r as NDArray);
    } else {
      const cols = (await gatherColumns(m, 'SimpleImputer.fit', opts)).map(sortedFinite);
      stats = Float64Array.from(cols, this.strategy === 'median' ? medianSorted : modeSorted);
    }
    const empty = (j: number) => this.strategy !== 'constant' && Number.isNaN(stats[j]);
    const keep = Array.from({ length: d }, (_, j) => j).filter((j) => this.keepEmptyFeatures || !empty(j));
    if (this.keepEmptyFeatures) stats = stats.map((s, j) => (empty(j) ? 0 : s));
    this.fitted = { statistics: stats, keep, names: names && [...names] };
    return this;
  }

  transform(X: Data): ChunkedArray<NDArray>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  transform(X: FeaturesInput): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const f = this.state('transform');
    const who = 'SimpleImputer.transform';
    const run = (x: ChunkedArray<unknown>, names: readonly string[] | null) => {
      checkFeatures(x, f.statistics.length, who);
      checkNames(f.names, names, who);
      const m = this.#marked(x);
      const filled = where(isnan(m), vector(f.statistics), m);
      return (f.keep.length === f.statistics.length ? filled : take(filled, Int32Array.from(f.keep), 1)) as ChunkedArray<NDArray>;
    };
    if (isFrame(X)) return toFeatures(X, who).then((r) => run(r.x, r.names));
    return run(asMatrix(X as Data, who), null);
  }

  async fitTransform(X: FeaturesInput, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'SimpleImputer.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  /** The input names, without the dropped empty columns. */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.state('getFeatureNamesOut');
    const ins = inputNames(f.names, f.statistics.length, inputFeatures, 'SimpleImputer.getFeatureNamesOut');
    return f.keep.map((j) => ins[j]);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params); fillValue only with strategy 'constant', where the constructor takes it. */
  getParams(): Params {
    return { strategy: this.strategy, missingValues: this.missingValues, ...(this.strategy === 'constant' ? { fillValue: this.fillValue } : {}), keepEmptyFeatures: this.keepEmptyFeatures };
  }
}
