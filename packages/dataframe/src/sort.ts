/**
 * sortValues (Dask's sort_values) by one column: samples of the key give range boundaries (a task,
 * so nothing is computed while the graph is built), every partition is cut into those ranges, and
 * each output partition gathers one range from every input and sorts it.
 */
import { arr, checkOptions, intAtLeast, layerNode, lit, ref, type OptionSchema, type TaskNode } from '@pdask/core';
import { DataFrame } from './frame';
import { FrameLayer, opName, partitionKey } from './graph';
import { checkColumn } from './meta';
import { dataframeOps } from './ops/index';
import { NOT_YET, refusing } from './options';
import type { SortKey } from './ops/sort';
import { shuffleMethodOf, shuffleStage, type ShuffleMethod } from './shuffle-method';

export interface SortValuesOptions {
  /** Ascending (default) or descending; one per column when sorting by several. */
  ascending?: boolean | readonly boolean[];
  /** Where missing keys go, in either direction (default 'last', as pandas). */
  naPosition?: 'first' | 'last';
  /** Output partitions (default: as many as the input). */
  npartitions?: number;
  /** Keys sampled per partition to choose the boundaries (default 256). */
  sampleSize?: number;
}

const SORT_OPTIONS: OptionSchema<SortValuesOptions> = refusing<SortValuesOptions>(
  {
    ascending: (v) => (typeof v === 'boolean' || (Array.isArray(v) && v.every((x) => typeof x === 'boolean')) ? undefined : 'a boolean or an array of booleans'),
    naPosition: (v) => (v === 'first' || v === 'last' ? undefined : "'first' or 'last'"),
    npartitions: intAtLeast(1),
    sampleSize: intAtLeast(1),
  },
  { sortFunction: NOT_YET, sortFunctionKwargs: NOT_YET, setDivisions: NOT_YET },
);

export function sortValues(df: DataFrame, byInput: string | readonly string[], options?: SortValuesOptions, method = 'DataFrame.sortValues'): DataFrame {
  const opts = checkOptions(method, options, SORT_OPTIONS);
  const cols = typeof byInput === 'string' ? [byInput] : byInput;
  if (!Array.isArray(cols) || cols.length === 0) throw new TypeError(`${method}: by must be a column name or a non-empty array of column names`);
  for (const c of cols) {
    checkColumn(method, c, df.columns);
    if (df.typeOf(c).id === 'dict') throw new TypeError(`${method}: column '${c}' is a category; convert it with astype('string') first`);
  }
  const ascs = Array.isArray(opts.ascending) ? (opts.ascending as readonly boolean[]) : cols.map(() => (opts.ascending as boolean | undefined) ?? true);
  if (ascs.length !== cols.length) throw new RangeError(`${method}: ascending has ${ascs.length} values for ${cols.length} columns`);
  const naFirst = opts.naPosition === 'first';
  // The ranges are cut on the first column; each range is then sorted by every column (as Dask does).
  const multi = cols.length > 1 || naFirst;
  const by = cols[0];
  const ascending = ascs[0];
  const n = opts.npartitions ?? df.npartitions;
  const sampleSize = opts.sampleSize ?? 256;
  const shuffle = shuffleMethodOf(method);
  const via = shuffle === 'p2p' ? [shuffle] : [];
  const name = multi ? opName('sort-values', df.name, cols, ascs, naFirst, n, sampleSize, ...via) : opName('sort-values', df.name, by, ascending, n, sampleSize, ...via);
  const column = by;
  const ops = dataframeOps;
  const layer = new FrameLayer(name, 'sort-values', () => {
    const tasks: TaskNode[] = [];
    const bounds = `${name}-boundaries`;
    const samples = Array.from({ length: df.npartitions }, (_, i) => {
      const key = `${name}-sample-${i}`;
      tasks.push(ops.sampleSortKeys.task(key, ref(partitionKey(df.name, i)), lit(column), lit(sampleSize)));
      return ref(key);
    });
    tasks.push(ops.rangeBoundaries.task(bounds, arr(samples), lit(n)));
    const stage = shuffleStage(name, df.npartitions, n, (split, i) => (multi ? ops.rangeSplit.task(split, ref(partitionKey(df.name, i)), lit(column), ref(bounds), lit(ascending), lit(n), lit(naFirst)) : ops.rangeSplit.task(split, ref(partitionKey(df.name, i)), lit(column), ref(bounds), lit(ascending), lit(n))), shuffle);
    tasks.push(...stage.tasks);
    for (let b = 0; b < n; b++) {
      const pieces = stage.pieces(b);
      tasks.push(multi ? ops.sortPieces.task(partitionKey(name, b), pieces, lit(column), lit(ascending), lit(cols), lit(ascs), lit(naFirst)) : ops.sortPieces.task(partitionKey(name, b), pieces, lit(column), lit(ascending)));
    }
    return tasks;
  });
  // The boundaries are only known when the graph runs: divisions are unknown.
  return new DataFrame(name, n, layerNode(layer, [df.layer]), null, df.meta);
}

/** The smallest and largest key of the column and about how many rows each range will hold (from a sample). */
export interface KeyExtent {
  readonly lo: SortKey;
  readonly hi: SortKey;
  readonly rowsPerRange: number;
}

/**
 * The rows cut into the ranges of known boundaries (ascending; range r holds the keys in
 * [bounds[r-1], bounds[r]), missing keys last) and each range sorted: the shuffle of a setIndex
 * whose divisions are known before the graph runs.
 */
export function sortIntoRanges(df: DataFrame, column: string, bounds: readonly SortKey[], shuffle: ShuffleMethod = shuffleMethodOf('DataFrame.setIndex'), extent?: KeyExtent): DataFrame {
  const n = bounds.length + 1;
  const via = shuffle === 'p2p' ? [shuffle] : [];
  const within = extent ? [extent.lo, extent.hi, extent.rowsPerRange] : [];
  const name = opName('set-index-sort', df.name, column, bounds, ...within, ...via);
  const ops = dataframeOps;
  // With the extent known, the split also lays each piece out in the buckets of the sort.
  const split = (key: string, i: number): TaskNode =>
    extent
      ? ops.rangeSplitBuckets.task(key, ref(partitionKey(df.name, i)), lit(column), lit(bounds), lit(extent.lo), lit(extent.hi), lit(extent.rowsPerRange))
      : ops.rangeSplit.task(key, ref(partitionKey(df.name, i)), lit(column), lit(bounds), lit(true), lit(n));
  const layer = new FrameLayer(name, 'sort-values', () => {
    const tasks: TaskNode[] = [];
    const stage = shuffleStage(name, df.npartitions, n, split, shuffle);
    tasks.push(...stage.tasks);
    for (let b = 0; b < n; b++) tasks.push(ops.sortPieces.task(partitionKey(name, b), stage.pieces(b), lit(column), lit(true)));
    return tasks;
  });
  return new DataFrame(name, n, layerNode(layer, [df.layer]), null, df.meta);
}
