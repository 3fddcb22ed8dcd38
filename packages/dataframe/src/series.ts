/**
 * A lazy, partitioned series (Dask Series): each partition holds one column (and the index
 * column, for results indexed by group keys). `compute()` returns a LocalSeries.
 */
import { lit, ref, type ArgSpec, type Key, type TaskNode, type ComputeOptions, type Finalizer, type LayerNode } from '@pdask/core';
import { checkAligned, indexNamesOf, Partitioned, partitionwise, type Divisions } from './base';
import { DataFrame, headPlan, lengthOf, type HeadOptions } from './frame';
import { partitionKey } from './graph';
import { valueCountsOf, type ValueCountsOptions } from './groupby';
import type { LocalSeries } from './local/series';
import { astypeOf, dropnaOf, fillnaOf, isnaOf, renameSeries } from './columns-ops';
import { resetIndex, type ResetIndexOptions } from './set-index';
import { alignOperands } from './index-ops/align';
import { clearDivisions } from './index-ops/common';
import { indexSeries } from './index-ops/index-series';
import { loc, type LocKey } from './index-ops/loc';
import { repartition, type RepartitionOptions } from './index-ops/repartition';
import { repartitionBySize, type PartitionSizeOptions } from './repartition-size';
import type { Dtype } from './dtypes';
import type { FillValue } from './ops/missing';
import { mapPartitionsOf, type MapFunction, type MapOutput, type MapResult } from './map-partitions';
import { isNumericDesc, type SeriesMeta } from './meta';
import type { ArithOp, CompareOp, LogicOp } from './ops/elementwise';
import { dataframeOps } from './ops/index';
import type { ReduceAgg } from './ops/reduce';
import { dtypeName, type TypeDesc } from './ops/types';
import { seriesReduction, type ReductionOptions } from './reductions';
import type { Scalar } from './scalar';
import { CategoricalAccessor } from './accessors/cat';
import { DatetimeAccessor } from './accessors/dt';
import { StringAccessor } from './accessors/str';
import { cumulative, shifted, tailOf, type CumulativeOptions, type TailOptions } from './cumulative';
import { seriesCo, seriesDescribe, seriesIdx, seriesQuantile, type CorrOptions, type CovOptions, type DescribeOptions, type IdxOptions, type QuantileOptions } from './stats';
import { sampleOf, type SampleOptions } from './sample';
import type { ModuleFunction } from '@pdask/core';
import type { Cell } from './local/labels';
import { absOf, betweenOf, clipOf, isinOf, mapOf, replaceOf, roundOf, whereOf, type BetweenOptions, type ClipOptions, type MapOptions as MapValuesOptions, type ReplaceMapping } from './elementwise-more';
import { dropDuplicatesOf, nuniqueSeries, topOf, uniqueOf, type DropDuplicatesOptions, type NlargestOptions, type NuniqueOptions } from './distinct';
import { Rolling, type RollingOptions } from './rolling';
import { Resampler } from './resample';
import type { ChunkedArray, NDArray } from '@pdask/array';
import { toArrayOf, type ToArrayOptions } from './to-array';
import { seriesArith, type SeriesArithOptions } from './frame-arith';
import { exprOf, withExpr } from './expr/nodes';
import { recordBinary, recordReduction } from './expr/replays';

const F64: TypeDesc = { id: 'float', bits: 64 };
const BOOL: TypeDesc = { id: 'bool' };

export class Series extends Partitioned<LocalSeries> {
  /** @internal Made by DataFrame.col, elementwise operations and aggregations. */
  constructor(
    name: string,
    npartitions: number,
    layer: LayerNode,
    divisions: Divisions,
    /** @internal */
    readonly meta: SeriesMeta,
    bytes?: number,
  ) {
    super(name, npartitions, layer, divisions, bytes);
  }

  /** The series' own name (pandas' `s.name`): the column it came from. */
  get seriesName(): string {
    return this.meta.name;
  }

  get dtype(): string {
    return dtypeName(this.meta.type);
  }

