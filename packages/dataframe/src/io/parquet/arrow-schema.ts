/**
 * What the `ARROW:schema` footer entry (written by pyarrow, polars, arrow-rs) says beyond the
 * Parquet schema: a timestamp's time zone and whether a column was a dictionary (pandas'
 * category, polars' Categorical/Enum). pyarrow restores both from it when reading; so does pdask.
 */
import { DataType, MessageReader } from 'apache-arrow';
import type { FileMetaData } from 'hyparquet';
import { Buffer } from '../buffer';

export interface ArrowHint {
  /** The time zone of a timestamp column, when the Arrow type names one. */
  tz?: string;
  /** The column was an Arrow dictionary of strings. */
  dictionary?: boolean;
}

/** Hints by top-level column name; empty when the file has no (readable) Arrow schema. */
export function arrowHints(meta: FileMetaData): Map<string, ArrowHint> {
  const out = new Map<string, ArrowHint>();
  const entry = meta.key_value_metadata?.find((kv) => kv.key === 'ARROW:schema')?.value;
  if (!entry) return out;
  let fields;
  try {
    const reader = new MessageReader(Buffer.from(entry, 'base64'));
    fields = reader.readSchema()?.fields;
  } catch {
    // A schema this Arrow version cannot decode only loses the hints, as the Parquet types remain.
    return out;
  }
  for (const f of fields ?? []) {
    const t = f.type as DataType;
    if (DataType.isTimestamp(t) && t.timezone) out.set(f.name, { tz: t.timezone });
    else if (DataType.isDictionary(t) && (DataType.isUtf8(t.dictionary) || DataType.isLargeUtf8(t.dictionary) || DataType.isUtf8View(t.dictionary))) out.set(f.name, { dictionary: true });
  }
  return out;
}
