/**
 * Column values of the fast CSV path, read from the bytes of their fields: numbers straight into
 * typed arrays, ISO timestamps into int64 nanoseconds, strings into an Arrow Utf8 vector that
 * copies the bytes (no string per cell). Only the plain spellings are read here; any other field
 * (a missing-value text, spaces, 'inf', a time with an offset, too many digits to be exact) is
 * read by the general rules of csv.ts/csv-convert.ts from its text. A field those rules refuse
 * makes the converter return null: the block is then read again by the general path, whose error
 * names the file and line.
 */
import { Buffer, isUtf8 } from '../io/buffer';
import { makeData, makeVector, Utf8, type Data, type Vector } from 'apache-arrow';
import { bigVector } from '../types/big-vectors';
import { parseTime } from '../types/timestamps';
import { PANDAS_NA } from './csv-convert';
import { isIntegerText, parseNumber, type CsvFormat } from './csv-text';
import { asciiByte, type ColumnSpans } from './csv-fast';
import { LITTLE_ENDIAN } from './endian';
import { numbersAs } from './results';
import { arrowType, intFits, type TypeDesc } from './types';

/** The texts a string column reads as missing besides the missing-value texts (csv.ts's; not 'None', as pandas 1.5). */
const STRING_NULLS = ['NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', ''];

/** How one block's fields are read: the buffer, the format and the missing-value texts. */
export interface FieldReader {
  buf: Buffer;
  format: CsvFormat;
  /** pandas' missing-value texts plus the user's naValues (blankMissing's set). */
  na: ReadonlySet<string>;
  /** The user's naValues beyond pandas' defaults, as bytes: the only ones a plain number or time can equal. */
  extraNa: readonly Uint8Array[];
}

export function fieldReader(buf: Buffer, format: CsvFormat, naValues: readonly string[] | undefined): FieldReader {
  const na = new Set<string>([...PANDAS_NA, ...(naValues ?? [])]);
  const defaults = new Set<string>(PANDAS_NA);
  const extraNa = [...new Set(naValues ?? [])].filter((s) => !defaults.has(s)).map((s) => Buffer.from(s, 'utf8'));
  return { buf, format, na, extraNa };
}

/** The text of a field (doubled quotes undone for a span marked ~start). */
export function fieldText(r: FieldReader, s: number, e: number): string {
  if (s >= 0) return r.buf.toString('utf8', s, e);
  const q = r.format.quote;
  return r.buf.toString('utf8', ~s, e).split(q + q).join(q);
}

/** The texts of a column (for the types read by the general converters). */
export function columnTexts(r: FieldReader, c: ColumnSpans): string[] {
  const out = new Array<string>(c.rows);
  const { spans, at, stride } = c;
  for (let i = 0; i < c.rows; i++) out[i] = fieldText(r, spans[at + i * stride], spans[at + i * stride + 1]);
  return out;
}

function equalsBytes(buf: Uint8Array, s: number, e: number, b: Uint8Array): boolean {
  if (e - s !== b.length) return false;
  for (let k = 0; k < b.length; k++) if (buf[s + k] !== b[k]) return false;
  return true;
}

