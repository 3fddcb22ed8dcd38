/**
 * Lazy missing-data and column bookkeeping operations of frames and series: isna/notna, fillna,
 * dropna, astype, rename, drop. Each is one task per partition; types are checked here, when the
 * graph is built, so a bad value or dtype fails before anything runs, naming the column.
 */
import { checkOptions, intAtLeast, lit, ref, type OptionSchema } from '@pdask/core';
import { partitionwise } from './base';
import { parseDtype, type Dtype } from './dtypes';
import { DataFrame } from './frame';
import { partitionKey } from './graph';
import { checkColumn } from './meta';
import { dataframeOps } from './ops/index';
import type { FillValue } from './ops/missing';
import { dtypeName, type TypeDesc } from './ops/types';
import { Series } from './series';
import { NOT_YET, refusing } from './options';
import { checkNotReserved } from './reserved';
import { rowOffsets } from './row-offsets';

const BOOL: TypeDesc = { id: 'bool' };

export interface DropnaOptions {
  /** The columns looked at (default: all). */
  subset?: readonly string[];
  /** Drop a row when 'any' (default) or 'all' of those columns are missing. */
  how?: 'any' | 'all';
  /** Keep the rows with at least this many non-missing values in `subset` (instead of `how`). */
  thresh?: number;
}

export interface RenameOptions {
  /** Old name → new name. */
  columns: Readonly<Record<string, string>>;
}

type Lazy = DataFrame | Series;

/** The same kind of collection over new partitions, with new column types/names. */
function rebuild<C extends Lazy>(c: C, name: string, layer: DataFrame['layer'], names: readonly string[], types: readonly TypeDesc[], divisions = c.divisions, label?: string | null): C {
  if (c instanceof DataFrame) return new DataFrame(name, c.npartitions, layer, divisions, { ...c.meta, names: [...names], types: [...types] }) as C;
  const s = c as Series;
  return new Series(name, s.npartitions, layer, divisions, { ...s.meta, name: names[0], type: types[0], ...(label !== undefined ? { label } : {}) }) as C;
}

function columnsOf(c: Lazy): { names: readonly string[]; types: readonly TypeDesc[] } {
  return c instanceof DataFrame ? { names: c.meta.names, types: c.meta.types } : { names: [c.seriesName], types: [c.typeDesc] };
}

export function isnaOf<C extends Lazy>(c: C, negate: boolean): C {
  const { names } = columnsOf(c);
  const { name, layer } = partitionwise([c], { kind: negate ? 'notna' : 'isna', token: [], task: (key, i) => dataframeOps.isnaColumns.task(key, ref(partitionKey(c.name, i)), lit(negate)) });
  return rebuild(c, name, layer, names, names.map(() => BOOL));
}

/** Whether `value` can fill a column of type t without changing its type. */
function fits(value: FillValue, t: TypeDesc): boolean {
  if (t.id === 'float') return typeof value === 'number';
  if (t.id === 'int') return typeof value === 'number' && Number.isInteger(value);
  if (t.id === 'bool') return typeof value === 'boolean';
  if (t.id === 'utf8') return typeof value === 'string';
  return false;
}

function checkFillValue(v: unknown, method: string, what: string): FillValue {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  throw new TypeError(`${method}: the value for ${what} must be a number, string or boolean, got ${v === null ? 'null' : typeof v}`);
}

/**
 * A scalar fills every column whose type can hold it (numbers: numeric columns; strings: string
 * columns; booleans: bool columns) and leaves the others; `{ col: value }` fills those columns and
 * fails naming a column whose type cannot hold its value (pandas would change the column's type).
 */
export function fillnaOf<C extends Lazy>(c: C, value: FillValue | Readonly<Record<string, FillValue>>, method: string): C {
  const { names, types } = columnsOf(c);
  const cols: string[] = [];
  const vals: FillValue[] = [];
  if (typeof value === 'object' && value !== null && c instanceof DataFrame) {
    for (const [col, v] of Object.entries(value)) {
      checkColumn(method, col, names);
      const fv = checkFillValue(v, method, `column '${col}'`);
      const t = types[names.indexOf(col)];
      if (!fits(fv, t)) throw new TypeError(`${method}: column '${col}' has dtype ${dtypeName(t)}; it cannot be filled with ${typeof fv} ${JSON.stringify(fv)}`);
      cols.push(col);
      vals.push(fv);
    }
  } else {
    const fv = checkFillValue(value, method, 'value');
    names.forEach((n, j) => {
      if (fits(fv, types[j])) (cols.push(n), vals.push(fv));
    });
    if (c instanceof Series && cols.length === 0) throw new TypeError(`${method}: series '${c.seriesName}' has dtype ${c.dtype}; it cannot be filled with ${typeof fv} ${JSON.stringify(fv)}`);
  }
  if (cols.length === 0) return c;
  const { name, layer } = partitionwise([c], { kind: 'fillna', token: [cols, vals], task: (key, i) => dataframeOps.fillnaColumns.task(key, ref(partitionKey(c.name, i)), lit(cols), lit(vals)) });
  return rebuild(c, name, layer, names, types);
}

const DROPNA_OPTIONS: OptionSchema<DropnaOptions> = refusing<DropnaOptions>(
  { subset: (v) => (Array.isArray(v) ? undefined : 'an array of column names'), how: { oneOf: ['any', 'all'] }, thresh: intAtLeast(0) },
  { axis: `${NOT_YET}: only rows are dropped`, inplace: 'pdask collections are immutable', ignoreIndex: NOT_YET },
);

