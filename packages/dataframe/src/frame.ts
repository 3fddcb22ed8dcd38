/**
 * A lazy, partitioned data frame (Dask DataFrame): one key per partition (`<name>-<i>`), each an
 * Arrow record batch. Operations add layers; `compute()` returns a LocalFrame.
 */
import { arr, layerNode, lit, ref, SPLIT_EVERY, treeReduce, type ComputeOptions, type Finalizer, type LayerNode, type OptionSchema } from '@pdask/core';
import { checkAligned, indexNamesOf, Partitioned, partitionwise, type Divisions } from './base';
import { FrameLayer, opName, partitionKey } from './graph';
import { GroupBy, type GroupbyOptions } from './groupby';
import { groupKeys, type GroupKey } from './groupby/keys';
import { Rolling, type RollingOptions } from './rolling';
import { Resampler } from './resample';
import type { LocalFrame } from './local/frame';
import { astypeOf, dropColumns, dropnaOf, fillnaOf, isnaOf, renameFrame, type DropnaOptions, type RenameOptions } from './columns-ops';
import { dtypesRecord, type Dtype } from './dtypes';
import { merge, type MergeOptions } from './merge';
import { sortValues, type SortValuesOptions } from './sort';
import { toCsv, type ToCsvOptions } from './io/to-csv';
import { toParquet, type ToParquetOptions } from './io/to-parquet';
import { resetIndex, setIndex, type ResetIndexOptions, type SetIndexOptions } from './set-index';
import { clearDivisions } from './index-ops/common';
import { indexSeries } from './index-ops/index-series';
import { joinIndex, type JoinOptions } from './index-ops/join';
import { loc, type LocKey } from './index-ops/loc';
import { repartition, type RepartitionOptions } from './index-ops/repartition';
import { repartitionBySize, type PartitionSizeOptions } from './repartition-size';
import type { FillValue } from './ops/missing';
import { mapPartitionsOf, type MapFunction, type MapOutput, type MapResult } from './map-partitions';
import { checkColumn, type FrameMeta } from './meta';
import type { AssignValue } from './ops/frame';
import { dataframeOps } from './ops/index';
import { checkWithCompute } from './options';
import type { ReduceAgg } from './ops/reduce';
import { dtypeName, type TypeDesc } from './ops/types';
import { frameReduction, type ReductionOptions } from './reductions';
import { Scalar } from './scalar';
import { Series } from './series';
import { checkNotReserved } from './reserved';
import { cumulative, shifted, tailOf, type CumulativeOptions, type TailOptions } from './cumulative';
import { frameCo, frameDescribe, frameIdx, frameQuantile, type CorrOptions, type CovOptions, type DescribeOptions, type IdxOptions, type QuantileOptions } from './stats';
import { sampleOf, type SampleOptions } from './sample';
import type { ModuleFunction } from '@pdask/core';
import type { Cell } from './local/labels';
import { absOf, applyOf, clipOf, isinOf, replaceOf, roundOf, whereOf, type ApplyOptions, type ClipOptions, type ReplaceMapping } from './elementwise-more';
import { dropDuplicatesOf, nuniqueFrame, topOf, type DropDuplicatesOptions, type NlargestOptions, type NuniqueOptions } from './distinct';
import { queryOf } from './query/query';
import { meltOf, type MeltOptions } from './reshape/melt';
import { categorizeOf, type CategorizeOptions } from './reshape/categorize';
import { pivotTableOf, type PivotTableOptions } from './reshape/pivot-table';
import type { ChunkedArray, NDArray } from '@pdask/array';
import { toArrayOf, type ToArrayOptions } from './to-array';
import { frameBinary, type FrameArithOptions, type FrameCompareOptions, type FrameOperand } from './frame-arith';
import { exprOf, withExpr } from './expr/nodes';
import { recordAssign, recordReduction } from './expr/replays';
import { shuffleFrame, type ShuffleOptions } from './shuffle-frame';

export interface HeadOptions extends ComputeOptions {
  /** How many partitions to read from (default 1, as Dask; -1 for all). */
  npartitions?: number;
}

export class DataFrame extends Partitioned<LocalFrame> {
  /** @internal Use fromArrow, fromColumns, fromRecords or readCsv. */
  constructor(
    name: string,
    npartitions: number,
    layer: LayerNode,
    divisions: Divisions,
    /** @internal */
    readonly meta: FrameMeta,
    bytes?: number,
  ) {
    super(name, npartitions, layer, divisions, bytes);
  }

