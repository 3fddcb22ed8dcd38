/**
 * Lazy idxmax/idxmin, quantile, describe and corr/cov: core's tree reductions over the partitions,
 * with the partial, merge and final steps of ops/stats.ts.
 */
import { arr, checkOptions, intAtLeast, lit, ref, splitEveryFor, treeReduce, type ArgSpec, type LayerNode, type OpCall, type OptionSchema } from '@pdask/core';
import type { IndexMeta } from './base';
import { DataFrame } from './frame';
import { opName, partitionKey } from './graph';
import { alignOperands } from './index-ops/align';
import { isNumericDesc } from './meta';
import { dataframeOps } from './ops/index';
import type { CoKind, IdxOp } from './ops/stats';
import type { SortKey } from './ops/sort';
import type { TypeDesc } from './ops/types';
import { onlyValue, splitEveryRule } from './options';
import { Scalar } from './scalar';
import { Series } from './series';

const F64: TypeDesc = { id: 'float', bits: 64 };
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };
const UTF8: TypeDesc = { id: 'utf8' };
const BY_COLUMN: IndexMeta = { levels: [{ type: UTF8, name: null }] };
const BY_Q: IndexMeta = { levels: [{ type: F64, name: null }] };

/** The numeric (and boolean) columns of a frame, as pandas' numeric_only; refused when there are none. */
function numericColumns(df: DataFrame, method: string): string[] {
  const cols = df.columns.filter((c) => isNumericDesc(df.typeOf(c)));
  if (cols.length === 0) throw new TypeError(`${method}: the frame has no numeric columns (columns: ${df.columns.map((c) => `'${c}'`).join(', ') || 'none'})`);
  return cols;
}

function numericSeries(s: Series, method: string): void {
  if (!isNumericDesc(s.typeDesc)) throw new TypeError(`${method}: series '${s.seriesName}' has dtype ${s.dtype}, not a number`);
}

interface Tree {
  name: string;
  label: string;
  npartitions: number;
  splitEvery: number | false;
  parents: readonly LayerNode[];
  partial: (i: number) => OpCall;
  combine: (parts: readonly ArgSpec[]) => OpCall;
  aggregate: (parts: readonly ArgSpec[]) => OpCall;
  /** The result is partition 0 of a collection (a Series or DataFrame) rather than a Scalar's key. */
  partition?: boolean;
}

function tree(t: Tree): LayerNode {
  return treeReduce(
    {
      name: t.name,
      label: t.label,
      grid: t.npartitions,
      splitEvery: t.splitEvery,
      partial: (_, i) => t.partial(i),
      combine: (parts) => t.combine(parts),
      aggregate: (parts) => t.aggregate(parts),
      ...(t.partition ? { outputKey: () => partitionKey(t.name, 0) } : {}),
    },
    t.parents,
  ).node;
}

// ---- idxmax / idxmin ----

export interface IdxOptions {
  /** Skip missing values (default true); false gives a missing label for a column holding NaN, as pandas. */
  skipna?: boolean;
  splitEvery?: number | false;
}

const IDX_OPTIONS: OptionSchema<IdxOptions> = { skipna: 'boolean', splitEvery: splitEveryRule };

/** How labels are found: the index column, or row positions counted from the first division. */
function labelling(c: DataFrame | Series, method: string): { positional: boolean; offset: number; type: TypeDesc } {
  const levels = c.meta.index?.levels ?? [];
  if (levels.length > 1) throw new TypeError(`${method}: the index has ${levels.length} levels; idxmax/idxmin need a one-level index (resetIndex() first)`);
  if (levels.length === 1) return { positional: false, offset: 0, type: levels[0].type.id === 'dict' ? UTF8 : levels[0].type };
  const first = c.divisions?.[0];
  return { positional: true, offset: typeof first === 'number' ? first : 0, type: I32 };
}

export function seriesIdx(s: Series, op: IdxOp, opts: IdxOptions | undefined): Scalar<SortKey | null> {
  const method = `Series.${op}`;
  const o = checkOptions(method, opts, IDX_OPTIONS);
  numericSeries(s, method);
  const { positional, offset } = labelling(s, method);
  const skipna = o.skipna ?? true;
  const name = opName(`series-${op}`, s.name, skipna);
  const node = tree({
    name,
    label: op,
    npartitions: s.npartitions,
    splitEvery: splitEveryFor('dataframe', o.splitEvery, method),
    parents: [s.layer],
    partial: (i) => dataframeOps.idxPartial.call(ref(partitionKey(s.name, i)), lit([s.seriesName]), lit(op)),
    combine: (parts) => dataframeOps.idxCombine.call(arr(parts), lit(op), lit(positional)),
    aggregate: (parts) => dataframeOps.idxScalar.call(arr(parts), lit(op), lit(positional), lit(skipna), lit(offset)),
  });
  return new Scalar<SortKey | null>(name, node);
}

