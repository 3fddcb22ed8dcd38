/**
 * Reductions of columns (Series.sum, DataFrame.mean, ...) as tree reductions: moments and extrema
 * per partition from the kernels (NaN and nulls skipped, as pandas' skipna), merged associatively,
 * finalised at the root.
 */
import { defineOp } from '@pdask/core';
import { EMPTY_MOMENTS, mergeMoments, mergeNanmax, mergeNanmin, momentsMean, momentsStd, momentsVar, type Moments } from '@pdask/kernels';
import { kernels } from './kernels';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { findColumn } from './frame';
import { DF_OPS, INDEX_COLUMN } from './spec';
import { numbersAs } from './results';
import { isNumericType } from './types';
import { numericValues, stringVector } from './values';

export type ReduceAgg = 'sum' | 'mean' | 'var' | 'std' | 'min' | 'max' | 'count';

export interface ColumnPartial {
  m: Moments;
  min: number;
  max: number;
}

const EMPTY: ColumnPartial = { m: EMPTY_MOMENTS, min: NaN, max: NaN };

function columnPartial(part: Part, column: string, agg: ReduceAgg): ColumnPartial {
  const v = findColumn(decodePart(part), column);
  if (agg === 'count' && !isNumericType(v.type)) return { m: { count: v.length - v.nullCount, sum: 0, m2: 0 }, min: NaN, max: NaN };
  const x = numericValues(v, column);
  if (x.length === 0) return EMPTY;
  const k = kernels();
  const m = k.moments(x, { skipna: true });
  if (agg !== 'min' && agg !== 'max') return { m, min: NaN, max: NaN };
  return { m, min: m.count > 0 ? k.nanmin(x) : NaN, max: m.count > 0 ? k.nanmax(x) : NaN };
}

function merge(ps: readonly ColumnPartial[]): ColumnPartial {
  return ps.reduce((a, b) => ({ m: mergeMoments(a.m, b.m), min: mergeNanmin(a.min, b.min), max: mergeNanmax(a.max, b.max) }), EMPTY);
}

function finish(p: ColumnPartial, agg: ReduceAgg, ddof: number): number {
  switch (agg) {
    case 'sum':
      return p.m.sum;
    case 'count':
      return p.m.count;
    case 'mean':
      return momentsMean(p.m);
    case 'var':
      return momentsVar(p.m, ddof);
    case 'std':
      return momentsStd(p.m, ddof);
    case 'min':
      return p.min;
    case 'max':
      return p.max;
  }
}

/** Partials of several columns of one partition. */
export const reducePartial = defineOp(DF_OPS, 'reducePartial', (part: Part, columns: readonly string[], agg: ReduceAgg): ColumnPartial[] =>
  columns.map((c) => columnPartial(part, c, agg)),
);

export const reduceCombine = defineOp(DF_OPS, 'reduceCombine', (parts: readonly ColumnPartial[][]): ColumnPartial[] =>
  parts[0].map((_, j) => merge(parts.map((p) => p[j]))),
);

/** The root of a Series reduction: a number. */
export const reduceScalar = defineOp(DF_OPS, 'reduceScalar', (parts: readonly ColumnPartial[][], agg: ReduceAgg, ddof: number): number =>
  finish(merge(parts.map((p) => p[0])), agg, ddof),
);

/** The root of a DataFrame reduction: a series indexed by column name. */
export const reduceSeries = defineOp(DF_OPS, 'reduceSeries', (parts: readonly ColumnPartial[][], columns: readonly string[], agg: ReduceAgg, ddof: number, name: string): Part => {
  const values = Float64Array.from(columns, (_, j) => finish(merge(parts.map((p) => p[j])), agg, ddof));
  const v = numbersAs(values, agg === 'count' ? { id: 'int', bits: 32, signed: true } : { id: 'float', bits: 64 });
  return encodeBatch(batchOf([INDEX_COLUMN, name], [stringVector([...columns]), v]));
});
