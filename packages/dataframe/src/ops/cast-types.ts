/**
 * astype for the types beyond plain floats and 32-bit integers, as pandas allows them: exact int64/
 * uint64 through bigints, the masked 'Int64'/'boolean' (missing values become <NA> instead of
 * failing), datetime64[ns] (from ISO texts or nanosecond integers), timedelta64[ns], and category
 * (a dictionary of the partition's sorted distinct strings, as pandas' astype('category')).
 * `castSpecial` returns undefined for the casts ops/cast.ts already does.
 */
import { Dictionary, Int32, makeData, makeVector, Utf8, vectorFromArray, type Data, type Vector } from 'apache-arrow';
import { bigColumn, bigVector } from '../types/big-vectors';
import type { TimeDesc } from '../types/time-types';
import { formatDurations, formatTimes, NS_PER_S, offsetCache, offsetLabel, parseDuration, parseTime } from '../types/timestamps';
import { numbersAs } from './results';
import { arrowType, dtypeName, type TypeDesc } from './types';
import { toFloat64 } from './values';

const is64 = (t: TypeDesc): boolean => t.id === 'int' && t.bits === 64;
const isTime = (t: TypeDesc): boolean => t.id === 'timestamp' || t.id === 'duration';

function fail(method: string, column: string, from: TypeDesc, to: TypeDesc, why: string): never {
  throw new TypeError(`${method}: column '${column}' has dtype ${dtypeName(from)}; it cannot become ${dtypeName(to)}: ${why}`);
}

/** Texts of a string or category column (null when missing). */
function texts(v: Vector): (string | null)[] {
  return Array.from({ length: v.length }, (_, i) => v.get(i) as string | null);
}

/** Integers as bigints of the target's range, or a failure naming the row. */
function toBigInts(v: Vector, from: TypeDesc, to: TypeDesc & { id: 'int' }, column: string, method: string): Vector {
  const n = v.length;
  const signed = to.signed;
  const out = signed ? new BigInt64Array(n) : new BigUint64Array(n);
  const valid = new Uint8Array(n).fill(1);
  const lo = signed ? -(2n ** 63n) : 0n;
  const hi = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
  let missing = false;
  const put = (i: number, x: bigint, shown: string): void => {
    if (x < lo || x > hi) throw new RangeError(`${method}: column '${column}' holds ${shown} at row ${i}, outside the range of ${dtypeName(to)}`);
    out[i] = x;
  };
  const miss = (i: number): void => {
    if (!to.nullable && from.id === 'float') throw new TypeError(`${method}: column '${column}' has a missing value at row ${i}; it cannot become ${dtypeName(to)} (fill it first with fillna, or use '${signed ? 'I' : 'UI'}nt64', which keeps missing values)`);
    valid[i] = 0;
    missing = true;
  };
  if (from.id === 'int' && from.bits === 64 || isTime(from)) {
    const c = bigColumn(v);
    for (let i = 0; i < n; i++) (c.valid && !c.valid[i] ? miss(i) : put(i, BigInt(c.values[i]), String(c.values[i])));
  } else if (from.id === 'utf8' || from.id === 'dict') {
    const xs = texts(v);
    for (let i = 0; i < n; i++) {
      const s = xs[i]?.trim();
      if (s === undefined || s === '') miss(i);
      else if (/^[+-]?\d+$/.test(s)) put(i, BigInt(s), JSON.stringify(s));
      else throw new TypeError(`${method}: column '${column}' holds ${JSON.stringify(xs[i])} at row ${i}, which is not an integer`);
    }
  } else {
    const x = toFloat64(v);
    for (let i = 0; i < n; i++) {
      if (x[i] !== x[i]) miss(i);
      else if (!Number.isFinite(x[i])) throw new RangeError(`${method}: column '${column}' holds ${x[i]} at row ${i}, outside the range of ${dtypeName(to)}`);
      else if (to.nullable && from.id === 'float' && !Number.isInteger(x[i])) throw new TypeError(`${method}: column '${column}' holds ${x[i]} at row ${i}; pandas refuses to truncate it to ${dtypeName(to)} (cannot safely cast non-equivalent float64)`);
      else put(i, BigInt(Math.trunc(x[i])), String(x[i]));
    }
  }
  return bigVector(arrowType(to), out, missing ? valid : null);
}

