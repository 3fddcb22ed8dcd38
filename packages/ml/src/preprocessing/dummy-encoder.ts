/**
 * Dask-ML's Categorizer and DummyEncoder for data frames. Categorizer learns the categories of
 * string and category columns (sorted, as pandas' astype('category')) and makes those columns
 * categories; DummyEncoder turns category columns into indicator columns after the other columns
 * (pandas' get_dummies order), as one lazy array with the names from getFeatureNamesOut.
 */
import type { ChunkedArray, NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { definedParams, type Params } from '../base/estimator';
import { columnKind, isFrame, type FrameLike, type SeriesLike } from '../input/frame-like';
import { preprocessingOps } from '../ops/index';
import { NotFittedError } from '../validate';
import { mapRowBlocks } from './block-map';
import { distinctLabels, encoderInput } from './encoder-input';
import type { EncodeColumn } from './runtime';

/** Categories a Categorizer gave the frames it returned (the frame type has no room for them). */
const CATEGORIZED = new WeakMap<object, Readonly<Record<string, readonly string[]>>>();

function frameOf(X: unknown, who: string): FrameLike {
  if (!isFrame(X)) throw new TypeError(`${who}: X must be a @pdask/dataframe DataFrame`);
  return X;
}

export interface CategorizerOptions {
  /** Columns to categorize (default: every string and category column). */
  columns?: readonly string[];
  /** Categories per column, instead of learning them. */
  categories?: Readonly<Record<string, readonly string[]>>;
}

const COLUMNS_RULE = (v: unknown): string | undefined => (Array.isArray(v) && v.every((c) => typeof c === 'string') ? undefined : 'an array of column names');
const CATEGORIZER_OPTIONS: OptionSchema<CategorizerOptions> = {
  columns: COLUMNS_RULE,
  categories: (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((c) => Array.isArray(c) && c.every((s) => typeof s === 'string')) ? undefined : '{ column: [categories] }'),
};

export class Categorizer {
  readonly columns: readonly string[] | null;
  readonly categoriesOption: Readonly<Record<string, readonly string[]>> | null;
  private fitted: Record<string, string[]> | null = null;

  constructor(opts: CategorizerOptions = {}) {
    checkOptions('Categorizer', opts, CATEGORIZER_OPTIONS);
    this.columns = opts.columns ? [...opts.columns] : null;
    this.categoriesOption = opts.categories ?? null;
  }

  /** The categories of each categorized column. */
  get categories(): Record<string, string[]> {
    if (!this.fitted) throw new NotFittedError('Categorizer', 'categories');
    return Object.fromEntries(Object.entries(this.fitted).map(([k, v]) => [k, [...v]]));
  }

  async fit(X: FrameLike, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'Categorizer.fit');
    const who = 'Categorizer.fit';
    const f = frameOf(X, who);
    const given = this.categoriesOption;
    const cols = this.columns ?? (given ? Object.keys(given) : f.columns.filter((n) => ['string', 'category'].includes(columnKind(f.dtypes[n]) ?? '')));
    for (const c of cols) {
      if (!f.columns.includes(c)) throw new RangeError(`${who}: no column '${c}' in X (columns: ${f.columns.join(', ')})`);
      const k = columnKind(f.dtypes[c]);
      if (k !== 'string' && k !== 'category') throw new TypeError(`${who}: column '${c}' is ${f.dtypes[c]}; only string and category columns are categorized`);
    }
    const toLearn = cols.filter((c) => !given?.[c]);
    const learnt = await distinctLabels(f, toLearn, opts);
    const out: Record<string, string[]> = {};
    for (const c of cols) out[c] = given?.[c] ? [...given[c]] : learnt[toLearn.indexOf(c)].labels;
    this.fitted = out;
    return this;
  }

  /** X with the columns as categories; values outside the fitted categories become missing (as pandas' astype with categories). */
  transform(X: FrameLike): FrameLike {
    if (!this.fitted) throw new NotFittedError('Categorizer', 'transform');
    const f = frameOf(X, 'Categorizer.transform');
    const cats = this.fitted;
    const replaced: Record<string, SeriesLike> = {};
    for (const [c, l] of Object.entries(cats)) {
      if (!f.columns.includes(c)) throw new RangeError(`Categorizer.transform: no column '${c}' in X`);
      const s = f.col(c);
      replaced[c] = s.where(s.isin(l as string[]) as never, null).astype('category');
    }
    const out = f.assign(replaced as never);
    CATEGORIZED.set(out, cats);
    return out;
  }

  async fitTransform(X: FrameLike, opts: ComputeOptions = {}): Promise<FrameLike> {
    checkComputeOptions(opts, 'Categorizer.fitTransform');
    await this.fit(X, opts);
    return this.transform(X);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ columns: this.columns ?? undefined, categories: this.categoriesOption ?? undefined });
  }
}

