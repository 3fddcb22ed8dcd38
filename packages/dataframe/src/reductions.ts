/** Lazy reductions of series (to a Scalar) and frames (to a one-partition Series by column). */
import { layerNode } from '@pdask/core';
import type { DataFrame } from './frame';
import { FrameLayer, checkSplitEvery, opName, partitionKey } from './graph';
import { reduceCombine, reducePartial, reduceScalar, reduceSeries, type ReduceAgg } from './ops/reduce';
import { Scalar } from './scalar';
import { Series } from './series';
import { treeTasks } from './tree';
import { isNumericDesc } from './meta';

export interface ReductionOptions {
  /** How many partial results one combine task merges (default 8; false: all at once). */
  splitEvery?: number | false;
  /** Delta degrees of freedom of var/std (default 1, as pandas). */
  ddof?: number;
}

function checkDdof(ddof: number | undefined, method: string): number {
  const d = ddof ?? 1;
  if (!Number.isInteger(d) || d < 0) throw new RangeError(`${method}: ddof must be a non-negative integer, got ${String(ddof)}`);
  return d;
}

export function seriesReduction(s: Series, agg: ReduceAgg, opts: ReductionOptions = {}): Scalar<number> {
  const method = `Series.${agg}`;
  if (agg !== 'count' && !isNumericDesc(s.typeDesc)) throw new TypeError(`${method}: series '${s.seriesName}' has dtype ${s.dtype}, not a number`);
  const splitEvery = checkSplitEvery(opts.splitEvery, method);
  const ddof = checkDdof(opts.ddof, method);
  const name = opName(`series-${agg}`, s.name, splitEvery, ddof);
  const layer = new FrameLayer(name, agg, () =>
    treeTasks(name, name, {
      npartitions: s.npartitions,
      input: (i) => partitionKey(s.name, i),
      partial: reducePartial,
      partialArgs: [[s.seriesName], agg],
      combine: reduceCombine,
      final: reduceScalar,
      finalArgs: [agg, ddof],
      splitEvery,
    }),
  );
  return new Scalar<number>(name, layerNode(layer, [s.layer]));
}

/** pandas 1.5 drops columns an aggregation cannot use (numeric_only): so does this. */
export function frameReduction(df: DataFrame, agg: ReduceAgg, opts: ReductionOptions = {}): Series {
  const method = `DataFrame.${agg}`;
  const splitEvery = checkSplitEvery(opts.splitEvery, method);
  const ddof = checkDdof(opts.ddof, method);
  const columns = df.columns.filter((c) => agg === 'count' || isNumericDesc(df.meta.types[df.columns.indexOf(c)]));
  const name = opName(`frame-${agg}`, df.name, splitEvery, ddof);
  const layer = new FrameLayer(name, agg, () =>
    treeTasks(name, partitionKey(name, 0), {
      npartitions: df.npartitions,
      input: (i) => partitionKey(df.name, i),
      partial: reducePartial,
      partialArgs: [columns, agg],
      combine: reduceCombine,
      final: reduceSeries,
      finalArgs: [columns, agg, ddof, agg],
      splitEvery,
    }),
  );
  const type = agg === 'count' ? ({ id: 'int', bits: 32, signed: true } as const) : ({ id: 'float', bits: 64 } as const);
  return new Series(name, 1, layerNode(layer, [df.layer]), null, { name: agg, label: null, type, index: { levels: [{ type: { id: 'utf8' }, name: null }] } });
}