  get columns(): string[] {
    return [...this.meta.names];
  }

  /** pandas dtype names by column ('float64', 'int32', 'bool', 'string', 'category'). */
  get dtypes(): Record<string, string> {
    return dtypesRecord(this.meta.names, this.meta.types.map((t) => dtypeName(t)));
  }

  protected finalizer(): Finalizer {
    return { op: dataframeOps.toLocalFrame.ref, args: [indexNamesOf(this.meta.index)] };
  }

  protected withLayer(layer: LayerNode): DataFrame {
    return new DataFrame(this.name, this.npartitions, layer, this.divisions, this.meta, this.bytes);
  }

  /** @internal */
  typeOf(column: string): TypeDesc {
    return this.meta.types[this.meta.names.indexOf(column)];
  }

  /** One column as a series (pandas' `df.y` / `df['y']`). */
  col(name: string): Series {
    checkColumn('DataFrame.col', name, this.meta.names);
    const { name: key, layer } = partitionwise([this], {
      kind: `getitem-${name.replace(/[^\w]/g, '_')}`,
      token: [name],
      task: (key, i) => dataframeOps.selectColumns.task(key, ref(partitionKey(this.name, i)), lit([name])),
    });
    return withExpr(new Series(key, this.npartitions, layer, this.divisions, { name, type: this.typeOf(name), index: this.meta.index }), { kind: 'column', child: exprOf(this), column: name });
  }

  /** Some columns, in the order given (pandas' `df[['a', 'b']]`). */
  select(names: readonly string[]): DataFrame {
    if (!Array.isArray(names)) throw new TypeError(`DataFrame.select: expected an array of column names, got ${typeof names}`);
    for (const n of names) checkColumn('DataFrame.select', n, this.meta.names);
    const { name, layer } = partitionwise([this], {
      kind: 'select',
      token: [names],
      task: (key, i) => dataframeOps.selectColumns.task(key, ref(partitionKey(this.name, i)), lit(names)),
    });
    const out = new DataFrame(name, this.npartitions, layer, this.divisions, { ...this.meta, names: [...names], types: names.map((n) => this.typeOf(n)) });
    return withExpr(out, { kind: 'project', child: exprOf(this), columns: [...names] });
  }

  /** New or replaced columns: series partitioned like this frame, or numbers (pandas' `assign`). */
  assign(columns: Record<string, Series | number>): DataFrame {
    const names = Object.keys(columns);
    if (names.length === 0) return this;
    for (const n of names) checkNotReserved('DataFrame.assign', n);
    const parents: LayerNode[] = [];
    const specs = names.map((n) => {
      const v = columns[n];
      if (v instanceof Series) {
        checkAligned(this, v, `DataFrame.assign ('${n}')`);
        parents.push(v.layer);
        return { series: v };
      }
      if (typeof v === 'number') return { scalar: v };
      throw new TypeError(`DataFrame.assign: column '${n}' must be a Series or a number, got ${typeof v}`);
    });
    const types = specs.map((s): TypeDesc => (s.series ? s.series.typeDesc : Number.isInteger(s.scalar) && Math.abs(s.scalar!) < 2 ** 31 ? { id: 'int', bits: 32, signed: true } : { id: 'float', bits: 64 }));
    const { name, layer } = partitionwise([this], {
      kind: 'assign',
      token: [names, specs.map((s) => (s.series ? s.series.name : s.scalar))],
      parents,
      task: (key, i) => dataframeOps.assignColumns.task(key, ref(partitionKey(this.name, i)),
        lit(names),
        {
          t: 'arr',
          items: specs.map((s, j) =>
            s.series
              ? { t: 'obj', entries: [['t', lit('column')], ['part', ref(partitionKey(s.series.name, i))], ['column', lit(s.series.seriesName)]] }
              : lit({ t: 'scalar', value: s.scalar, type: types[j] } satisfies AssignValue),
          ),
        },),
    });
    const outNames = [...this.meta.names];
    const outTypes = [...this.meta.types];
    names.forEach((n, j) => {
      const at = outNames.indexOf(n);
      if (at >= 0) outTypes[at] = types[j];
      else {
        outNames.push(n);
        outTypes.push(types[j]);
      }
    });
    return recordAssign(new DataFrame(name, this.npartitions, layer, this.divisions, { ...this.meta, names: outNames, types: outTypes }), this, columns, (f, c) => f.assign(c));
  }