/** Numbers as a masked integer/boolean type: NaN becomes <NA> (pandas' Int64, boolean). */
function toMasked(v: Vector, from: TypeDesc, to: TypeDesc, column: string, method: string): Vector {
  if (from.id === 'utf8' || from.id === 'dict') fail(method, column, from, to, 'convert the text with astype(\'float64\') first');
  const x = toFloat64(v);
  const nulls = Float64Array.from(x, (xi) => (xi !== xi ? 1 : 0));
  if (to.id === 'bool') return withNulls(numbersAs(Float64Array.from(x, (xi) => (xi === 0 ? 0 : 1)), to), nulls);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== x[i]) continue;
    if (!Number.isInteger(x[i]) && from.id === 'float') throw new TypeError(`${method}: column '${column}' holds ${x[i]} at row ${i}; pandas refuses to truncate it to ${dtypeName(to)} (cannot safely cast non-equivalent float64)`);
  }
  return numbersAs(x, to);
}

/** A bool vector with rows marked in `nulls` made missing. */
function withNulls(v: Vector, nulls: Float64Array): Vector {
  let count = 0;
  const bitmap = new Uint8Array((v.length + 7) >> 3);
  for (let i = 0; i < v.length; i++) {
    if (nulls[i]) count++;
    else bitmap[i >> 3] |= 1 << (i & 7);
  }
  if (!count) return v;
  const d = v.data[0];
  return makeVector(makeData({ type: d.type, length: v.length, nullCount: count, data: d.values, nullBitmap: bitmap } as unknown as Parameters<typeof makeData>[0]) as Data);
}

function toTimestamp(v: Vector, from: TypeDesc, to: TypeDesc & { id: 'timestamp' }, column: string, method: string): Vector {
  const n = v.length;
  const type = arrowType(to);
  if (from.id === 'timestamp') {
    // Aware to aware keeps the instants (tz_convert); naive and aware differ in meaning.
    if ((from.tz === null) !== (to.tz === null)) fail(method, column, from, to, from.tz === null ? 'use .dt.tzLocalize(tz) to give naive times a zone' : 'use .dt.tzConvert(null) or .dt.tzLocalize(null)');
    const c = bigColumn(v);
    return bigVector(type, c.values, c.valid);
  }
  if (from.id === 'int') {
    const c = from.bits === 64 ? bigColumn(v) : { values: BigInt64Array.from(toFloat64(v), (x) => (x === x ? BigInt(x) : 0n)), valid: Uint8Array.from(toFloat64(v), (x) => (x === x ? 1 : 0)) };
    return bigVector(type, BigInt64Array.from(c.values as BigInt64Array), c.valid);
  }
  if (from.id === 'utf8' || from.id === 'dict') {
    const xs = texts(v);
    const out = new BigInt64Array(n);
    const valid = new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      const s = xs[i];
      if (s === null || s.trim() === '' || s === 'NaT') {
        valid[i] = 0;
        continue;
      }
      const p = parseTime(s);
      if (!p) throw new TypeError(`${method}: column '${column}' holds ${JSON.stringify(s)} at row ${i}, which is not a date/time pandas would infer (ISO 8601 such as '2021-03-04 05:06:07')`);
      if ((p.offsetMinutes !== null) !== (to.tz !== null)) {
        throw new TypeError(`${method}: column '${column}' holds ${JSON.stringify(s)} at row ${i}, ${p.offsetMinutes === null ? 'without a UTC offset, for a time-zone-aware dtype' : 'with a UTC offset, for a naive dtype (use datetime64[ns, UTC])'}`);
      }
      out[i] = p.ns;
    }
    return bigVector(type, out, valid.includes(0) ? valid : null);
  }
  return fail(method, column, from, to, 'pandas converts only texts, integers (nanoseconds since 1970) and other datetimes');
}

function toDuration(v: Vector, from: TypeDesc, to: TypeDesc, column: string, method: string): Vector {
  const type = arrowType(to);
  if (from.id === 'int') {
    const c = bigColumn(from.bits === 64 ? v : (bigFromNumbers(v) as Vector));
    return bigVector(type, BigInt64Array.from(c.values as BigInt64Array), c.valid);
  }
  if (from.id === 'utf8' || from.id === 'dict') {
    const xs = texts(v);
    const out = new BigInt64Array(v.length);
    const valid = new Uint8Array(v.length).fill(1);
    xs.forEach((s, i) => {
      if (s === null || s.trim() === '' || s === 'NaT') return void (valid[i] = 0);
      const ns = parseDuration(s);
      if (ns === null) throw new TypeError(`${method}: column '${column}' holds ${JSON.stringify(s)} at row ${i}, which is not a timedelta ('1 days 02:00:00', '3h', '15min')`);
      out[i] = ns;
    });
    return bigVector(type, out, valid.includes(0) ? valid : null);
  }
  return fail(method, column, from, to, 'pandas converts only texts, integers (nanoseconds) and other timedeltas');
}

