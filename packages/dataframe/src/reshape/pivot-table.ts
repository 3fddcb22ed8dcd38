/**
 * pivotTable (Dask's pivot_table): a group-by on [index, columns] aggregated by a tree reduction,
 * then spread into one float64 column per category. As in Dask, `columns` must be a category
 * column with known categories (the output's columns), and missing combinations are 0 for sum and
 * count, NaN for the others.
 */
import { checkOptions, lit, ref, type OptionSchema } from '@pdask/core';
import { partitionwise } from '../base';
import { DataFrame } from '../frame';
import { partitionKey } from '../graph';
import { checkColumn, isNumericDesc } from '../meta';
import { dataframeOps } from '../ops/index';
import type { TypeDesc } from '../ops/types';
import { refusing } from '../options';
import type { Series } from '../series';
import { knownCategories } from './known';

export type PivotAgg = 'mean' | 'sum' | 'count' | 'first' | 'last';

export interface PivotTableOptions {
  /** The column whose values label the rows. */
  index: string;
  /** The category column whose (known) categories become the columns. */
  columns: string;
  /** The column aggregated. */
  values: string;
  /** 'mean' (default), 'sum', 'count', 'first' or 'last'. */
  aggfunc?: PivotAgg;
}

const col = (v: unknown): string | undefined => (typeof v === 'string' ? undefined : 'a column name');
const PIVOT_OPTIONS: OptionSchema<PivotTableOptions> = refusing<PivotTableOptions>(
  { index: col, columns: col, values: col, aggfunc: (v) => (['mean', 'sum', 'count', 'first', 'last'].includes(v as string) ? undefined : "'mean', 'sum', 'count', 'first' or 'last'") },
  { fillValue: 'not implemented', margins: 'not implemented', dropna: 'not implemented', marginsName: 'not implemented', observed: 'not implemented', sort: 'not implemented' },
);

const F64: TypeDesc = { id: 'float', bits: 64 };

export function pivotTableOf(df: DataFrame, options: PivotTableOptions): DataFrame {
  const method = 'DataFrame.pivotTable';
  const opts = checkOptions(method, options, PIVOT_OPTIONS);
  for (const k of ['index', 'columns', 'values'] as const) {
    if (opts[k] === undefined) throw new TypeError(`${method}: give ${k} (a column name)`);
    checkColumn(method, opts[k], df.columns);
  }
  if (df.typeOf(opts.columns).id !== 'dict') throw new Error(`${method}: 'columns' must be category dtype (column '${opts.columns}' is ${df.dtypes[opts.columns]}); convert it with astype('category') and then await df.categorize({ columns: ['${opts.columns}'] })`);
  const cats = knownCategories(df.name, opts.columns);
  if (!cats) throw new Error(`${method}: 'columns' must have known categories. Please use \`df[columns].cat.as_known()\` beforehand to ensure known categories (here: await df.categorize({ columns: ['${opts.columns}'] }))`);
  if (!isNumericDesc(df.typeOf(opts.values))) throw new TypeError(`${method}: 'values' must refer to an existing column of numbers; '${opts.values}' is ${df.dtypes[opts.values]}`);
  const agg = opts.aggfunc ?? 'mean';
  const g = df.groupby([opts.index, opts.columns]).col(opts.values);
  const grouped: Series = g[agg]();
  const fill = agg === 'sum' || agg === 'count' ? 0 : NaN;
  const { name, layer } = partitionwise([grouped], {
    kind: 'pivot-table',
    token: [cats, fill],
    task: (key, i) => dataframeOps.pivotUnstack.task(key, ref(partitionKey(grouped.name, i)), lit(grouped.seriesName), lit(cats), lit(fill)),
  });
  return new DataFrame(name, grouped.npartitions, layer, null, { names: [...cats], types: cats.map(() => F64), index: { levels: [{ name: opts.index, type: df.typeOf(opts.index) }] } });
}