  /**
   * The rows where `mask` (a boolean series partitioned like this frame) is true; null counts as
   * false. pandas' `df[mask]`. Row positions are renumbered, so divisions become unknown.
   */
  filter(mask: Series): DataFrame {
    if (!(mask instanceof Series)) throw new TypeError('DataFrame.filter: expected a boolean Series (e.g. df.col("y").gt(0.5))');
    if (mask.typeDesc.id !== 'bool') throw new TypeError(`DataFrame.filter: the mask '${mask.seriesName}' has dtype ${mask.dtype}, expected bool`);
    checkAligned(this, mask, 'DataFrame.filter');
    const { name, layer } = partitionwise([this, mask], {
      kind: 'filter',
      token: [],
      task: (key, i) => dataframeOps.filterRows.task(key, ref(partitionKey(this.name, i)), ref(partitionKey(mask.name, i)), lit(mask.seriesName)),
    });
    return withExpr(new DataFrame(name, this.npartitions, layer, null, this.meta), { kind: 'filter', child: exprOf(this), mask: exprOf(mask) });
  }

  /**
   * `fn(partition, ...args)` on every partition (Dask's map_partitions): the partition is a
   * LocalFrame; fn returns a LocalFrame, LocalSeries, Arrow Table/Vector or an object of columns.
   * Arguments that are frames or series partitioned alike arrive as their matching partition. The
   * output's columns come from a trailing `{ meta }` or from running fn on an empty partition.
   * fn travels to worker threads as source text: it must not capture variables (pass them as args).
   */
  mapPartitions<R extends MapResult>(fn: MapFunction<LocalFrame, R>, ...args: unknown[]): MapOutput<R> {
    return mapPartitionsOf(this, fn, args, 'DataFrame.mapPartitions') as MapOutput<R>;
  }

  /** A frame of booleans: true where a value is missing (null, or NaN in floats), as pandas' isna. */
  isna(): DataFrame {
    return isnaOf(this, false);
  }
  notna(): DataFrame {
    return isnaOf(this, true);
  }
  /** Missing values replaced: one value for every column whose type holds it, or `{ column: value }`. */
  fillna(value: FillValue | Readonly<Record<string, FillValue>>): DataFrame {
    return fillnaOf(this, value, 'DataFrame.fillna');
  }
  /** The rows without missing values (`how: 'all'`: not entirely missing) in `subset` (default all columns). */
  dropna(opts: DropnaOptions = {}): DataFrame {
    return dropnaOf(this, opts, 'DataFrame.dropna');
  }
  /** Columns converted: every column to one dtype, or `{ column: dtype }`. */
  astype(dtype: Dtype | Readonly<Record<string, Dtype>>): DataFrame {
    return astypeOf(this, dtype, 'DataFrame.astype');
  }
  /** Columns renamed: `rename({ columns: { old: 'new' } })`. */
  rename(opts: RenameOptions): DataFrame {
    return renameFrame(this, opts);
  }
  /** The frame without some columns (pandas' `drop(columns=...)`). */
  drop(columns: string | readonly string[]): DataFrame {
    return dropColumns(this, columns);
  }

  /** This frame joined with `right` on key columns (pandas' `df.merge(right, on=..., how=...)`). */
  merge(right: DataFrame, opts: MergeOptions = {}): DataFrame {
    return withExpr(merge(this, right, opts, 'DataFrame.merge'), { kind: 'merge', left: exprOf(this), right: exprOf(right), options: opts, method: 'DataFrame.merge' });
  }

  /** Rows sorted by one column or several across partitions (Dask's sort_values); missing keys last unless `naPosition: 'first'`. */
  sortValues(by: string | readonly string[], opts: SortValuesOptions = {}): DataFrame {
    return sortValues(this, by, opts);
  }

  /**
   * The frame indexed by a column, sorted by it, with known divisions (Dask's set_index). Finding
   * the divisions computes (a sample of the column; with `{ sorted: true }` each partition's
   * minimum and maximum), so it returns a promise; `{ divisions }` computes nothing.
   */
  setIndex(column: string, opts: SetIndexOptions = {}): Promise<DataFrame> {
    return setIndex(this, column, opts);
  }