export function frameIdx(df: DataFrame, op: IdxOp, opts: IdxOptions | undefined): Series {
  const method = `DataFrame.${op}`;
  const o = checkOptions(method, opts, IDX_OPTIONS);
  const columns = numericColumns(df, method);
  const { positional, offset, type } = labelling(df, method);
  const skipna = o.skipna ?? true;
  const name = opName(`frame-${op}`, df.name, skipna);
  const node = tree({
    name,
    label: op,
    npartitions: df.npartitions,
    splitEvery: splitEveryFor('dataframe', o.splitEvery, method),
    parents: [df.layer],
    partial: (i) => dataframeOps.idxPartial.call(ref(partitionKey(df.name, i)), lit(columns), lit(op)),
    combine: (parts) => dataframeOps.idxCombine.call(arr(parts), lit(op), lit(positional)),
    aggregate: (parts) => dataframeOps.idxSeries.call(arr(parts), lit(columns), lit(op), lit(positional), lit(skipna), lit(offset), lit(op), lit(type)),
    partition: true,
  });
  return new Series(name, 1, node, null, { name: op, label: null, type, index: BY_COLUMN });
}

// ---- quantile / describe ----

export interface QuantileOptions {
  splitEvery?: number | false;
  /** pandas' interpolation: only 'linear' (its default) is implemented. */
  interpolation?: 'linear';
}

const QUANTILE_OPTIONS: OptionSchema<QuantileOptions> = { splitEvery: splitEveryRule, interpolation: onlyValue('linear', 'only linear interpolation is implemented') };

function checkQ(q: unknown, method: string): number {
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new RangeError(`${method}: a quantile must be a number between 0 and 1, got ${String(q)}`);
  return q;
}

function sortedTree(c: DataFrame | Series, columns: readonly string[], name: string, label: string, splitEvery: number | false, aggregate: (parts: readonly ArgSpec[]) => OpCall, partition: boolean): LayerNode {
  return tree({
    name,
    label,
    npartitions: c.npartitions,
    splitEvery,
    parents: [c.layer],
    partial: (i) => dataframeOps.sortedPartial.call(ref(partitionKey(c.name, i)), lit(columns)),
    combine: (parts) => dataframeOps.sortedCombine.call(arr(parts)),
    aggregate,
    partition,
  });
}

export function seriesQuantile(s: Series, q: number | readonly number[], opts: QuantileOptions | undefined): Scalar<number> | Series {
  const method = 'Series.quantile';
  const o = checkOptions(method, opts, QUANTILE_OPTIONS);
  numericSeries(s, method);
  const splitEvery = splitEveryFor('dataframe', o.splitEvery, method);
  if (typeof q === 'number') {
    const name = opName('series-quantile', s.name, checkQ(q, method));
    return new Scalar<number>(name, sortedTree(s, [s.seriesName], name, 'quantile', splitEvery, (parts) => dataframeOps.quantileScalar.call(arr(parts), lit(q)), false));
  }
  const qs = quantileList(q, method);
  const name = opName('series-quantiles', s.name, qs);
  const node = sortedTree(s, [s.seriesName], name, 'quantile', splitEvery, (parts) => dataframeOps.quantileSeries.call(arr(parts), lit(qs), lit<'q'>('q'), lit([s.seriesName]), lit(s.seriesName)), true);
  return new Series(name, 1, node, null, { name: s.seriesName, label: s.meta.label === undefined ? s.seriesName : s.meta.label, type: F64, index: BY_Q });
}

function quantileList(q: unknown, method: string): number[] {
  if (!Array.isArray(q) || q.length === 0) throw new TypeError(`${method}: q must be a number or a non-empty array of numbers`);
  return q.map((x) => checkQ(x, method));
}

