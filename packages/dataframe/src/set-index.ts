/**
 * setIndex (Dask's set_index) and resetIndex. As in Dask, setIndex finds the divisions while it
 * is called: for a sort, the quantiles of a sample of the column (then a range shuffle into those
 * divisions); for sorted data, each partition's minimum and maximum. So it computes, and returns a
 * promise. Given `divisions`, it computes nothing before the graph runs.
 * resetIndex turns the index levels back into columns, named by their levels.
 */
import { arr, checkOptions, intAtLeast, layerNode, lit, ref, type ComputeOptions, type OptionSchema, type TaskNode } from '@pdask/core';
import { partitionwise, type DivisionValue } from './base';
import { DataFrame } from './frame';
import { FrameLayer, opName, partitionKey } from './graph';
import { checkDivisions, compareLabels } from './index-ops/divisions';
import { withExplicitIndex } from './index-ops/common';
import { checkColumn } from './meta';
import { dataframeOps } from './ops/index';
import type { ColumnStats } from './ops/index-ops';
import { rangeBoundaries, type KeySample } from './ops/sort';
import { indexColumn } from './ops/spec';
import { Scalar } from './scalar';
import { Series } from './series';
import { sortIntoRanges } from './sort';
import { checkWithCompute, NOT_YET, refusing } from './options';
import { shuffleMethodOf, shuffleMethodRule, type ShuffleMethod } from './shuffle-method';

export interface SetIndexOptions extends ComputeOptions {
  /** The frame is already sorted by the column: no shuffle (Dask's sorted=True). */
  sorted?: boolean;
  /** Output partitions of the sort (default: as many as the input). */
  npartitions?: number;
  /** The divisions to sort into (or, with sorted: true, of the sorted data): nothing is computed to find them. */
  divisions?: readonly DivisionValue[];
  /** Remove the column from the columns (default true, as pandas). */
  drop?: boolean;
  /** Keys sampled per partition to choose the divisions of a sort (default 256). */
  sampleSize?: number;
  /** How the sort moves rows: 'p2p' or 'tasks' (Dask's shuffle=; default: config 'dataframe.shuffle.method'). */
  shuffle?: ShuffleMethod;
}

const SET_INDEX_OPTIONS: OptionSchema<Omit<SetIndexOptions, keyof ComputeOptions>> = refusing<Omit<SetIndexOptions, keyof ComputeOptions>>(
  { sorted: 'boolean', npartitions: intAtLeast(1), divisions: (v) => (Array.isArray(v) ? undefined : 'an array of index values'), drop: 'boolean', sampleSize: intAtLeast(1), shuffle: shuffleMethodRule },
  { partitionSize: NOT_YET, inplace: 'pdask collections are immutable', upsample: NOT_YET },
);

/** Checks the call at once (errors are thrown, not rejected), then computes what the divisions need. */
export function setIndex(df: DataFrame, column: string, options?: SetIndexOptions): Promise<DataFrame> {
  const method = 'DataFrame.setIndex';
  const { own: opts, compute } = checkWithCompute(method, options, SET_INDEX_OPTIONS);
  checkColumn(method, column, df.columns);
  if (opts.sorted && opts.npartitions !== undefined) throw new TypeError(`${method}: npartitions applies to the sort, which sorted: true skips; give one of them`);
  if (opts.divisions !== undefined && opts.npartitions !== undefined) throw new TypeError(`${method}: give npartitions or divisions, not both`);
  const t = df.typeOf(column);
  if (t.id === 'dict') throw new TypeError(`${method}: column '${column}' is a category; convert it with astype('string') first`);
  const divisions = opts.divisions === undefined ? undefined : checkDivisions(opts.divisions, method);
  const drop = opts.drop ?? true;
  const shuffle = shuffleMethodOf(method, opts.shuffle);
  if (divisions && opts.sorted) {
    if (divisions.length - 1 !== df.npartitions) throw new RangeError(`${method}: ${divisions.length} divisions given for ${df.npartitions} partitions (npartitions + 1 are needed)`);
    return Promise.resolve(indexed(df, column, drop, divisions));
  }
  if (divisions) return Promise.resolve(indexed(sortIntoRanges(df, column, divisions.slice(1, -1), shuffle), column, drop, divisions));
  return opts.sorted ? sortedDivisions(df, column, drop, compute, method) : sortedByQuantiles(df, column, drop, opts.npartitions ?? df.npartitions, opts.sampleSize ?? 256, compute, shuffle);
}