  /** The index levels as the first columns (pandas' reset_index), or dropped with `{ drop: true }`. */
  resetIndex(opts?: ResetIndexOptions): DataFrame {
    return resetIndex(this, opts) as DataFrame;
  }

  /** Writes one CSV file per partition, `*` in the path replaced by its number; returns the paths. */
  toCsv(pathPattern: string, opts: ToCsvOptions = {}): Promise<string[]> {
    return toCsv(this, pathPattern, opts);
  }

  /** Writes one Parquet file per partition (Dask's to_parquet) into a directory, or to a path with one '*'; returns the paths. */
  toParquet(dirOrPattern: string, opts: ToParquetOptions = {}): Promise<string[]> {
    return toParquet(this, dirOrPattern, opts);
  }

  /** The first n rows, computed now from the first partition(s), as Dask's `head`. */
  async head(n = 5, opts?: HeadOptions): Promise<LocalFrame> {
    const { rows, compute } = headPlan(this, n, opts, 'DataFrame.head');
    return rows.compute(compute);
  }

  /** The number of rows (Dask's `len(ddf)`), computed. */
  len(opts: ComputeOptions = {}): Promise<number> {
    return lengthOf(this).compute(opts);
  }

  /**
   * Groups by one column, or by several (`['a', 'b']`): results are then indexed by the key
   * combinations, one index level per column, as pandas' MultiIndex.
   */
  groupby(by: GroupKey | readonly GroupKey[], opts: GroupbyOptions = {}): GroupBy {
    const k = groupKeys(this, by, 'DataFrame.groupby');
    return new GroupBy(k.frame, k.by, opts, k.levelNames);
  }

  sum(opts?: ReductionOptions): Series {
    return this.reduce('sum', opts);
  }
  mean(opts?: ReductionOptions): Series {
    return this.reduce('mean', opts);
  }
  min(opts?: ReductionOptions): Series {
    return this.reduce('min', opts);
  }
  max(opts?: ReductionOptions): Series {
    return this.reduce('max', opts);
  }
  count(opts?: ReductionOptions): Series {
    return this.reduce('count', opts);
  }
  var(opts?: ReductionOptions): Series {
    return this.reduce('var', opts);
  }
  std(opts?: ReductionOptions): Series {
    return this.reduce('std', opts);
  }

  private reduce(agg: ReduceAgg, opts?: ReductionOptions): Series {
    return recordReduction(frameReduction(this, agg, opts), `DataFrame.${agg}`, this as DataFrame, (f) => frameReduction(f, agg, opts));
  }

  /**
   * Rows by index label (pandas' `df.loc[...]`): one label, a slice `{ start, stop }` (both
   * included), or a boolean series aligned on the index.
   */
  loc(key: LocKey): DataFrame {
    return loc(this, key, 'DataFrame.loc');
  }

  /** Joined with another frame or series on the index (pandas' `join`; how: left, right, inner, outer). */
  join(other: DataFrame | Series, opts: JoinOptions = {}): DataFrame {
    return joinIndex(this, other, opts);
  }

  /** The rows in other partitions: `{ divisions }` or `{ npartitions }` (Dask's repartition). */
  repartition(opts: PartitionSizeOptions): Promise<DataFrame>;
  repartition(opts: RepartitionOptions): DataFrame;
  /** `{ partitionSize: '100MB' }` measures every partition's memory first (a computation, as Dask's), so it returns a promise. */
  repartition(opts: RepartitionOptions | PartitionSizeOptions): DataFrame | Promise<DataFrame> {
    if (opts !== null && typeof opts === 'object' && 'partitionSize' in opts) return repartitionBySize(this as DataFrame, opts, 'DataFrame.repartition');
    const out = repartition(this, opts, 'DataFrame.repartition');
    return out !== this && opts.npartitions !== undefined && opts.divisions === undefined ? withExpr(out, { kind: 'repartition', child: exprOf(this), npartitions: opts.npartitions }) : out;
  }

  /** The index as a lazy series (the row positions for a frame made from data). */
  get index(): Series {
    return indexSeries(this, 'DataFrame.index');
  }

  /** The same frame with unknown divisions (Dask's clear_divisions). */
  clearDivisions(): DataFrame {
    return clearDivisions(this);
  }

