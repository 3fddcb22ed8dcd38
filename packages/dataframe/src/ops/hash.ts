/**
 * Row keys for joins and hash partitioning. Equal keys must meet in the same output partition
 * whichever side and type they come from (int32 1 on the left, float64 1.0 on the right), so
 * numbers are hashed by their value as a JavaScript number and strings by their UTF-16 code units.
 */
import { DataType, type Vector } from 'apache-arrow';
import { toFloat64 } from './values';

/**
 * A row's key: a number or string (one key column), or a joined text (several). A missing value
 * (null, NaN) is the key NaN, which equals itself in a Map: pandas and Dask match missing keys
 * with each other in merge. `null` is kept in the type for callers that mark rows with no key.
 */
export type RowKey = number | string | null;

/** The values of a key column as numbers or strings; missing (null, NaN) as NaN. */
function columnKeys(v: Vector): (number | string)[] {
  const t = v.type as DataType;
  if (DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t)) {
    // -0 and 0 are one key, as they compare equal.
    return Array.from(toFloat64(v), (x) => (x === 0 ? 0 : x));
  }
  return Array.from({ length: v.length }, (_, i) => (v.get(i) as string | null) ?? NaN);
}

export function rowKeys(cols: readonly Vector[]): RowKey[] {
  const keys = cols.map(columnKeys);
  if (keys.length === 1) return keys[0];
  const n = cols[0]?.length ?? 0;
  return Array.from({ length: n }, (_, i) => {
    // JSON keeps numbers and strings apart ('1' vs 1) and writes NaN as null, so distinct tuples
    // give distinct texts and missing parts meet.
    return JSON.stringify(keys.map((k) => k[i]));
  });
}

/** A 32-bit hash of a key (FNV-1a over the number's bytes or the string's code units). */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
export function hashKey(k: number | string): number {
  let h = 0x811c9dc5;
  if (typeof k === 'number') {
    // NaN payloads differ between sources: every missing key must land in one bucket.
    f64[0] = k !== k ? NaN : k;
    for (const w of [u32[0], u32[1]]) {
      for (let s = 0; s < 32; s += 8) h = Math.imul(h ^ ((w >>> s) & 0xff), 0x01000193);
    }
  } else {
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
  }
  // A final avalanche so that nearby integers spread over the buckets.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** The output partition of each row: by hash of its key; rows with a missing key go to 0. */
export function bucketsOf(keys: readonly RowKey[], n: number): Int32Array {
  return Int32Array.from(keys, (k) => (k === null ? 0 : hashKey(k) % n));
}
