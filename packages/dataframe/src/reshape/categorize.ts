/**
 * `await df.categorize({ columns })` (Dask's categorize): the string and category columns become
 * categories known to the frame, computed now (each column's categories as `cat.asKnown` finds
 * them), so that getDummies and pivotTable know their output columns.
 */
import { checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import type { DataFrame } from '../frame';
import { checkColumn } from '../meta';
import { COMPUTE_OPTION_NAMES } from '@pdask/core';
import { setKnownCategories } from './known';
import type { Series } from '../series';

export interface CategorizeOptions extends ComputeOptions {
  /** The columns (default: every string and category column). */
  columns?: readonly string[];
}

export async function categorizeOf(df: DataFrame, options: CategorizeOptions | undefined): Promise<DataFrame> {
  const method = 'DataFrame.categorize';
  const opts = checkOptions(method, options, { ...COMPUTE_OPTION_NAMES, columns: (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'an array of column names') } as unknown as OptionSchema<CategorizeOptions>);
  const { columns, ...compute } = opts;
  const cols = columns ? [...columns] : df.columns.filter((c) => ['utf8', 'dict'].includes(df.typeOf(c).id));
  for (const c of cols) {
    checkColumn(method, c, df.columns);
    const id = df.typeOf(c).id;
    if (id !== 'utf8' && id !== 'dict') throw new TypeError(`${method}: column '${c}' has dtype ${df.dtypes[c]}; only string and category columns are categorized`);
  }
  const known: Record<string, Series> = {};
  const cats: Record<string, readonly string[]> = {};
  for (const c of cols) {
    const s = df.col(c);
    const k = await (s.typeDesc.id === 'dict' ? s : s.astype('category')).cat.asKnown(compute);
    known[c] = k;
    cats[c] = k.cat.categories;
  }
  const out = cols.length ? df.assign(known) : df;
  setKnownCategories(out.name, cats);
  return out;
}
