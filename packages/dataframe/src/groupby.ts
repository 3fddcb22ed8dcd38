/**
 * Lazy group-by (Dask's `groupby(...).agg`): core's tree reduction of kernel partials per
 * partition, merged `splitEvery` at a time, finalised into one partition indexed by the group keys,
 * sorted. Built-in aggregations are the rows of GROUP_AGGS; custom ones are Aggregations.
 */
import { arr, checkOptions, fnArg, intAtLeast, lit, ref, splitEveryFor, treeReduce, type ArgSpec, type LayerNode, type OptionSchema } from '@pdask/core';
import { Aggregation } from './aggregation';
import type { IndexMeta } from './base';
import { opName, partitionKey } from './graph';
import { checkColumn, isNumericDesc } from './meta';
import { GROUP_AGGS, isGroupAgg, type GroupAgg } from './ops/group-aggs';
import { outputType, type AggSpec, type GroupbySpec } from './ops/groupby';
import { dataframeOps } from './ops/index';
import type { GroupAgg as KernelAgg } from '@pdask/kernels';
import { keyResultType } from './ops/results';
import type { TypeDesc } from './ops/types';
import { NOT_YET, onlyValue, refusing, splitEveryRule } from './options';
import { DataFrame } from './frame';
import { Series } from './series';
import type { ExactAgg } from './ops/group-exact';
import { routeExact } from './groupby/route';
import { NamedAgg } from './groupby/named';
import { GroupRolling, scanSeries, type GroupRollingOptions } from './groupby/scan';
import { applyGroups, splitOutResult, transformSeries, type ApplyOptions } from './groupby/shuffle';
import { scanFrame, transformFrame } from './groupby/multi';
import type { TransformName } from './ops/group-shuffle';
import type { LocalFrame } from './local/frame';
import { recordGroupAgg } from './expr/replays';

export interface GroupbyOptions {
  /** How many partials one combine task merges (default 8, core's SPLIT_EVERY.dataframe; false: all at once). */
  splitEvery?: number | false;
  /** Delta degrees of freedom of the var/std aggregations (default 1, as pandas). */
  ddof?: number;
  /** Groups always come sorted by key (pandas' default sort=True); false is not implemented. */
  sort?: boolean;
  /** true (default): rows whose key is missing are left out; false: they form a group, sorted last (pandas' dropna). */
  dropna?: boolean;
  /** Aggregation results in this many partitions, by hash of the key (Dask's split_out; default 1). Groups are sorted within each partition only. */
  splitOut?: number;
}

export interface ValueCountsOptions {
  splitEvery?: number | false;
  /** false: missing values are counted too, as a NaN/null entry (default true, as pandas). */
  dropna?: boolean;
  /** Fractions of the counted rows instead of counts (float64). */
  normalize?: boolean;
}

const GROUPBY_OPTIONS: OptionSchema<GroupbyOptions> = refusing<GroupbyOptions>(
  {
    splitEvery: splitEveryRule,
    ddof: intAtLeast(0),
    sort: onlyValue(true, `groups always come sorted by key; sort: false is ${NOT_YET}`),
    dropna: 'boolean',
    splitOut: intAtLeast(1),
  },
  { asIndex: `${NOT_YET}: call resetIndex() on the result`, groupKeys: NOT_YET, observed: NOT_YET, shuffle: NOT_YET, shuffleMethod: NOT_YET, level: NOT_YET, axis: NOT_YET },
);

const VALUE_COUNTS_OPTIONS: OptionSchema<ValueCountsOptions> = refusing<ValueCountsOptions>(
  { splitEvery: splitEveryRule, dropna: 'boolean', normalize: 'boolean' },
  { sort: `${NOT_YET}: the result is always most frequent first`, ascending: NOT_YET, bins: NOT_YET, splitOut: NOT_YET },
);

/** What `agg` takes per column: a built-in aggregation's name (or 'nunique', computed on exact values), an Aggregation, or a list of them. */
export type AggFunc = GroupAgg | 'nunique' | Aggregation;
/** An aggregation spec: column → aggregation or list of aggregations. */
export type AggInput = Record<string, AggFunc | readonly AggFunc[] | NamedAgg>;

function checkAgg(method: string, agg: unknown): AggFunc {
  if (agg instanceof Aggregation || isGroupAgg(agg) || agg === 'nunique') return agg;
  throw new TypeError(`${method}: unknown aggregation ${typeof agg === 'string' ? JSON.stringify(agg) : typeof agg}; known: ${Object.keys(GROUP_AGGS).join(', ')}, nunique, or an Aggregation`);
}

