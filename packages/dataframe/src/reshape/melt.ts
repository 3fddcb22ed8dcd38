/** melt (pandas' wide to long), partition by partition as Dask's: every value column in turn, below each other. */
import { checkOptions, lit, ref, type OptionSchema } from '@pdask/core';
import { partitionwise } from '../base';
import type { DataFrame } from '../frame';
import { DataFrame as Frame } from '../frame';
import { partitionKey } from '../graph';
import { checkColumn, isNumericDesc } from '../meta';
import { dataframeOps } from '../ops/index';
import type { MeltSpec } from '../ops/reshape';
import { dtypeName, type TypeDesc } from '../ops/types';
import { refusing } from '../options';

export interface MeltOptions {
  /** Columns kept as identifiers (repeated on every row). */
  idVars?: string | readonly string[];
  /** Columns turned into rows (default: every column not in idVars). */
  valueVars?: string | readonly string[];
  /** Name of the column of former column names (default 'variable'). */
  varName?: string;
  /** Name of the column of values (default 'value'). */
  valueName?: string;
}

const names = (v: unknown): string | undefined => (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')) ? undefined : 'a column name or an array of them');
const MELT_OPTIONS: OptionSchema<MeltOptions> = refusing<MeltOptions>(
  { idVars: names, valueVars: names, varName: 'string', valueName: 'string' },
  { colLevel: 'not implemented (no MultiIndex columns)', ignoreIndex: 'not implemented: the index is always dropped, as Dask does' },
);

const same = (a: TypeDesc, b: TypeDesc): boolean => JSON.stringify(a) === JSON.stringify(b);

export function meltOf(df: DataFrame, options: MeltOptions | undefined): DataFrame {
  const method = 'DataFrame.melt';
  const opts = checkOptions(method, options, MELT_OPTIONS);
  const list = (x: string | readonly string[] | undefined): string[] => (x === undefined ? [] : typeof x === 'string' ? [x] : [...x]);
  const idVars = list(opts.idVars);
  for (const c of idVars) checkColumn(method, c, df.columns);
  const valueVars = opts.valueVars === undefined ? df.columns.filter((c) => !idVars.includes(c)) : list(opts.valueVars);
  for (const c of valueVars) checkColumn(method, c, df.columns);
  const varName = opts.varName ?? 'variable';
  const valueName = opts.valueName ?? 'value';
  if (idVars.includes(varName) || idVars.includes(valueName) || varName === valueName) throw new Error(`${method}: the output columns ${[...idVars, varName, valueName].map((c) => `'${c}'`).join(', ')} must be distinct`);
  // One dtype for the values: the columns' own when they agree, float64 for mixed numbers; other mixes would be pandas' object.
  const types = valueVars.map((c) => df.typeOf(c));
  let valueType: TypeDesc = types[0] ?? { id: 'float', bits: 64 };
  for (let j = 1; j < types.length; j++) {
    if (same(types[j], valueType)) continue;
    if (isNumericDesc(types[j]) && isNumericDesc(valueType) && types[j].id !== 'bool' && valueType.id !== 'bool') valueType = { id: 'float', bits: 64 };
    else if ((types[j].id === 'utf8' || types[j].id === 'dict') && (valueType.id === 'utf8' || valueType.id === 'dict')) valueType = { id: 'utf8' };
    else throw new TypeError(`${method}: the value columns have dtypes ${valueVars.map((c, k) => `${c}: ${dtypeName(types[k])}`).join(', ')}; pandas would make an object column. Convert them to one dtype with astype first`);
  }
  const spec: MeltSpec = { idVars, valueVars, varName, valueName, valueType };
  const { name, layer } = partitionwise([df], { kind: 'melt', token: [spec], task: (key, i) => dataframeOps.meltPart.task(key, ref(partitionKey(df.name, i)), lit(spec)) });
  return new Frame(name, df.npartitions, layer, null, { names: [...idVars, varName, valueName], types: [...idVars.map((c) => df.typeOf(c)), { id: 'utf8' }, valueType], index: null });
}
