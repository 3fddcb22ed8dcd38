/**
 * A batch sorted by one number column by moving the rows' values themselves, not an order: the
 * sort of each output partition of setIndex and sortValues. Sorting a row order, then gathering
 * every column by it, read each column at random (a new cache line for almost every row of a
 * partition of 8 MB per column): that gather was a third of setIndex's worker time.
 * Here every key is given a bucket by where it lies between the partition's smallest and largest
 * key (buckets of a few thousand rows, in key order), every column is scattered once into its
 * buckets (stable, writing a few hundred places at a time), and each bucket, now small enough
 * for the cache, is put in exact order; the columns are read in that order within each bucket. The order is the same as
 * sort-rows.ts's: stable, -0 equal to 0, missing keys (NaN) last in both directions.
 */
import { DataType, Precision, type Vector } from 'apache-arrow';
import { batchOf, type Batch } from './part';
import { keysOrder, presentExtremes } from './sort-numbers';
import { scratch, type Numbers } from './sort-scratch';
import { gatherNumbers, isPlainNumbers, vectorOf } from './take-numbers';
import { takeRows, toFloat64 } from './values';

/** Rows per bucket, on average: a bucket's keys, values and working arrays then fit the second-level cache. */
const BUCKET_ROWS = 4096;
const MAX_BUCKETS = 1 << 14;
/** Buckets up to this many rows are ordered by insertion sort. */
const SHORT = 32;
/** Buckets past this many rows (keys far from uniform in their range) get the general sort of sort-numbers.ts (at most 65536: a row's sub-bucket is held in 16 bits). */
const LONG = 16384;
/** Fewer rows than this are sorted by an order (sort-rows.ts). */
const MIN_ROWS = 4096;

type NumbersCtor = { new (n: number): Numbers; readonly BYTES_PER_ELEMENT: number; readonly name: string };

/** Where the keys lie: a key's bucket is its position between `lo` and `hi` (or `hi` and `lo`, descending), times `scale`. */
export interface Spread {
  readonly lo: number;
  readonly hi: number;
  readonly scale: number;
  readonly ascending: boolean;
}

/**
 * The batch in the order of `key` (a column of `b` without nulls), or undefined where this sort
 * does not apply (64-bit integer keys, which sort-wide-ints.ts settles by their exact values; few
 * rows; every key missing): the caller sorts an order instead.
 * The keys are scattered into their buckets and each bucket sorted, giving every output
 * position the position it takes in the scattered rows (`from`): each other column is then
 * scattered the same way and read at `from`, which stays within a bucket (in cache).
 */
export function sortCarrying(b: Batch, key: Vector, ascending: boolean): Batch | undefined {
  const t = key.type as DataType;
  const n = key.length;
  if (n < MIN_ROWS || !isPlainNumbers(key) || !(DataType.isFloat(t) || (DataType.isInt(t) && t.bitWidth <= 32))) return undefined;
  const floatKey = DataType.isFloat(t) && t.precision === Precision.DOUBLE;
  const keyChunks = floatKey ? chunksOf(key) : [toFloat64(key)];
  const spread = spreadOf(keyChunks, n, ascending);
  if (!spread) return undefined;
  // nb buckets of keys, then one of the missing keys (in row order, as the sort leaves them).
  const nb = spread.scale === 0 ? 1 : bucketCount(n);
  const buckets = scratch(Uint16Array, 'carry-buckets', n);
  const start = new Int32Array(nb + 2);
  bucketsOf(keyChunks, spread, nb, buckets, start);
  for (let j = 0; j <= nb; j++) start[j + 1] += start[j];
  const scattered = scratch(Float64Array, 'carry-keys', n);
  scatterInto(keyChunks, buckets, start, scattered);
  // The sorted keys: the key column itself when it is float64.
  const sortedKeys = floatKey ? new Float64Array(n) : scratch(Float64Array, 'carry-sorted', n);
  const from = settleAll(scattered, start, spread, sortedKeys);
  let rows: Int32Array | undefined;
  const vectors = b.vectors.map((v) => {
    if (v === key && floatKey) return vectorOf(sortedKeys, v.type as DataType);
    if (isPlainNumbers(v)) return moveColumn(chunksOf(v), buckets, start, from, v.type as DataType);
    rows ??= sortedRows(buckets, start, from);
    return takeRows(v, rows);
  });
  return batchOf(b.names, vectors);
}

