/**
 * A batch sorted by one number column by moving the rows' values themselves, not an order: the
 * sort of each output partition of setIndex and sortValues. Sorting a row order, then gathering
 * every column by it, read each column at random (a new cache line for almost every row of a
 * partition of 8 MB per column): that gather was a third of setIndex's worker time.
 * Here every key is given a bucket by where it lies between the partition's smallest and largest
 * key (buckets of a few hundred rows, in key order), every column is scattered once into its
 * buckets (stable, writing a few thousand places at a time), and each bucket, now small enough
 * for the cache, is put in exact order with its rows' values. The order is the same as
 * sort-rows.ts's: stable, -0 equal to 0, missing keys (NaN) last in both directions.
 */
import { DataType, Precision, type Vector } from 'apache-arrow';
import { batchOf, type Batch } from './part';
import { keysOrder } from './sort-numbers';
import { scratch, type Numbers } from './sort-scratch';
import { isPlainNumbers, vectorOf } from './take-numbers';
import { takeRows, toFloat64 } from './values';

/** Rows per bucket, on average: a bucket's keys and values then fit the first-level cache. */
const BUCKET_ROWS = 256;
const MAX_BUCKETS = 1 << 14;
/** Buckets up to this many rows are ordered by insertion sort. */
const SHORT = 32;
/** Buckets past this many rows (keys far from uniform in their range) get the general sort of sort-numbers.ts. */
const LONG = 4096;

type NumbersCtor = { new (n: number): Numbers; readonly BYTES_PER_ELEMENT: number; readonly name: string };

/** Whether x comes strictly before y (NaN last in both directions; -0 equal to 0). */
const before = (x: number, y: number, ascending: boolean): boolean => (ascending ? x < y : x > y) || (y !== y && x === x);

/** Where the keys lie: a key's bucket is its position between `lo` and `hi` (or `hi` and `lo`, descending), times `scale`. */
interface Spread {
  readonly lo: number;
  readonly hi: number;
  readonly scale: number;
  readonly ascending: boolean;
}

/**
 * The batch in the order of `key` (a column of `b` without nulls), or undefined where this sort
 * does not apply (64-bit integer keys, which sort-wide-ints.ts settles by their exact values; few
 * rows; every key missing): the caller sorts an order instead.
 */
export function sortCarrying(b: Batch, key: Vector, ascending: boolean): Batch | undefined {
  const t = key.type as DataType;
  const n = key.length;
  if (n < LONG || !isPlainNumbers(key) || !(DataType.isFloat(t) || (DataType.isInt(t) && t.bitWidth <= 32))) return undefined;
  const floatKey = DataType.isFloat(t) && t.precision === Precision.DOUBLE;
  const keyChunks = floatKey ? chunksOf(key) : [toFloat64(key)];
  const spread = spreadOf(keyChunks, n, ascending);
  if (!spread) return undefined;
  const nb = spread.scale === 0 ? 2 : bucketCount(n);
  const buckets = scratch(Uint16Array, 'carry-buckets', n);
  const start = new Int32Array(nb + 1);
  bucketsOf(keyChunks, spread, nb, buckets, start);
  for (let j = 0; j < nb; j++) start[j + 1] += start[j];
  // The sorted keys as float64 (the key column itself when it is float64) and every column that moves with them.
  const sortedKeys = floatKey ? new Float64Array(n) : scratch(Float64Array, 'carry-keys', n);
  scatterInto(keyChunks, buckets, start, sortedKeys);
  let rows: Int32Array | undefined;
  const moved: Numbers[] = [];
  const columns: (Numbers | undefined)[] = b.vectors.map((v) => {
    if (v === key && floatKey) return sortedKeys;
    if (!isPlainNumbers(v)) return undefined;
    const out = new ((v.data[0].values as Numbers).constructor as NumbersCtor)(n);
    scatterInto(chunksOf(v), buckets, start, out);
    moved.push(out);
    return out;
  });
  if (columns.includes(undefined)) {
    rows = scratch(Int32Array, 'carry-rows', n);
    scatterRows(buckets, start, rows);
    moved.push(rows);
  }
  const perm = scratch(Int32Array, 'carry-perm', n);
  for (let j = 0; j < nb; j++) settleBucket(sortedKeys, moved, start[j], start[j + 1], spread, j, perm);
  const all = rows;
  return batchOf(
    b.names,
    b.vectors.map((v, c) => {
      const out = columns[c];
      return out ? vectorOf(out, v.type as DataType) : takeRows(v, all!);
    }),
  );
}