/** What a plan's outputs are made of before custom aggregations get their numbers. */
type Output = { out: string; column: string | null; agg: GroupAgg } | { out: string; column: string; custom: Aggregation } | { out: string; column: string; exact: ExactAgg };

/** @internal */
export interface Plan {
  method: string;
  frame: DataFrame;
  by: readonly string[];
  outputs: Output[];
  asIndex: boolean;
  order: 'key' | 'count-desc';
  splitEvery: number | false;
  ddof: number;
  /** false: missing keys form a group (pandas' dropna=False). */
  dropna?: boolean;
  /** valueCounts' normalize: fractions instead of counts. */
  normalize?: boolean;
  /** The index level names when they are not the key columns' (keys given as series). */
  levelNames?: readonly (string | null)[];
  /** Output partitions (Dask's split_out). */
  splitOut?: number;
}

const nameOf = (a: AggFunc): string => (a instanceof Aggregation ? a.name : a);

function output(out: string, column: string, a: AggFunc): Output {
  if (a instanceof Aggregation) return { out, column, custom: a };
  if (a === 'nunique') return { out, column, exact: 'nunique' };
  return { out, column: GROUP_AGGS[a].column ? column : null, agg: a };
}

/** The custom aggregations' functions as one task argument (an empty list when there are none). */
function customArg(customs: readonly Aggregation[]): ArgSpec {
  return arr(
    customs.map(
      (c): ArgSpec => ({
        t: 'obj',
        entries: [
          ['name', lit(c.name)],
          ['chunk', fnArg(c.refs.chunk)],
          ['agg', fnArg(c.refs.agg)],
          ['finalize', c.refs.finalize ? fnArg(c.refs.finalize) : lit(null)],
        ],
      }),
    ),
  );
}

/** The one-partition result of a grouped aggregation, as the layer and its meta. */
function build(plan: Plan): { name: string; layer: LayerNode; index: IndexMeta; types: TypeDesc[] } {
  const { frame, by } = plan;
  const columns: Record<string, KernelAgg[]> = {};
  const customs: Aggregation[] = [];
  const customColumns: string[] = [];
  const outputs = plan.outputs.map((o): AggSpec => {
    if ('exact' in o) throw new Error('internal: an exact aggregation reached the kernel group-by');
    if (o.column !== null) {
      const t = frame.typeOf(o.column);
      if (!isNumericDesc(t)) throw new TypeError(`${plan.method}: column '${o.column}' has dtype ${frame.dtypes[o.column]}; only numeric columns can be aggregated`);
    }
    if ('custom' in o) {
      customs.push(o.custom);
      customColumns.push(o.column);
      return { out: o.out, column: o.column, custom: customs.length - 1 };
    }
    if (o.column !== null) {
      const kernel = GROUP_AGGS[o.agg].kernel;
      (columns[o.column] ??= []).includes(kernel) || columns[o.column].push(kernel);
    }
    return { out: o.out, column: o.column, agg: o.agg };
  });
  const spec: GroupbySpec = { by: [...by], columns, customs: customColumns, outputs, ddof: plan.ddof, asIndex: plan.asIndex, order: plan.order, ...(plan.dropna === false ? { dropna: false } : {}), ...(plan.normalize ? { normalize: true } : {}) };
  const inputTypes = Object.fromEntries([...new Set([...Object.keys(columns), ...customColumns])].map((n) => [n, frame.typeOf(n)]));
  // The spec is plain data built in a fixed order: one string of it hashes faster than its parts.
  const name = opName(`groupby-${by.join('-').replace(/[^\w-]/g, '_')}`, frame.name, JSON.stringify(spec), customs.map((c) => c.refs), plan.splitEvery);
  const fns = customArg(customs);
  const ops = dataframeOps;
  const { node } = treeReduce(
    {
      name,
      label: 'groupby-agg',
      grid: frame.npartitions,
      splitEvery: plan.splitEvery,
      partial: (_, i) => ops.groupbyPartial.call(ref(partitionKey(frame.name, i)), lit(spec), fns),
      combine: (parts) => ops.groupbyCombine.call(arr(parts), fns),
      aggregate: (parts) => ops.groupbyFinal.call(arr(parts), lit(spec), lit(inputTypes), fns),
      outputKey: () => partitionKey(name, 0),
      info: customs.length ? { userCode: true } : undefined,
    },
    [frame.layer],
  );
  return {
    name,
    layer: node,
    index: { levels: by.map((b, j) => ({ type: keyResultType(frame.typeOf(b)), name: plan.levelNames ? plan.levelNames[j] : b })) },
    types: outputs.map((o) => (plan.normalize ? { id: 'float', bits: 64 } : outputType(o, o.column ? inputTypes[o.column] : undefined))),
  };
}

