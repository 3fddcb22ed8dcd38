/** Printed texts of datetime and timedelta columns, as pandas shows them (NaT when missing). */
import { DataType, type Vector } from 'apache-arrow';
import { cellOf } from '../types/big-vectors';
import { formatDurations, formatTimes, NS_PER_S, offsetCache, offsetLabel } from '../types/timestamps';

/** Texts of the shown rows (gap rows, -1, left out); undefined for other column types. */
export function timeTexts(v: Vector, rows: readonly number[]): string[] | undefined {
  const t = v.type as DataType;
  if (!DataType.isTimestamp(t) && !DataType.isDuration(t)) return undefined;
  const vals = rows.filter((r) => r >= 0).map((r) => cellOf(v, r) as bigint | null);
  if (DataType.isDuration(t)) return formatDurations(vals);
  const tz = t.timezone;
  if (!tz) return formatTimes(vals);
  const offsetOf = offsetCache(tz);
  const offs = vals.map((x) => (x === null ? 0 : offsetOf(x)));
  return formatTimes(
    vals.map((x, i) => (x === null ? null : x + BigInt(offs[i]) * 60n * NS_PER_S)),
    (i) => offsetLabel(offs[i]),
  );
}
