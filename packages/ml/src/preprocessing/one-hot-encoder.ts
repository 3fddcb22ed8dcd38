/** OneHotEncoder: each column's categories as indicator columns (scikit-learn's, dense output). */
import type { ChunkedArray, NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import type { Params } from '../base/estimator';
import { inputNames } from '../input/features';
import type { FrameLike } from '../input/frame-like';
import { preprocessingOps } from '../ops/index';
import { NotFittedError, rules, type Data } from '../validate';
import { mapRowBlocks } from './block-map';
import { encodeColumn, fitCategories, transformFitted, type FittedColumn } from './category-fit';
import type { EncoderInput } from './encoder-input';
import { categoryName, type Category } from './names';
import type { OutDtype } from './runtime';

export interface OneHotEncoderOptions {
  /** 'auto' (default): each column's sorted distinct values, the missing value last; or one list per column. */
  categories?: 'auto' | readonly (readonly Category[])[];
  /** null (default), 'first' (drop each column's first category) or 'if_binary' (only for two-category columns). */
  drop?: null | 'first' | 'if_binary';
  /** 'error' (default): a category not seen in fit fails the computation; 'ignore': all zeros. */
  handleUnknown?: 'error' | 'ignore';
  /** Output dtype (default 'float64'). */
  dtype?: OutDtype;
  /** Dense output only: false is accepted, true refused. */
  sparseOutput?: false;
  sparse?: never;
  minFrequency?: never;
  maxCategories?: never;
}

export const CATEGORIES_RULE = (v: unknown): string | undefined => (v === 'auto' || (Array.isArray(v) && v.every((c) => Array.isArray(c))) ? undefined : "'auto' or one array of categories per column");
export const DTYPE_RULE = (v: unknown): string | undefined => (['float64', 'float32', 'int32', 'uint8'].includes(v as string) ? undefined : "'float64', 'float32', 'int32' or 'uint8'");

const OPTIONS: OptionSchema<OneHotEncoderOptions> = {
  categories: CATEGORIES_RULE,
  drop: (v) => (v === null || v === 'first' || v === 'if_binary' ? undefined : "null, 'first' or 'if_binary' (a list of categories to drop is not implemented)"),
  handleUnknown: (v) => (v === 'error' || v === 'ignore' ? undefined : "'error' or 'ignore' ('infrequent_if_exist' is not implemented)"),
  dtype: DTYPE_RULE,
  sparseOutput: (v) => (v === false ? undefined : 'false (sparse output is not implemented)'),
  sparse: { unsupported: 'sparse output is not implemented; the output is dense (sparseOutput: false)' },
  minFrequency: rules.notYet,
  maxCategories: rules.notYet,
};

interface Fitted {
  columns: FittedColumn[];
  drop: number[];
  names: string[] | null;
}

export class OneHotEncoder {
  readonly categoriesOption: 'auto' | readonly (readonly Category[])[];
  readonly drop: null | 'first' | 'if_binary';
  readonly handleUnknown: 'error' | 'ignore';
  readonly dtype: OutDtype;
  private fitted: Fitted | null = null;

  constructor(opts: OneHotEncoderOptions = {}) {
    checkOptions('OneHotEncoder', opts, OPTIONS);
    this.categoriesOption = opts.categories ?? 'auto';
    this.drop = opts.drop ?? null;
    this.handleUnknown = opts.handleUnknown ?? 'error';
    this.dtype = opts.dtype ?? 'float64';
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('OneHotEncoder', method);
    return this.fitted;
  }

  /** scikit-learn's categories_: per column, numbers (NaN last), booleans, or strings (null last). */
  get categories(): Category[][] {
    return this.state('categories').columns.map((c) => [...c.categories]);
  }
  /** Per column, the index of the dropped category, or null (scikit-learn's drop_idx_). */
  get dropIdx(): (number | null)[] {
    return this.state('dropIdx').drop.map((d) => (d < 0 ? null : d));
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').columns.length;
  }
  /** The frame's column names seen in fit (null when fitted on an array). */
  get featureNamesIn(): string[] | null {
    const n = this.state('featureNamesIn').names;
    return n && [...n];
  }

  async fit(X: Data | FrameLike, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'OneHotEncoder.fit');
    const f = await fitCategories(X, this.categoriesOption, this.handleUnknown === 'error', 'OneHotEncoder.fit', opts);
    const drop = f.columns.map((c) => (this.drop === 'first' || (this.drop === 'if_binary' && c.categories.length === 2) ? 0 : -1));
    this.fitted = { columns: f.columns, drop, names: f.names };
    return this;
  }

  transform(X: Data): ChunkedArray<NDArray>;
  transform(X: FrameLike): Promise<ChunkedArray<NDArray>>;
  transform(X: Data | FrameLike): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  transform(X: Data | FrameLike): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const f = this.state('transform');
    const who = 'OneHotEncoder.transform';
    return transformFitted(X, f, who, (inp) => this.#encode(f, inp, who));
  }

  #encode(f: Fitted, inp: EncoderInput, who: string): ChunkedArray<NDArray> {
    const columns = f.columns.map((c, j) => encodeColumn(c, f.drop[j]));
    const width = f.columns.reduce((s, c, j) => s + c.categories.length - (f.drop[j] >= 0 ? 1 : 0), 0);
    const spec = { who, kind: 'onehot', columns, order: columns.map((_, j) => j), unknown: this.handleUnknown, unknownValue: 0, missingValue: 0, missingZeros: false, dtype: this.dtype };
    return mapRowBlocks('one-hot', inp.x, preprocessingOps.encodeBlock, [spec], width, this.dtype);
  }

  async fitTransform(X: Data | FrameLike, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'OneHotEncoder.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  /** `<feature>_<category>` per output column (scikit-learn's names: x0_1.0, city_Oslo, city_None). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.state('getFeatureNamesOut');
    const ins = inputNames(f.names, f.columns.length, inputFeatures, 'OneHotEncoder.getFeatureNamesOut');
    return f.columns.flatMap((c, j) =>
      c.categories.flatMap((cat, k) => (k === f.drop[j] ? [] : [`${ins[j]}_${categoryName(cat, c.info.integer, c.info.kind === 'string' ? 'None' : 'nan')}`])),
    );
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { categories: this.categoriesOption, drop: this.drop, handleUnknown: this.handleUnknown, dtype: this.dtype, sparseOutput: false };
  }
}
