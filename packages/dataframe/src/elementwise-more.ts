/**
 * Lazy value-by-value methods of series and frames (isin, between, where/mask, replace, map,
 * apply by rows, abs, round, clip): one task per partition. The result's dtype is decided here,
 * from the input's dtype and the values given, so a value the column cannot hold (a string put
 * into numbers: pandas' object columns) fails before anything runs, naming the column.
 */
import { checkOptions, fnArg, lit, ref, resolveOpSync, type ArgSpec, type OpFunction, type OptionSchema } from '@pdask/core';
import { checkAligned, partitionwise } from './base';
import { parseDtype, type Dtype } from './dtypes';
import { DataFrame } from './frame';
import { partitionKey } from './graph';
import type { Cell } from './local/labels';
import { fnOp } from './map-partitions';
import { checkColumn, isNumericDesc } from './meta';
import { cellKey } from './ops/cells';
import type { CondArg, ElemSpec, Inclusive } from './ops/elementwise-more';
import { dataframeOps } from './ops/index';
import { dtypeName, type TypeDesc } from './ops/types';
import { refusing } from './options';
import { Series } from './series';

const F64: TypeDesc = { id: 'float', bits: 64 };
const BOOL: TypeDesc = { id: 'bool' };
type Lazy = DataFrame | Series;

const show = (x: unknown): string => (typeof x === 'string' ? JSON.stringify(x) : typeof x === 'bigint' ? `${x}n` : String(x));

function columnsOf(c: Lazy): { names: readonly string[]; types: readonly TypeDesc[] } {
  return c instanceof DataFrame ? { names: c.meta.names, types: c.meta.types } : { names: [c.seriesName], types: [c.typeDesc] };
}

function checkCell(x: unknown, method: string, what: string): Cell {
  if (x === null || x === undefined) return null;
  if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean' || typeof x === 'bigint') return x;
  throw new TypeError(`${method}: ${what} must be a number, string, boolean, bigint or null, got ${Array.isArray(x) ? 'an array' : typeof x}`);
}

/** The dtype of a column of type t once `x` is put into it (pandas' upcasting), or an error naming the column. */
export function withValue(t: TypeDesc, x: Cell, method: string, column: string): TypeDesc {
  const refuse = (): never => {
    throw new TypeError(`${method}: column '${column}' has dtype ${dtypeName(t)} and cannot hold ${show(x)} (pandas would make an object column); convert the column with astype first`);
  };
  if (x === null || (typeof x === 'number' && x !== x)) {
    if (t.id === 'int') return t.nullable ? t : F64;
    if (t.id === 'bool') return { id: 'bool', nullable: true };
    return t;
  }
  switch (t.id) {
    case 'float':
      return typeof x === 'number' || typeof x === 'bigint' ? t : refuse();
    case 'int': {
      if (typeof x === 'bigint') return t.bits === 64 ? t : refuse();
      if (typeof x !== 'number') return refuse();
      if (!Number.isInteger(x)) return F64;
      if (t.bits === 64) return t;
      const lo = t.signed ? -(2 ** (t.bits - 1)) : 0;
      const hi = t.signed ? 2 ** (t.bits - 1) - 1 : 2 ** t.bits - 1;
      return x >= lo && x <= hi ? t : t.signed || x < 0 ? F64 : F64;
    }
    case 'bool':
      return typeof x === 'boolean' ? t : refuse();
    case 'utf8':
    case 'dict':
      return typeof x === 'string' ? t : refuse();
    case 'timestamp':
    case 'duration':
      return typeof x === 'bigint' ? t : refuse();
    case 'list':
    case 'struct':
      return refuse();
  }
}

function elementwise<C extends Lazy>(c: C, kind: string, columns: readonly string[], specs: readonly ElemSpec[], types: readonly TypeDesc[], method: string, cond?: { of: Lazy; columns: readonly string[] }): C {
  const parents = cond ? [cond.of.layer] : [];
  if (cond) checkAligned(c, cond.of, method);
  const condArg = (i: number): ArgSpec =>
    cond ? { t: 'obj', entries: [['part', ref(partitionKey(cond.of.name, i))], ['columns', lit(cond.columns)]] } : lit<CondArg | null>(null);
  const { name, layer } = partitionwise([c], {
    kind,
    token: [columns, specs, types, cond ? [cond.of.name, cond.columns] : null],
    parents,
    task: (key, i) => dataframeOps.elemColumns.task(key, ref(partitionKey(c.name, i)), lit(columns), lit(specs), lit(types), condArg(i), lit(method)),
  });
  const { names, types: before } = columnsOf(c);
  const outTypes = names.map((n, j) => (columns.includes(n) ? types[columns.indexOf(n)] : before[j]));
  if (c instanceof DataFrame) return new DataFrame(name, c.npartitions, layer, c.divisions, { ...c.meta, types: outTypes }) as C;
  const s = c as Series;
  return new Series(name, s.npartitions, layer, s.divisions, { ...s.meta, type: outTypes[0] }) as C;
}