export function frameQuantile(df: DataFrame, q: number | readonly number[], opts: QuantileOptions | undefined): Series | DataFrame {
  const method = 'DataFrame.quantile';
  const o = checkOptions(method, opts, QUANTILE_OPTIONS);
  const columns = numericColumns(df, method);
  const splitEvery = splitEveryFor('dataframe', o.splitEvery, method);
  if (typeof q === 'number') {
    const name = opName('frame-quantile', df.name, checkQ(q, method));
    const node = sortedTree(df, columns, name, 'quantile', splitEvery, (parts) => dataframeOps.quantileSeries.call(arr(parts), lit([q]), lit<'column'>('column'), lit(columns), lit(String(q))), true);
    return new Series(name, 1, node, null, { name: String(q), type: F64, index: BY_COLUMN });
  }
  const qs = quantileList(q, method);
  const name = opName('frame-quantiles', df.name, qs);
  const node = sortedTree(df, columns, name, 'quantile', splitEvery, (parts) => dataframeOps.quantileFrame.call(arr(parts), lit(qs), lit(columns)), true);
  return new DataFrame(name, 1, node, null, { names: columns, types: columns.map(() => F64), index: BY_Q });
}

export interface DescribeOptions {
  /** Percentiles to show (default [0.25, 0.5, 0.75]; 0.5 is always added, as pandas). */
  percentiles?: readonly number[];
  splitEvery?: number | false;
}

const DESCRIBE_OPTIONS: OptionSchema<DescribeOptions> = { percentiles: 'array', splitEvery: splitEveryRule };

/** pandas' format_percentiles: whole percentages as integers, others with just enough decimals to tell them apart. */
export function percentileLabels(ps: readonly number[]): string[] {
  const pct = ps.map((p) => 100 * p);
  const isInt = (x: number) => Math.abs(Math.trunc(x) - x) <= 1e-8 + 1e-5 * Math.abs(x);
  if (pct.every(isInt)) return pct.map((x) => `${Math.trunc(x)}%`);
  const uniq = [...new Set(pct)].sort((a, b) => a - b);
  const gaps = [...(uniq[0] > 0 ? [uniq[0]] : []), ...uniq.slice(1).map((x, i) => x - uniq[i]), ...(uniq[uniq.length - 1] < 100 ? [100 - uniq[uniq.length - 1]] : [])];
  const prec = Math.max(1, -Math.floor(Math.log10(Math.min(...gaps))));
  return pct.map((x) => (isInt(x) ? `${Math.trunc(x)}%` : `${Number(x.toFixed(prec))}%`));
}

function describePlan(opts: DescribeOptions | undefined, method: string): { percentiles: number[]; labels: string[]; splitEvery: number | false } {
  const o = checkOptions(method, opts, DESCRIBE_OPTIONS);
  const given = (o.percentiles ?? [0.25, 0.5, 0.75]).map((p) => checkQ(p, method));
  const percentiles = [...new Set([...given, 0.5])].sort((a, b) => a - b);
  const labels = ['count', 'mean', 'std', 'min', ...percentileLabels(percentiles), 'max'];
  return { percentiles, labels, splitEvery: splitEveryFor('dataframe', o.splitEvery, method) };
}

export function seriesDescribe(s: Series, opts: DescribeOptions | undefined): Series {
  const method = 'Series.describe';
  const { percentiles, labels, splitEvery } = describePlan(opts, method);
  if (!isNumericDesc(s.typeDesc) || s.typeDesc.id === 'bool') throw new TypeError(`${method}: series '${s.seriesName}' has dtype ${s.dtype}; only numeric series are described (pandas' count/unique/top/freq summary is not implemented)`);
  const name = opName('series-describe', s.name, percentiles);
  const node = sortedTree(s, [s.seriesName], name, 'describe', splitEvery, (parts) => dataframeOps.describeFrame.call(arr(parts), lit([s.seriesName]), lit(percentiles), lit(labels), lit(s.seriesName)), true);
  return new Series(name, 1, node, null, { name: s.seriesName, label: s.meta.label === undefined ? s.seriesName : s.meta.label, type: F64, index: BY_COLUMN });
}