  /** @internal */
  get typeDesc(): TypeDesc {
    return this.meta.type;
  }

  protected finalizer(): Finalizer {
    return { op: dataframeOps.toLocalSeries.ref, args: [this.meta.name, this.meta.label === undefined ? this.meta.name : this.meta.label, indexNamesOf(this.meta.index)] };
  }

  protected withLayer(layer: LayerNode): Series {
    return new Series(this.name, this.npartitions, layer, this.divisions, this.meta, this.bytes);
  }

  /** The other operand of a binary operation as a task argument of partition i. */
  private operand(other: Series | number | boolean, method: string): { arg: (i: number) => ArgSpec; token: unknown; parents: LayerNode[] } {
    if (other instanceof Series) {
      checkAligned(this, other, method);
      return {
        arg: (i) => ({ t: 'obj', entries: [['t', lit('column')], ['part', ref(partitionKey(other.name, i))], ['column', lit(other.seriesName)]] }),
        token: other.name,
        parents: [other.layer],
      };
    }
    if (typeof other !== 'number' && typeof other !== 'boolean') throw new TypeError(`${method}: expected a number or a Series, got ${other === null ? 'null' : typeof other}`);
    const value = Number(other);
    return { arg: () => lit({ t: 'scalar', value }), token: value, parents: [] };
  }

  /** `task(key, i, operand)` builds partition i, the other operand given as its task argument. */
  private binary(kind: string, task: (key: Key, i: number, o: ArgSpec) => TaskNode, other: Series | number | boolean, type: TypeDesc): Series {
    const method = `Series.${kind}`;
    if (other instanceof Series) {
      // Aligned on the index first, as Dask: the aligned pair is combined by the same method.
      const [a, b] = alignOperands(this as Series, other, method);
      if (a !== this) return (a as unknown as Record<string, (o: Series) => Series>)[kind.replace(/^r(?=add|sub|mul|div|mod|pow)/, '')](b);
    }
    const o = this.operand(other, method);
    const { name, layer } = partitionwise([this], { kind, token: [o.token], parents: o.parents, task: (key, i) => task(key, i, o.arg(i)) });
    return new Series(name, this.npartitions, layer, this.divisions, { ...this.meta, type });
  }

  private arith(op: ArithOp, other: Series | number, reverse = false): Series {
    if (!isNumericDesc(this.meta.type)) throw new TypeError(`Series.${op}: series '${this.seriesName}' has dtype ${this.dtype}, not a number`);
    if (other instanceof Series && !isNumericDesc(other.meta.type)) throw new TypeError(`Series.${op}: series '${other.seriesName}' has dtype ${other.dtype}, not a number`);
    const out = this.binary(reverse ? `r${op}` : op, (key, i, o) => dataframeOps.arith.task(key, ref(partitionKey(this.name, i)), lit(this.seriesName), lit(op), o, lit(reverse), lit(this.seriesName)), other, F64);
    return out.expr ? out : recordBinary(out, `Series.${reverse ? `r${op}` : op}`, this as Series, other, (a, b) => a.arith(op, b, reverse));
  }

  add(other: Series | number, opts?: SeriesArithOptions): Series {
    if (opts !== undefined) return seriesArith(this, other, 'add', opts, 'Series.add');
    return this.arith('add', other);
  }
  sub(other: Series | number, opts?: SeriesArithOptions): Series {
    if (opts !== undefined) return seriesArith(this, other, 'sub', opts, 'Series.sub');
    return this.arith('sub', other);
  }
  mul(other: Series | number, opts?: SeriesArithOptions): Series {
    if (opts !== undefined) return seriesArith(this, other, 'mul', opts, 'Series.mul');
    return this.arith('mul', other);
  }
  div(other: Series | number, opts?: SeriesArithOptions): Series {
    if (opts !== undefined) return seriesArith(this, other, 'div', opts, 'Series.div');
    return this.arith('div', other);
  }
  /** Python's modulo (the sign of the divisor), as pandas. */
  mod(other: Series | number, opts?: SeriesArithOptions): Series {
    if (opts !== undefined) return seriesArith(this, other, 'mod', opts, 'Series.mod');
    return this.arith('mod', other);
  }
  pow(other: Series | number, opts?: SeriesArithOptions): Series {
    if (opts !== undefined) return seriesArith(this, other, 'pow', opts, 'Series.pow');
    return this.arith('pow', other);
  }
  /** `other - this` (pandas' rsub). */
  rsub(other: number): Series {
    return this.arith('sub', other, true);
  }
  /** `other / this` (pandas' rdiv). */
  rdiv(other: number): Series {
    return this.arith('div', other, true);
  }