const bucketCount = (n: number): number => Math.max(2, Math.min(MAX_BUCKETS, Math.ceil(n / BUCKET_ROWS)));

/** A plain number column's values, one typed array per chunk (no copy). */
function chunksOf(v: Vector): Numbers[] {
  return v.data.filter((d) => d.length > 0).map((d) => (d.values as Numbers).subarray(0, d.length) as Numbers);
}

/**
 * The smallest and largest key that is not missing, and the scale that spreads them over the
 * buckets; undefined when every key is missing. Keys so far apart that their difference
 * overflows, or so close that the scale does, all go to one bucket (scale 0), which the general
 * sort then orders.
 */
function spreadOf(chunks: readonly Numbers[], n: number, ascending: boolean): Spread | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of chunks) {
    const [a, z] = extremes(c as Float64Array);
    if (a < lo) lo = a;
    if (z > hi) hi = z;
  }
  if (!(lo <= hi)) return undefined;
  const s = bucketCount(n) / (hi - lo);
  return { lo, hi, scale: Number.isFinite(s) ? s : 0, ascending };
}

function extremes(keys: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k < lo) lo = k;
    if (k > hi) hi = k;
  }
  return [lo, hi];
}

/**
 * A key's position in buckets (a double in [0, nb]); it never decreases as keys go from first
 * to last in the sort's direction, since subtraction and multiplication round monotonically.
 */
const positionOf = (k: number, s: Spread): number => (s.ascending ? k - s.lo : s.hi - k) * s.scale;

/** Each row's bucket (missing keys in the last), and each bucket's row count in `count[j + 1]`. */
function bucketsOf(chunks: readonly Numbers[], s: Spread, nb: number, out: Uint16Array, count: Int32Array): void {
  let at = 0;
  const top = nb - 1;
  for (const c of chunks) {
    const keys = c as Float64Array;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const x = (s.ascending ? k - s.lo : s.hi - k) * s.scale;
      const j = k !== k ? top : x < top ? x | 0 : top;
      out[at++] = j;
      count[j + 1]++;
    }
  }
}

/** Every value of `chunks` (the rows in order) written to its bucket's next place, so each bucket keeps row order. */
function scatterInto(chunks: readonly Numbers[], buckets: Uint16Array, start: Int32Array, out: Numbers): void {
  const at = start.slice(0, start.length - 1);
  let row = 0;
  for (const c of chunks) {
    if (c instanceof Float64Array && out instanceof Float64Array) scatterFloat64(c, buckets, row, at, out);
    else scatterAny(c, buckets, row, at, out);
    row += c.length;
  }
}

function scatterFloat64(src: Float64Array, buckets: Uint16Array, row: number, at: Int32Array, out: Float64Array): void {
  for (let i = 0; i < src.length; i++) out[at[buckets[row + i]]++] = src[i];
}

function scatterAny(src: Numbers, buckets: Uint16Array, row: number, at: Int32Array, out: Numbers): void {
  const o = out as unknown as number[];
  const s = src as unknown as number[];
  for (let i = 0; i < s.length; i++) o[at[buckets[row + i]]++] = s[i];
}

/** The row numbers, scattered as a column (for the columns that are gathered, not moved). */
function scatterRows(buckets: Uint16Array, start: Int32Array, out: Int32Array): void {
  const at = start.slice(0, start.length - 1);
  for (let i = 0; i < buckets.length; i++) out[at[buckets[i]]++] = i;
}

/**
 * Bucket j (rows s..e of `keys` and of every `moved` column) in exact order, stably. Buckets
 * already in order (runs of equal keys, sorted input) move nothing.
 */