export interface DummyEncoderOptions {
  /** Category columns to encode (default: every category column). */
  columns?: readonly string[];
  /** Leave out each column's first category (pandas' drop_first; default false). */
  dropFirst?: boolean;
}

const DUMMY_OPTIONS: OptionSchema<DummyEncoderOptions> = { columns: COLUMNS_RULE, dropFirst: 'boolean' };

interface DummyFitted {
  columns: string[];
  encoded: Record<string, string[]>;
}

export class DummyEncoder {
  readonly columns: readonly string[] | null;
  readonly dropFirst: boolean;
  private fitted: DummyFitted | null = null;

  constructor(opts: DummyEncoderOptions = {}) {
    checkOptions('DummyEncoder', opts, DUMMY_OPTIONS);
    this.columns = opts.columns ? [...opts.columns] : null;
    this.dropFirst = opts.dropFirst ?? false;
  }

  private state(method: string): DummyFitted {
    if (!this.fitted) throw new NotFittedError('DummyEncoder', method);
    return this.fitted;
  }

  /** The categories of each encoded column. */
  get categories(): Record<string, string[]> {
    return Object.fromEntries(Object.entries(this.state('categories').encoded).map(([k, v]) => [k, [...v]]));
  }

  /**
   * Learns the categories of the category columns: those a Categorizer gave the frame, else the
   * sorted distinct values present (one computation).
   */
  async fit(X: FrameLike, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'DummyEncoder.fit');
    const who = 'DummyEncoder.fit';
    const f = frameOf(X, who);
    const cols = this.columns ?? f.columns.filter((n) => columnKind(f.dtypes[n]) === 'category');
    for (const c of cols) {
      if (!f.columns.includes(c)) throw new RangeError(`${who}: no column '${c}' in X (columns: ${f.columns.join(', ')})`);
      if (columnKind(f.dtypes[c]) !== 'category') throw new TypeError(`${who}: column '${c}' is ${f.dtypes[c]}, not category; use a Categorizer first`);
    }
    for (const n of f.columns) {
      const k = columnKind(f.dtypes[n]);
      if (!cols.includes(n) && k !== 'number' && k !== 'bool') throw new TypeError(`${who}: column '${n}' is ${f.dtypes[n]} and not encoded; encode it (columns) or drop it`);
    }
    const known = CATEGORIZED.get(f) ?? {};
    const toLearn = cols.filter((c) => !known[c]);
    const learnt = await distinctLabels(f, toLearn, opts);
    const encoded: Record<string, string[]> = {};
    for (const c of cols) encoded[c] = known[c] ? [...known[c]] : learnt[toLearn.indexOf(c)].labels;
    this.fitted = { columns: [...f.columns], encoded };
    return this;
  }

  /** The other columns (numbers, booleans as 0/1), then each category column's indicators; a missing or unknown value gives zeros. */
  async transform(X: FrameLike, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'DummyEncoder.transform');
    const who = 'DummyEncoder.transform';
    const fit = this.state('transform');
    const f = frameOf(X, who);
    if (f.columns.join('\u0000') !== fit.columns.join('\u0000')) throw new RangeError(`${who}: the columns of X [${f.columns.join(', ')}] are not those seen in fit [${fit.columns.join(', ')}]`);
    const inp = await encoderInput(f, who, fit.encoded, opts);
    const columns: EncodeColumn[] = fit.columns.map((name) => {
      const l = fit.encoded[name];
      return l ? { mode: 'encode', name, cats: l.map((_, i) => i), nan: false, drop: this.dropFirst && l.length ? 0 : -1 } : { mode: 'pass', name, cats: [], nan: false, drop: -1 };
    });
    const order = [...columns.keys()].sort((a, b) => Number(columns[a].mode === 'encode') - Number(columns[b].mode === 'encode') || a - b);
    const width = columns.reduce((s, c) => s + (c.mode === 'pass' ? 1 : c.cats.length - (c.drop >= 0 ? 1 : 0)), 0);
    const spec = { who, kind: 'onehot', columns, order, unknown: 'ignore', unknownValue: 0, missingValue: 0, missingZeros: true, dtype: 'float64' };
    return mapRowBlocks('dummies', inp.x, preprocessingOps.encodeBlock, [spec], width, 'float64');
  }

  async fitTransform(X: FrameLike, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
    checkComputeOptions(opts, 'DummyEncoder.fitTransform');
    await this.fit(X, opts);
    return this.transform(X, opts);
  }

  /** The other columns' names, then `<column>_<category>` (pandas' get_dummies names). */
  getFeatureNamesOut(): string[] {
    const f = this.state('getFeatureNamesOut');
    const passed = f.columns.filter((c) => !f.encoded[c]);
    const dummies = f.columns.filter((c) => f.encoded[c]).flatMap((c) => f.encoded[c].slice(this.dropFirst ? 1 : 0).map((l) => `${c}_${l}`));
    return [...passed, ...dummies];
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'transformer' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ columns: this.columns ?? undefined, dropFirst: this.dropFirst });
  }
}
