/**
 * Lazy group-by (Dask's `groupby(...).agg`): a tree of kernel partials per partition, merged
 * `splitEvery` at a time, finalised into one partition indexed by the group keys, sorted.
 */
import { layerNode } from '@pdask/core';
import type { GroupAgg } from '@pdask/kernels';
import type { IndexMeta } from './base';
import { FrameLayer, checkSplitEvery, opName, partitionKey } from './graph';
import { checkColumn, isNumericDesc } from './meta';
import { groupbyCombine, groupbyFinal, groupbyPartial, type AggSpec, type GroupbySpec } from './ops/groupby';
import { keyResultType, resultType } from './ops/results';
import type { TypeDesc } from './ops/types';
import { treeTasks } from './tree';
import { DataFrame } from './frame';
import { Series } from './series';

const AGGS: readonly GroupAgg[] = ['sum', 'mean', 'count', 'size', 'min', 'max', 'var', 'std', 'first', 'last'];

export interface GroupbyOptions {
  /** How many partials one combine task merges (default 8; false: all at once). */
  splitEvery?: number | false;
  /** Delta degrees of freedom of var/std (default 1, as pandas). */
  ddof?: number;
}

export interface ValueCountsOptions {
  splitEvery?: number | false;
}

/** An aggregation spec: column → aggregation or list of aggregations. */
export type AggInput = Record<string, GroupAgg | readonly GroupAgg[]>;

function checkAgg(method: string, agg: unknown): GroupAgg {
  if (typeof agg !== 'string' || !AGGS.includes(agg as GroupAgg)) throw new TypeError(`${method}: unknown aggregation ${JSON.stringify(agg)}; known: ${AGGS.join(', ')}`);
  return agg as GroupAgg;
}

interface Plan {
  method: string;
  frame: DataFrame;
  by: readonly string[];
  outputs: AggSpec[];
  asIndex: boolean;
  order: 'key' | 'count-desc';
  opts: GroupbyOptions;
}

function planTypes(frame: DataFrame, names: Iterable<string>): Record<string, TypeDesc> {
  return Object.fromEntries([...names].map((n) => [n, frame.typeOf(n)]));
}

/** The one-partition result of a grouped aggregation, as the layer and its meta. */
function build(plan: Plan): { name: string; layer: ReturnType<typeof layerNode>; index: IndexMeta; types: TypeDesc[] } {
  const { frame, by, outputs } = plan;
  const splitEvery = checkSplitEvery(plan.opts.splitEvery, plan.method);
  const ddof = plan.opts.ddof ?? 1;
  if (!Number.isInteger(ddof) || ddof < 0) throw new RangeError(`${plan.method}: ddof must be a non-negative integer, got ${String(ddof)}`);
  const columns: Record<string, GroupAgg[]> = {};
  for (const o of outputs) {
    if (o.column === null) continue;
    const t = frame.typeOf(o.column);
    if (!isNumericDesc(t)) throw new TypeError(`${plan.method}: column '${o.column}' has dtype ${frame.dtypes[o.column]}; only numeric columns can be aggregated`);
    (columns[o.column] ??= []).includes(o.agg) || columns[o.column].push(o.agg);
  }
  const spec: GroupbySpec = { by: [...by], columns, outputs, ddof, asIndex: plan.asIndex, order: plan.order };
  const inputTypes = planTypes(frame, Object.keys(columns));
  const name = opName(`groupby-${by.join('-').replace(/[^\w-]/g, '_')}`, frame.name, spec, splitEvery);
  const layer = new FrameLayer(name, 'groupby-agg', () =>
    treeTasks(name, partitionKey(name, 0), {
      npartitions: frame.npartitions,
      input: (i) => partitionKey(frame.name, i),
      partial: groupbyPartial,
      partialArgs: [spec],
      combine: groupbyCombine,
      final: groupbyFinal,
      finalArgs: [spec, inputTypes],
      splitEvery,
    }),
  );
  return {
    name,
    layer: layerNode(layer, [frame.layer]),
    index: { levels: by.map((b) => ({ type: keyResultType(frame.typeOf(b)), name: b })) },
    types: outputs.map((o) => resultType(o.agg, o.column ? inputTypes[o.column] : undefined)),
  };
}

function frameResult(plan: Plan): DataFrame {
  const r = build(plan);
  return new DataFrame(r.name, 1, r.layer, null, { names: plan.outputs.map((o) => o.out), types: r.types, index: r.index });
}

function seriesResult(plan: Plan, name: string, label?: string | null): Series {
  const r = build(plan);
  return new Series(r.name, 1, r.layer, null, { name, label, type: r.types[0], index: r.index });
}

export class GroupBy {
  /** @internal Made by DataFrame.groupby. */
  constructor(
    readonly frame: DataFrame,
    /** The key columns (one, or several for a multi-level index). */
    readonly by: readonly string[],
    private readonly opts: GroupbyOptions,
  ) {}

