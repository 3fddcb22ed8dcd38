/** OrdinalEncoder: each value as the index of its category (scikit-learn's). */
import type { ChunkedArray, NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { definedParams, type Params } from '../base/estimator';
import { inputNames } from '../input/features';
import type { FrameLike } from '../input/frame-like';
import { preprocessingOps } from '../ops/index';
import { asMatrix, checkFeatures, NotFittedError, type Data } from '../validate';
import { mapRowBlocks } from './block-map';
import { encodeColumn, fitCategories, transformFitted, type FittedColumn } from './category-fit';
import type { EncoderInput } from './encoder-input';
import type { Category } from './names';
import { CATEGORIES_RULE } from './one-hot-encoder';

export interface OrdinalEncoderOptions {
  /** 'auto' (default) or one list per column, as OneHotEncoder's. */
  categories?: 'auto' | readonly (readonly Category[])[];
  /** 'error' (default), or 'useEncodedValue' (scikit-learn's 'use_encoded_value'): unknown values become `unknownValue`. */
  handleUnknown?: 'error' | 'useEncodedValue';
  /** An integer that is not a code, or NaN; required with 'useEncodedValue'. */
  unknownValue?: number;
  /** What a missing value becomes (default NaN). */
  encodedMissingValue?: number;
  /** Output dtype: 'float64' (default) or 'float32'. */
  dtype?: 'float64' | 'float32';
}

const OPTIONS: OptionSchema<OrdinalEncoderOptions> = {
  categories: CATEGORIES_RULE,
  handleUnknown: (v) => (v === 'error' || v === 'useEncodedValue' ? undefined : "'error' or 'useEncodedValue'"),
  unknownValue: (v) => (typeof v === 'number' && (Number.isNaN(v) || Number.isInteger(v)) ? undefined : 'an integer or NaN'),
  encodedMissingValue: (v) => (typeof v === 'number' && (Number.isNaN(v) || Number.isInteger(v)) ? undefined : 'an integer or NaN'),
  dtype: (v) => (v === 'float64' || v === 'float32' ? undefined : "'float64' or 'float32'"),
};

interface Fitted {
  columns: FittedColumn[];
  names: string[] | null;
}

export class OrdinalEncoder {
  readonly categoriesOption: 'auto' | readonly (readonly Category[])[];
  readonly handleUnknown: 'error' | 'useEncodedValue';
  readonly unknownValue: number | undefined;
  readonly encodedMissingValue: number;
  readonly dtype: 'float64' | 'float32';
  private fitted: Fitted | null = null;

  constructor(opts: OrdinalEncoderOptions = {}) {
    checkOptions('OrdinalEncoder', opts, OPTIONS);
    this.categoriesOption = opts.categories ?? 'auto';
    this.handleUnknown = opts.handleUnknown ?? 'error';
    this.unknownValue = opts.unknownValue;
    this.encodedMissingValue = opts.encodedMissingValue ?? Number.NaN;
    this.dtype = opts.dtype ?? 'float64';
    if (this.handleUnknown === 'useEncodedValue' && this.unknownValue === undefined) throw new TypeError("OrdinalEncoder: option 'unknownValue' is required with handleUnknown: 'useEncodedValue'");
    if (this.handleUnknown === 'error' && this.unknownValue !== undefined) throw new TypeError("OrdinalEncoder: option 'unknownValue' is only used with handleUnknown: 'useEncodedValue'");
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('OrdinalEncoder', method);
    return this.fitted;
  }

  get categories(): Category[][] {
    return this.state('categories').columns.map((c) => [...c.categories]);
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').columns.length;
  }
  get featureNamesIn(): string[] | null {
    const n = this.state('featureNamesIn').names;
    return n && [...n];
  }

  async fit(X: Data | FrameLike, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'OrdinalEncoder.fit');
    const f = await fitCategories(X, this.categoriesOption, this.handleUnknown === 'error', 'OrdinalEncoder.fit', opts);
    const u = this.unknownValue;
    if (u !== undefined && !Number.isNaN(u)) {
      // scikit-learn: the unknown value must not be a code of some column.
      const clash = f.columns.find((c) => u >= 0 && u < c.cats.length + (c.nan ? 1 : 0));
      if (clash) throw new RangeError(`OrdinalEncoder.fit: unknownValue ${u} is already the code of a category of column '${clash.info.name}'`);
    }
    this.fitted = { columns: f.columns, names: f.names };
    return this;
  }

  transform(X: Data): ChunkedArray<NDArray>;
  transform(X: FrameLike): Promise<ChunkedArray<NDArray>>;
  transform(X: Data | FrameLike): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>>;
  transform(X: Data | FrameLike): ChunkedArray<NDArray> | Promise<ChunkedArray<NDArray>> {
    const f = this.state('transform');
    const who = 'OrdinalEncoder.transform';
    return transformFitted(X, f, who, (inp) => this.#encode(f, inp, who));
  }

  #encode(f: Fitted, inp: EncoderInput, who: string): ChunkedArray<NDArray> {
    // scikit-learn encodes NaN as encodedMissingValue, but a missing string (None) is a category like the others.
    const columns = f.columns.map((c) => ({ ...encodeColumn(c), ...(c.info.kind === 'string' && c.nan ? { missingCode: c.cats.length } : {}) }));
    const spec = {
      who,
      kind: 'ordinal',
      columns,
      order: columns.map((_, j) => j),
      unknown: this.handleUnknown === 'error' ? 'error' : 'value',
      unknownValue: this.unknownValue ?? Number.NaN,
      missingValue: this.encodedMissingValue,
      missingZeros: false,
      dtype: this.dtype,
    };
    return mapRowBlocks('ordinal', inp.x, preprocessingOps.encodeBlock, [spec], columns.length, this.dtype);
  }

  async fitTransform(X: Data | FrameLike, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'OrdinalEncoder.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  /**
   * Codes back to categories, for numeric and boolean columns (as 0/1): float64, NaN for the
   * missing and unknown codes (scikit-learn gives None for unknown). String columns are refused:
   * an array cannot hold them.
   */
  inverseTransform(X: Data): ChunkedArray<NDArray> {
    const f = this.state('inverseTransform');
    const who = 'OrdinalEncoder.inverseTransform';
    const x = asMatrix(X, who);
    checkFeatures(x, f.columns.length, who);
    const text = f.columns.find((c) => c.labels);
    if (text) throw new TypeError(`${who}: column '${text.info.name}' has string categories, which an array cannot hold; map the codes with encoder.categories`);
    const spec = { who, columns: f.columns.map((c) => ({ name: c.info.name, cats: c.cats, nan: c.nan })), missingValue: this.encodedMissingValue, unknownValue: this.unknownValue ?? Number.NaN };
    return mapRowBlocks('ordinal-inverse', x, preprocessingOps.decodeBlock, [spec], f.columns.length, 'float64');
  }

  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const f = this.state('getFeatureNamesOut');
    return inputNames(f.names, f.columns.length, inputFeatures, 'OrdinalEncoder.getFeatureNamesOut');
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ categories: this.categoriesOption, handleUnknown: this.handleUnknown, unknownValue: this.unknownValue, encodedMissingValue: this.encodedMissingValue, dtype: this.dtype });
  }
}
