/**
 * The encoders' view of X: every column as numbers. A frame's string and category columns become
 * codes into their sorted labels (a missing value NaN, a label not seen in fit -1) through the
 * frame's public `map`/`where`, so the whole frame is one numeric array read by `toArray`.
 */
import { astype, type ChunkedArray } from '@pdask/array';
import { computeCollections, type ComputeOptions } from '@pdask/core';
import { frameToArray } from '../input/features';
import { columnKind, isFrame, isSeries, type ColumnKind, type FrameLike, type SeriesLike } from '../input/frame-like';
import { runBlockReduce } from '../graph/block-reduce';
import { preprocessingOps } from '../ops/index';
import { asMatrix, type Data } from '../validate';
import type { Distinct } from './runtime';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** An integer dtype: its categories are written without '.0' in feature names. */
  integer: boolean;
}

export interface EncoderInput {
  x: ChunkedArray<unknown>;
  columns: ColumnInfo[];
  /** The frame's column names; null for arrays. */
  names: string[] | null;
}

/** The distinct non-missing strings of some frame columns, and whether each has missing values. */
export async function distinctLabels(frame: FrameLike, cols: readonly string[], opts: ComputeOptions): Promise<{ labels: string[]; missing: boolean }[]> {
  if (!cols.length) return [];
  const locals = (await computeCollections(cols.map((c) => frame.col(c).unique()) as never[], opts)) as unknown as { toArray(): ArrayLike<unknown> }[];
  return locals.map((l) => {
    const vals = Array.from(l.toArray());
    return { labels: (vals.filter((v) => v !== null && v !== undefined) as string[]).map(String).sort(), missing: vals.some((v) => v === null || v === undefined) };
  });
}

/** A string/category column as codes into `labels`: NaN where missing, -1 for labels not in the list. */
export function codesOf(s: SeriesLike, labels: readonly string[]): SeriesLike {
  const mapping: Record<string, number> = {};
  labels.forEach((l, i) => (mapping[l] = i));
  const m = s.map(mapping);
  return m.where(s.isna().or(m.notna() as never) as never, -1);
}

/**
 * X as numbers: `labels` gives, for each string/category column of a frame, the labels its codes
 * index (fit computes them with `distinctLabels` first and passes them here).
 */
export async function encoderInput(X: Data | FrameLike | undefined, who: string, labels: Readonly<Record<string, readonly string[]>>, opts: ComputeOptions): Promise<EncoderInput> {
  if (isSeries(X)) throw new RangeError(`${who}: X must be 2-d (samples x features), got a series ('${X.seriesName}'); use series.toFrame()`);
  if (!isFrame(X)) return arrayEncoderInput(X, who);
  const names = X.columns;
  if (!names.length) throw new RangeError(`${who}: X has no columns`);
  const replaced: Record<string, SeriesLike> = {};
  const columns = names.map((n): ColumnInfo => {
    const dtype = X.dtypes[n];
    const kind = columnKind(dtype);
    if (kind === null) throw new TypeError(`${who}: column '${n}' of X is ${dtype}; encoders read numbers, booleans, strings and categories`);
    if (kind === 'bool') replaced[n] = X.col(n).astype('float64');
    if (kind === 'string' || kind === 'category') {
      const l = labels[n];
      if (!l) throw new RangeError(`${who}: column '${n}' was not a string or category column in fit`);
      replaced[n] = codesOf(X.col(n), l);
    }
    return { name: n, kind, integer: /^u?int\d+$/i.test(dtype) };
  });
  const numeric = Object.keys(replaced).length ? X.assign(replaced as never) : X;
  const a = await frameToArray(X, numeric, opts);
  return { x: asMatrix(a.dtype === 'float64' ? a : astype(a, 'float64'), who), columns, names: [...names] };
}

/** An array's columns for the encoders (no computation: arrays need no codes). */
export function arrayEncoderInput(X: Data | undefined, who: string): EncoderInput {
  const x = asMatrix(X, who);
  const kind: ColumnKind = x.dtype === 'bool' ? 'bool' : 'number';
  const integer = /int/.test(x.dtype);
  return { x, columns: Array.from({ length: x.shape[1] }, (_, j) => ({ name: `x${j}`, kind, integer })), names: null };
}

/** The distinct values of every column of x: one pass over its blocks. */
export function distinctValues(x: ChunkedArray<unknown>, opts: ComputeOptions): Promise<Distinct> {
  return runBlockReduce<Distinct>({ label: 'distinct', x, partial: preprocessingOps.distinctPartial, partialArgs: () => [], combine: preprocessingOps.distinctCombine }, opts);
}