/**
 * Keys laid out bucket after bucket (bucket j at start[j]..start[j + 1], in key order, row order
 * within each; the missing keys last, from start[nb]) in exact order in `sorted`; returned: for
 * each output position, its position in the laid-out rows (a scratch array).
 */
export function settleAll(scattered: Float64Array, start: Int32Array, spread: Spread, sorted: Float64Array): Int32Array {
  const n = scattered.length;
  const nb = start.length - 2;
  const from = scratch(Int32Array, 'carry-from', n);
  const work = bucketWork();
  for (let j = 0; j < nb; j++) settleBucket(scattered, start[j], start[j + 1], spread, j, work, sorted, from);
  for (let i = start[nb]; i < n; i++) {
    sorted[i] = scattered[i];
    from[i] = i;
  }
  return from;
}

export const bucketCount = (n: number): number => Math.max(2, Math.min(MAX_BUCKETS, Math.ceil(n / BUCKET_ROWS)));

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
    const [, a, z] = presentExtremes(c as Float64Array);
    if (a < lo) lo = a;
    if (z > hi) hi = z;
  }
  if (!(lo <= hi)) return undefined;
  const s = bucketCount(n) / (hi - lo);
  return { lo, hi, scale: Number.isFinite(s) ? s : 0, ascending };
}

/**
 * Each row's bucket (missing keys in bucket nb, after the others), and each bucket's row count in `count[j + 1]`.
 * A key's position (k - lo) x scale, or (hi - k) x scale descending, never decreases from the
 * first key to the last in the sort's direction (subtraction and multiplication round
 * monotonically), so buckets, and sub-buckets (its fraction past the bucket), are in key order.
 */
