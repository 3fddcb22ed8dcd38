/**
 * CSV texts to the column types beyond float64/int32/bool/string: int64/uint64 (exact, through
 * bigints), masked integers and booleans (missing values allowed), datetime64[ns] (parseDates or
 * dtype), timedelta64[ns] and category. Also pandas' missing-value texts and the user's naValues.
 * A value that does not fit fails with the file and line, as the block reader's own errors do,
 * and suggests the dtype that would read it (Dask's mismatch error suggests `dtype=` too).
 */
import { vectorFromArray, type Vector } from 'apache-arrow';
import { bigVector } from '../types/big-vectors';
import type { TimeDesc } from '../types/time-types';
import { parseDuration, parseTime } from '../types/timestamps';
import { categoryVector } from './cast-types';
import { numbersAs } from './results';
import { arrowType, dtypeName, type TypeDesc } from './types';

/** pandas 1.5's default missing-value texts (STR_NA_VALUES). */
export const PANDAS_NA = ['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'n/a', 'nan', 'null'] as const;

const DEFAULT_NA = new Set<string>(PANDAS_NA);
let lastNa: readonly string[] | undefined;
let lastSet = DEFAULT_NA;

/**
 * Values that are one of the missing-value texts (pandas' defaults, or `naValues` when given: the
 * defaults plus the user's) become '', which every converter reads as missing.
 */
export function blankMissing(values: string[], naValues: readonly string[] | undefined): string[] {
  if (naValues !== lastNa) {
    lastSet = naValues ? new Set([...PANDAS_NA, ...naValues]) : DEFAULT_NA;
    lastNa = naValues;
  }
  const na = lastSet;
  for (let i = 0; i < values.length; i++) if (na.has(values[i])) values[i] = '';
  return values;
}

/** The types this module converts: narrowed so that the generic converter sees only its own. */
export function isOwnCsvType(t: TypeDesc): t is TimeDesc | (TypeDesc & { id: 'dict' }) {
  return t.id === 'timestamp' || t.id === 'duration' || t.id === 'dict' || (t.id === 'int' && (t.bits === 64 || t.nullable === true)) || (t.id === 'bool' && t.nullable === true);
}

const NA = new Set<string>(PANDAS_NA);
const isMissing = (s: string): boolean => NA.has(s) || NA.has(s.trim());

/** The text of a value that does not fit, naming what would read it. */
function mismatch(where: string, column: string, t: TypeDesc, value: string, suggest: string): Error {
  const e = new Error(
    `${where}: column '${column}' has dtype ${dtypeName(t)} (inferred from the first rows, or given as dtype) but holds '${value}' here; ` +
      `pass { dtype: { '${column}': '${suggest}' } } to readCsv`,
  );
  e.name = 'CsvParseError';
  return e;
}

export function convertOwn(values: readonly string[], t: TypeDesc, column: string, where: (row: number) => string): Vector {
  const n = values.length;
  if (t.id === 'dict') {
    const cats = [...new Set(values.filter((s) => !isMissing(s)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const code = new Map(cats.map((c, i) => [c, i]));
    return categoryVector(values.map((s) => (isMissing(s) ? -1 : code.get(s)!)), cats);
  }
  if (t.id === 'bool') {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = values[i].trim();
      x[i] = isMissing(s) ? NaN : s === 'True' || s === 'true' || s === 'TRUE' ? 1 : s === 'False' || s === 'false' || s === 'FALSE' ? 0 : -1;
      if (x[i] === -1) throw mismatch(where(i), column, t, values[i], 'string');
    }
    const v = numbersAs(x.map((xi) => (xi !== xi ? 0 : xi)), t);
    return maskNaN(v, x, t);
  }
  if (t.id === 'int' && t.bits !== 64) {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = values[i].trim();
      if (isMissing(s)) x[i] = NaN;
      else if (/^[+-]?\d+$/.test(s)) x[i] = Number(s);
      else throw mismatch(where(i), column, t, values[i], Number.isNaN(Number(s)) ? 'string' : 'float64');
    }
    return numbersAs(x, t);
  }
  const out = t.id === 'int' && !t.signed ? new BigUint64Array(n) : new BigInt64Array(n);
  const valid = new Uint8Array(n).fill(1);
  let missing = false;
  for (let i = 0; i < n; i++) {
    const s = values[i].trim();
    if (isMissing(s)) {
      if (t.id === 'int' && !t.nullable) throw mismatch(where(i), column, t, values[i], 'Int64');
      valid[i] = 0;
      missing = true;
      continue;
    }
    if (t.id === 'int') {
      if (!/^[+-]?\d+$/.test(s)) throw mismatch(where(i), column, t, values[i], Number.isNaN(Number(s)) ? 'string' : 'float64');
      const x = BigInt(s);
      if (t.signed ? x < -(2n ** 63n) || x >= 2n ** 63n : x < 0n || x >= 2n ** 64n) throw mismatch(where(i), column, t, values[i], 'float64');
      out[i] = x;
    } else if (t.id === 'timestamp') {
      const p = parseTime(s);
      if (!p) throw mismatch(where(i), column, t, values[i], 'string');
      if ((p.offsetMinutes === null) !== (t.tz === null)) throw mismatch(where(i), column, t, values[i], 'string');
      out[i] = p.ns;
    } else {
      const d = parseDuration(s);
      if (d === null) throw mismatch(where(i), column, t, values[i], 'string');
      out[i] = d;
    }
  }
  return bigVector(arrowType(t), out, missing ? valid : null);
}

/** A bool vector with the rows where `x` is NaN made missing. */
function maskNaN(v: Vector, x: Float64Array, t: TypeDesc): Vector {
  if (!x.some((xi) => xi !== xi)) return v;
  return vectorFromArray(Array.from(x, (xi) => (xi !== xi ? null : xi === 1)), arrowType(t) as never);
}
