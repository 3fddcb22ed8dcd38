/**
 * getDummies (Dask's get_dummies): one uint8 column per category, partition by partition. As in
 * Dask, the categories must be known when the graph is built.
 */
import { checkOptions, lit, ref, type OptionSchema } from '@pdask/core';
import { partitionwise } from '../base';
import { DataFrame } from '../frame';
import { partitionKey } from '../graph';
import { checkColumn } from '../meta';
import { dataframeOps } from '../ops/index';
import type { DummiesSpec } from '../ops/reshape';
import type { TypeDesc } from '../ops/types';
import { refusing } from '../options';
import { Series } from '../series';
import { knownCategories } from './known';

export interface GetDummiesOptions {
  /** The frame's columns to encode (default: every category column). */
  columns?: readonly string[];
  /** Prefix of the new columns' names (default: the column's name; none for a series). */
  prefix?: string | Readonly<Record<string, string>>;
  /** Between prefix and category (default '_'). */
  prefixSep?: string;
}

const GET_DUMMIES_OPTIONS: OptionSchema<GetDummiesOptions> = refusing<GetDummiesOptions>(
  {
    columns: (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'an array of column names'),
    prefix: (v) => (typeof v === 'string' || (typeof v === 'object' && v !== null && !Array.isArray(v)) ? undefined : 'a string or { column: prefix }'),
    prefixSep: 'string',
  },
  { dummyNa: 'not implemented', sparse: 'not implemented (no sparse columns)', dropFirst: 'not implemented', dtype: 'not implemented: columns are uint8, as pandas 1.5' },
);

const UNKNOWN = '`get_dummies` with unknown categories is not supported. Please use `column.cat.as_known()` or `df.categorize()` beforehand to ensure known categories';
const UINT8: TypeDesc = { id: 'int', bits: 8, signed: false };

export function getDummies(data: DataFrame | Series, options?: GetDummiesOptions): DataFrame {
  const method = 'getDummies';
  const opts = checkOptions(method, options, GET_DUMMIES_OPTIONS);
  const sep = opts.prefixSep ?? '_';
  let columns: string[];
  let categories: (readonly string[])[];
  let keep: string[];
  let prefixes: (string | null)[];
  if (data instanceof Series) {
    if (opts.columns) throw new TypeError(`${method}: columns is for frames; a series is encoded whole`);
    if (data.typeDesc.id !== 'dict') throw new TypeError(`${method}: series '${data.seriesName}' has dtype ${data.dtype}; data must have category dtype to know the output's columns (as Dask): use astype('category') and then await s.cat.asKnown()`);
    if (!data.cat.known) throw new Error(`${method}: ${UNKNOWN} (here: await s.cat.asKnown())`);
    columns = [data.seriesName];
    categories = [data.cat.categories];
    keep = [];
    prefixes = [typeof opts.prefix === 'string' ? opts.prefix : null];
  } else if (data instanceof DataFrame) {
    columns = opts.columns ? [...opts.columns] : data.columns.filter((c) => data.typeOf(c).id === 'dict');
    if (columns.length === 0) throw new Error(`${method}: the frame has no category columns; give { columns } of category dtype (astype('category'), then await df.categorize())`);
    categories = columns.map((c) => {
      checkColumn(method, c, data.columns);
      if (data.typeOf(c).id !== 'dict') throw new TypeError(`${method}: column '${c}' has dtype ${data.dtypes[c]}; data must have category dtype (as Dask): use await df.categorize({ columns: ['${c}'] })`);
      const k = knownCategories(data.name, c);
      if (!k) throw new Error(`${method}: ${UNKNOWN} (column '${c}'; here: await df.categorize())`);
      return k;
    });
    keep = data.columns.filter((c) => !columns.includes(c));
    prefixes = columns.map((c) => (typeof opts.prefix === 'string' ? opts.prefix : (opts.prefix?.[c] ?? c)));
  } else throw new TypeError(`${method}: expected a DataFrame or a Series, got ${data === null ? 'null' : typeof data}`);
  const spec: DummiesSpec = { columns, categories, keep, names: categories.map((cats, j) => cats.map((cat) => (prefixes[j] === null ? cat : `${prefixes[j]}${sep}${cat}`))) };
  const outNames = [...keep, ...spec.names.flat()];
  const dup = outNames.find((n, i) => outNames.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`${method}: the output would have two columns named '${dup}'`);
  const { name, layer } = partitionwise([data], { kind: 'get-dummies', token: [spec], task: (key, i) => dataframeOps.dummiesPart.task(key, ref(partitionKey(data.name, i)), lit(spec)) });
  const keepTypes = data instanceof DataFrame ? keep.map((c) => data.typeOf(c)) : [];
  return new DataFrame(name, data.npartitions, layer, data.divisions, { names: outNames, types: [...keepTypes, ...spec.names.flat().map(() => UINT8)], index: data.meta.index });
}