/** Values looked for by `isin`: an array (of numbers, strings, booleans, bigints, null). */
function valueKeys(values: unknown, method: string): string[] {
  if (!Array.isArray(values) && !(values instanceof Set)) throw new TypeError(`${method}: values must be an array (or Set) of values, got ${values === null ? 'null' : typeof values}`);
  return [...new Set([...values].map((v, j) => cellKey(checkCell(v, method, `value ${j}`))))];
}

export function isinOf<C extends Lazy>(c: C, values: readonly Cell[] | ReadonlySet<Cell> | Readonly<Record<string, readonly Cell[]>>, method: string): C {
  const { names } = columnsOf(c);
  if (c instanceof DataFrame && typeof values === 'object' && values !== null && !Array.isArray(values) && !(values instanceof Set)) {
    // pandas: { column: values }; a column not named matches nothing.
    const rec = values as Readonly<Record<string, readonly Cell[]>>;
    for (const k of Object.keys(rec)) checkColumn(method, k, names);
    const specs = names.map((n): ElemSpec => ({ op: 'isin', keys: n in rec ? valueKeys(rec[n], method) : [] }));
    return elementwise(c, 'isin', names, specs, names.map(() => BOOL), method);
  }
  const keys = valueKeys(values, method);
  return elementwise(c, 'isin', names, names.map(() => ({ op: 'isin', keys })), names.map(() => BOOL), method);
}

export interface BetweenOptions {
  /** Which bounds are included: 'both' (default), 'neither', 'left' or 'right' (pandas 1.5). */
  inclusive?: Inclusive;
}

const BETWEEN_OPTIONS: OptionSchema<BetweenOptions> = {
  inclusive: (v) => (v === 'both' || v === 'neither' || v === 'left' || v === 'right' ? undefined : "'both', 'neither', 'left' or 'right'"),
};

export function betweenOf(s: Series, left: number | string, right: number | string, options: BetweenOptions | undefined): Series {
  const method = 'Series.between';
  const opts = checkOptions(method, options, BETWEEN_OPTIONS);
  const t = s.typeDesc;
  const numeric = isNumericDesc(t) && t.id !== 'bool';
  const text = t.id === 'utf8' || t.id === 'dict';
  for (const [what, v] of [['left', left], ['right', right]] as const) {
    if (numeric ? typeof v !== 'number' : text ? typeof v !== 'string' : true) {
      throw new TypeError(`${method}: series '${s.seriesName}' has dtype ${s.dtype}; ${what} must be a ${numeric ? 'number' : text ? 'string' : 'number (numeric series) or string (string series)'}, got ${show(v)}`);
    }
  }
  return elementwise(s, 'between', [s.seriesName], [{ op: 'between', left, right, inclusive: opts.inclusive ?? 'both' }], [BOOL], method);
}

/** where (keep = true) and mask (keep = false): the condition a boolean series, or a frame of booleans with the same columns. */
export function whereOf<C extends Lazy>(c: C, cond: Series | DataFrame, other: Cell | undefined, keep: boolean, method: string): C {
  const value = checkCell(other === undefined ? null : other, method, 'other');
  const { names, types } = columnsOf(c);
  let condColumns: string[];
  if (cond instanceof Series) {
    if (cond.typeDesc.id !== 'bool') throw new TypeError(`${method}: the condition '${cond.seriesName}' has dtype ${cond.dtype}, expected bool`);
    condColumns = names.map(() => cond.seriesName);
  } else if (cond instanceof DataFrame) {
    if (!(c instanceof DataFrame)) throw new TypeError(`${method}: the condition of a series must be a boolean Series`);
    for (const n of names) {
      checkColumn(`${method} (condition)`, n, cond.columns);
      if (cond.typeOf(n).id !== 'bool') throw new TypeError(`${method}: the condition's column '${n}' has dtype ${dtypeName(cond.typeOf(n))}, expected bool`);
    }
    condColumns = [...names];
  } else throw new TypeError(`${method}: cond must be a boolean Series or DataFrame (e.g. s.gt(0)), got ${cond === null ? 'null' : typeof cond}`);
  const outTypes = names.map((n, j) => withValue(types[j], value, method, n));
  return elementwise(c, keep ? 'where' : 'mask', names, names.map(() => ({ op: 'where', other: value, keep })), outTypes, method, { of: cond, columns: condColumns });
}