  /** Cumulative sum down each (numeric) column, across partitions (Dask's cumsum); `{ skipna }`. */
  cumsum(opts?: CumulativeOptions): DataFrame {
    return cumulative(this, 'cumsum', opts, 'DataFrame.cumsum');
  }
  cumprod(opts?: CumulativeOptions): DataFrame {
    return cumulative(this, 'cumprod', opts, 'DataFrame.cumprod');
  }
  cummin(opts?: CumulativeOptions): DataFrame {
    return cumulative(this, 'cummin', opts, 'DataFrame.cummin');
  }
  cummax(opts?: CumulativeOptions): DataFrame {
    return cumulative(this, 'cummax', opts, 'DataFrame.cummax');
  }
  /** Values moved `periods` rows down (up when negative), across partitions; missing where nothing moves in. */
  shift(periods = 1): DataFrame {
    return shifted(this, periods, 'shift', 'DataFrame.shift');
  }
  /** Each value minus the one `periods` rows before (after, when negative), as pandas' diff. */
  diff(periods = 1): DataFrame {
    return shifted(this, periods, 'diff', 'DataFrame.diff');
  }
  /** The label of each numeric column's largest value (first on ties). */
  idxmax(opts?: IdxOptions): Series {
    return frameIdx(this, 'idxmax', opts);
  }
  idxmin(opts?: IdxOptions): Series {
    return frameIdx(this, 'idxmin', opts);
  }
  /** count, mean, std, min, percentiles, max of the numeric columns (pandas' exact quantiles). */
  describe(opts?: DescribeOptions): DataFrame {
    return frameDescribe(this, opts);
  }
  /** Quantiles of the numeric columns (linear interpolation, as pandas): one q gives a Series by column, several a frame indexed by q. */
  quantile(q: number, opts?: QuantileOptions): Series;
  quantile(q: readonly number[], opts?: QuantileOptions): DataFrame;
  quantile(q: number | readonly number[], opts?: QuantileOptions): Series | DataFrame {
    return frameQuantile(this, q, opts);
  }
  /** Pairwise Pearson correlation of the numeric columns (rows missing a value skipped per pair); `{ minPeriods }`. */
  corr(opts?: CorrOptions): DataFrame {
    return frameCo(this, 'corr', opts);
  }
  /** Pairwise covariance of the numeric columns; `{ minPeriods, ddof }`. */
  cov(opts?: CovOptions): DataFrame {
    return frameCo(this, 'cov', opts);
  }
  /** A random fraction of each partition's rows (Dask's sample); `{ frac, replace, randomState }`. */
  sample(opts: SampleOptions): DataFrame {
    return sampleOf(this, opts, 'DataFrame.sample');
  }
  /** The last n rows, computed now from the last partition (`{ npartitions: k }`: the last k), as Dask's tail. */
  async tail(n = 5, opts?: TailOptions): Promise<LocalFrame> {
    const { rows, compute } = tailOf(this, n, opts, 'DataFrame.tail');
    return rows.compute(compute);
  }

  // Value-by-value methods, distinct rows, top rows, query and reshaping (issue #11)