  private cmp(op: CompareOp, other: Series | number | string): Series {
    if (typeof other === 'string') {
      if (op !== 'eq' && op !== 'ne') throw new TypeError(`Series.${op}: strings can only be compared with eq and ne`);
      const value = other;
      const { name, layer } = partitionwise([this], {
        kind: op,
        token: ['str', value],
        task: (key, i) => dataframeOps.compareString.task(key, ref(partitionKey(this.name, i)), lit(this.seriesName), lit(op), lit(value), lit(this.seriesName)),
      });
      return new Series(name, this.npartitions, layer, this.divisions, { ...this.meta, type: BOOL });
    }
    if (!isNumericDesc(this.meta.type)) throw new TypeError(`Series.${op}: series '${this.seriesName}' has dtype ${this.dtype}; compare it with a string (eq, ne)`);
    const out = this.binary(op, (key, i, o) => dataframeOps.compare.task(key, ref(partitionKey(this.name, i)), lit(this.seriesName), lit(op), o, lit(this.seriesName)), other, BOOL);
    return typeof other === 'number' ? withExpr(out, { kind: 'compare', child: exprOf(this), op, value: other }) : out.expr ? out : recordBinary(out, `Series.${op}`, this as Series, other, (a, b) => a.cmp(op, b));
  }

  gt(other: Series | number): Series {
    return this.cmp('gt', other);
  }
  ge(other: Series | number): Series {
    return this.cmp('ge', other);
  }
  lt(other: Series | number): Series {
    return this.cmp('lt', other);
  }
  le(other: Series | number): Series {
    return this.cmp('le', other);
  }
  eq(other: Series | number | string): Series {
    return this.cmp('eq', other);
  }
  ne(other: Series | number | string): Series {
    return this.cmp('ne', other);
  }

  private logical(op: LogicOp, other: Series | boolean): Series {
    if (this.meta.type.id !== 'bool') throw new TypeError(`Series.${op}: series '${this.seriesName}' has dtype ${this.dtype}, expected bool`);
    return this.binary(op, (key, i, o) => dataframeOps.logic.task(key, ref(partitionKey(this.name, i)), lit(this.seriesName), lit(op), o, lit(this.seriesName)), other, BOOL);
  }

  /** Elementwise `&` of boolean series. */
  and(other: Series | boolean): Series {
    return this.logical('and', other);
  }
  or(other: Series | boolean): Series {
    return this.logical('or', other);
  }
  xor(other: Series | boolean): Series {
    return this.logical('xor', other);
  }
  /** Elementwise `~`. */
  not(): Series {
    if (this.meta.type.id !== 'bool') throw new TypeError(`Series.not: series '${this.seriesName}' has dtype ${this.dtype}, expected bool`);
    const { name, layer } = partitionwise([this], {
      kind: 'invert',
      token: [],
      task: (key, i) => dataframeOps.logic.task(key, ref(partitionKey(this.name, i)), lit(this.seriesName), lit<'not'>('not'), lit(null), lit(this.seriesName)),
    });
    return new Series(name, this.npartitions, layer, this.divisions, this.meta);
  }

  /** A one-column frame. */
  toFrame(): DataFrame {
    const { name, layer } = partitionwise([this], {
      kind: 'to-frame',
      token: [],
      task: (key, i) => dataframeOps.selectColumns.task(key, ref(partitionKey(this.name, i)), lit([this.seriesName])),
    });
    return new DataFrame(name, this.npartitions, layer, this.divisions, { names: [this.seriesName], types: [this.meta.type], index: this.meta.index });
  }

