/**
 * Lazy reductions of series (to a Scalar) and frames (to a one-partition Series by column): core's
 * tree reduction over the partitions, each step the same operation for every row of REDUCTIONS.
 */
import { arr, checkOptions, intAtLeast, lit, ref, splitEveryFor, treeReduce, type OptionRule, type OptionSchema } from '@pdask/core';
import type { DataFrame } from './frame';
import { opName, partitionKey } from './graph';
import { dataframeOps } from './ops/index';
import { REDUCTIONS, type ReduceAgg } from './ops/reduce';
import { isNumericDesc } from './meta';
import { splitEveryRule, onlyValue } from './options';
import type { TypeDesc } from './ops/types';
import { Scalar } from './scalar';
import { Series } from './series';
import { isTypedReduction, typedSeriesReduction } from './reductions-typed';

export interface ReductionOptions {
  /** How many partial results one combine task merges (default 8, core's SPLIT_EVERY.dataframe; false: all at once). */
  splitEvery?: number | false;
  /** Delta degrees of freedom of var/std (default 1, as pandas). Only var and std take it. */
  ddof?: number;
  /** Missing values are always skipped (pandas' default skipna=True); false is not implemented. */
  skipna?: boolean;
}

/** The options a reduction accepts: ddof only where its row uses it. */
function schemaOf(agg: ReduceAgg): OptionSchema<ReductionOptions> {
  const r = REDUCTIONS[agg];
  const ddof: OptionRule = r.ddof ? intAtLeast(0) : { unsupported: `only var and std take ddof` };
  return { splitEvery: splitEveryRule, ddof, skipna: onlyValue(true, 'missing values are always skipped; skipna: false is not implemented yet') };
}

interface Plan {
  splitEvery: number | false;
  ddof: number;
}

function plan(agg: ReduceAgg, opts: ReductionOptions | undefined, method: string): Plan {
  const o = checkOptions(method, opts, schemaOf(agg));
  return { splitEvery: splitEveryFor('dataframe', o.splitEvery, method), ddof: o.ddof ?? 1 };
}

export function seriesReduction(s: Series, agg: ReduceAgg, opts?: ReductionOptions): Scalar<number> {
  const method = `Series.${agg}`;
  const { splitEvery, ddof } = plan(agg, opts, method);
  // int64 and times in bigints (exact); their results are bigint, not number (README: dtypes).
  if (isTypedReduction(s.typeDesc, agg)) return typedSeriesReduction(s, agg, opts?.splitEvery) as unknown as Scalar<number>;
  if (REDUCTIONS[agg].input === 'numeric' && !isNumericDesc(s.typeDesc)) throw new TypeError(`${method}: series '${s.seriesName}' has dtype ${s.dtype}, not a number`);
  const name = opName(`series-${agg}`, s.name, splitEvery, ddof);
  const ops = dataframeOps;
  const { node } = treeReduce(
    {
      name,
      label: agg,
      grid: s.npartitions,
      splitEvery,
      partial: (_, i) => ops.reducePartial.call(ref(partitionKey(s.name, i)), lit([s.seriesName]), lit(agg)),
      combine: (parts) => ops.reduceCombine.call(arr(parts), lit(agg)),
      aggregate: (parts) => ops.reduceScalar.call(arr(parts), lit(agg), lit(ddof)),
    },
    [s.layer],
  );
  return new Scalar<number>(name, node);
}

/** One dtype for the values of a frame reduction: the row's, when every column gives the same. */
function commonType(agg: ReduceAgg, inputs: readonly TypeDesc[]): TypeDesc {
  const types = inputs.map((t) => REDUCTIONS[agg].dtype(t));
  const first = types[0] ?? REDUCTIONS[agg].dtype({ id: 'float', bits: 64 });
  return types.every((t) => JSON.stringify(t) === JSON.stringify(first)) ? first : { id: 'float', bits: 64 };
}

/** pandas 1.5 drops columns an aggregation cannot use (numeric_only): so does this. */
export function frameReduction(df: DataFrame, agg: ReduceAgg, opts?: ReductionOptions): Series {
  const method = `DataFrame.${agg}`;
  const { splitEvery, ddof } = plan(agg, opts, method);
  const anyType = REDUCTIONS[agg].input === 'any';
  const columns = df.columns.filter((c) => anyType || isNumericDesc(df.typeOf(c)));
  const type = commonType(agg, columns.map((c) => df.typeOf(c)));
  const name = opName(`frame-${agg}`, df.name, splitEvery, ddof);
  const ops = dataframeOps;
  const { node } = treeReduce(
    {
      name,
      label: agg,
      grid: df.npartitions,
      splitEvery,
      partial: (_, i) => ops.reducePartial.call(ref(partitionKey(df.name, i)), lit(columns), lit(agg)),
      combine: (parts) => ops.reduceCombine.call(arr(parts), lit(agg)),
      aggregate: (parts) => ops.reduceSeries.call(arr(parts), lit(columns), lit(agg), lit(ddof), lit(agg), lit(type)),
      outputKey: () => partitionKey(name, 0),
    },
    [df.layer],
  );
  return new Series(name, 1, node, null, { name: agg, label: null, type, index: { levels: [{ type: { id: 'utf8' }, name: null }] } });
}