function isExtraNa(r: FieldReader, s: number, e: number): boolean {
  for (const b of r.extraNa) if (equalsBytes(r.buf, s, e, b)) return true;
  return false;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const D0 = 48;

/**
 * A plain decimal number ([+-]digits[.digits][e[+-]digits], with the format's thousands and
 * decimal marks) whose digits and exponent make the value exact in one multiplication or division
 * (Clinger's fast path: both operands exact doubles, so the one rounding is IEEE's). NaN (as "not
 * read here") otherwise.
 */
export function plainNumber(buf: Uint8Array, s: number, e: number, dec: number, th: number, intOnly: boolean): number {
  let i = s;
  let neg = false;
  if (i < e && (buf[i] === 45 || buf[i] === 43)) neg = buf[i++] === 45;
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let sawDot = false;
  let nd = 0;
  for (; i < e; i++) {
    const c = buf[i];
    const d = c - D0;
    if (d >= 0 && d <= 9) {
      nd++;
      if (mant !== 0 || d !== 0) digits++;
      mant = mant * 10 + d;
      if (sawDot) frac++;
    } else if (c === th) {
      continue;
    } else if (c === dec && !sawDot && !intOnly) {
      sawDot = true;
    } else break;
  }
  if (digits > 15 || nd === 0) return NaN;
  let exp = 0;
  if (i < e) {
    if (intOnly || (buf[i] !== 101 && buf[i] !== 69)) return NaN;
    i++;
    let eneg = false;
    if (i < e && (buf[i] === 45 || buf[i] === 43)) eneg = buf[i++] === 45;
    const e0 = i;
    for (; i < e; i++) {
      const d = buf[i] - D0;
      if (d < 0 || d > 9 || exp > 1000) return NaN;
      exp = exp * 10 + d;
    }
    if (i === e0) return NaN;
    if (eneg) exp = -exp;
  }
  exp -= frac;
  let v: number;
  if (exp === 0) v = mant;
  else if (exp > 0 && exp <= 22) v = mant * POW10[exp];
  else if (exp < 0 && exp >= -22) v = mant / POW10[-exp];
  else if (mant === 0) v = 0;
  else return NaN;
  return neg ? -v : v;
}

const NULLS = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None']);

/** csv.ts's rules for one numeric text (undefined: refused, the block is read again for the error). */
export function numberByRules(r: FieldReader, raw: string, t: TypeDesc): number | undefined {
  const s = (r.na.has(raw) ? '' : raw).trim();
  if (NULLS.has(s)) return t.id === 'int' ? undefined : NaN;
  const x = t.id === 'int' && !isIntegerText(s, r.format) ? NaN : parseNumber(s, r.format);
  // Out of the column's range: the general path names the file, the line and a dtype that reads it.
  return x === x && intFits(x, t) ? x : undefined;
}

/** A float or (non-nullable, up to 32-bit) int column. */
export function numberColumn(r: FieldReader, c: ColumnSpans, t: TypeDesc): Vector | null {
  const n = c.rows;
  const { spans, at: col, stride } = c;
  const out = new Float64Array(n);
  const { buf } = r;
  const dec = asciiByte(r.format.decimal);
  const th = r.format.thousands === null ? -1 : asciiByte(r.format.thousands);
  // Non-ASCII marks are left to the rules (-2 never equals a byte).
  const fastMarks = dec >= 0 && (r.format.thousands === null || th >= 0);
  const intOnly = t.id === 'int';
  const extra = r.extraNa.length > 0;
  for (let i = 0; i < n; i++) {
    const s = spans[col + i * stride];
    const e = spans[col + i * stride + 1];
    let x = fastMarks && s >= 0 && s < e ? plainNumber(buf, s, e, dec, th < 0 ? -2 : th, intOnly) : NaN;
    if (x !== x || (intOnly && !intFits(x, t)) || (extra && isExtraNa(r, s, e))) {
      const y = numberByRules(r, fieldText(r, s, e), t);
      if (y === undefined) return null;
      x = y;
    }
    out[i] = x;
  }
  return numbersAs(out, t);
}

const TWO32 = 4294967296;

/** The two 32-bit halves of the int64 secs * 1e9 + frac, exactly, without bigints (|secs| < 2^40). */
let nsLo = 0;
let nsHi = 0;
function nsHalves(secs: number, frac: number): void {
  const sh = Math.floor(secs / 1048576);
  const sl = secs - sh * 1048576;
  const a = sh * 1e9; // total = a * 2^20 + b
  const b = sl * 1e9 + frac;
  const ah = Math.floor(a / 4096);
  const al = a - ah * 4096;
  const bh = Math.floor(b / TWO32);
  let l = b - bh * TWO32 + al * 1048576;
  let carry = 0;
  if (l >= TWO32) {
    l -= TWO32;
    carry = 1;
  }
  nsLo = l;
  nsHi = ah + bh + carry;
}

const isDigit = (c: number): boolean => c >= D0 && c <= D0 + 9;
const two = (buf: Uint8Array, i: number): number => (buf[i] - D0) * 10 + buf[i + 1] - D0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The last date read ('YYYY-MM-DD' bytes) and its midnight in nanoseconds as int64 halves: rows of
 * a file usually share their date with the row before, so its checks and arithmetic are done once.
 */
export interface DayCache {
  date: Uint8Array;
  valid: boolean;
  lo: number;
  hi: number;
}

export const dayCache = (): DayCache => ({ date: new Uint8Array(10), valid: false, lo: 0, hi: 0 });

/** Whether buf[s, s+10) is a valid date of the years datetime64[ns] holds; caches its midnight. */
function readDate(buf: Uint8Array, s: number, cache: DayCache): boolean {
  const k = cache.date;
  if (cache.valid && buf[s + 9] === k[9] && buf[s + 8] === k[8] && buf[s + 6] === k[6] && buf[s + 5] === k[5] && buf[s + 3] === k[3] && buf[s + 2] === k[2] && buf[s + 1] === k[1] && buf[s] === k[0] && buf[s + 4] === 45 && buf[s + 7] === 45) return true;
  if (buf[s + 4] !== 45 || buf[s + 7] !== 45) return false;
  if (!isDigit(buf[s]) || !isDigit(buf[s + 1]) || !isDigit(buf[s + 2]) || !isDigit(buf[s + 3]) || !isDigit(buf[s + 5]) || !isDigit(buf[s + 6]) || !isDigit(buf[s + 8]) || !isDigit(buf[s + 9])) return false;
  const y = two(buf, s) * 100 + two(buf, s + 2);
  const mo = two(buf, s + 5);
  const d = two(buf, s + 8);
  if (y < 1678 || y > 2261 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1] + (leap ? 1 : 0)) return false;
  nsHalves(daysFromCivil(y, mo, d) * 86400, 0);
  for (let j = 0; j < 10; j++) k[j] = buf[s + j];
  cache.valid = true;
  cache.lo = nsLo;
  cache.hi = nsHi;
  return true;
}

