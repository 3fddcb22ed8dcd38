/**
 * The column types pandas has beyond NumPy's plain numbers: `datetime64[ns]` (with or without a
 * time zone) as Arrow Timestamp(ns), `timedelta64[ns]` as Arrow Duration(ns), and the masked
 * extension types `Int64`/`boolean`. Arrow has no separate type for pandas' masked integers (every
 * Arrow column has a validity bitmap), so the Arrow type object carries a tag saying the column
 * was made as one: it survives every operation that passes the type object on.
 */
import { DataType, Duration, TimeUnit, Timestamp } from 'apache-arrow';

export type TimeDesc =
  | { readonly id: 'timestamp'; readonly unit: 'ns'; readonly tz: string | null }
  | { readonly id: 'duration'; readonly unit: 'ns' };

/** The Arrow type of a timestamp or duration column. */
export function timeArrowType(d: TimeDesc): DataType {
  return d.id === 'timestamp' ? new Timestamp(TimeUnit.NANOSECOND, d.tz) : new Duration(TimeUnit.NANOSECOND);
}

/** The description of an Arrow timestamp/duration type; undefined for other types. */
export function describeTimeType(t: DataType): TimeDesc | undefined {
  if (DataType.isTimestamp(t) || DataType.isDuration(t)) {
    // Only nanoseconds: pandas 1.5 has no other unit, and a second unit would double every kernel.
    if (t.unit !== TimeUnit.NANOSECOND) {
      throw new TypeError(`@pdask/dataframe: Arrow type ${String(t)} is not supported: pandas 1.5 keeps times in nanoseconds; convert the column to unit NANOSECOND first`);
    }
    return DataType.isTimestamp(t) ? { id: 'timestamp', unit: 'ns', tz: t.timezone ?? null } : { id: 'duration', unit: 'ns' };
  }
  return undefined;
}

/** pandas' name: 'datetime64[ns]', 'datetime64[ns, UTC]', 'timedelta64[ns]'. */
export function timeDtypeName(d: TimeDesc): string {
  return d.id === 'timestamp' ? (d.tz ? `datetime64[ns, ${d.tz}]` : 'datetime64[ns]') : 'timedelta64[ns]';
}

const NULLABLE = 'pdaskNullable';

/** The Arrow type tagged as pandas' masked extension type when the description says so. */
export function nullableName<T extends DataType>(d: { readonly nullable?: true }, t: T): T {
  if (d.nullable) Object.defineProperty(t, NULLABLE, { value: true, enumerable: false });
  return t;
}

/** The description, with `nullable` when the Arrow type object was tagged by nullableName. */
export function tagNullable<D extends object>(t: DataType, d: D): D {
  return (t as unknown as Record<string, unknown>)[NULLABLE] === true ? ({ ...d, nullable: true } as D) : d;
}