function bucketsOf(chunks: readonly Numbers[], s: Spread, nb: number, out: Uint16Array, count: Int32Array): void {
  let at = 0;
  const top = nb - 1;
  const { lo, hi, scale, ascending } = s;
  for (const c of chunks) {
    const keys = c as Float64Array;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const x = (ascending ? k - lo : hi - k) * scale;
      const j = k !== k ? nb : x < top ? x | 0 : top;
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

/** A column in the sorted order: scattered into its buckets like the keys, then gathered at `from` (within a bucket: in cache). */
function moveColumn(chunks: readonly Numbers[], buckets: Uint16Array, start: Int32Array, from: Int32Array, type: DataType): Vector {
  const Ctor = chunks.length ? (chunks[0].constructor as NumbersCtor) : Float64Array;
  const mid = scratch(Ctor, 'carry-column', from.length);
  scatterInto(chunks, buckets, start, mid);
  return gatherNumbers(mid, from, type);
}

/** The input row of every output position (for the columns the generic take gathers). */
function sortedRows(buckets: Uint16Array, start: Int32Array, from: Int32Array): Int32Array {
  const n = from.length;
  const placed = scratch(Int32Array, 'carry-rows', n);
  const at = start.slice(0, start.length - 1);
  for (let i = 0; i < n; i++) placed[at[buckets[i]]++] = i;
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = placed[from[i]];
  return rows;
}

/** The working arrays settleBucket needs (one set serves every bucket of a sort, in turn). */
export const bucketWork = (): Work => ({ sub: new Uint16Array(LONG), count: new Int32Array(LONG + 1) });

export interface Work {
  /** Each row's sub-bucket within its bucket (computed once, read by the count and the placing). */
  readonly sub: Uint16Array;
  /** Sub-bucket counts. */
  readonly count: Int32Array;
}

/**
 * Bucket j (rows s..e of the scattered `keys`) in exact order, stably: its sorted keys written
 * to `sorted` and, for each output position, its position in the scattered rows to `from`
 * (the bucket is ordered where it lands in them: a copy out of working arrays was a pass of its own).
 */
export function settleBucket(keys: Float64Array, s: number, e: number, spread: Spread, j: number, w: Work, sorted: Float64Array, from: Int32Array): void {
  const n = e - s;
  if (n > LONG) {
    const order = keysOrder(keys.subarray(s, e), spread.ascending, scratch(Int32Array, 'carry-long', n));
    for (let i = 0; i < n; i++) {
      from[s + i] = s + order[i];
      sorted[s + i] = keys[s + order[i]];
    }
    return;
  }
  if (n <= SHORT) {
    for (let i = s; i < e; i++) {
      sorted[i] = keys[i];
      from[i] = i;
    }
    insertionRun(sorted, from, s, e, spread.ascending);
  } else subBucketOrder(keys, s, n, spread, j, w, sorted, from);
}

/**
 * A bucket of `n` rows into `sorted`, `from` (at s..s+n) in order: a stable counting sort by the
 * key's position within the bucket (n sub-buckets), then insertion sort, which moves each row
 * only within its sub-bucket (a sub-bucket's keys all come before the next one's). When a
 * sub-bucket holds many rows (many equal or close keys) each such one gets the general sort
 * instead, so no input is quadratic.
 */
function subBucketOrder(keys: Float64Array, s: number, n: number, spread: Spread, j: number, w: Work, sorted: Float64Array, from: Int32Array): void {
  const count = w.count;
  count.fill(0, 0, n + 1);
  // (k - hi) x -scale is (hi - k) x scale exactly (IEEE rounding is symmetric), so one loop serves both directions.
  const { ascending } = spread;
  subCounts(keys, s, n, ascending ? spread.lo : spread.hi, ascending ? spread.scale : -spread.scale, j, w.sub, count);
  let most = 0;
  for (let d = 0; d < n; d++) {
    const c = count[d + 1];
    if (c > most) most = c;
    count[d + 1] = c + count[d];
  }
  subPlace(keys, s, n, w.sub, count, sorted, from);
  if (most <= SHORT) {
    insertionRun(sorted, from, s, s + n, ascending);
    return;
  }
  // count[d] is now where sub-bucket d ends (from s).
  for (let d = 0, a = 0; d < n; a = count[d++]) {
    const z = count[d];
    if (z - a < 2) continue;
    if (z - a <= SHORT) insertionRun(sorted, from, s + a, s + z, ascending);
    else generalRun(sorted, from, s + a, s + z, ascending);
  }
}

/** A key's sub-bucket among `n` in bucket j: its position's fraction past j, times n (no key is missing here). */
function subCounts(keys: Float64Array, s: number, n: number, base: number, scale: number, j: number, sub: Uint16Array, count: Int32Array): void {
  const top = n - 1;
  for (let i = 0; i < n; i++) {
    const y = ((keys[s + i] - base) * scale - j) * n;
    const d = y <= 0 ? 0 : y < top ? y | 0 : top;
    sub[i] = d;
    count[d + 1]++;
  }
}

/** Rows s..s+n placed by sub-bucket (`at`: where each starts, from s), in row order within each. */
function subPlace(keys: Float64Array, s: number, n: number, sub: Uint16Array, at: Int32Array, sorted: Float64Array, from: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const q = s + at[sub[i]]++;
    sorted[q] = keys[s + i];
    from[q] = s + i;
  }
}

/** Keys and rows a..z (rows ascending among equal keys, no key missing) by insertion sort: a row moves only past keys strictly after its own (-0 equal to 0). */
function insertionRun(lk: Float64Array, lr: Int32Array, a: number, z: number, ascending: boolean): void {
  if (ascending) insertionUp(lk, lr, a, z);
  else insertionDown(lk, lr, a, z);
}

function insertionUp(lk: Float64Array, lr: Int32Array, a: number, z: number): void {
  for (let i = a + 1; i < z; i++) {
    const k = lk[i];
    if (!(lk[i - 1] > k)) continue;
    const r = lr[i];
    let q = i - 1;
    do {
      lk[q + 1] = lk[q];
      lr[q + 1] = lr[q];
      q--;
    } while (q >= a && lk[q] > k);
    lk[q + 1] = k;
    lr[q + 1] = r;
  }
}

function insertionDown(lk: Float64Array, lr: Int32Array, a: number, z: number): void {
  for (let i = a + 1; i < z; i++) {
    const k = lk[i];
    if (!(lk[i - 1] < k)) continue;
    const r = lr[i];
    let q = i - 1;
    do {
      lk[q + 1] = lk[q];
      lr[q + 1] = lr[q];
      q--;
    } while (q >= a && lk[q] < k);
    lk[q + 1] = k;
    lr[q + 1] = r;
  }
}

/** Keys and rows a..z (rows ascending) by the general stable sort of the keys. */
function generalRun(lk: Float64Array, lr: Int32Array, a: number, z: number, ascending: boolean): void {
  const m = z - a;
  const run = lk.slice(a, z);
  const rows = lr.slice(a, z);
  const order = keysOrder(run, ascending, new Int32Array(m));
  for (let i = 0; i < m; i++) {
    lk[a + i] = run[order[i]];
    lr[a + i] = rows[order[i]];
  }
}