function frameResult(plan: Plan): DataFrame {
  if (plan.splitOut !== undefined && plan.splitOut > 1) return splitOutResult(plan.frame, plan.by, plan.splitOut, (part) => frameResult({ ...plan, frame: part, splitOut: 1 }));
  const r = routeExact(plan, build);
  return recordGroupAgg(new DataFrame(r.name, 1, r.layer, null, { names: plan.outputs.map((o) => o.out), types: r.types, index: r.index }), plan, frameResult);
}

function seriesResult(plan: Plan, name: string, label?: string | null): Series {
  if (plan.splitOut !== undefined && plan.splitOut > 1) return splitOutResult(plan.frame, plan.by, plan.splitOut, (part) => seriesResult({ ...plan, frame: part, splitOut: 1 }, name, label));
  const r = routeExact(plan, build);
  return recordGroupAgg(new Series(r.name, 1, r.layer, null, { name, label, type: r.types[0], index: r.index }), plan, (p) => seriesResult(p, name, label));
}

export class GroupBy {
  /** @internal */
  readonly splitEvery: number | false;
  /** @internal */
  readonly ddof: number;
  /** @internal */
  readonly dropna: boolean;
  /** @internal */
  readonly splitOut: number;

  /** @internal Made by DataFrame.groupby. */
  constructor(
    readonly frame: DataFrame,
    /** The key columns (one, or several for a multi-level index). */
    readonly by: readonly string[],
    options: GroupbyOptions | undefined,
    /** @internal The index level names, when keys are series (default: the key columns). */
    readonly levelNames?: readonly (string | null)[],
  ) {
    const opts = checkOptions('DataFrame.groupby', options, GROUPBY_OPTIONS);
    this.splitEvery = splitEveryFor('dataframe', opts.splitEvery, 'DataFrame.groupby');
    this.ddof = opts.ddof ?? 1;
    this.dropna = opts.dropna ?? true;
    this.splitOut = opts.splitOut ?? 1;
  }

  /** @internal */
  plan(method: string, outputs: Output[], asIndex = true): Plan {
    return { method, frame: this.frame, by: this.by, outputs, asIndex, order: 'key', splitEvery: this.splitEvery, ddof: this.ddof, dropna: this.dropna, splitOut: this.splitOut, ...(this.levelNames ? { levelNames: this.levelNames } : {}) };
  }

  /** One column's groups (pandas' `df.groupby('x').y` / `['y']`). */
  col(name: string): SeriesGroupBy {
    checkColumn('GroupBy.col', name, this.frame.columns);
    if (this.by.includes(name)) throw new Error(`GroupBy.col: '${name}' is a grouping column`);
    return new SeriesGroupBy(this, name);
  }

  /** The columns aggregated by sum(), mean(), …: every numeric column but the keys (pandas' numeric_only). */
  private valueColumns(method: string): string[] {
    const cols = this.frame.columns.filter((c) => !this.by.includes(c) && isNumericDesc(this.frame.typeOf(c)));
    if (cols.length === 0) throw new Error(`${method}: the frame has no numeric column besides the grouping column(s) ${this.by.map((b) => `'${b}'`).join(', ')}`);
    return cols;
  }

  /**
   * Several aggregations at once: `{ y: 'mean', z: ['min', 'max'], w: customAgg }`. A column with a
   * list of aggregations gives columns named `<column>_<agg>` (pandas makes a two-level column
   * index). One aggregation alone (`agg('mean')`, `agg(customAgg)`) applies to every numeric column.
   */
  agg(spec: AggInput | AggFunc): DataFrame {
    const method = 'GroupBy.agg';
    if (typeof spec === 'string' || spec instanceof Aggregation) {
      const a = checkAgg(method, spec);
      return frameResult(this.plan(method, this.valueColumns(method).map((c) => output(c, c, a))));
    }
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new TypeError(`${method}: expected an object of column → aggregation(s), e.g. { y: 'mean' }`);
    const outputs: Output[] = [];
    for (const [col, a] of Object.entries(spec)) {
      if (a instanceof NamedAgg) {
        checkColumn(`${method} (output '${col}')`, a.column, this.frame.columns);
        outputs.push(output(col, a.column, a.aggfunc));
        continue;
      }
      checkColumn(method, col, this.frame.columns);
      if (Array.isArray(a)) for (const x of a as readonly AggFunc[]) outputs.push(output(`${col}_${nameOf(checkAgg(method, x))}`, col, x));
      else outputs.push(output(col, col, checkAgg(method, a)));
    }
    if (outputs.length === 0) throw new RangeError(`${method}: no aggregation given`);
    return frameResult(this.plan(method, outputs));
  }