/** pandas' describe of a frame: its numeric columns, booleans excluded (they are not np.number). */
export function frameDescribe(df: DataFrame, opts: DescribeOptions | undefined): DataFrame {
  const method = 'DataFrame.describe';
  const { percentiles, labels, splitEvery } = describePlan(opts, method);
  const columns = df.columns.filter((c) => isNumericDesc(df.typeOf(c)) && df.typeOf(c).id !== 'bool');
  if (columns.length === 0) throw new TypeError(`${method}: the frame has no numeric columns to describe`);
  const name = opName('frame-describe', df.name, percentiles);
  const node = sortedTree(df, columns, name, 'describe', splitEvery, (parts) => dataframeOps.describeFrame.call(arr(parts), lit(columns), lit(percentiles), lit(labels), lit(null)), true);
  return new DataFrame(name, 1, node, null, { names: columns, types: columns.map(() => F64), index: BY_COLUMN });
}

// ---- corr / cov ----

export interface CorrOptions {
  /** Pairs with fewer rows where both values are present give NaN (default 1). */
  minPeriods?: number;
  /** Only Pearson's correlation is implemented. */
  method?: 'pearson';
  splitEvery?: number | false;
}

export interface CovOptions {
  minPeriods?: number;
  /** Delta degrees of freedom (default 1): the sum of products is divided by n - ddof. */
  ddof?: number;
  splitEvery?: number | false;
}

const CORR_OPTIONS: OptionSchema<CorrOptions> = { minPeriods: intAtLeast(0), method: onlyValue('pearson', "only Pearson's correlation is implemented"), splitEvery: splitEveryRule };
const COV_OPTIONS: OptionSchema<CovOptions> = { minPeriods: intAtLeast(0), ddof: intAtLeast(0), splitEvery: splitEveryRule };

function coPlan(kind: CoKind, opts: CorrOptions | CovOptions | undefined, method: string): { minPeriods: number; ddof: number; splitEvery: number | false } {
  const o = kind === 'corr' ? checkOptions<CorrOptions>(method, opts as CorrOptions, CORR_OPTIONS) : checkOptions<CovOptions>(method, opts as CovOptions, COV_OPTIONS);
  return { minPeriods: o.minPeriods ?? 1, ddof: (o as CovOptions).ddof ?? 1, splitEvery: splitEveryFor('dataframe', o.splitEvery, method) };
}

export function frameCo(df: DataFrame, kind: CoKind, opts: CorrOptions | CovOptions | undefined): DataFrame {
  const method = `DataFrame.${kind}`;
  const { minPeriods, ddof, splitEvery } = coPlan(kind, opts, method);
  const columns = numericColumns(df, method);
  const name = opName(`frame-${kind}`, df.name, minPeriods, ddof);
  const node = tree({
    name,
    label: kind,
    npartitions: df.npartitions,
    splitEvery,
    parents: [df.layer],
    partial: (i) => dataframeOps.coPartial.call(ref(partitionKey(df.name, i)), lit(columns)),
    combine: (parts) => dataframeOps.coCombine.call(arr(parts)),
    aggregate: (parts) => dataframeOps.coFrame.call(arr(parts), lit(columns), lit(kind), lit(minPeriods), lit(ddof)),
    partition: true,
  });
  return new DataFrame(name, 1, node, null, { names: columns, types: columns.map(() => F64), index: BY_COLUMN });
}

/** `s.corr(t)` / `s.cov(t)`: the two aligned on the index first (as pandas), rows with a missing value on either side skipped. */
export function seriesCo(s: Series, other: Series, kind: CoKind, opts: CorrOptions | CovOptions | undefined): Scalar<number> {
  const method = `Series.${kind}`;
  const { minPeriods, ddof, splitEvery } = coPlan(kind, opts, method);
  if (!(other instanceof Series)) throw new TypeError(`${method}: expected a Series to compare with`);
  numericSeries(s, method);
  numericSeries(other, method);
  const [a, b] = alignOperands(s, other, method);
  if (a.npartitions !== b.npartitions) throw new Error(`${method}: the series have ${a.npartitions} and ${b.npartitions} partitions after alignment`);
  const name = opName(`series-${kind}`, a.name, b.name, minPeriods, ddof);
  const node = tree({
    name,
    label: kind,
    npartitions: a.npartitions,
    splitEvery,
    parents: [...new Set([a.layer, b.layer])],
    partial: (i) => dataframeOps.coPairPartial.call(ref(partitionKey(a.name, i)), lit(a.seriesName), ref(partitionKey(b.name, i)), lit(b.seriesName)),
    combine: (parts) => dataframeOps.coCombine.call(arr(parts)),
    aggregate: (parts) => dataframeOps.coScalar.call(arr(parts), lit(kind), lit(minPeriods), lit(ddof)),
  });
  return new Scalar<number>(name, node);
}