/** The column moved into the index of every partition. */
function indexed(input: DataFrame, column: string, drop: boolean, divisions: readonly DivisionValue[] | null, source?: DataFrame): DataFrame {
  const op = drop ? dataframeOps.setIndexColumn : dataframeOps.setIndexKeep;
  const { name, layer } = partitionwise([input], { kind: 'set-index', token: [column, drop], task: (key, i) => op.task(key, ref(partitionKey(input.name, i)), lit(column)) });
  const df = source ?? input;
  const names = drop ? df.columns.filter((c) => c !== column) : df.columns;
  return new DataFrame(name, input.npartitions, layer, divisions, { names, types: names.map((n) => df.typeOf(n)), index: { levels: [{ type: df.typeOf(column), name: column }] } });
}

/** One task per partition computing `task`, and their results as one list, computed now. */
function gather<T>(df: DataFrame, kind: string, task: (key: string, i: number) => TaskNode, compute: ComputeOptions): Promise<readonly T[]> {
  const name = opName(kind, df.name);
  const layer = new FrameLayer(name, kind, () => {
    const tasks = Array.from({ length: df.npartitions }, (_, i) => task(`${name}-${i}`, i));
    tasks.push(dataframeOps.listOf.task(name, arr(tasks.map((_, i) => ref(`${name}-${i}`)))));
    return tasks;
  });
  return new Scalar<readonly T[]>(name, layerNode(layer, [df.layer])).compute(compute);
}

/**
 * Sorted data: the divisions are each partition's minimum and the last maximum (Dask's
 * compute_and_set_divisions). Empty partitions are left out, as Dask does; partitions out of order
 * or overlapping are refused.
 */
async function sortedDivisions(df: DataFrame, column: string, drop: boolean, compute: ComputeOptions, method: string): Promise<DataFrame> {
  const stats = await gather<ColumnStats>(df, 'set-index-stats', (key, i) => dataframeOps.columnStats.task(key, ref(partitionKey(df.name, i)), lit(column)), compute);
  const keep: number[] = [];
  stats.forEach((s, i) => {
    if (s.rows === 0) return;
    if (s.count < s.rows) throw new Error(`${method}: column '${column}' has missing values in partition ${i}; an index of sorted data cannot hold them (drop them, or sort without sorted: true)`);
    if (!s.sorted) throw new Error(`${method}: column '${column}' is not sorted within partition ${i}; call setIndex without sorted: true to sort it`);
    const prev = keep.length ? stats[keep[keep.length - 1]] : null;
    if (prev && compareLabels(prev.max!, s.min!) >= 0) {
      throw new Error(`${method}: partitions ${keep[keep.length - 1]} and ${i} overlap (the maximum ${JSON.stringify(prev.max)} is not below the next minimum ${JSON.stringify(s.min)}); call setIndex without sorted: true to sort the column`);
    }
    keep.push(i);
  });
  if (keep.length === 0) return indexed(df, column, drop, null);
  const divisions = [...keep.map((i) => stats[i].min!), stats[keep[keep.length - 1]].max!];
  let input = df;
  if (keep.length < df.npartitions) {
    const name = opName('drop-empty', df.name, keep);
    const layer = new FrameLayer(name, 'drop-empty', function* () {
      for (let j = 0; j < keep.length; j++) yield dataframeOps.concatParts.task(partitionKey(name, j), arr([ref(partitionKey(df.name, keep[j]))]));
    });
    input = new DataFrame(name, keep.length, layerNode(layer, [df.layer]), null, df.meta);
  }
  return indexed(input, column, drop, divisions, df);
}

/**
 * A sort: divisions at the quantiles of a sample of the column (with its minimum and maximum at the
 * ends), repeats dropped as Dask does (fewer partitions when the column has few distinct values).
 */
