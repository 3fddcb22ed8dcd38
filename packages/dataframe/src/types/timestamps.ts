/**
 * Nanosecond timestamps as bigint (epoch UTC), as pandas keeps datetime64[ns]: parsing the ISO-like
 * texts pandas infers, writing them back as pandas prints them, calendar fields, and time-zone
 * offsets from the platform's IANA database (Intl).
 */

export const NS_PER_US = 1000n;
export const NS_PER_MS = 1_000_000n;
export const NS_PER_S = 1_000_000_000n;
export const NS_PER_DAY = 86_400n * NS_PER_S;

/** Floor division of bigints (toward -infinity), as needed for times before 1970. */
export const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
};
export const floorMod = (a: bigint, b: bigint): bigint => a - floorDiv(a, b) * b;

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;
const SLASH_YMD = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const SLASH_MDY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

export interface ParsedTime {
  /** Nanoseconds since the epoch, UTC (wall time when the text has no offset). */
  readonly ns: bigint;
  /** The offset the text gave, in minutes; null for a text without one. */
  readonly offsetMinutes: number | null;
}

function civil(y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string | undefined): bigint | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 31 February over into March; pandas refuses such dates.
  if (new Date(ms).getUTCDate() !== d) return null;
  const fracNs = frac ? BigInt(frac.padEnd(9, '0')) : 0n;
  return BigInt(ms) * NS_PER_MS + BigInt(h * 3600 + mi * 60 + s) * NS_PER_S + fracNs;
}

/** A date/time text as pandas' to_datetime infers ISO 8601 and slash dates; null when it is not one. */
export function parseTime(text: string): ParsedTime | null {
  const s = text.trim();
  let m = ISO.exec(s);
  if (m) {
    const ns = civil(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7]);
    if (ns === null) return null;
    let offsetMinutes: number | null = null;
    if (m[8]) {
      if (m[8] === 'Z' || m[8] === 'UTC') offsetMinutes = 0;
      else {
        const sign = m[8][0] === '-' ? -1 : 1;
        const digits = m[8].slice(1).replace(':', '');
        offsetMinutes = sign * (+digits.slice(0, 2) * 60 + +(digits.slice(2) || 0));
      }
    }
    return { ns: offsetMinutes === null ? ns : ns - BigInt(offsetMinutes) * 60n * NS_PER_S, offsetMinutes };
  }
  m = SLASH_YMD.exec(s);
  if (m) {
    const ns = civil(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7]);
    return ns === null ? null : { ns, offsetMinutes: null };
  }
  m = SLASH_MDY.exec(s);
  if (m) {
    // pandas reads 01/02/2021 month first unless dayfirst=True.
    const ns = civil(+m[3], +m[1], +m[2], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7]);
    return ns === null ? null : { ns, offsetMinutes: null };
  }
  return null;
}

export interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Nanoseconds within the second. */
  subsecond: number;
  /** Days since the epoch. */
  days: number;
}

/** Calendar fields of a wall-clock nanosecond count. */
export function fieldsOf(ns: bigint): Fields {
  const days = Number(floorDiv(ns, NS_PER_DAY));
  const inDay = floorMod(ns, NS_PER_DAY);
  const secs = Number(inDay / NS_PER_S);
  const d = new Date(days * 86_400_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: Math.floor(secs / 3600),
    minute: Math.floor(secs / 60) % 60,
    second: secs % 60,
    subsecond: Number(inDay % NS_PER_S),
    days,
  };
}

const p2 = (x: number): string => String(x).padStart(2, '0');

/**
 * Texts of wall-clock times as pandas prints a datetime column: dates only when every value is
 * midnight, else seconds, with as many fraction digits (3, 6 or 9) as the column needs.
 */
export function formatTimes(values: readonly (bigint | null)[], offsetText?: (i: number) => string): string[] {
  let dateOnly = !offsetText;
  let digits = 0;
  for (const v of values) {
    if (v === null) continue;
    const inDay = floorMod(v, NS_PER_DAY);
    if (inDay !== 0n) dateOnly = false;
    const sub = inDay % NS_PER_S;
    if (sub !== 0n) digits = Math.max(digits, sub % NS_PER_US !== 0n ? 9 : sub % NS_PER_MS !== 0n ? 6 : 3);
  }
  return values.map((v, i) => {
    if (v === null) return 'NaT';
    const f = fieldsOf(v);
    const date = `${String(f.year).padStart(4, '0')}-${p2(f.month)}-${p2(f.day)}`;
    if (dateOnly) return date;
    const frac = digits ? '.' + String(f.subsecond).padStart(9, '0').slice(0, digits) : '';
    return `${date} ${p2(f.hour)}:${p2(f.minute)}:${p2(f.second)}${frac}${offsetText ? offsetText(i) : ''}`;
  });
}

/** '+01:00' for 60 minutes. */
export function offsetLabel(minutes: number): string {
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
}