function bigFromNumbers(v: Vector): Vector {
  const x = toFloat64(v);
  return bigVector(arrowType({ id: 'int', bits: 64, signed: true }), BigInt64Array.from(x, (xi) => (xi === xi ? BigInt(Math.trunc(xi)) : 0n)), Uint8Array.from(x, (xi) => (xi === xi ? 1 : 0)));
}

/** Strings of times as pandas' astype(str) writes them (per partition, as Dask does per partition). */
function timeTexts(v: Vector, from: TimeDesc): Vector {
  const c = bigColumn(v);
  const vals = Array.from(c.values as BigInt64Array, (x, i) => (c.valid && !c.valid[i] ? null : x));
  let out: string[];
  const tz = from.id === 'timestamp' ? from.tz : null;
  if (from.id === 'duration') out = formatDurations(vals);
  else if (tz === null) out = formatTimes(vals);
  else {
    const offsetOf = offsetCache(tz);
    const offs = vals.map((x) => (x === null ? 0 : offsetOf(x)));
    out = formatTimes(vals.map((x, i) => (x === null ? null : x + BigInt(offs[i]) * 60n * NS_PER_S)), (i) => offsetLabel(offs[i]));
  }
  return vectorFromArray(out.map((s, i) => (vals[i] === null ? null : s)), new Utf8());
}

/** Distinct strings of the partition, sorted as pandas orders categories, and each row's code. */
function toCategory(v: Vector, from: TypeDesc, to: TypeDesc, column: string, method: string): Vector {
  if (from.id !== 'utf8') fail(method, column, from, to, "pdask categories are strings: convert with astype('string') first");
  const xs = texts(v);
  const cats = [...new Set(xs.filter((s): s is string => s !== null))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const code = new Map(cats.map((c, i) => [c, i]));
  return categoryVector(xs.map((s) => (s === null ? -1 : code.get(s)!)), cats);
}

/** A dictionary vector of int32 codes (-1: missing) into `categories`. */
export function categoryVector(codes: readonly number[] | Int32Array, categories: readonly string[]): Vector {
  const n = codes.length;
  const data = new Int32Array(n);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (codes[i] < 0) nulls++;
    else {
      data[i] = codes[i];
      bitmap[i >> 3] |= 1 << (i & 7);
    }
  }
  const dictionary = vectorFromArray([...categories], new Utf8());
  const type = new Dictionary(new Utf8(), new Int32());
  return makeVector(makeData({ type, length: n, nullCount: nulls, data, nullBitmap: nulls ? bitmap : undefined, dictionary } as unknown as Parameters<typeof makeData>[0]) as Data);
}

/** The cast, for the pairs this module owns; undefined for the others. */
export function castSpecial(v: Vector, from: TypeDesc, to: TypeDesc, column: string, method: string): Vector | undefined {
  switch (to.id) {
    case 'timestamp':
      return toTimestamp(v, from, to, column, method);
    case 'duration':
      if (from.id === 'duration') return undefined;
      return toDuration(v, from, to, column, method);
    case 'dict':
      if (from.id === 'dict') return v;
      return toCategory(v, from, to, column, method);
    case 'int':
      if (is64(to) || is64(from) || isTime(from)) {
        if (from.id === 'timestamp' && !to.signed) fail(method, column, from, to, "pandas converts datetimes to 'int64' only");
        if (is64(to)) return toBigInts(v, from, to, column, method);
        return toMasked(makeVector(toFloat64(v)), { id: 'float', bits: 64 }, to, column, method);
      }
      if (to.nullable) return toMasked(v, from, to, column, method);
      return undefined;
    case 'bool':
      if (isTime(from)) fail(method, column, from, to, 'pandas does not convert times to booleans');
      if (to.nullable) return toMasked(v, from, to, column, method);
      return undefined;
    case 'float':
      if (from.id === 'timestamp') fail(method, column, from, to, "pandas does not convert datetimes to floats (use astype('int64') for nanoseconds)");
      if (from.id === 'duration') return numbersAs(toFloat64(v), to);
      return undefined;
    case 'utf8':
      if (from.id === 'timestamp' || from.id === 'duration') return timeTexts(v, from);
      return undefined;
  }
}
