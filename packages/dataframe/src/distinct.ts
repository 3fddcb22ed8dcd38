/**
 * dropDuplicates, unique, nunique, nlargest and nsmallest: core tree reductions (Dask's
 * apply-concat-apply with split_out=1), so the result is one partition.
 */
import { arr, checkOptions, intAtLeast, layerNode, lit, ref, treeReduce, SPLIT_EVERY, type OptionSchema } from '@pdask/core';
import { DataFrame } from './frame';
import { FrameLayer, opName, partitionKey } from './graph';
import { shuffleMethodOf, shuffleMethodRule, shuffleStage, type ShuffleMethod } from './shuffle-method';
import { checkColumn } from './meta';
import type { Keep } from './ops/distinct';
import { dataframeOps } from './ops/index';
import type { TypeDesc } from './ops/types';
import { refusing, splitEveryRule } from './options';
import { Scalar } from './scalar';
import { Series } from './series';

type Lazy = DataFrame | Series;

export interface DropDuplicatesOptions {
  /** The columns that identify a row (default: all). */
  subset?: readonly string[];
  /** Which occurrence is kept: 'first' (default), 'last', or false for none of a repeated row. */
  keep?: 'first' | 'last' | false;
  /** Partial results merged per combine task (default 8). */
  splitEvery?: number | false;
  /**
   * Output partitions (default 1, a tree reduction). Above 1, rows are shuffled by hash of the
   * subset so that repeats meet, then each partition is deduplicated (Dask's split_out).
   */
  splitOut?: number;
  /** How splitOut moves rows: 'p2p' or 'tasks' (default: config 'dataframe.shuffle.method'). */
  shuffle?: ShuffleMethod;
}

const DROP_DUPLICATES_OPTIONS: OptionSchema<DropDuplicatesOptions> = refusing<DropDuplicatesOptions>(
  {
    subset: (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'an array of column names'),
    keep: (v) => (v === 'first' || v === 'last' || v === false ? undefined : "'first', 'last' or false"),
    splitEvery: splitEveryRule,
    splitOut: intAtLeast(1),
    shuffle: shuffleMethodRule,
  },
  { ignoreIndex: 'not implemented', inplace: 'pdask collections are immutable' },
);

const splitOf = (s: number | false | undefined): number | false => (s === undefined ? SPLIT_EVERY.dataframe : s);

function rebuild<C extends Lazy>(c: C, name: string, node: DataFrame['layer']): C {
  if (c instanceof DataFrame) return new DataFrame(name, 1, node, null, c.meta) as C;
  return new Series(name, 1, node, null, (c as Series).meta) as C;
}

export function dropDuplicatesOf<C extends Lazy>(c: C, options: DropDuplicatesOptions | undefined, method: string): C {
  const opts = checkOptions(method, options, DROP_DUPLICATES_OPTIONS);
  const names = c instanceof DataFrame ? c.columns : [(c as Series).seriesName];
  if (opts.subset) for (const s of opts.subset) checkColumn(method, s, names);
  const subset = opts.subset ? [...opts.subset] : null;
  const keep: Keep = opts.keep === false ? 'none' : (opts.keep ?? 'first');
  const shuffle = shuffleMethodOf(method, opts.shuffle);
  if (opts.splitOut !== undefined && opts.splitOut > 1) return dropDuplicatesShuffled(c, subset ?? names, subset, keep, opts.splitOut, shuffle);
  const name = opName('drop-duplicates', c.name, subset, keep);
  const ops = dataframeOps;
  const { node } = treeReduce(
    {
      name,
      label: 'drop-duplicates',
      grid: c.npartitions,
      splitEvery: splitOf(opts.splitEvery),
      partial: (_, i) => ops.dedupRows.call(arr([ref(partitionKey(c.name, i))]), lit(subset), lit(keep)),
      combine: (parts) => ops.dedupRows.call(arr(parts), lit(subset), lit(keep)),
      aggregate: (parts) => ops.dedupRows.call(arr(parts), lit(subset), lit(keep), lit(true)),
      outputKey: () => partitionKey(name, 0),
    },
    [c.layer],
  );
  return rebuild(c, name, node);
}

/**
 * dropDuplicates in `n` partitions: rows hashed on the subset (every repeat of a row lands in the
 * same partition, in input order, so keep 'first', 'last' and false mean what they do in one).
 */
function dropDuplicatesShuffled<C extends Lazy>(c: C, by: readonly string[], subset: string[] | null, keep: Keep, n: number, shuffle: ShuffleMethod): C {
  const name = opName('drop-duplicates-shuffle', c.name, subset, keep, n, shuffle);
  const ops = dataframeOps;
  const layer = new FrameLayer(name, 'drop-duplicates', () => {
    const stage = shuffleStage(name, c.npartitions, n, (key, i) => ops.hashSplit.task(key, ref(partitionKey(c.name, i)), lit(by), lit(n)), shuffle);
    const tasks = [...stage.tasks];
    for (let b = 0; b < n; b++) tasks.push(ops.dedupRows.task(partitionKey(name, b), stage.pieces(b), lit(subset), lit(keep), lit(true)));
    return tasks;
  });
  const node = layerNode(layer, [c.layer]);
  if (c instanceof DataFrame) return new DataFrame(name, n, node, null, c.meta) as C;
  return new Series(name, n, node, null, (c as Series).meta) as C;
}

