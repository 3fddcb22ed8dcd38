/**
 * What ml reads of a `@pdask/dataframe` frame or series: only its public API, described here as
 * structural types so that ml neither imports the dataframe package at load time nor depends on
 * its internals (@pdask/dataframe is an optional peer dependency). A real DataFrame and Series
 * satisfy these types; `isFrame`/`isSeries` recognise them by their public members.
 */
import type { ChunkedArray, NDArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';

export interface ToArrayLikeOptions extends ComputeOptions {
  lengths?: boolean | readonly number[];
}

/** A computed series (`LocalSeries`): its values in order. */
export interface LocalSeriesLike {
  toArray(): ArrayLike<unknown>;
}

export interface SeriesLike {
  readonly npartitions: number;
  readonly seriesName: string;
  /** pandas dtype name: 'float64', 'int32', 'bool', 'string', 'category', ... */
  readonly dtype: string;
  toArray(opts?: ToArrayLikeOptions): Promise<ChunkedArray<NDArray>>;
  unique(): { compute(opts?: ComputeOptions): Promise<LocalSeriesLike> };
  map(mapping: Readonly<Record<string, number>>): SeriesLike;
  isna(): SeriesLike;
  notna(): SeriesLike;
  // Operands are series of the same frame (a real Series takes only its own class, which a
  // structural type cannot name): `never` here, and callers pass `series as never`.
  or(other: never): SeriesLike;
  isin(values: readonly string[]): SeriesLike;
  where(cond: never, other?: number | null): SeriesLike;
  astype(dtype: 'float64' | 'category'): SeriesLike;
}

export interface FrameLike {
  readonly npartitions: number;
  readonly columns: string[];
  /** pandas dtype names by column. */
  readonly dtypes: Record<string, string>;
  col(name: string): SeriesLike;
  select(names: readonly string[]): FrameLike;
  /** Columns made from this frame's own series (passed `as never`, see SeriesLike.or). */
  assign(columns: never): FrameLike;
  toArray(opts?: ToArrayLikeOptions): Promise<ChunkedArray<NDArray>>;
}

const has = (v: object, k: string, type: string): boolean => typeof (v as Record<string, unknown>)[k] === type;

/** A @pdask/dataframe DataFrame, recognised by its public members (no import of the package). */
export function isFrame(v: unknown): v is FrameLike {
  return typeof v === 'object' && v !== null && Array.isArray((v as FrameLike).columns) && has(v, 'dtypes', 'object') && has(v, 'col', 'function') && has(v, 'assign', 'function') && has(v, 'toArray', 'function') && has(v, 'npartitions', 'number');
}

/** A @pdask/dataframe Series, recognised by its public members. */
export function isSeries(v: unknown): v is SeriesLike {
  return typeof v === 'object' && v !== null && has(v, 'seriesName', 'string') && has(v, 'dtype', 'string') && has(v, 'toArray', 'function') && has(v, 'npartitions', 'number');
}

/** How ml reads a column of a frame, by its pandas dtype. */
export type ColumnKind = 'number' | 'bool' | 'string' | 'category';

export function columnKind(dtype: string): ColumnKind | null {
  if (/^(float|int|uint|Int|UInt|Float)\d+$/.test(dtype)) return 'number';
  if (dtype === 'bool' || dtype === 'boolean') return 'bool';
  if (dtype === 'string' || dtype === 'object') return 'string';
  if (dtype === 'category') return 'category';
  return null;
}