/**
 * 'YYYY-MM-DD', 'YYYY-MM-DD[ T]HH:MM:SS' or with a fraction of 1 to 9 digits, written to row i
 * of the int64 array whose halves are lo/hi; false when the field is not one of these (or is a
 * date parseTime would refuse, or out of the years datetime64[ns] holds).
 */
export function plainTime(buf: Uint8Array, s: number, e: number, lo: Uint32Array, hi: Int32Array, i: number, cache: DayCache): boolean {
  const len = e - s;
  if (len !== 10 && len !== 19 && (len < 21 || len > 29)) return false;
  if (!readDate(buf, s, cache)) return false;
  let sod = 0;
  let frac = 0;
  if (len > 10) {
    const sepc = buf[s + 10];
    if ((sepc !== 32 && sepc !== 84) || buf[s + 13] !== 58 || buf[s + 16] !== 58) return false;
    if (!isDigit(buf[s + 11]) || !isDigit(buf[s + 12]) || !isDigit(buf[s + 14]) || !isDigit(buf[s + 15]) || !isDigit(buf[s + 17]) || !isDigit(buf[s + 18])) return false;
    const h = two(buf, s + 11);
    const mi = two(buf, s + 14);
    const sec = two(buf, s + 17);
    if (h > 23 || mi > 59 || sec > 59) return false;
    sod = h * 3600 + mi * 60 + sec;
    if (len > 19) {
      if (buf[s + 19] !== 46 && buf[s + 19] !== 44) return false;
      for (let k = s + 20; k < e; k++) {
        if (!isDigit(buf[k])) return false;
        frac = frac * 10 + buf[k] - D0;
      }
      frac *= POW10[29 - len];
    }
  }
  // midnight + sod * 1e9 + frac (below 2^47: exact), carried across the halves.
  const x = sod * 1e9 + frac;
  const xh = Math.floor(x / TWO32);
  let l = cache.lo + (x - xh * TWO32);
  let carry = 0;
  if (l >= TWO32) {
    l -= TWO32;
    carry = 1;
  }
  lo[2 * i] = l;
  hi[2 * i + 1] = cache.hi + xh + carry;
  return true;
}

const DEFAULT_NA = new Set<string>(PANDAS_NA);

/**
 * One time field by the general rules (csv-convert's): a missing text (the user's too) is null,
 * any other text must parse without an offset; undefined when refused.
 */
export function timeByRules(r: FieldReader, s: number, e: number): bigint | null | undefined {
  const raw = fieldText(r, s, e);
  const text = (r.na.has(raw) ? '' : raw).trim();
  if (DEFAULT_NA.has(text)) return null;
  const p = parseTime(text);
  if (!p || p.offsetMinutes !== null) return undefined;
  return p.ns;
}