  /** One column's groups (pandas' `df.groupby('x').y` / `['y']`). */
  col(name: string): SeriesGroupBy {
    checkColumn('GroupBy.col', name, this.frame.columns);
    if (this.by.includes(name)) throw new Error(`GroupBy.col: '${name}' is a grouping column`);
    return new SeriesGroupBy(this, name);
  }

  /** The columns aggregated by sum(), mean(), …: every numeric column but the keys (pandas' numeric_only). */
  private valueColumns(): string[] {
    return this.frame.columns.filter((c) => !this.by.includes(c) && isNumericDesc(this.frame.typeOf(c)));
  }

  /**
   * Several aggregations at once: `{ y: 'mean', z: ['min', 'max'] }`. A column with a list of
   * aggregations gives columns named `<column>_<agg>` (pandas makes a two-level column index).
   */
  agg(spec: AggInput): DataFrame {
    const method = 'GroupBy.agg';
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new TypeError(`${method}: expected an object of column → aggregation(s), e.g. { y: 'mean' }`);
    const outputs: AggSpec[] = [];
    for (const [col, a] of Object.entries(spec)) {
      checkColumn(method, col, this.frame.columns);
      if (Array.isArray(a)) for (const x of a as readonly GroupAgg[]) outputs.push({ out: `${col}_${checkAgg(method, x)}`, column: col, agg: x });
      else outputs.push({ out: col, column: col, agg: checkAgg(method, a) });
    }
    if (outputs.length === 0) throw new RangeError(`${method}: no aggregation given`);
    return frameResult({ method, frame: this.frame, by: this.by, outputs, asIndex: true, order: 'key', opts: this.opts });
  }

  private all(agg: GroupAgg): DataFrame {
    const cols = this.valueColumns();
    if (cols.length === 0) throw new Error(`GroupBy.${agg}: the frame has no numeric column besides the grouping column(s) ${this.by.map((b) => `'${b}'`).join(', ')}`);
    return frameResult({ method: `GroupBy.${agg}`, frame: this.frame, by: this.by, outputs: cols.map((c) => ({ out: c, column: c, agg })), asIndex: true, order: 'key', opts: this.opts });
  }

  sum(): DataFrame {
    return this.all('sum');
  }
  mean(): DataFrame {
    return this.all('mean');
  }
  count(): DataFrame {
    return this.all('count');
  }
  min(): DataFrame {
    return this.all('min');
  }
  max(): DataFrame {
    return this.all('max');
  }
  var(): DataFrame {
    return this.all('var');
  }
  std(): DataFrame {
    return this.all('std');
  }
  first(): DataFrame {
    return this.all('first');
  }
  last(): DataFrame {
    return this.all('last');
  }
  /** Rows per group (a series named 'size', as pandas 1.5 leaves it unnamed). */
  size(): Series {
    return seriesResult({ method: 'GroupBy.size', frame: this.frame, by: this.by, outputs: [{ out: 'size', column: null, agg: 'size' }], asIndex: true, order: 'key', opts: this.opts }, 'size', null);
  }

  /** @internal */
  get options(): GroupbyOptions {
    return this.opts;
  }
}

export class SeriesGroupBy {
  /** @internal */
  constructor(
    private readonly g: GroupBy,
    readonly column: string,
  ) {}

  private one(agg: GroupAgg): Series {
    const { frame, by } = this.g;
    const out = this.column;
    return seriesResult(
      { method: `SeriesGroupBy.${agg}`, frame, by, outputs: [{ out, column: agg === 'size' ? null : this.column, agg }], asIndex: true, order: 'key', opts: this.g.options },
      this.column,
    );
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

  /** Several aggregations of this column: a frame with one column per aggregation. */
  agg(aggs: readonly GroupAgg[]): DataFrame {
    const method = 'SeriesGroupBy.agg';
    if (!Array.isArray(aggs) || aggs.length === 0) throw new TypeError(`${method}: expected a non-empty array of aggregations, e.g. ['mean', 'max']`);
    const outputs = aggs.map((a) => ({ out: checkAgg(method, a), column: a === 'size' ? null : this.column, agg: a }));
    return frameResult({ method, frame: this.g.frame, by: this.g.by, outputs, asIndex: true, order: 'key', opts: this.g.options });
  }
}

/** value_counts: a group-by of the series on itself, counted, most frequent first. */
export function valueCountsOf(s: Series, opts: ValueCountsOptions): Series {
  const frame = s.toFrame();
  const r = build({ method: 'Series.valueCounts', frame, by: [s.seriesName], outputs: [{ out: s.seriesName, column: null, agg: 'size' }], asIndex: true, order: 'count-desc', opts });
  return new Series(r.name, 1, r.layer, null, { name: s.seriesName, type: r.types[0], index: { levels: [{ type: r.index.levels[0].type, name: null }] } });
}