export function dropnaOf<C extends Lazy>(c: C, options: DropnaOptions | undefined, method: string): C {
  const opts = checkOptions(method, options, DROPNA_OPTIONS);
  const { names, types } = columnsOf(c);
  // pandas 2 refuses both together (1.5 lets thresh win silently): one rule decides which rows stay.
  if (opts.thresh !== undefined && opts.how !== undefined) throw new TypeError(`${method}: give how or thresh, not both`);
  const how = opts.how ?? 'any';
  const subset = opts.subset === undefined ? [...names] : opts.subset;
  for (const s of subset) checkColumn(method, s, names);
  const thresh = opts.thresh ?? null;
  const { name, layer } = partitionwise([c], { kind: 'dropna', token: [subset, how, thresh], task: (key, i) => dataframeOps.dropnaRows.task(key, ref(partitionKey(c.name, i)), lit(subset), lit(how), lit(thresh)) });
  // Rows go away, so the row-position divisions are no longer known.
  return rebuild(c, name, layer, names, types, null);
}

export function astypeOf<C extends Lazy>(c: C, dtype: Dtype | Readonly<Record<string, Dtype>>, method: string): C {
  if (typeof dtype !== 'string' && (typeof dtype !== 'object' || dtype === null)) throw new TypeError(`${method}: expected a dtype name or { column: dtype }, got ${dtype === null ? 'null' : typeof dtype}`);
  const { names, types } = columnsOf(c);
  const wanted: [string, TypeDesc][] =
    typeof dtype === 'string' ? names.map((n) => [n, parseDtype(dtype, method, `column '${n}'`)]) : Object.entries(dtype).map(([n, d]) => [checkColumn(method, n, names), parseDtype(d, method, `column '${n}'`)]);
  const cols = wanted.map(([n]) => n);
  const to = wanted.map(([, t]) => t);
  // Errors name the row of the whole frame, so each task learns where its partition starts.
  const offsets = rowOffsets(c);
  const { name, layer } = partitionwise([c], { kind: 'astype', token: [cols, to], parents: [offsets.node], task: (key, i) => dataframeOps.astypeColumns.task(key, ref(partitionKey(c.name, i)), lit(cols), lit(to), offsets.arg(i)) });
  const outTypes = names.map((n, j) => (cols.includes(n) ? to[cols.indexOf(n)] : types[j]));
  return rebuild(c, name, layer, names, outTypes);
}

function renamed<C extends Lazy>(c: C, from: string[], to: string[], label?: string | null): C {
  const { names, types } = columnsOf(c);
  const { name, layer } = partitionwise([c], { kind: 'rename', token: [from, to], task: (key, i) => dataframeOps.renameColumns.task(key, ref(partitionKey(c.name, i)), lit(from), lit(to)) });
  return rebuild(c, name, layer, names.map((n) => (from.includes(n) ? to[from.indexOf(n)] : n)), types, c.divisions, label);
}

/** Unknown old names fail (pandas ignores them by default): a typo would otherwise do nothing. */
const RENAME_OPTIONS: OptionSchema<RenameOptions> = refusing<RenameOptions>(
  { columns: 'object' },
  { index: `${NOT_YET}: pdask frames made from data have no index labels to rename`, mapper: `${NOT_YET}: give { columns: { old: 'new' } }`, axis: NOT_YET, errors: `${NOT_YET}: unknown old names always fail`, inplace: 'pdask collections are immutable', level: NOT_YET },
);

export function renameFrame(df: DataFrame, options: RenameOptions): DataFrame {
  const method = 'DataFrame.rename';
  const opts = checkOptions(method, options, RENAME_OPTIONS);
  if (typeof opts.columns !== 'object' || opts.columns === null) throw new TypeError(`${method}: expected { columns: { old: 'new', ... } }`);
  const from = Object.keys(opts.columns);
  const to = from.map((f) => {
    checkColumn(method, f, df.meta.names);
    const t = opts.columns[f];
    if (typeof t !== 'string') throw new TypeError(`${method}: the new name of column '${f}' must be a string, got ${typeof t}`);
    return checkNotReserved(method, t);
  });
  const out = df.meta.names.map((n) => (from.includes(n) ? to[from.indexOf(n)] : n));
  const dup = out.find((n, i) => out.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`${method}: the renamed frame would have two columns named '${dup}'`);
  return renamed(df, from, to);
}

export function renameSeries(s: Series, newName: string): Series {
  if (typeof newName !== 'string') throw new TypeError(`Series.rename: expected the new name as a string, got ${typeof newName}`);
  checkNotReserved('Series.rename', newName);
  return renamed(s, [s.seriesName], [newName], newName);
}

export function dropColumns(df: DataFrame, columns: string | readonly string[]): DataFrame {
  const method = 'DataFrame.drop';
  const drop = typeof columns === 'string' ? [columns] : columns;
  if (!Array.isArray(drop)) throw new TypeError(`${method}: expected a column name or an array of column names`);
  for (const c of drop) checkColumn(method, c, df.meta.names);
  const keep = df.meta.names.filter((n) => !drop.includes(n));
  const { name, layer } = partitionwise([df], { kind: 'drop', token: [keep], task: (key, i) => dataframeOps.selectColumns.task(key, ref(partitionKey(df.name, i)), lit(keep)) });
  return new DataFrame(name, df.npartitions, layer, df.divisions, { ...df.meta, names: keep, types: keep.map((n) => df.typeOf(n)) });
}