  sum(opts?: ReductionOptions): Scalar<number> {
    return this.reduce('sum', opts);
  }
  mean(opts?: ReductionOptions): Scalar<number> {
    return this.reduce('mean', opts);
  }
  min(opts?: ReductionOptions): Scalar<number> {
    return this.reduce('min', opts);
  }
  max(opts?: ReductionOptions): Scalar<number> {
    return this.reduce('max', opts);
  }
  /** Number of non-missing values. */
  count(opts?: ReductionOptions): Scalar<number> {
    return this.reduce('count', opts);
  }
  var(opts?: ReductionOptions): Scalar<number> {
    return this.reduce('var', opts);
  }
  std(opts?: ReductionOptions): Scalar<number> {
    return this.reduce('std', opts);
  }

  private reduce(agg: ReduceAgg, opts?: ReductionOptions): Scalar<number> {
    return recordReduction(seriesReduction(this, agg, opts), `Series.${agg}`, this as Series, (s) => seriesReduction(s, agg, opts));
  }

  /** Occurrences of each distinct value, most frequent first (pandas' value_counts). */
  valueCounts(opts: ValueCountsOptions = {}): Series {
    return valueCountsOf(this, opts);
  }

  /** `fn(partition, ...args)` on every partition, the partition a LocalSeries (see DataFrame.mapPartitions). */
  mapPartitions<R extends MapResult>(fn: MapFunction<LocalSeries, R>, ...args: unknown[]): MapOutput<R> {
    return mapPartitionsOf(this, fn, args, 'Series.mapPartitions') as MapOutput<R>;
  }

  /** Booleans: true where the value is missing (null, or NaN in floats). */
  isna(): Series {
    return isnaOf(this, false);
  }
  notna(): Series {
    return isnaOf(this, true);
  }
  /** Missing values replaced by `value` (of the series' kind: number, string or boolean). */
  fillna(value: FillValue): Series {
    return fillnaOf(this, value, 'Series.fillna');
  }
  dropna(): Series {
    return dropnaOf(this, {}, 'Series.dropna');
  }
  astype(dtype: Dtype): Series {
    return astypeOf(this, dtype, 'Series.astype');
  }
  /** The same values under another name. */
  rename(name: string): Series {
    return renameSeries(this, name);
  }

  /** A frame of the index levels (group keys) and the values (pandas' reset_index); `{ drop: true }`: the series without its index. */
  resetIndex(opts: ResetIndexOptions & { drop: true }): Series;
  resetIndex(opts?: ResetIndexOptions): DataFrame;
  resetIndex(opts?: ResetIndexOptions): DataFrame | Series {
    return resetIndex(this, opts);
  }

  /** Values by index label: one label, a slice `{ start, stop }` (both included), or a boolean series. */
  loc(key: LocKey): Series {
    return loc(this, key, 'Series.loc');
  }

  /** The values in other partitions: `{ divisions }` or `{ npartitions }` (Dask's repartition). */
  repartition(opts: PartitionSizeOptions): Promise<Series>;
  repartition(opts: RepartitionOptions): Series;
  /** `{ partitionSize: '100MB' }` measures every partition's memory first (a computation, as Dask's), so it returns a promise. */
  repartition(opts: RepartitionOptions | PartitionSizeOptions): Series | Promise<Series> {
    if (opts !== null && typeof opts === 'object' && 'partitionSize' in opts) return repartitionBySize(this as Series, opts, 'Series.repartition');
    const out = repartition(this, opts, 'Series.repartition');
    return out !== this && opts.npartitions !== undefined && opts.divisions === undefined ? withExpr(out, { kind: 'repartition', child: exprOf(this), npartitions: opts.npartitions }) : out;
  }

  /** The index as a lazy series. */
  get index(): Series {
    return indexSeries(this, 'Series.index');
  }

