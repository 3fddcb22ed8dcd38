/**
 * Series reductions computed in bigints (ops/reduce-typed.ts): sum/min/max/mean of int64 and
 * uint64 series, min/max/mean of datetimes, sum/min/max/mean of timedeltas. The same tree as the
 * float reductions, with its own three operations.
 */
import { arr, lit, ref, splitEveryFor, treeReduce } from '@pdask/core';
import { opName, partitionKey } from './graph';
import { dataframeOps } from './ops/index';
import type { ReduceAgg } from './ops/reduce';
import type { TypedAgg } from './ops/reduce-typed';
import type { TypeDesc } from './ops/types';
import { Scalar } from './scalar';
import type { Series } from './series';

/** What a reduction of a 64-bit or time series gives: bigint nanoseconds or integers; null for NaT. */
export type TypedValue = bigint | number | null;

/** Whether `agg` of a series of type t is computed here. */
export function isTypedReduction(t: TypeDesc, agg: ReduceAgg): agg is TypedAgg {
  if (agg !== 'sum' && agg !== 'min' && agg !== 'max' && agg !== 'mean') return false;
  if (t.id === 'int' && t.bits === 64) return true;
  if (t.id === 'duration') return true;
  // pandas refuses to add datetimes.
  if (t.id === 'timestamp') {
    if (agg === 'sum') throw new TypeError(`Series.sum: series has dtype ${t.tz ? `datetime64[ns, ${t.tz}]` : 'datetime64[ns]'}; datetimes cannot be added (pandas raises too)`);
    return true;
  }
  return false;
}

export function typedSeriesReduction(s: Series, agg: TypedAgg, splitEveryOpt: number | false | undefined): Scalar<TypedValue> {
  const method = `Series.${agg}`;
  const splitEvery = splitEveryFor('dataframe', splitEveryOpt, method);
  const t = s.typeDesc;
  const unsigned = t.id === 'int' && !t.signed;
  const time = t.id === 'timestamp' || t.id === 'duration';
  const name = opName(`series-typed-${agg}`, s.name, splitEvery);
  const ops = dataframeOps;
  const { node } = treeReduce(
    {
      name,
      label: agg,
      grid: s.npartitions,
      splitEvery,
      partial: (_, i) => ops.typedReducePartial.call(ref(partitionKey(s.name, i)), lit(s.seriesName)),
      combine: (parts) => ops.typedReduceCombine.call(arr(parts)),
      aggregate: (parts) => ops.typedReduceScalar.call(arr(parts), lit(agg), lit(unsigned), lit(time)),
    },
    [s.layer],
  );
  return new Scalar<TypedValue>(name, node);
}