/** A mapping as pairs; object keys are texts, read as numbers for numeric columns. */
function pairsOf(mapping: ReadonlyMap<Cell, Cell> | Readonly<Record<string, Cell>>, t: TypeDesc, method: string): [Cell, Cell][] {
  if (mapping instanceof Map) return [...mapping.entries()].map(([k, v]) => [checkCell(k, method, 'a key'), checkCell(v, method, `the value of ${show(k)}`)]);
  const numeric = t.id === 'float' || t.id === 'int';
  return Object.entries(mapping).map(([k, v]) => {
    const key: Cell = numeric && k.trim() !== '' && !Number.isNaN(Number(k)) ? Number(k) : numeric && k === 'NaN' ? NaN : t.id === 'bool' && (k === 'true' || k === 'false') ? k === 'true' : k;
    return [key, checkCell(v, method, `the value of ${show(k)}`)];
  });
}

const isMapping = (x: unknown): x is ReadonlyMap<Cell, Cell> | Readonly<Record<string, Cell>> =>
  x instanceof Map || (typeof x === 'object' && x !== null && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype);

/** replace's pairs for one column: `(to_replace, value)` as pandas takes them. */
function replacePairs(toReplace: unknown, value: unknown, t: TypeDesc, method: string): [Cell, Cell][] {
  if (isMapping(toReplace)) {
    if (value !== undefined) throw new TypeError(`${method}: give either a mapping or (toReplace, value), not both`);
    return pairsOf(toReplace, t, method);
  }
  if (value === undefined) throw new TypeError(`${method}: a value to replace ${show(toReplace)} with is missing`);
  const from = Array.isArray(toReplace) ? toReplace : [toReplace];
  if (Array.isArray(value)) {
    if (value.length !== from.length) throw new RangeError(`${method}: ${from.length} values to replace but ${value.length} replacements; they must match (pandas)`);
    return from.map((f, j) => [checkCell(f, method, 'a value to replace'), checkCell(value[j], method, 'a replacement')]);
  }
  const v = checkCell(value, method, 'the replacement');
  return from.map((f) => [checkCell(f, method, 'a value to replace'), v]);
}

export type ReplaceMapping = ReadonlyMap<Cell, Cell> | Readonly<Record<string, Cell>>;

export function replaceOf<C extends Lazy>(c: C, toReplace: unknown, value: unknown, method: string): C {
  const { names, types } = columnsOf(c);
  // A frame's { column: mapping }: each column its own replacements (pandas' nested dict).
  const perColumn = c instanceof DataFrame && isMapping(toReplace) && !(toReplace instanceof Map) && Object.values(toReplace).length > 0 && Object.values(toReplace).every(isMapping);
  if (perColumn) for (const k of Object.keys(toReplace as object)) checkColumn(method, k, names);
  const cols: string[] = [];
  const specs: ElemSpec[] = [];
  const outTypes: TypeDesc[] = [];
  names.forEach((n, j) => {
    const t = types[j];
    let pairs: [Cell, Cell][];
    if (perColumn) {
      const m = (toReplace as unknown as Record<string, ReplaceMapping>)[n];
      if (m === undefined) return;
      pairs = pairsOf(m, t, method);
    } else pairs = replacePairs(toReplace, value, t, method);
    // Only values of the column's kind can match; the others are left out (pandas leaves the column as is for them).
    const kind = (x: Cell): string => (x === null || typeof x === 'number' || typeof x === 'bigint' ? (isNumericDesc(t) && t.id !== 'bool' ? 'ok' : x === null ? 'ok' : typeof x === 'bigint' && (t.id === 'timestamp' || t.id === 'duration') ? 'ok' : 'no') : typeof x === 'string' ? (t.id === 'utf8' || t.id === 'dict' ? 'ok' : 'no') : t.id === 'bool' ? 'ok' : 'no');
    pairs = pairs.filter(([f]) => kind(f) === 'ok');
    cols.push(n);
    specs.push({ op: 'replace', from: pairs.map(([f]) => cellKey(f)), to: pairs.map(([, v]) => v) });
    outTypes.push(pairs.reduce((acc, [, v]) => withValue(acc, v, method, n), t));
  });
  return elementwise(c, 'replace', cols, specs, outTypes, method);
}

