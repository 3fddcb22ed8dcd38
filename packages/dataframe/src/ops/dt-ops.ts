/**
 * The `.dt` accessor per partition: calendar fields, normalize, floor/ceil/round to a fixed
 * frequency, strftime, tz_localize and tz_convert of datetime64[ns] columns. Time-zone-aware
 * columns hold UTC instants; fields, rounding and strftime work on the wall time of their zone, as
 * pandas does, and rounded wall times are localized back.
 */
import { Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { bigColumn, bigVector } from '../types/big-vectors';
import { fieldsOf, floorDiv, localize, NS_PER_DAY, NS_PER_S, offsetCache, offsetLabel, type Fields } from '../types/timestamps';
import { withIndex } from './elementwise';
import { findColumn } from './frame';
import { decodePart, type Part } from './part';
import { numbersAs } from './results';
import { arrowType, type TypeDesc } from './types';

export type DtField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'microsecond' | 'nanosecond' | 'dayofweek' | 'dayofyear' | 'quarter';

export type DtOp =
  | { op: 'field'; field: DtField }
  | { op: 'round'; how: 'floor' | 'ceil' | 'round' | 'normalize'; freq: string }
  | { op: 'strftime'; format: string }
  | { op: 'tz'; how: 'localize' | 'convert'; tz: string | null };

const MIN = 60n * NS_PER_S;
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };

const CUMULATIVE_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const dayOfYear = (f: Fields): number => CUMULATIVE_DAYS[f.month - 1] + f.day + (f.month > 2 && leap(f.year) ? 1 : 0);

const FIELD: Record<DtField, (f: Fields) => number> = {
  year: (f) => f.year,
  month: (f) => f.month,
  day: (f) => f.day,
  hour: (f) => f.hour,
  minute: (f) => f.minute,
  second: (f) => f.second,
  microsecond: (f) => Math.floor(f.subsecond / 1000),
  nanosecond: (f) => f.subsecond % 1000,
  // pandas: Monday is 0. Day 0 of the epoch, 1970-01-01, was a Thursday (3).
  dayofweek: (f) => (((f.days + 3) % 7) + 7) % 7,
  dayofyear: dayOfYear,
  quarter: (f) => Math.floor((f.month - 1) / 3) + 1,
};

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const p = (x: number, w = 2): string => String(x).padStart(w, '0');

/** Python's strftime directives (the C library's common set) on wall-clock fields. */
function strftime(format: string, f: Fields, offsetMinutes: number | null, tz: string | null): string {
  return format.replace(/%([a-zA-Z%])/g, (m, d: string) => {
    switch (d) {
      case 'Y': return p(f.year, 4);
      case 'y': return p(f.year % 100);
      case 'm': return p(f.month);
      case 'd': return p(f.day);
      case 'H': return p(f.hour);
      case 'I': return p(f.hour % 12 === 0 ? 12 : f.hour % 12);
      case 'p': return f.hour < 12 ? 'AM' : 'PM';
      case 'M': return p(f.minute);
      case 'S': return p(f.second);
      case 'f': return p(Math.floor(f.subsecond / 1000), 6);
      case 'j': return p(dayOfYear(f), 3);
      case 'a': return DAYS[FIELD.dayofweek(f)].slice(0, 3);
      case 'A': return DAYS[FIELD.dayofweek(f)];
      case 'w': return String((FIELD.dayofweek(f) + 1) % 7);
      case 'b': return MONTHS[f.month - 1].slice(0, 3);
      case 'B': return MONTHS[f.month - 1];
      case 'z': return offsetMinutes === null ? '' : offsetLabel(offsetMinutes).replace(':', '');
      case 'Z': return tz ?? '';
      case '%': return '%';
      default: throw new RangeError(`dt.strftime: directive '${m}' is not supported (supported: %Y %y %m %d %H %I %p %M %S %f %j %a %A %w %b %B %z %Z %%)`);
    }
  });
}

/** Nanoseconds of a fixed frequency ('1h', '15min', 'D'); pandas refuses calendar ones ('M') for rounding too. */
export function frequencyNs(freq: bigint | null, text: string, method: string): bigint {
  if (freq === null || freq <= 0n) throw new RangeError(`${method}: '${text}' is not a fixed frequency (use e.g. '1h', '15min', '30s', '1D')`);
  return freq;
}

function roundWall(x: bigint, how: 'floor' | 'ceil' | 'round' | 'normalize', step: bigint): bigint {
  if (how === 'normalize') step = NS_PER_DAY;
  const lo = floorDiv(x, step) * step;
  if (how === 'floor' || how === 'normalize' || lo === x) return lo;
  if (how === 'ceil') return lo + step;
  // pandas rounds halfway values to the even multiple.
  const twice = 2n * (x - lo);
  if (twice < step) return lo;
  if (twice > step) return lo + step;
  return (floorDiv(lo, step) % 2n === 0n) ? lo : lo + step;
}

export const dtColumn = (part: Part, column: string, tz: string | null, spec: DtOp, freqNs: string | null, name: string, outType: TypeDesc): Part => {
  const b = decodePart(part);
  const v = findColumn(b, column);
  const { values, valid } = bigColumn(v);
  const n = values.length;
  const offsetOf = tz ? offsetCache(tz) : null;
  const wall = (i: number): bigint => (offsetOf ? (values[i] as bigint) + BigInt(offsetOf(values[i] as bigint)) * MIN : (values[i] as bigint));
  const isValid = (i: number): boolean => !valid || valid[i] === 1;
  let out: Vector;
  switch (spec.op) {
    case 'field': {
      const x = new Float64Array(n);
      const get = FIELD[spec.field];
      for (let i = 0; i < n; i++) x[i] = isValid(i) ? get(fieldsOf(wall(i))) : NaN;
      out = numbersAs(x, I32);
      break;
    }
    case 'strftime': {
      const s: (string | null)[] = new Array(n);
      for (let i = 0; i < n; i++) s[i] = isValid(i) ? strftime(spec.format, fieldsOf(wall(i)), offsetOf ? offsetOf(values[i] as bigint) : null, tz) : null;
      out = vectorFromArray(s, new Utf8());
      break;
    }
    case 'round': {
      const step = spec.how === 'normalize' ? NS_PER_DAY : BigInt(freqNs!);
      const r = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        if (!isValid(i)) continue;
        const w = roundWall(wall(i), spec.how, step);
        r[i] = offsetOf ? localize(w, tz!, offsetOf) : w;
      }
      out = bigVector(arrowType(outType), r, valid);
      break;
    }
    case 'tz': {
      const r = new BigInt64Array(n);
      if (spec.how === 'convert') r.set(values as BigInt64Array);
      else if (spec.tz === null) for (let i = 0; i < n; i++) r[i] = isValid(i) ? wall(i) : 0n;
      else {
        const to = offsetCache(spec.tz);
        for (let i = 0; i < n; i++) if (isValid(i)) r[i] = localize(values[i] as bigint, spec.tz, to);
      }
      out = bigVector(arrowType(outType), r, valid);
      break;
    }
  }
  return withIndex(b, name, out);
};