  /** Booleans per column: whether each value is one of `values`, or of `values[column]`. */
  isin(values: readonly Cell[] | ReadonlySet<Cell> | Readonly<Record<string, readonly Cell[]>>): DataFrame {
    return isinOf(this, values, 'DataFrame.isin');
  }
  /** The values where `cond` (a frame of booleans with these columns, or one boolean series for whole rows) is true, `other` elsewhere. */
  where(cond: DataFrame | Series, other?: Cell): DataFrame {
    return whereOf(this, cond, other, true, 'DataFrame.where');
  }
  mask(cond: DataFrame | Series, other?: Cell): DataFrame {
    return whereOf(this, cond, other, false, 'DataFrame.mask');
  }
  /** Values replaced in every column, or per column with `{ column: { old: new } }`. */
  replace(toReplace: Cell | readonly Cell[] | ReplaceMapping | Readonly<Record<string, ReplaceMapping>>, value?: Cell | readonly Cell[]): DataFrame {
    return replaceOf(this, toReplace, value, 'DataFrame.replace');
  }
  /** `fn(row)` for every row (an object of the row's values), as pandas' apply(axis=1): a series. */
  apply(fn: ((row: Record<string, Cell>) => Cell) | ModuleFunction<(row: Record<string, Cell>) => Cell>, opts: ApplyOptions): Series {
    return applyOf(this, fn, opts);
  }
  abs(): DataFrame {
    return absOf(this, 'DataFrame.abs');
  }
  round(decimals = 0): DataFrame {
    return roundOf(this, decimals, 'DataFrame.round');
  }
  clip(opts: ClipOptions): DataFrame {
    return clipOf(this, opts, 'DataFrame.clip');
  }
  /** The n rows with the largest values of `columns` (the first decides, the next break ties), in one partition. */
  nlargest(n: number, columns: string | readonly string[], opts?: NlargestOptions): DataFrame {
    return topOf(this, n, columns, true, opts, 'DataFrame.nlargest');
  }
  nsmallest(n: number, columns: string | readonly string[], opts?: NlargestOptions): DataFrame {
    return topOf(this, n, columns, false, opts, 'DataFrame.nsmallest');
  }
  /** The rows without repeats in `subset` (default all columns); `keep`: 'first', 'last' or false. One partition, as Dask's split_out=1. */
  dropDuplicates(opts?: DropDuplicatesOptions): DataFrame {
    return dropDuplicatesOf(this, opts, 'DataFrame.dropDuplicates');
  }
  /** The number of distinct non-missing values of each column (int64). */
  nunique(opts?: NuniqueOptions): Series {
    return nuniqueFrame(this, opts);
  }
  /** The rows where a pandas-style expression holds: `ddf.query('x > 1 and k == "a"')` (comparisons, in, and/or/not; parsed, never evaluated). */
  query(expr: string): DataFrame {
    return queryOf(this, expr);
  }
  /** pandas' melt: `idVars` kept, every other (or `valueVars`) column turned into rows of `variable`/`value`. */
  melt(opts?: MeltOptions): DataFrame {
    return meltOf(this, opts);
  }
  /** The string/category columns as categories known to the frame (Dask's categorize): computes them now. */
  categorize(opts?: CategorizeOptions): Promise<DataFrame> {
    return categorizeOf(this, opts);
  }
  /** Dask's pivot_table: `columns` a category column with known categories (see categorize); one partition. */
  pivotTable(opts: PivotTableOptions): DataFrame {
    return pivotTableOf(this, opts);
  }

  /** Rolling windows of the numeric columns: a number of rows, or a time span ('2h') over a datetime index (Dask's rolling). */
  rolling(window: number | string, opts?: RollingOptions): Rolling<DataFrame> {
    return new Rolling<DataFrame>(this, window, opts);
  }

  /** Time bins of a datetime index with known divisions (Dask's resample): `resample('1D').mean()`, `.agg({ v: 'sum' })`. */
  resample(rule: string): Resampler<DataFrame> {
    return new Resampler<DataFrame>(this, rule);
  }

  /**
   * The numeric columns' values as a lazy @pdask/array array of rows × columns, one block per
   * partition (Dask's `to_dask_array`): `{ lengths: true }` computes the partitions' lengths so the
   * chunks are known; otherwise they are unknown (NaN). Needs @pdask/array installed.
   */
  toArray(opts?: ToArrayOptions): Promise<ChunkedArray<NDArray>> {
    return toArrayOf(this, this.meta.names, this.meta.types, false, opts, 'DataFrame.toArray');
  }

  // Arithmetic and comparisons with frames, series and numbers, aligned on the index (frame-arith.ts)