async function sortedByQuantiles(df: DataFrame, column: string, drop: boolean, n: number, sampleSize: number, compute: ComputeOptions, shuffle: ShuffleMethod): Promise<DataFrame> {
  const samples = await gather<KeySample>(df, 'set-index-sample', (key, i) => dataframeOps.sampleSortKeys.task(key, ref(partitionKey(df.name, i)), lit(column), lit(sampleSize)), compute);
  const present = samples.filter((s) => s.count > 0);
  if (present.length === 0) return indexed(df, column, drop, null);
  const min = present.map((s) => s.min!).reduce((a, b) => (compareLabels(a, b) <= 0 ? a : b));
  const max = present.map((s) => s.max!).reduce((a, b) => (compareLabels(a, b) >= 0 ? a : b));
  const all = [min, ...rangeBoundaries(samples, n), max];
  const divisions = all.filter((x, i) => i === 0 || compareLabels(all[i - 1], x) < 0);
  if (divisions.length === 1) divisions.push(divisions[0]);
  const rows = present.reduce((a, s) => a + s.count, 0);
  const extent = typeof min === 'number' && typeof max === 'number' ? { lo: min, hi: max, rowsPerRange: rows / (divisions.length - 1) } : undefined;
  return indexed(sortIntoRanges(df, column, divisions.slice(1, -1), shuffle, extent), column, drop, divisions, df);
}

export interface ResetIndexOptions {
  /** Drop the index instead of making it columns (pandas' drop=True). */
  drop?: boolean;
}

const RESET_OPTIONS: OptionSchema<ResetIndexOptions> = refusing<ResetIndexOptions>({ drop: 'boolean' }, { level: NOT_YET, inplace: 'pdask collections are immutable', colLevel: NOT_YET, colFill: NOT_YET, names: NOT_YET });

/**
 * The index levels as the first columns (pandas' reset_index), named by their names ('index' or
 * 'level_j' when unnamed), or dropped. Each partition's rows are then numbered from 0, so the
 * divisions become unknown, as in Dask. A frame without an index gets its row positions as the
 * column 'index' when its divisions are known (they give the positions); with unknown divisions
 * it is returned as it is.
 */
export function resetIndex<C extends DataFrame | Series>(c: C, options?: ResetIndexOptions): DataFrame | C {
  const method = c instanceof DataFrame ? 'DataFrame.resetIndex' : 'Series.resetIndex';
  const opts = checkOptions(method, options, RESET_OPTIONS);
  if (!c.meta.index && c instanceof DataFrame && (c.divisions === null || opts.drop)) return opts.drop ? new DataFrame(c.name, c.npartitions, c.layer, null, c.meta) : c;
  const src = c.meta.index ? c : withExplicitIndex(c, method);
  const levels = src.meta.index?.levels ?? [];
  const cols = src instanceof DataFrame ? src.meta.names : [(src as Series).seriesName];
  const types = src instanceof DataFrame ? src.meta.types : [(src as Series).typeDesc];
  if (opts.drop) {
    const { name, layer } = partitionwise([src], { kind: 'reset-index-drop', token: [], task: (key, i) => dataframeOps.dropIndex.task(key, ref(partitionKey(src.name, i))) });
    if (src instanceof Series) return new Series(name, src.npartitions, layer, null, { ...src.meta, index: null }) as C;
    return new DataFrame(name, src.npartitions, layer, null, { names: cols, types, index: null });
  }
  const names = levels.map((l, j) => l.name ?? (levels.length === 1 ? 'index' : `level_${j}`));
  for (const n of names) if (cols.includes(n)) throw new Error(`${method}: the index level '${n}' cannot become a column: a column of that name exists`);
  const from = levels.map((_, j) => indexColumn(j));
  const { name, layer } = partitionwise([src], { kind: 'reset-index', token: [from, names], task: (key, i) => dataframeOps.renameColumns.task(key, ref(partitionKey(src.name, i)), lit(from), lit(names)) });
  return new DataFrame(name, src.npartitions, layer, null, { names: [...names, ...cols], types: [...levels.map((l) => l.type), ...types], index: null });
}