function numericColumns(c: Lazy, method: string, allowBig = true): { names: readonly string[]; types: readonly TypeDesc[] } {
  const { names, types } = columnsOf(c);
  names.forEach((n, j) => {
    const t = types[j];
    if (!((t.id === 'float' || t.id === 'int') && (allowBig || t.bits !== 64))) throw new TypeError(`${method}: column '${n}' has dtype ${dtypeName(t)}, not a number`);
  });
  return { names, types };
}

export function absOf<C extends Lazy>(c: C, method: string): C {
  const { names, types } = numericColumns(c, method);
  return elementwise(c, 'abs', names, names.map(() => ({ op: 'abs' })), types, method);
}

export function roundOf<C extends Lazy>(c: C, decimals: number, method: string): C {
  if (!Number.isInteger(decimals)) throw new TypeError(`${method}: decimals must be an integer, got ${show(decimals)}`);
  const { names, types } = numericColumns(c, method);
  return elementwise(c, 'round', names, names.map(() => ({ op: 'round', decimals })), types, method);
}

export interface ClipOptions {
  /** Values below become lower (null or absent: no bound). */
  lower?: number | null;
  upper?: number | null;
}

const bound = (v: unknown): string | undefined => (v === null || (typeof v === 'number' && !Number.isNaN(v)) ? undefined : 'a number or null');
const CLIP_OPTIONS: OptionSchema<ClipOptions> = refusing<ClipOptions>({ lower: bound, upper: bound }, { axis: 'not implemented (bounds are numbers, not series)', inplace: 'pdask collections are immutable' });

export function clipOf<C extends Lazy>(c: C, options: ClipOptions | undefined, method: string): C {
  const opts = checkOptions(method, options, CLIP_OPTIONS);
  const lower = opts.lower ?? null;
  const upper = opts.upper ?? null;
  const { names, types } = numericColumns(c, method);
  const outTypes = names.map((n, j) => [lower, upper].reduce<TypeDesc>((t, b) => (b === null ? t : withValue(t, b, method, n)), types[j]));
  return elementwise(c, 'clip', names, names.map(() => ({ op: 'clip', lower, upper })), outTypes, method);
}

export interface MapOptions {
  /** The result's dtype (Dask's meta=): a dtype, or [name, dtype]. */
  meta?: Dtype | readonly [string | null, Dtype];
  /** 'ignore': missing values stay missing without calling the function (pandas' na_action). */
  naAction?: 'ignore' | null;
}

const MAP_OPTIONS: OptionSchema<MapOptions> = {
  meta: (v) => (typeof v === 'string' || (Array.isArray(v) && v.length === 2) ? undefined : 'a dtype or [name, dtype]'),
  naAction: (v) => (v === 'ignore' || v === null ? undefined : "'ignore' or null"),
};

/** A value of each kind, standing for a column of type t when the function runs to find the meta (Dask's meta_nonempty). */
function sampleValue(t: TypeDesc): Cell {
  switch (t.id) {
    case 'float':
    case 'int':
      return t.id === 'int' && t.bits === 64 ? 1n : 1;
    case 'bool':
      return true;
    case 'utf8':
    case 'dict':
      return 'foo';
    default:
      return 946684800000000000n;
  }
}

/** The type of a sample result: numbers float64 (pandas' meta may say int64; give meta then), texts string, booleans bool, bigints int64. */
function typeOfResult(x: unknown, method: string, fnName: string): TypeDesc {
  if (typeof x === 'number') return F64;
  if (typeof x === 'string') return { id: 'utf8' };
  if (typeof x === 'boolean') return BOOL;
  if (typeof x === 'bigint') return { id: 'int', bits: 64, signed: true };
  throw new TypeError(`${method}: ${fnName} returned ${x === null || x === undefined ? String(x) : typeof x} on a sample value, so the result's dtype is unknown; give it with { meta: 'float64' }`);
}

function metaType(meta: MapOptions['meta'], method: string): { type: TypeDesc; name?: string | null } | undefined {
  if (meta === undefined) return undefined;
  if (Array.isArray(meta)) return { type: parseDtype(meta[1], method, 'meta'), name: meta[0] as string | null };
  return { type: parseDtype(meta, method, 'meta') };
}

