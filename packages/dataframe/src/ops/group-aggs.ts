/**
 * The built-in group-by aggregations as data: one row each, giving the per-group statistics the
 * kernels compute for it (partials that merge across partitions), how they become the result,
 * the result's dtype and whether missing values are skipped. Adding an aggregation is one row (and
 * its GroupBy/SeriesGroupBy methods, which a test checks against this table).
 */
import { finalizeGroupBy, type GroupAgg as KernelAgg, type GroupByPartial } from '@pdask/kernels';
import type { TypeDesc } from './types';

export interface GroupAggRow {
  /** The kernel aggregation whose statistics this one needs (each partition's partial). */
  readonly kernel: KernelAgg;
  /** Per-group results from the merged statistics (NaN where a group has no value). */
  finalize(p: GroupByPartial, ddof: number): Float64Array;
  /** The result's dtype, from the value column's (undefined for row counts). */
  dtype(input: TypeDesc | undefined): TypeDesc;
  /** It reads a value column (false: it counts rows, as size). */
  readonly column: boolean;
  /** Missing values (null, NaN) are skipped, as pandas does. */
  readonly skipna: boolean;
  /** It uses the group-by's `ddof`. */
  readonly ddof: boolean;
}

const F64: TypeDesc = { id: 'float', bits: 64 };
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };
const float64 = (): TypeDesc => F64;
const int32 = (): TypeDesc => I32;
/** Values picked from the column keep an integer type (null where a group has none). */
const keepInt = (t: TypeDesc | undefined): TypeDesc => (t?.id === 'int' && t.bits <= 32 ? t : F64);

export const GROUP_AGGS = {
  sum: { kernel: 'sum', finalize: (p) => finalizeGroupBy(p, 'sum'), dtype: float64, column: true, skipna: true, ddof: false },
  mean: { kernel: 'mean', finalize: (p) => finalizeGroupBy(p, 'mean'), dtype: float64, column: true, skipna: true, ddof: false },
  count: { kernel: 'count', finalize: (p) => finalizeGroupBy(p, 'count'), dtype: int32, column: true, skipna: true, ddof: false },
  size: { kernel: 'size', finalize: (p) => finalizeGroupBy(p, 'size'), dtype: int32, column: false, skipna: false, ddof: false },
  min: { kernel: 'min', finalize: (p) => finalizeGroupBy(p, 'min'), dtype: keepInt, column: true, skipna: true, ddof: false },
  max: { kernel: 'max', finalize: (p) => finalizeGroupBy(p, 'max'), dtype: keepInt, column: true, skipna: true, ddof: false },
  var: { kernel: 'var', finalize: (p, ddof) => finalizeGroupBy(p, 'var', { ddof }), dtype: float64, column: true, skipna: true, ddof: true },
  std: { kernel: 'std', finalize: (p, ddof) => finalizeGroupBy(p, 'std', { ddof }), dtype: float64, column: true, skipna: true, ddof: true },
  first: { kernel: 'first', finalize: (p) => finalizeGroupBy(p, 'first'), dtype: keepInt, column: true, skipna: true, ddof: false },
  last: { kernel: 'last', finalize: (p) => finalizeGroupBy(p, 'last'), dtype: keepInt, column: true, skipna: true, ddof: false },
} as const satisfies Record<string, GroupAggRow>;

/** The name of a built-in group-by aggregation. */
export type GroupAgg = keyof typeof GROUP_AGGS;

export const isGroupAgg = (x: unknown): x is GroupAgg => typeof x === 'string' && Object.prototype.hasOwnProperty.call(GROUP_AGGS, x);