  /** The same series with unknown divisions (Dask's clear_divisions). */
  clearDivisions(): Series {
    return clearDivisions(this);
  }

  async head(n = 5, opts?: HeadOptions): Promise<LocalSeries> {
    const { rows, compute } = headPlan(this, n, opts, 'Series.head');
    return rows.compute(compute);
  }

  len(opts: ComputeOptions = {}): Promise<number> {
    return lengthOf(this).compute(opts);
  }

  /** Datetime fields and conversions (pandas' `s.dt`); datetime64[ns] series only. */
  get dt(): DatetimeAccessor {
    return new DatetimeAccessor(this);
  }

  /** String methods (pandas' `s.str`); string and category series. */
  get str(): StringAccessor {
    return new StringAccessor(this);
  }

  /** Categorical properties (Dask's `s.cat`); category series. */
  get cat(): CategoricalAccessor {
    return new CategoricalAccessor(this);
  }

  /** Cumulative sum across partitions (Dask's cumsum); `{ skipna }`. */
  cumsum(opts?: CumulativeOptions): Series {
    return cumulative(this, 'cumsum', opts, 'Series.cumsum');
  }
  cumprod(opts?: CumulativeOptions): Series {
    return cumulative(this, 'cumprod', opts, 'Series.cumprod');
  }
  cummin(opts?: CumulativeOptions): Series {
    return cumulative(this, 'cummin', opts, 'Series.cummin');
  }
  cummax(opts?: CumulativeOptions): Series {
    return cumulative(this, 'cummax', opts, 'Series.cummax');
  }
  /** Values moved `periods` rows down (up when negative), across partitions; missing where nothing moves in. */
  shift(periods = 1): Series {
    return shifted(this, periods, 'shift', 'Series.shift');
  }
  /** Each value minus the one `periods` rows before (after, when negative), as pandas' diff. */
  diff(periods = 1): Series {
    return shifted(this, periods, 'diff', 'Series.diff');
  }
  /** The label of the largest value (first on ties); null where pandas gives NaN (all missing, or a NaN with skipna false). */
  idxmax(opts?: IdxOptions): Scalar<number | string | null> {
    return seriesIdx(this, 'idxmax', opts);
  }
  idxmin(opts?: IdxOptions): Scalar<number | string | null> {
    return seriesIdx(this, 'idxmin', opts);
  }
  /** count, mean, std, min, percentiles, max (pandas' exact quantiles). */
  describe(opts?: DescribeOptions): Series {
    return seriesDescribe(this, opts);
  }
  /** A quantile (linear interpolation, as pandas), or a Series of them indexed by q. */
  quantile(q: number, opts?: QuantileOptions): Scalar<number>;
  quantile(q: readonly number[], opts?: QuantileOptions): Series;
  quantile(q: number | readonly number[], opts?: QuantileOptions): Scalar<number> | Series {
    return seriesQuantile(this, q, opts);
  }
  /** Pearson correlation with another series, aligned on the index; rows missing either value skipped. */
  corr(other: Series, opts?: CorrOptions): Scalar<number> {
    return seriesCo(this, other, 'corr', opts);
  }
  /** Covariance with another series, aligned on the index; `{ minPeriods, ddof }`. */
  cov(other: Series, opts?: CovOptions): Scalar<number> {
    return seriesCo(this, other, 'cov', opts);
  }
  /** A random fraction of each partition's values (Dask's sample); `{ frac, replace, randomState }`. */
  sample(opts: SampleOptions): Series {
    return sampleOf(this, opts, 'Series.sample');
  }
  /** The last n values, computed now from the last partition (`{ npartitions: k }`: the last k), as Dask's tail. */
  async tail(n = 5, opts?: TailOptions): Promise<LocalSeries> {
    const { rows, compute } = tailOf(this, n, opts, 'Series.tail');
    return rows.compute(compute);
  }

  // Value-by-value methods, distinct values and top values (elementwise-more.ts, distinct.ts)

