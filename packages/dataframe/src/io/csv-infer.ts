/**
 * readCsv's column types, decided when the graph is built as Dask does (from a sample of the first
 * file): the `dtype` option (one dtype for every column, or per column), `parseDates` (columns read
 * as datetime64[ns]) and `naValues` (texts read as missing besides pandas' defaults); the other
 * columns inferred from the sample's texts.
 */
import { parseDtype, type Dtype } from '../dtypes';
import { blankMissing, PANDAS_NA } from '../ops/csv-convert';
import { isIntegerText, parseNumber, type CsvFormat } from '../ops/csv-text';
import type { TypeDesc } from '../ops/types';
import { parseTime } from '../types/timestamps';

export interface CsvTypeOptions {
  dtype?: Dtype | Readonly<Record<string, Dtype>>;
  parseDates?: readonly string[] | boolean;
  naValues?: string | readonly string[];
}

const F64: TypeDesc = { id: 'float', bits: 64 };
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };
const I64: TypeDesc = { id: 'int', bits: 64, signed: true };
const BOOL: TypeDesc = { id: 'bool' };
const STRING: TypeDesc = { id: 'utf8' };

/**
 * pandas' inference, narrowed to the types pdask reads: integers (int32 when the sample's fit, as
 * pdask always read them; int64 past that, where pandas would also give int64, so large ids stay
 * exact), float64 (numbers, or integers with missing values), bool, string.
 */
export function inferCsvType(values: readonly string[], f?: CsvFormat): TypeDesc {
  let ints = true;
  let nums = true;
  let bools = true;
  let missing = false;
  let wide = false;
  for (const s0 of values) {
    const s = s0.trim();
    if (s === '') {
      missing = true;
      continue;
    }
    if (bools && !/^(true|false|True|False|TRUE|FALSE)$/.test(s)) bools = false;
    const x = f ? parseNumber(s, f) : Number(s);
    if (nums && x !== x) nums = false;
    if (ints) {
      if (!(f ? isIntegerText(s, f) : /^[+-]?\d+$/.test(s))) ints = false;
      else if (x < -(2 ** 31) || x >= 2 ** 31) {
        const b = BigInt(f?.thousands ? s.split(f.thousands).join('') : s);
        if (b < -(2n ** 63n) || b >= 2n ** 63n) ints = false;
        else wide = true;
      }
    }
  }
  if (ints && !missing && values.length) return wide ? I64 : I32;
  if (nums) return F64;
  if (bools && !missing) return BOOL;
  return STRING;
}

/** A sample column read as dates: naive, or UTC when its texts carry offsets (as pandas gives datetime64[ns, UTC] for 'Z'). */
function dateType(values: readonly string[], column: string, file: string): TypeDesc {
  let offsets: boolean | null = null;
  for (const s of values) {
    if (s.trim() === '') continue;
    const p = parseTime(s);
    if (!p) throw new TypeError(`readCsv: parseDates names column '${column}', but ${file} holds ${JSON.stringify(s)} there, which is not a date/time pandas would infer (ISO 8601 such as '2021-03-04 05:06:07')`);
    const has = p.offsetMinutes !== null;
    if (offsets !== null && offsets !== has) throw new TypeError(`readCsv: column '${column}' of ${file} mixes times with and without UTC offsets; pandas would leave it as text`);
    offsets = has;
  }
  return { id: 'timestamp', unit: 'ns', tz: offsets ? 'UTC' : null };
}

/** The missing-value texts: pandas' defaults plus the user's. */
export function naValuesOf(na: CsvTypeOptions['naValues']): string[] {
  if (na === undefined) return [...PANDAS_NA];
  const extra = typeof na === 'string' ? [na] : na;
  if (!Array.isArray(extra) || extra.some((x) => typeof x !== 'string')) throw new TypeError('readCsv: naValues must be a string or an array of strings');
  return [...PANDAS_NA, ...extra];
}

/** The type of every column, from the options and the sample rows (rows of the header's width). */
export function csvColumnTypes(names: readonly string[], body: readonly string[][], opts: CsvTypeOptions, file: string, format?: CsvFormat): TypeDesc[] {
  const na = naValuesOf(opts.naValues);
  const { dtype } = opts;
  if (dtype !== undefined && typeof dtype !== 'string' && (typeof dtype !== 'object' || dtype === null || Array.isArray(dtype))) {
    throw new TypeError('readCsv: dtype must be a dtype name or { column: dtype }');
  }
  if (typeof dtype === 'object') {
    for (const k of Object.keys(dtype)) {
      if (!names.includes(k)) throw new Error(`readCsv: dtype names column '${k}', which is not read; known columns: ${names.map((n) => `'${n}'`).join(', ')}`);
    }
  }
  const dates = opts.parseDates === undefined || opts.parseDates === false ? [] : opts.parseDates;
  if (dates === true) throw new TypeError('readCsv: parseDates: true parses the index in pandas, and pdask frames read from CSV have none; name the columns: { parseDates: [\'when\'] }');
  if (!Array.isArray(dates)) throw new TypeError('readCsv: parseDates must be an array of column names');
  for (const d of dates) {
    if (!names.includes(d)) throw new Error(`readCsv: parseDates names column '${String(d)}', which is not read; known columns: ${names.map((n) => `'${n}'`).join(', ')}`);
  }
  return names.map((n, j) => {
    const given = typeof dtype === 'string' ? dtype : dtype?.[n];
    if (given !== undefined) return parseDtype(given, 'readCsv', `column '${n}'`);
    const values = blankMissing(
      body.map((r) => r[j]),
      na,
    );
    if (dates.includes(n)) return dateType(values, n, file);
    return inferCsvType(values, format);
  });
}