  private everyColumn(agg: GroupAgg): DataFrame {
    const method = `GroupBy.${agg}`;
    return frameResult(this.plan(method, this.valueColumns(method).map((c) => output(c, c, agg))));
  }

  sum(): DataFrame {
    return this.everyColumn('sum');
  }
  mean(): DataFrame {
    return this.everyColumn('mean');
  }
  count(): DataFrame {
    return this.everyColumn('count');
  }
  min(): DataFrame {
    return this.everyColumn('min');
  }
  max(): DataFrame {
    return this.everyColumn('max');
  }
  var(): DataFrame {
    return this.everyColumn('var');
  }
  std(): DataFrame {
    return this.everyColumn('std');
  }
  first(): DataFrame {
    return this.everyColumn('first');
  }
  last(): DataFrame {
    return this.everyColumn('last');
  }
  /** Rows per group (a series named 'size', as pandas 1.5 leaves it unnamed). */
  size(): Series {
    return seriesResult(this.plan('GroupBy.size', [{ out: 'size', column: null, agg: 'size' }]), 'size', null);
  }

  /** Distinct non-missing values per group of every column but the keys (int32). */
  nunique(): DataFrame {
    const cols = this.frame.columns.filter((c) => !this.by.includes(c));
    if (cols.length === 0) throw new Error('GroupBy.nunique: the frame has no column besides the grouping column(s)');
    return frameResult(this.plan('GroupBy.nunique', cols.map((c) => ({ out: c, column: c, exact: 'nunique' as const }))));
  }

  /** Each row's position within its group, from 0 (int64), aligned with the frame's rows. */
  cumcount(): Series {
    return scanSeries(this, { method: 'GroupBy.cumcount', op: 'cumcount', column: null, n: 0, label: null });
  }

  /**
   * `fn(group)` on each group's rows as a LocalFrame, after a shuffle that makes every group whole
   * in one partition (Dask's groupby apply). fn returns one value (meta `[name, dtype]`, default
   * float64: a series indexed by key) or a frame (meta `{ column: dtype }`: rows stacked, indexed
   * by key). fn travels to workers as source text, as mapPartitions' does.
   */
  apply(fn: (group: LocalFrame) => unknown, opts?: ApplyOptions): DataFrame | Series {
    return applyGroups(this, fn, opts, 'GroupBy.apply');
  }

  // Scans and transforms of every non-key column at once (groupby/multi.ts)

  /** Running sum within each group of every numeric non-key column (pandas' `df.groupby(k).cumsum()`), aligned with the frame's rows. */
  cumsum(): DataFrame {
    return scanFrame(this, 'cumsum', 0, 'GroupBy.cumsum');
  }
  cumprod(): DataFrame {
    return scanFrame(this, 'cumprod', 0, 'GroupBy.cumprod');
  }
  /** Running minimum within each group of the numeric and datetime non-key columns. */
  cummin(): DataFrame {
    return scanFrame(this, 'cummin', 0, 'GroupBy.cummin');
  }
  cummax(): DataFrame {
    return scanFrame(this, 'cummax', 0, 'GroupBy.cummax');
  }
  /** Every non-key column's value `periods` rows earlier in its group (later when negative), aligned with the frame's rows. */
  shift(periods = 1): DataFrame {
    return scanFrame(this, 'shift', periods, 'GroupBy.shift');
  }
  /** Each numeric non-key column's group statistic (or `fn(groupValues)`) on every row, as `col(c).transform(how)` for all of them at once. */
  transform(how: TransformName | ((values: Float64Array) => ArrayLike<number | null> | number)): DataFrame {
    return transformFrame(this, how, 'GroupBy.transform');
  }
}

export class SeriesGroupBy {
  /** @internal */
  constructor(
    private readonly g: GroupBy,
    readonly column: string,
  ) {}