  /** `df + other` (pandas' `df.add(other, axis=…, fill_value=…)`): frames are aligned on the index and the columns (union, sorted when they differ). */
  add(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'add', false, opts, 'DataFrame.add');
  }
  sub(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'sub', false, opts, 'DataFrame.sub');
  }
  mul(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'mul', false, opts, 'DataFrame.mul');
  }
  div(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'div', false, opts, 'DataFrame.div');
  }
  /** Python's modulo (the sign of the divisor), as pandas. */
  mod(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'mod', false, opts, 'DataFrame.mod');
  }
  pow(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'pow', false, opts, 'DataFrame.pow');
  }
  /** `other + df` (pandas' radd). */
  radd(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'add', true, opts, 'DataFrame.radd');
  }
  rsub(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'sub', true, opts, 'DataFrame.rsub');
  }
  rmul(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'mul', true, opts, 'DataFrame.rmul');
  }
  rdiv(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'div', true, opts, 'DataFrame.rdiv');
  }
  rmod(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'mod', true, opts, 'DataFrame.rmod');
  }
  rpow(other: FrameOperand, opts?: FrameArithOptions): DataFrame {
    return frameBinary(this, other, 'pow', true, opts, 'DataFrame.rpow');
  }
  /** `df > other` by element (pandas' flex `gt`: aligned as add; missing values compare false, except `ne`). */
  gt(other: FrameOperand, opts?: FrameCompareOptions): DataFrame {
    return frameBinary(this, other, 'gt', false, opts, 'DataFrame.gt');
  }
  ge(other: FrameOperand, opts?: FrameCompareOptions): DataFrame {
    return frameBinary(this, other, 'ge', false, opts, 'DataFrame.ge');
  }
  lt(other: FrameOperand, opts?: FrameCompareOptions): DataFrame {
    return frameBinary(this, other, 'lt', false, opts, 'DataFrame.lt');
  }
  le(other: FrameOperand, opts?: FrameCompareOptions): DataFrame {
    return frameBinary(this, other, 'le', false, opts, 'DataFrame.le');
  }
  eq(other: FrameOperand, opts?: FrameCompareOptions): DataFrame {
    return frameBinary(this, other, 'eq', false, opts, 'DataFrame.eq');
  }
  ne(other: FrameOperand, opts?: FrameCompareOptions): DataFrame {
    return frameBinary(this, other, 'ne', false, opts, 'DataFrame.ne');
  }

  override toString(): string {
    return `DataFrame('${this.name}', npartitions=${this.npartitions}, columns=[${this.meta.names.map((n) => `'${n}'`).join(', ')}])`;
  }

  /** Rows hash-partitioned on `on` (Dask's shuffle): `{ npartitions, method: 'p2p' | 'tasks' }`. */
  shuffle(on: string | readonly string[], options?: ShuffleOptions): DataFrame {
    return shuffleFrame(this, on, options);
  }
}

const HEAD_OPTIONS: OptionSchema<Omit<HeadOptions, keyof ComputeOptions>> = {
  npartitions: (v) => (v === -1 || (Number.isInteger(v) && (v as number) >= 1) ? undefined : 'a positive integer, or -1 for all'),
};

/** The rows of the first partitions, up to n, as a one-partition collection of the same kind. */
export function headOf<C extends DataFrame | Series>(c: C, n: number, npartitions: number | undefined, method: string): C {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${method}: n must be a non-negative integer, got ${String(n)}`);
  const parts = npartitions === -1 ? c.npartitions : (npartitions ?? 1);
  if (parts > c.npartitions) throw new RangeError(`${method}: npartitions is ${parts} but the collection has only ${c.npartitions} partitions`);
  const name = opName('head', c.name, n, parts);
  const layer = new FrameLayer(name, 'head', () => [
    dataframeOps.headRows.task(
      partitionKey(name, 0),
      arr(Array.from({ length: parts }, (_, i) => ref(partitionKey(c.name, i)))),
      lit(n),
    ),
  ]);
  const node = layerNode(layer, [c.layer]);
  const out = (c instanceof DataFrame ? new DataFrame(name, 1, node, null, c.meta) : new Series(name, 1, node, null, (c as Series).meta)) as C;
  withExpr(out as DataFrame | Series, { kind: 'head', child: exprOf(c), n, partitions: parts });
  return out;
}

/** `head(n, opts)` of a frame or series: the options checked, the collection of the rows and the compute options. */
export function headPlan<C extends DataFrame | Series>(c: C, n: number, opts: HeadOptions | undefined, method: string): { rows: C; compute: ComputeOptions } {
  const { own, compute } = checkWithCompute<HeadOptions>(method, opts, HEAD_OPTIONS);
  return { rows: headOf(c, n, own.npartitions, method), compute };
}

/** The number of rows: a tree reduction of the partitions' lengths. */
export function lengthOf(c: DataFrame | Series): Scalar<number> {
  const name = opName('len', c.name);
  const { node } = treeReduce(
    {
      name,
      label: 'len',
      grid: c.npartitions,
      splitEvery: SPLIT_EVERY.dataframe,
      partial: (_, i) => dataframeOps.partLength.call(ref(partitionKey(c.name, i))),
      combine: (parts) => dataframeOps.sumNumbers.call(arr(parts)),
    },
    [c.layer],
  );
  return new Scalar<number>(name, node);
}
