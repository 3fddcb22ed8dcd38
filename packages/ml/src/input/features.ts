/**
 * The shared input adapter: what every estimator calls on X (and y) so that `@pdask/dataframe`
 * frames and series are accepted beside arrays. A frame becomes the chunked array of its values
 * through its public `toArray({ lengths })` (boolean columns as 0/1), and gives its column names
 * as the feature names, as scikit-learn's `feature_names_in_`.
 */
import { astype, type ChunkedArray, type NDArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { asMatrix, asTarget, type Data } from '../validate';
import { columnKind, isFrame, isSeries, type FrameLike, type SeriesLike } from './frame-like';

/** X as estimators take it: an array, eager data, or a data frame. */
export type FeaturesInput = Data | FrameLike;
/** y as estimators take it: an array, eager data, or a series. */
export type TargetInput = Data | SeriesLike;

export interface Features {
  /** 2-d, every column in one block, known row chunks (the frame's partitions). */
  readonly x: ChunkedArray<unknown>;
  /** The frame's column names; null for arrays (then the names are x0, x1, ...). */
  readonly names: readonly string[] | null;
}

/**
 * Partition lengths of frames already converted, by frame object: a transform after a fit (or a
 * second column selection of the same frame) does not count the rows again.
 */
const LENGTHS = new WeakMap<object, readonly number[]>();

/** `frame.toArray` with known row chunks, counting the partitions' rows once per frame. */
export async function frameToArray(frame: FrameLike, derived: FrameLike, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
  const known = LENGTHS.get(frame);
  const a = await derived.toArray({ ...opts, lengths: known ?? true });
  if (!known) LENGTHS.set(frame, a.chunks[0] as number[]);
  return a;
}

/** The lengths of a series' partitions (the same cache as frames'). */
export async function seriesToArray(s: SeriesLike, derived: SeriesLike, opts: ComputeOptions = {}): Promise<ChunkedArray<NDArray>> {
  const known = LENGTHS.get(s);
  const a = await derived.toArray({ ...opts, lengths: known ?? true });
  if (!known) LENGTHS.set(s, a.chunks[0] as number[]);
  return a;
}

/**
 * X as a 2-d chunked array with its feature names. A frame's columns must be numbers or booleans
 * (booleans read as 0/1); string and category columns need an encoder first, and the error says so.
 */
export async function toFeatures(X: FeaturesInput | SeriesLike | undefined, who: string, opts: ComputeOptions = {}): Promise<Features> {
  if (isSeries(X)) throw new RangeError(`${who}: X must be 2-d (samples x features), got a series ('${X.seriesName}'); use series.toFrame()`);
  if (!isFrame(X)) return { x: asMatrix(X, who), names: null };
  const names = X.columns;
  if (names.length === 0) throw new RangeError(`${who}: X has no columns`);
  const bools: Record<string, SeriesLike> = {};
  for (const n of names) {
    const kind = columnKind(X.dtypes[n]);
    if (kind === 'bool') bools[n] = X.col(n).astype('float64');
    else if (kind !== 'number') {
      throw new TypeError(`${who}: column '${n}' of X is ${X.dtypes[n]}; ${kind === null ? 'only numeric and boolean columns are read' : 'encode string and category columns first (OneHotEncoder, OrdinalEncoder, or Categorizer then DummyEncoder)'}`);
    }
  }
  const numeric = Object.keys(bools).length ? X.assign(bools as never) : X;
  const a = await frameToArray(X, numeric, opts);
  return { x: asMatrix(a.dtype === 'float64' ? a : astype(a, 'float64'), who), names };
}

/** y as a 1-d array with X's row blocks; a series of numbers or booleans is read through `toArray`. */
export async function toTarget(y: TargetInput | undefined, x: ChunkedArray<unknown>, who: string, opts: ComputeOptions = {}): Promise<ChunkedArray<unknown>> {
  if (!isSeries(y)) return asTarget(y as Data | undefined, x, who);
  const kind = columnKind(y.dtype);
  if (kind !== 'number' && kind !== 'bool') throw new TypeError(`${who}: y ('${y.seriesName}') is ${y.dtype}; encode it first (LabelEncoder)`);
  return asTarget(await seriesToArray(y, y, opts), x, who);
}

/** The names of n features when none were given: x0, x1, ... (scikit-learn's). */
export function defaultNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `x${i}`);
}

/**
 * The input names for getFeatureNamesOut: those given (checked against the fitted ones, as
 * scikit-learn does), else the fitted frame's, else x0, x1, ...
 */
export function inputNames(fitted: readonly string[] | null, n: number, given: readonly string[] | undefined, who: string): string[] {
  if (given === undefined) return fitted ? [...fitted] : defaultNames(n);
  if (!Array.isArray(given) || given.length !== n || !given.every((g) => typeof g === 'string')) throw new RangeError(`${who}: inputFeatures must be ${n} names (one per input feature)`);
  if (fitted && given.some((g, i) => g !== fitted[i])) throw new RangeError(`${who}: inputFeatures [${given.join(', ')}] are not the names seen in fit [${fitted.join(', ')}]`);
  return [...given];
}

/** A frame given to transform must have the columns seen in fit, in order (scikit-learn raises too). */
export function checkNames(fitted: readonly string[] | null, got: readonly string[] | null, who: string): void {
  if (!fitted || !got) return;
  if (fitted.length !== got.length || fitted.some((n, i) => n !== got[i])) throw new RangeError(`${who}: the columns of X [${got.join(', ')}] are not those seen in fit [${fitted.join(', ')}]`);
}