  /** Booleans: whether each value is one of `values` (pandas' isin; NaN matches a NaN/null in values). */
  isin(values: readonly Cell[] | ReadonlySet<Cell>): Series {
    return isinOf(this, values, 'Series.isin');
  }
  /** Booleans: left <= value <= right (`inclusive`: 'both', 'neither', 'left', 'right'); missing values are false. */
  between(left: number | string, right: number | string, opts?: BetweenOptions): Series {
    return betweenOf(this, left, right, opts);
  }
  /** The values where `cond` is true, `other` (default missing) elsewhere (pandas' where). */
  where(cond: Series, other?: Cell): Series {
    return whereOf(this, cond, other, true, 'Series.where');
  }
  /** The values where `cond` is false, `other` (default missing) elsewhere (pandas' mask). */
  mask(cond: Series, other?: Cell): Series {
    return whereOf(this, cond, other, false, 'Series.mask');
  }
  /** Values replaced: `replace(1, 5)`, `replace([1, 2], 0)`, `replace([1, 2], [3, 4])`, `replace({ 1: 10 })` or a Map. */
  replace(toReplace: Cell | readonly Cell[] | ReplaceMapping, value?: Cell | readonly Cell[]): Series {
    return replaceOf(this, toReplace, value, 'Series.replace');
  }
  /** Each value through a function (shipped to workers: it must not capture variables) or looked up in an object/Map (missing keys: missing). */
  map(arg: ((value: Cell) => Cell) | ModuleFunction<(value: Cell) => Cell> | ReplaceMapping, opts?: MapValuesOptions): Series {
    return mapOf(this, arg, opts);
  }
  abs(): Series {
    return absOf(this, 'Series.abs');
  }
  /** Rounded half to even, as NumPy's round. */
  round(decimals = 0): Series {
    return roundOf(this, decimals, 'Series.round');
  }
  /** Values bounded by `{ lower, upper }`. */
  clip(opts: ClipOptions): Series {
    return clipOf(this, opts, 'Series.clip');
  }
  /** The n largest values, largest first, ties in row order (pandas' keep='first'); missing values left out. */
  nlargest(n = 5, opts?: NlargestOptions): Series {
    return topOf(this, n, undefined, true, opts, 'Series.nlargest');
  }
  nsmallest(n = 5, opts?: NlargestOptions): Series {
    return topOf(this, n, undefined, false, opts, 'Series.nsmallest');
  }
  /** The series without repeated values (`keep`: 'first', 'last' or false); one partition. */
  dropDuplicates(opts?: Omit<DropDuplicatesOptions, 'subset'>): Series {
    return dropDuplicatesOf(this, opts, 'Series.dropDuplicates');
  }
  /** The distinct values in order of appearance (a missing value once), without the index (Dask's unique). */
  unique(opts: { splitEvery?: number | false } = {}): Series {
    return uniqueOf(this, opts.splitEvery);
  }
  /** The number of distinct non-missing values. */
  nunique(opts?: NuniqueOptions): Scalar<number> {
    return nuniqueSeries(this, opts);
  }

  /**
   * The values as a lazy 1-D @pdask/array array, one block per partition (Dask's
   * `Series.to_dask_array`); `{ lengths: true }` computes the chunk lengths. Needs @pdask/array.
   */
  toArray(opts?: ToArrayOptions): Promise<ChunkedArray<NDArray>> {
    return toArrayOf(this, [this.meta.name], [this.meta.type], true, opts, 'Series.toArray');
  }

  override toString(): string {
    return `Series('${this.name}', name='${this.seriesName}', dtype=${this.dtype}, npartitions=${this.npartitions})`;
  }

  /** Rolling windows: a number of rows, or a time span ('2h') over a datetime index (Dask's rolling). */
  rolling(window: number | string, opts?: RollingOptions): Rolling<Series> {
    return new Rolling<Series>(this, window, opts);
  }

  /** Time bins of a datetime index with known divisions (Dask's resample): `resample('6h').sum()`. */
  resample(rule: string): Resampler<Series> {
    return new Resampler<Series>(this, rule);
  }
}
