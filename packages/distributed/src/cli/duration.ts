/**
 * Durations as Dask's `parse_timedelta` reads them: a bare number is seconds; otherwise a number
 * and a unit, with or without a space ('500ms', '5s', '10 minutes', '1.5h', '2 days').
 */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  nanosecond: 1e-6,
  us: 1e-3,
  microsecond: 1e-3,
  ms: 1,
  millisecond: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
};

/** Milliseconds in `value`; `what` (if given) names the setting in errors. */
export function parseDuration(value: string | number, what?: string): number {
  const prefix = what ? `${what}: ` : '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${prefix}must be a non-negative number of seconds, got ${value}`);
    return value * 1000;
  }
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*([a-z]*)\s*$/i.exec(value);
  if (m) {
    const n = Number(`${m[1]}${m[2] !== undefined ? `e${m[2]}` : ''}`);
    const word = m[3].toLowerCase();
    // Plural and singular unit names are the same unit ('minutes', 'minute').
    const unit = word === '' ? 1000 : (UNIT_MS[word] ?? (word.endsWith('s') ? UNIT_MS[word.slice(0, -1)] : undefined));
    if (unit !== undefined && Number.isFinite(n)) return n * unit;
  }
  throw new RangeError(`${prefix}cannot read '${value}' as a duration (use seconds like 60, or 500ms, 5s, '10 minutes', 1h, 2d)`);
}