/** pandas' Timedelta text: '1 days 02:03:04.500000000' style, as a timedelta64 column prints. */
export function formatDurations(values: readonly (bigint | null)[]): string[] {
  let digits = 0;
  for (const v of values) {
    if (v === null) continue;
    const sub = floorMod(v, NS_PER_S);
    if (sub !== 0n) digits = Math.max(digits, sub % NS_PER_US !== 0n ? 9 : sub % NS_PER_MS !== 0n ? 6 : 3);
  }
  return values.map((v) => {
    if (v === null) return 'NaT';
    const days = floorDiv(v, NS_PER_DAY);
    const rest = floorMod(v, NS_PER_DAY);
    const secs = Number(rest / NS_PER_S);
    const frac = digits ? '.' + String(rest % NS_PER_S).padStart(9, '0').slice(0, digits) : '';
    return `${days} days ${p2(Math.floor(secs / 3600))}:${p2(Math.floor(secs / 60) % 60)}:${p2(secs % 60)}${frac}`;
  });
}

const DURATION = /^(?:([+-]?\d+)\s*days?,?\s*)?(?:([+-])?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?$/;
const UNITS: Record<string, bigint> = { d: NS_PER_DAY, day: NS_PER_DAY, days: NS_PER_DAY, h: 3600n * NS_PER_S, hours: 3600n * NS_PER_S, hour: 3600n * NS_PER_S, m: 60n * NS_PER_S, min: 60n * NS_PER_S, minute: 60n * NS_PER_S, minutes: 60n * NS_PER_S, T: 60n * NS_PER_S, s: NS_PER_S, sec: NS_PER_S, second: NS_PER_S, seconds: NS_PER_S, S: NS_PER_S, ms: NS_PER_MS, L: NS_PER_MS, us: NS_PER_US, U: NS_PER_US, ns: 1n, N: 1n };

/** A Timedelta text ('1 days 02:00:00', '00:00:01.5', '3h', '15min') as nanoseconds; null when it is not one. */
export function parseDuration(text: string): bigint | null {
  const s = text.trim();
  if (s === '') return null;
  const m = DURATION.exec(s);
  if (m && (m[1] !== undefined || m[3] !== undefined)) {
    let ns = m[1] !== undefined ? BigInt(m[1]) * NS_PER_DAY : 0n;
    if (m[3] !== undefined) {
      const t = BigInt(+m[3] * 3600 + +m[4] * 60 + +m[5]) * NS_PER_S + (m[6] ? BigInt(m[6].padEnd(9, '0')) : 0n);
      ns += m[2] === '-' ? -t : t;
    }
    return ns;
  }
  return parseFrequency(s);
}

/** A frequency/offset alias with a count ('1h', '15min', '2D', 'S') as nanoseconds; null when unknown. */
export function parseFrequency(text: string): bigint | null {
  const m = /^([+-]?\d+)?\s*([A-Za-z]+)$/.exec(text.trim());
  if (!m) return null;
  const unit = UNITS[m[2]] ?? UNITS[m[2].toLowerCase()] ?? (m[2].toUpperCase() === 'H' ? UNITS.h : m[2].toUpperCase() === 'D' ? UNITS.d : undefined);
  if (unit === undefined) return null;
  return BigInt(m[1] ?? 1) * unit;
}

// ---- Time zones ------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Checks an IANA zone name (or 'UTC'), failing with its name. */
export function checkZone(tz: string, method: string): string {
  try {
    zoneFormatter(tz);
    return tz;
  } catch {
    throw new RangeError(`${method}: unknown time zone '${tz}' (expected an IANA name such as 'Europe/Paris' or 'UTC')`);
  }
}

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

/** Minutes east of UTC of zone `tz` at the instant `ms` (UTC milliseconds). */
export function zoneOffsetMinutes(tz: string, ms: number): number {
  if (tz === 'UTC') return 0;
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (+fixed[2] * 60 + +fixed[3]);
  const whole = Math.floor(ms / 1000) * 1000;
  const parts = zoneFormatter(tz).formatToParts(new Date(whole));
  const get = (type: string): number => +(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - whole) / 60000);
}

/**
 * Offsets of many instants, cached by quarter hour: zone rules change offsets only at such
 * boundaries, and asking Intl for every row would cost microseconds each.
 */
export function offsetCache(tz: string): (ns: bigint) => number {
  const cache = new Map<number, number>();
  const quarter = 15n * 60n * NS_PER_S;
  return (ns) => {
    const q = Number(floorDiv(ns, quarter));
    let off = cache.get(q);
    if (off === undefined) {
      off = zoneOffsetMinutes(tz, q * 900_000);
      cache.set(q, off);
    }
    return off;
  };
}

/**
 * The instant (UTC ns) of wall-clock time `wall` in zone tz, as pandas' tz_localize with
 * ambiguous='raise', nonexistent='raise': a wall time skipped or repeated by a clock change fails.
 */
export function localize(wall: bigint, tz: string, offsetOf: (ns: bigint) => number): bigint {
  const min = 60n * NS_PER_S;
  const candidates = new Set<bigint>();
  // The offset at the instant is one of the offsets a few hours around it.
  for (const probe of [-18n, 0n, 18n]) {
    const off = offsetOf(wall + probe * 3600n * NS_PER_S);
    const utc = wall - BigInt(off) * min;
    if (BigInt(offsetOf(utc)) * min === wall - utc) candidates.add(utc);
  }
  if (candidates.size === 1) return [...candidates][0];
  const text = formatTimes([wall])[0];
  if (candidates.size === 0) throw new RangeError(`tzLocalize: ${text} does not exist in ${tz} (the clocks skip it)`);
  throw new RangeError(`tzLocalize: cannot infer the offset of ${text} in ${tz}: it happens twice (ambiguous)`);
}
