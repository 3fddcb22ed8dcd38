/**
 * setIndex (Dask's set_index) and resetIndex. setIndex sorts by the column (sortValues: sampled
 * boundaries, a range shuffle) unless told the data is sorted, then moves it into the index.
 * resetIndex turns the index levels back into columns, named by their levels.
 */
import { checkOptions, intAtLeast, lit, ref, type OptionSchema } from '@pdask/core';
import { partitionwise } from './base';
import { DataFrame } from './frame';
import { partitionKey } from './graph';
import { checkColumn } from './meta';
import { dataframeOps } from './ops/index';
import { indexColumn } from './ops/spec';
import { Series } from './series';
import { sortValues } from './sort';
import { NOT_YET, refusing } from './options';

export interface SetIndexOptions {
  /** The frame is already sorted by the column: no shuffle (Dask's sorted=True). */
  sorted?: boolean;
  /** Output partitions of the sort (default: as many as the input). */
  npartitions?: number;
}

const SET_INDEX_OPTIONS: OptionSchema<SetIndexOptions> = refusing<SetIndexOptions>(
  { sorted: 'boolean', npartitions: intAtLeast(1) },
  { drop: `${NOT_YET}: the column always leaves the columns`, divisions: NOT_YET, partitionSize: NOT_YET, inplace: 'pdask collections are immutable' },
);

export function setIndex(df: DataFrame, column: string, options?: SetIndexOptions): DataFrame {
  const method = 'DataFrame.setIndex';
  const opts = checkOptions(method, options, SET_INDEX_OPTIONS);
  checkColumn(method, column, df.columns);
  if (opts.sorted && opts.npartitions !== undefined) throw new TypeError(`${method}: npartitions applies to the sort, which sorted: true skips; give one of them`);
  const input = opts.sorted ? df : sortValues(df, column, { npartitions: opts.npartitions }, method);
  const { name, layer } = partitionwise([input], { kind: 'set-index', token: [column], task: (key, i) => dataframeOps.setIndexColumn.task(key, ref(partitionKey(input.name, i)), lit(column)) });
  const names = df.columns.filter((c) => c !== column);
  return new DataFrame(name, input.npartitions, layer, null, { names, types: names.map((n) => df.typeOf(n)), index: { levels: [{ type: df.typeOf(column), name: column }] } });
}

/**
 * The index levels as the first columns (pandas' reset_index), named by their names ('index' or
 * 'level_j' when unnamed). A frame without an index is returned as it is: its labels are row
 * positions, which pdask does not store.
 */
export function resetIndex<C extends DataFrame | Series>(c: C): DataFrame {
  const method = c instanceof DataFrame ? 'DataFrame.resetIndex' : 'Series.resetIndex';
  const levels = c.meta.index?.levels ?? [];
  if (levels.length === 0 && c instanceof DataFrame) return c;
  const cols = c instanceof DataFrame ? c.meta.names : [(c as Series).seriesName];
  const types = c instanceof DataFrame ? c.meta.types : [(c as Series).typeDesc];
  const names = levels.map((l, j) => l.name ?? (levels.length === 1 ? 'index' : `level_${j}`));
  for (const n of names) if (cols.includes(n)) throw new Error(`${method}: the index level '${n}' cannot become a column: a column of that name exists`);
  const from = levels.map((_, j) => indexColumn(j));
  const { name, layer } = partitionwise([c], { kind: 'reset-index', token: [from, names], task: (key, i) => dataframeOps.renameColumns.task(key, ref(partitionKey(c.name, i)), lit(from), lit(names)) });
  return new DataFrame(name, c.npartitions, layer, c.divisions, { names: [...names, ...cols], types: [...levels.map((l) => l.type), ...types], index: null });
}
