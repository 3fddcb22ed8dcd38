/**
 * Reductions of columns (Series.sum, DataFrame.mean, ...) as data: one row per reduction giving the
 * statistic each partition computes, how two statistics merge, how the merged one becomes the
 * result, the result's dtype and whether missing values are skipped. The tree reduction runs the
 * same three operations for every row, so adding a reduction is adding a row (and its methods).
 */
import { EMPTY_MOMENTS, mergeMoments, mergeNanmax, mergeNanmin, momentsMean, momentsStd, momentsVar, type Moments } from '@pdask/kernels';
import type { Vector } from 'apache-arrow';
import { kernels } from './kernels';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { findColumn } from './frame';
import { INDEX_COLUMN } from './spec';
import { numbersAs } from './results';
import { isNumericType, type TypeDesc } from './types';
import { numericValues, stringVector } from './values';

/** A statistic of one column's values that partitions compute separately and then merge. */
interface Statistic<S> {
  readonly empty: S;
  of(v: Vector, column: string): S;
  merge(a: S, b: S): S;
}

/** Count, sum and centred second moment of the non-missing values (NaN and nulls skipped). */
const MOMENTS: Statistic<Moments> = {
  empty: EMPTY_MOMENTS,
  of(v, column) {
    const x = numericValues(v, column);
    return x.length === 0 ? EMPTY_MOMENTS : kernels().moments(x, { skipna: true });
  },
  merge: mergeMoments,
};

/** The number of non-missing values of a column of any type. */
const VALID: Statistic<number> = {
  empty: 0,
  of(v, column) {
    if (!isNumericType(v.type)) return v.length - v.nullCount;
    return MOMENTS.of(v, column).count;
  },
  merge: (a, b) => a + b,
};

const extremum = (pick: 'nanmin' | 'nanmax', merge: (a: number, b: number) => number): Statistic<number> => ({
  empty: NaN,
  of(v, column) {
    const x = numericValues(v, column);
    // The kernels' nanmin/nanmax of no value at all is not NaN: ask only when there is one.
    if (x.length === 0 || MOMENTS.of(v, column).count === 0) return NaN;
    return kernels()[pick](x);
  },
  merge,
});

export interface ReductionRow<S = unknown> {
  readonly stat: Statistic<S>;
  /** The result from the statistic of the whole column. */
  finalize(s: S, ddof: number): number;
  /** The result's dtype, from the column's. */
  dtype(input: TypeDesc): TypeDesc;
  /** Columns it accepts: numbers (and booleans) only, or any type. */
  readonly input: 'numeric' | 'any';
  /** Missing values (null, NaN) are skipped, as pandas' skipna=True. */
  readonly skipna: boolean;
  /** It takes `ddof` (delta degrees of freedom). */
  readonly ddof: boolean;
}

/** A row, its statistic's type checked against its finalize step and then forgotten. */
const row = <S>(r: ReductionRow<S>): ReductionRow => r as unknown as ReductionRow;

const F64: TypeDesc = { id: 'float', bits: 64 };
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };
const float64 = (): TypeDesc => F64;

export const REDUCTIONS = {
  sum: row({ stat: MOMENTS, finalize: (m) => m.sum, dtype: float64, input: 'numeric', skipna: true, ddof: false }),
  mean: row({ stat: MOMENTS, finalize: (m) => momentsMean(m), dtype: float64, input: 'numeric', skipna: true, ddof: false }),
  var: row({ stat: MOMENTS, finalize: (m, ddof) => momentsVar(m, ddof), dtype: float64, input: 'numeric', skipna: true, ddof: true }),
  std: row({ stat: MOMENTS, finalize: (m, ddof) => momentsStd(m, ddof), dtype: float64, input: 'numeric', skipna: true, ddof: true }),
  min: row({ stat: extremum('nanmin', mergeNanmin), finalize: (x) => x, dtype: float64, input: 'numeric', skipna: true, ddof: false }),
  max: row({ stat: extremum('nanmax', mergeNanmax), finalize: (x) => x, dtype: float64, input: 'numeric', skipna: true, ddof: false }),
  count: row({ stat: VALID, finalize: (n) => n, dtype: () => I32, input: 'any', skipna: true, ddof: false }),
} as const satisfies Record<string, ReductionRow>;

export type ReduceAgg = keyof typeof REDUCTIONS;

const rowOf = (agg: ReduceAgg): ReductionRow => {
  const r = (REDUCTIONS as Record<string, ReductionRow | undefined>)[agg];
  if (!r) throw new Error(`unknown reduction '${String(agg)}'; known: ${Object.keys(REDUCTIONS).join(', ')}`);
  return r;
};

function mergeAll(r: ReductionRow, ps: readonly unknown[]): unknown {
  let acc = r.stat.empty;
  for (const p of ps) acc = r.stat.merge(acc, p);
  return acc;
}

/** Statistics of several columns of one partition. */
export const reducePartial = (part: Part, columns: readonly string[], agg: ReduceAgg): unknown[] => {
  const r = rowOf(agg);
  const b = decodePart(part);
  return columns.map((c) => r.stat.of(findColumn(b, c), c));
};

export const reduceCombine = (parts: readonly (readonly unknown[])[], agg: ReduceAgg): unknown[] => {
  const r = rowOf(agg);
  return parts[0].map((_, j) => mergeAll(r, parts.map((p) => p[j])));
};

/** The root of a Series reduction: a number. */
export const reduceScalar = (parts: readonly (readonly unknown[])[], agg: ReduceAgg, ddof: number): number => {
  const r = rowOf(agg);
  return r.finalize(mergeAll(r, parts.map((p) => p[0])), ddof);
};

/** The root of a DataFrame reduction: a series indexed by column name, of dtype `type`. */
export const reduceSeries = (parts: readonly (readonly unknown[])[], columns: readonly string[], agg: ReduceAgg, ddof: number, name: string, type: TypeDesc): Part => {
  const r = rowOf(agg);
  const values = Float64Array.from(columns, (_, j) => r.finalize(mergeAll(r, parts.map((p) => p[j])), ddof));
  return encodeBatch(batchOf([INDEX_COLUMN, name], [stringVector([...columns]), numbersAs(values, type)]));
};