/** The distinct values in order of appearance, missing included once (Dask's unique: a series without the index). */
export function uniqueOf(s: Series, splitEvery?: number | false): Series {
  const name = opName('unique', s.name);
  const ops = dataframeOps;
  const { node } = treeReduce(
    {
      name,
      label: 'unique',
      grid: s.npartitions,
      splitEvery: splitOf(splitEvery),
      partial: (_, i) => ops.uniqueValues.call(arr([ref(partitionKey(s.name, i))]), lit(s.seriesName)),
      combine: (parts) => ops.uniqueValues.call(arr(parts), lit(s.seriesName)),
      aggregate: (parts) => ops.uniqueValues.call(arr(parts), lit(s.seriesName)),
      outputKey: () => partitionKey(name, 0),
    },
    [s.layer],
  );
  return new Series(name, 1, node, null, { ...s.meta, index: null });
}

export interface NuniqueOptions {
  /** Missing values are not counted (pandas' default); false is not implemented. */
  dropna?: true;
  splitEvery?: number | false;
}

const NUNIQUE_OPTIONS: OptionSchema<NuniqueOptions> = {
  dropna: (v) => (v === true ? undefined : 'true (counting missing values is not implemented)'),
  splitEvery: splitEveryRule,
};

function nuniqueTree(c: Lazy, columns: readonly string[], splitEvery: number | false, name: string) {
  const ops = dataframeOps;
  return treeReduce(
    {
      name,
      label: 'nunique',
      grid: c.npartitions,
      splitEvery,
      partial: (_, i) => ops.distinctKeys.call(ref(partitionKey(c.name, i)), lit(columns)),
      combine: (parts) => ops.unionKeys.call(arr(parts)),
      aggregate: (parts) => (c instanceof DataFrame ? ops.countKeysSeries.call(arr(parts), lit(columns), lit('nunique')) : ops.countKeys.call(arr(parts))),
      ...(c instanceof DataFrame ? { outputKey: () => partitionKey(name, 0) } : {}),
    },
    [c.layer],
  ).node;
}

export function nuniqueSeries(s: Series, options: NuniqueOptions | undefined): Scalar<number> {
  const opts = checkOptions('Series.nunique', options, NUNIQUE_OPTIONS);
  const name = opName('nunique', s.name);
  const node = nuniqueTree(s, [s.seriesName], splitOf(opts.splitEvery), name);
  return new Scalar<number>(name, node);
}

export function nuniqueFrame(df: DataFrame, options: NuniqueOptions | undefined): Series {
  const opts = checkOptions('DataFrame.nunique', options, NUNIQUE_OPTIONS);
  const name = opName('nunique', df.name);
  const node = nuniqueTree(df, df.columns, splitOf(opts.splitEvery), name);
  const INT64: TypeDesc = { id: 'int', bits: 64, signed: true };
  return new Series(name, 1, node, null, { name: 'nunique', label: null, type: INT64, index: { levels: [{ name: null, type: { id: 'utf8' } }] } });
}

export interface NlargestOptions {
  splitEvery?: number | false;
}

const NLARGEST_OPTIONS: OptionSchema<NlargestOptions & { keep?: 'first' }> = refusing<NlargestOptions & { keep?: 'first' }>(
  { splitEvery: splitEveryRule, keep: (v) => (v === 'first' ? undefined : "'first' (ties are kept in row order; 'last' and 'all' are not implemented)") },
  {},
);

export function topOf<C extends Lazy>(c: C, n: number, columns: string | readonly string[] | undefined, largest: boolean, options: NlargestOptions | undefined, method: string): C {
  const opts = checkOptions(method, options, NLARGEST_OPTIONS);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${method}: n must be a non-negative integer, got ${String(n)}`);
  let cols: readonly string[];
  if (c instanceof DataFrame) {
    if (columns === undefined) throw new TypeError(`${method}: give the columns to order by (pandas' columns=)`);
    cols = typeof columns === 'string' ? [columns] : columns;
    for (const col of cols) {
      checkColumn(method, col, c.columns);
      const t = c.typeOf(col);
      if (!(t.id === 'float' || t.id === 'int')) throw new TypeError(`${method}: column '${col}' has dtype ${(c.dtypes)[col]}; nlargest/nsmallest order numbers only (as pandas)`);
    }
  } else {
    const s = c as Series;
    if (!(s.typeDesc.id === 'float' || s.typeDesc.id === 'int')) throw new TypeError(`${method}: series '${s.seriesName}' has dtype ${s.dtype}; nlargest/nsmallest order numbers only (as pandas)`);
    cols = [s.seriesName];
  }
  const name = opName(largest ? 'nlargest' : 'nsmallest', c.name, n, cols);
  const ops = dataframeOps;
  const { node } = treeReduce(
    {
      name,
      label: largest ? 'nlargest' : 'nsmallest',
      grid: c.npartitions,
      splitEvery: splitOf(opts.splitEvery),
      partial: (_, i) => ops.topRows.call(arr([ref(partitionKey(c.name, i))]), lit(cols), lit(n), lit(largest)),
      combine: (parts) => ops.topRows.call(arr(parts), lit(cols), lit(n), lit(largest)),
      aggregate: (parts) => ops.topRows.call(arr(parts), lit(cols), lit(n), lit(largest)),
      outputKey: () => partitionKey(name, 0),
    },
    [c.layer],
  );
  return rebuild(c, name, node);
}
