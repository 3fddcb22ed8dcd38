/**
 * 64-bit integer keys beyond ±2^53 in their exact order. The number sorts (sort-numbers.ts,
 * sort-rows.ts) order float64 keys, and such integers round there: keys that differ only below
 * the rounding (IDs 2^53 + 1 and 2^53 + 2, nanosecond stamps a few ns apart) compare equal and
 * kept their rows' order. Rounding is monotone, so the float order is already right between rows
 * whose rounded keys differ, and the ranges cut by float boundaries keep it across partitions:
 * only runs of equal rounded keys need the exact values, and each is sorted by them, stably.
 * Sorts by several columns (comparator sorts) compare such a column's bigints instead.
 */
import { DataType, type Int, type Vector } from 'apache-arrow';

const SAFE = Number.MAX_SAFE_INTEGER;
const SAFE_BIG = BigInt(SAFE);

const isInt64 = (v: Vector): boolean => DataType.isInt(v.type as DataType) && (v.type as Int).bitWidth === 64;

/**
 * Whether a key is past the safe integers, read from the float64 keys the sort already has (an
 * integer past them converts to a float past them): every int64 sort pays a float compare per
 * row here, not a bigint one.
 */
function anyBeyondSafe(keys: Float64Array): boolean {
  for (let i = 0; i < keys.length; i++) if (keys[i] > SAFE || keys[i] < -SAFE) return true;
  return false;
}

/** The column's values when it is a 64-bit integer column holding a value float64 cannot hold exactly. */
function wideValues(v: Vector): BigInt64Array | BigUint64Array | undefined {
  if (!isInt64(v)) return undefined;
  const vals = v.toArray() as BigInt64Array | BigUint64Array;
  for (let i = 0; i < vals.length; i++) if (vals[i] > SAFE_BIG || vals[i] < -SAFE_BIG) return vals;
  return undefined;
}

/**
 * `order` (the stable order of `keys`, the column `v` as float64, missing keys NaN) with every run
 * of equal non-missing keys put in `v`'s exact order; unchanged unless `v` holds wide integers.
 */
export function settleWideInts(v: Vector, keys: Float64Array, order: Int32Array, ascending: boolean): Int32Array {
  if (!isInt64(v) || !anyBeyondSafe(keys)) return order;
  const vals = v.toArray() as BigInt64Array | BigUint64Array;
  const sign = ascending ? 1 : -1;
  const byValue = (a: number, b: number): number => (vals[a] < vals[b] ? -sign : vals[a] > vals[b] ? sign : a - b);
  const n = order.length;
  for (let i = 0; i < n; ) {
    const k = keys[order[i]];
    let j = i + 1;
    while (j < n && keys[order[j]] === k) j++;
    // Missing keys (NaN) never compare equal, so each is a run of one.
    if (j - i > 1) order.subarray(i, j).sort(byValue);
    i = j;
  }
  return order;
}

/** A 64-bit integer column holding values float64 cannot hold exactly, as bigints (missing as null); else undefined. */
export function wideIntKeys(v: Vector): (bigint | null)[] | undefined {
  const vals = wideValues(v);
  if (vals === undefined) return undefined;
  const out: (bigint | null)[] = new Array(vals.length);
  for (let i = 0; i < vals.length; i++) out[i] = v.isValid(i) ? vals[i] : null;
  return out;
}