  private one(a: AggFunc): Series {
    const method = `SeriesGroupBy.${nameOf(a)}`;
    return seriesResult(this.g.plan(method, [output(this.column, this.column, a)]), this.column);
  }

  sum(): Series {
    return this.one('sum');
  }
  mean(): Series {
    return this.one('mean');
  }
  count(): Series {
    return this.one('count');
  }
  min(): Series {
    return this.one('min');
  }
  max(): Series {
    return this.one('max');
  }
  var(): Series {
    return this.one('var');
  }
  std(): Series {
    return this.one('std');
  }
  first(): Series {
    return this.one('first');
  }
  last(): Series {
    return this.one('last');
  }
  size(): Series {
    return this.one('size');
  }

  /**
   * One aggregation (a name or an Aggregation): a series; several (`['mean', customAgg]`): a frame
   * with one column per aggregation, named by it.
   */
  agg(aggs: AggFunc): Series;
  agg(aggs: readonly AggFunc[]): DataFrame;
  agg(aggs: AggFunc | readonly AggFunc[]): Series | DataFrame {
    const method = 'SeriesGroupBy.agg';
    if (!Array.isArray(aggs)) return this.one(checkAgg(method, aggs));
    if (aggs.length === 0) throw new TypeError(`${method}: expected an aggregation or a non-empty array of them, e.g. ['mean', 'max']`);
    const outputs = (aggs as readonly AggFunc[]).map((a) => output(nameOf(checkAgg(method, a)), this.column, a));
    return frameResult(this.g.plan(method, outputs));
  }

  /** Distinct non-missing values per group (int32), as Dask's drop-duplicates-then-count. */
  nunique(): Series {
    return seriesResult(this.g.plan('SeriesGroupBy.nunique', [{ out: this.column, column: this.column, exact: 'nunique' }]), this.column);
  }

  private scan(op: 'cumsum' | 'cumprod' | 'cummin' | 'cummax'): Series {
    return scanSeries(this.g, { method: `SeriesGroupBy.${op}`, op, column: this.column, n: 0, label: this.column });
  }
  /** Running sum within each group, in row order (missing values stay missing and are skipped). */
  cumsum(): Series {
    return this.scan('cumsum');
  }
  cumprod(): Series {
    return this.scan('cumprod');
  }
  cummin(): Series {
    return this.scan('cummin');
  }
  cummax(): Series {
    return this.scan('cummax');
  }
  /** Each row's value `periods` rows earlier in its group (later when negative); missing where there is none. */
  shift(periods = 1): Series {
    if (!Number.isInteger(periods)) throw new TypeError(`SeriesGroupBy.shift: periods must be an integer, got ${String(periods)}`);
    return scanSeries(this.g, { method: 'SeriesGroupBy.shift', op: 'shift', column: this.column, n: periods, label: this.column });
  }
  /** Rolling windows of `window` rows within each group (pandas' `groupby(k).y.rolling(3)`), aligned with the frame's rows. */
  rolling(window: number, opts?: GroupRollingOptions): GroupRolling {
    return new GroupRolling(this.g, this.column, window, opts);
  }

  /**
   * Each row gets its group's statistic (`'mean'`, `'sum'`, `'count'`, `'min'`, `'max'`, `'std'`,
   * `'var'`, `'first'`, `'last'`, `'size'`) or the value `fn(groupValues)` gives it (an array of one
   * value per row, or one number), aligned with the frame's rows. Runs after a shuffle by key.
   */
  transform(how: TransformName | ((values: Float64Array) => ArrayLike<number | null> | number)): Series {
    return transformSeries(this.g, this.column, how, 'SeriesGroupBy.transform');
  }
}

/** value_counts: a group-by of the series on itself, counted, most frequent first. */
export function valueCountsOf(s: Series, options: ValueCountsOptions | undefined): Series {
  const method = 'Series.valueCounts';
  const opts = checkOptions(method, options, VALUE_COUNTS_OPTIONS);
  const frame = s.toFrame();
  const r = build({
    method,
    frame,
    by: [s.seriesName],
    outputs: [{ out: s.seriesName, column: null, agg: 'size' }],
    asIndex: true,
    order: 'count-desc',
    splitEvery: splitEveryFor('dataframe', opts.splitEvery, method),
    ddof: 1,
    dropna: opts.dropna ?? true,
    normalize: opts.normalize ?? false,
  });
  return new Series(r.name, 1, r.layer, null, { name: s.seriesName, type: r.types[0], index: { levels: [{ type: r.index.levels[0].type, name: null }] } });
}
