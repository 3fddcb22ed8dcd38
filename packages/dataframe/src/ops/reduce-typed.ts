/**
 * Reductions of 64-bit integer, datetime and timedelta series, in bigints: the float64 kernels
 * would round int64 values past 2^53 and nanosecond timestamps (about 1.7e18 today) to the nearest
 * 256 ns. pandas sums int64 exactly (wrapping at 2^64 as NumPy does) and keeps dates' min/max exact.
 */
import { bigColumn } from '../types/big-vectors';
import { findColumn } from './frame';
import { decodePart, type Part } from './part';

export type TypedAgg = 'sum' | 'min' | 'max' | 'mean';

export interface TypedPartial {
  readonly sum: bigint;
  readonly count: number;
  readonly min: bigint | null;
  readonly max: bigint | null;
}

const EMPTY: TypedPartial = { sum: 0n, count: 0, min: null, max: null };

export const typedReducePartial = (part: Part, column: string): TypedPartial => {
  const { values, valid } = bigColumn(findColumn(decodePart(part), column));
  let sum = 0n;
  let count = 0;
  let min: bigint | null = null;
  let max: bigint | null = null;
  for (let i = 0; i < values.length; i++) {
    if (valid && !valid[i]) continue;
    const x = values[i] as bigint;
    sum += x;
    count++;
    if (min === null || x < min) min = x;
    if (max === null || x > max) max = x;
  }
  return { sum, count, min, max };
};

function merge(a: TypedPartial, b: TypedPartial): TypedPartial {
  return {
    sum: a.sum + b.sum,
    count: a.count + b.count,
    min: a.min === null ? b.min : b.min === null ? a.min : a.min < b.min ? a.min : b.min,
    max: a.max === null ? b.max : b.max === null ? a.max : a.max > b.max ? a.max : b.max,
  };
}

export const typedReduceCombine = (parts: readonly TypedPartial[]): TypedPartial => parts.reduce(merge, EMPTY);

/**
 * The result: a bigint for sum/min/max (null for min/max of nothing: pandas' NaT/NaN), the sum
 * wrapped to 64 bits as NumPy's int64 addition does; mean as a bigint of whole nanoseconds for
 * times (pandas' Timestamp/Timedelta mean) and a float for integers.
 */
export const typedReduceScalar = (parts: readonly TypedPartial[], agg: TypedAgg, unsigned: boolean, time: boolean): bigint | number | null => {
  const p = typedReduceCombine(parts);
  switch (agg) {
    case 'sum':
      return unsigned ? BigInt.asUintN(64, p.sum) : BigInt.asIntN(64, p.sum);
    case 'min':
      return p.min;
    case 'max':
      return p.max;
    case 'mean':
      if (p.count === 0) return time ? null : NaN;
      return time ? p.sum / BigInt(p.count) : Number(p.sum) / p.count;
  }
};