function settleBucket(keys: Float64Array, moved: readonly Numbers[], s: number, e: number, spread: Spread, j: number, perm: Int32Array): void {
  const n = e - s;
  if (n < 2 || inOrder(keys, s, e, spread.ascending)) return;
  const p = perm.subarray(0, n);
  if (n <= SHORT) {
    for (let i = 0; i < n; i++) p[i] = i;
    insertionRun(keys, s, p, 0, n, spread.ascending);
  } else if (n <= LONG) subBucketOrder(keys, s, n, spread, j, p);
  else keysOrder(keys.subarray(s, e), spread.ascending, p);
  permute(keys, s, p);
  for (const m of moved) permute(m, s, p);
}

function inOrder(keys: Float64Array, s: number, e: number, ascending: boolean): boolean {
  for (let i = s + 1; i < e; i++) if (before(keys[i], keys[i - 1], ascending)) return false;
  return true;
}

/**
 * The order of a bucket of `n` rows: a stable counting sort by the key's position within the
 * bucket (n sub-buckets), then each sub-bucket's few rows by insertion sort (long ones, many
 * equal or close keys, by the general sort).
 */
function subBucketOrder(keys: Float64Array, s: number, n: number, spread: Spread, j: number, p: Int32Array): void {
  const sub = scratch(Int32Array, 'carry-sub', n);
  const count = scratch(Int32Array, 'carry-sub-count', n + 1).fill(0);
  const top = n - 1;
  for (let i = 0; i < n; i++) {
    const k = keys[s + i];
    const y = (positionOf(k, spread) - j) * n;
    const d = k !== k ? top : y <= 0 ? 0 : y < top ? y | 0 : top;
    sub[i] = d;
    count[d + 1]++;
  }
  for (let d = 0; d < n; d++) count[d + 1] += count[d];
  const at = scratch(Int32Array, 'carry-sub-at', n);
  at.set(count.subarray(0, n));
  for (let i = 0; i < n; i++) p[at[sub[i]]++] = i;
  for (let d = 0; d < n; d++) {
    const a = count[d];
    const z = count[d + 1];
    if (z - a < 2) continue;
    if (z - a <= SHORT) insertionRun(keys, s, p, a, z, spread.ascending);
    else generalRun(keys, s, p, a, z, spread.ascending);
  }
}

/** `p[a..z)` (already in row order) by insertion sort. */
function insertionRun(keys: Float64Array, s: number, p: Int32Array, a: number, z: number, ascending: boolean): void {
  for (let i = a + 1; i < z; i++) {
    const r = p[i];
    const k = keys[s + r];
    let q = i - 1;
    while (q >= a && before(k, keys[s + p[q]], ascending)) {
      p[q + 1] = p[q];
      q--;
    }
    p[q + 1] = r;
  }
}

/** `p[a..z)` (in row order) by the general stable sort of its keys. */
function generalRun(keys: Float64Array, s: number, p: Int32Array, a: number, z: number, ascending: boolean): void {
  const m = z - a;
  const run = new Float64Array(m);
  const rows = p.slice(a, z);
  for (let i = 0; i < m; i++) run[i] = keys[s + rows[i]];
  const order = keysOrder(run, ascending, new Int32Array(m));
  for (let i = 0; i < m; i++) p[a + i] = rows[order[i]];
}

/** Rows s.. of `values` rearranged so that position i holds what was at position `p[i]`. */
function permute(values: Numbers, s: number, p: Int32Array): void {
  const n = p.length;
  if (values instanceof Float64Array) {
    const tmp = scratch(Float64Array, 'carry-tmp', n);
    tmp.set(values.subarray(s, s + n));
    permuteFloat64(values, tmp, s, p);
    return;
  }
  const tmp = values.slice(s, s + n) as unknown as number[];
  const v = values as unknown as number[];
  for (let i = 0; i < n; i++) v[s + i] = tmp[p[i]];
}

function permuteFloat64(values: Float64Array, tmp: Float64Array, s: number, p: Int32Array): void {
  for (let i = 0; i < p.length; i++) values[s + i] = tmp[p[i]];
}