/** A naive datetime64[ns] column (texts without offsets, as parseDates inferred it). */
export function timeColumn(r: FieldReader, c: ColumnSpans, t: TypeDesc & { id: 'timestamp' }): Vector | null {
  if (!LITTLE_ENDIAN || t.tz !== null) return null;
  const n = c.rows;
  const { spans, at: col, stride } = c;
  const out = new BigInt64Array(n);
  const lo = new Uint32Array(out.buffer);
  const hi = new Int32Array(out.buffer);
  const cache = dayCache();
  let valid: Uint8Array | null = null;
  const extra = r.extraNa.length > 0;
  for (let i = 0; i < n; i++) {
    const s = spans[col + i * stride];
    const e = spans[col + i * stride + 1];
    if (s >= 0 && plainTime(r.buf, s, e, lo, hi, i, cache) && !(extra && isExtraNa(r, s, e))) continue;
    const v = timeByRules(r, s, e);
    if (v === undefined) return null;
    if (v === null) {
      valid ??= new Uint8Array(n).fill(1);
      valid[i] = 0;
      out[i] = 0n;
      continue;
    }
    out[i] = v;
  }
  return bigVector(arrowType(t), out, valid);
}

/** Missing-value texts of string columns by length, as bytes (compared without making strings). */
function nullTexts(r: FieldReader): Uint8Array[][] {
  const all = [...new Set([...r.na, ...STRING_NULLS])].map((s) => Buffer.from(s, 'utf8'));
  const byLen: Uint8Array[][] = [];
  for (const b of all) (byLen[b.length] ??= []).push(b);
  return byLen;
}

/** A string column as an Arrow Utf8 vector built from the fields' bytes. */
export function stringColumn(r: FieldReader, c: ColumnSpans): Vector | null {
  const n = c.rows;
  const { spans, at: col, stride } = c;
  const { buf } = r;
  const q = asciiByte(r.format.quote);
  const byLen = nullTexts(r);
  const isNull = new Uint8Array(n);
  let nulls = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = spans[col + i * stride];
    const e = spans[col + i * stride + 1];
    if (s >= 0) {
      const cands = byLen[e - s];
      if (cands !== undefined && cands.some((b) => equalsBytes(buf, s, e, b))) {
        isNull[i] = 1;
        nulls++;
        continue;
      }
      total += e - s;
    } else {
      const text = fieldText(r, s, e);
      if (r.na.has(text) || (text !== 'None' && NULLS.has(text))) {
        isNull[i] = 1;
        nulls++;
        continue;
      }
      total += Buffer.byteLength(text, 'utf8');
    }
  }
  const data = new Uint8Array(total);
  const offsets = new Int32Array(n + 1);
  let at = 0;
  let high = 0;
  for (let i = 0; i < n; i++) {
    if (!isNull[i]) {
      let s = spans[col + i * stride];
      const e = spans[col + i * stride + 1];
      if (s >= 0) {
        if (e - s > 32) data.set(buf.subarray(s, e), at);
        else for (let k = s; k < e; k++) high |= data[at + k - s] = buf[k];
        at += e - s;
      } else {
        // A quoted field with doubled quotes: every quote inside is one of a pair.
        for (s = ~s; s < e; s++) {
          high |= data[at++] = buf[s];
          if (buf[s] === q) s++;
        }
      }
    }
    offsets[i + 1] = at;
  }
  // Bytes that are not UTF-8 read as U+FFFD on the general path: leave such a block to it.
  if (!asciiOnly(data, high) && !isUtf8(data)) return null;
  let bitmap: Uint8Array | undefined;
  if (nulls) {
    bitmap = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) if (!isNull[i]) bitmap[i >> 3] |= 1 << (i & 7);
  }
  return makeVector(makeData({ type: new Utf8(), length: n, nullCount: nulls, data, valueOffsets: offsets, nullBitmap: bitmap } as unknown as Parameters<typeof makeData>[0]) as Data);
}

/** Whether the bytes are ASCII (the short fields' bytes were seen; long ones are scanned here). */
function asciiOnly(data: Uint8Array, high: number): boolean {
  if (high & 0x80) return false;
  for (let i = 0; i < data.length; i++) if (data[i] & 0x80) return false;
  return true;
}