export function mapOf(s: Series, arg: unknown, options: MapOptions | undefined): Series {
  const method = 'Series.map';
  const opts = checkOptions(method, options, MAP_OPTIONS);
  const meta = metaType(opts.meta, method);
  if (typeof arg === 'function' || (typeof arg === 'object' && arg !== null && 'module' in arg && !isMapping(arg))) {
    const op = fnOp(arg, method);
    const fnName = op.name ? `'${op.name}'` : 'the function';
    let type = meta?.type;
    if (!type) {
      const callable = typeof arg === 'function' ? (arg as OpFunction) : resolveOpSync(op);
      if (!callable) throw new Error(`${method}: cannot infer the result of ${fnName} (a module function not loaded in this thread); give it with { meta: dtype }`);
      type = typeOfResult(callable(sampleValue(s.typeDesc)), method, fnName);
    }
    const outType = type;
    const { name, layer } = partitionwise([s], {
      kind: 'map',
      token: [op, outType, opts.naAction ?? null],
      task: (key, i) => dataframeOps.mapValues.task(key, fnArg(op), lit(fnName), ref(partitionKey(s.name, i)), lit(s.seriesName), lit(outType), lit(opts.naAction === 'ignore')),
    });
    return new Series(name, s.npartitions, layer, s.divisions, { ...s.meta, type: outType });
  }
  if (!isMapping(arg)) throw new TypeError(`${method}: expected a function, an object or a Map, got ${arg === null ? 'null' : Array.isArray(arg) ? 'an array' : typeof arg}`);
  if (opts.naAction !== undefined && opts.naAction !== null) throw new TypeError(`${method}: naAction applies to functions only`);
  const pairs = pairsOf(arg, s.typeDesc, method);
  let type = meta?.type;
  if (!type) {
    const kinds = new Set(pairs.map(([, v]) => (v === null ? 'null' : typeof v)));
    kinds.delete('null');
    if (kinds.size > 1) throw new TypeError(`${method}: the mapping's values are of several kinds (${[...kinds].join(', ')}); pandas would make an object column. Give the dtype with { meta }`);
    const k = [...kinds][0] ?? 'number';
    // Keys not found give missing values, so numbers are float64 (Dask's meta) and booleans nullable.
    type = k === 'number' ? F64 : k === 'string' ? { id: 'utf8' } : k === 'boolean' ? { id: 'bool', nullable: true } : { id: 'int', bits: 64, signed: true, nullable: true };
  }
  const outType = type;
  return elementwise(s, 'map', [s.seriesName], [{ op: 'lookup', from: pairs.map(([f]) => cellKey(f)), to: pairs.map(([, v]) => v) }], [outType], method);
}

export interface ApplyOptions {
  /** 1 (or 'columns'): the function gets each row as an object, as pandas' apply(axis=1). */
  axis: 1 | 'columns';
  /** The result's dtype, or [name, dtype] (Dask's meta=). */
  meta?: Dtype | readonly [string | null, Dtype];
}

const APPLY_OPTIONS: OptionSchema<ApplyOptions> = refusing<ApplyOptions>(
  {
    axis: (v) => (v === 1 || v === 'columns' ? undefined : "1 or 'columns' (apply along columns is not implemented: use the series' methods)"),
    meta: (v) => (typeof v === 'string' || (Array.isArray(v) && v.length === 2) ? undefined : 'a dtype or [name, dtype]'),
  },
  { raw: 'not implemented (rows are objects)', resultType: 'not implemented: the function returns one value per row', args: 'pass values through the function body; functions must not capture variables' },
);

export function applyOf(df: DataFrame, fn: unknown, options: ApplyOptions): Series {
  const method = 'DataFrame.apply';
  if (options === undefined) throw new TypeError(`${method}: give { axis: 1 } (pdask applies a function to rows only)`);
  const opts = checkOptions(method, options, APPLY_OPTIONS);
  if (opts.axis === undefined) throw new TypeError(`${method}: give { axis: 1 } (pdask applies a function to rows only)`);
  const op = fnOp(fn, method);
  const fnName = op.name ? `'${op.name}'` : 'the function';
  const meta = metaType(opts.meta, method);
  let type = meta?.type;
  if (!type) {
    const callable = typeof fn === 'function' ? (fn as OpFunction) : resolveOpSync(op);
    if (!callable) throw new Error(`${method}: cannot infer the result of ${fnName}; give it with { meta: dtype }`);
    const row: Record<string, Cell> = {};
    df.meta.names.forEach((n, j) => (row[n] = sampleValue(df.meta.types[j])));
    type = typeOfResult(callable(row), method, fnName);
  }
  const outType = type;
  const outName = meta?.name ?? null;
  const column = outName ?? 'values';
  const { name, layer } = partitionwise([df], {
    kind: 'apply-rows',
    token: [op, outType, column],
    task: (key, i) => dataframeOps.applyRows.task(key, fnArg(op), lit(fnName), ref(partitionKey(df.name, i)), lit(df.meta.names), lit(outType), lit(column)),
  });
  return new Series(name, df.npartitions, layer, df.divisions, { name: column, label: outName, type: outType, index: df.meta.index });
}
