/**
 * The row order of float64 keys by their top significant bits, then exact: setIndex's and
 * sortValues' sort of each output partition. A full radix sort of the 64 key bits took five or six
 * passes over the rows; a partition's keys lie within its range, so after the bits they all share,
 * 24 bits already tell almost every pair apart. Those 24 bits (the "window") are sorted in two
 * 12-bit radix passes, and each run of rows with the same window is then put in exact order by
 * comparing the keys: insertion sort for short runs, a full radix sort of the key bits for long
 * ones (keys that differ only below the window, or many equal ones), so no input is quadratic.
 * The order is stable, -0 equal to 0, missing keys (NaN) last whatever the direction.
 */
import { bitsOrder, orderBits, orderHigh, orderLow } from './sort-bits';
import { scratch } from './sort-scratch';

const DIGIT = 12;
const RADIX = 1 << DIGIT;
const MASK = RADIX - 1;
const WINDOW = 2 * DIGIT;
/** The window of missing keys: the largest, so they sort after every key (ties are settled exactly). */
const MISSING = (1 << WINDOW) - 1;
/** Runs of equal windows up to this long are ordered by insertion sort; longer ones by the full radix sort. */
const SHORT_RUN = 48;

/** Whether key x comes strictly before key y (NaN last in both directions; -0 equal to 0). */
const before = (x: number, y: number, ascending: boolean): boolean => (ascending ? x < y : x > y) || (y !== y && x === x);

/** The order bits of one key as [hi, lo] (see sort-bits.ts); missing keys are not asked. */
function bitsOf(k: number, ascending: boolean): [number, number] {
  const one = new Float64Array([k === 0 ? 0 : k]);
  const b = orderBits(one, ascending);
  return [b.hi[0], b.lo[0]];
}

/**
 * Writes into `out` (length keys.length) the stable order of `keys`; reads `keys` only. Returns
 * `out`. The result does not depend on which path a run takes.
 * Each loop is a function of its own: a setIndex calls this a few times per thread, and V8
 * optimises a long loop on the fly only up to the next code it has not seen run, so one function
 * holding every pass left its first calls of a computation running unoptimised code.
 */
export function windowOrder(keys: Float64Array, ascending: boolean, out: Int32Array): Int32Array {
  const n = keys.length;
  const w = scratch(Int32Array, 'window', n);
  const w2 = scratch(Int32Array, 'window-2', n);
  const rows2 = scratch(Int32Array, 'window-rows', n);
  const counts = new Int32Array(2 * RADIX);
  windows(keys, ascending, sharedPrefix(keys, ascending), w, counts);
  // Two stable passes, low digit then high; a digit every row shares moves nothing.
  const low = counts.subarray(0, RADIX);
  const high = counts.subarray(RADIX);
  let ws = w;
  let rows: Int32Array | null = null;
  if (n > 0 && low[w[0] & MASK] !== n) {
    prefixSums(low);
    scatterFirst(w, w2, rows2, low, 0);
    ws = w2;
    rows = rows2;
  }
  if (n > 0 && high[ws[0] >>> DIGIT] !== n) {
    prefixSums(high);
    const dst = ws === w ? w2 : w;
    if (rows) scatter(ws, rows, dst, out, high, DIGIT);
    else scatterFirst(ws, dst, out, high, DIGIT);
    ws = dst;
  } else if (rows) out.set(rows);
  else identity(out);
  settleRuns(keys, ws, out, ascending);
  return out;
}

/** How many leading order bits all keys share: every key's bits lie between the extremes', so those of the extremes. */
function sharedPrefix(keys: Float64Array, ascending: boolean): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k < min) min = k;
    if (k > max) max = k;
  }
  if (!(min <= max)) return 64;
  const [h0, l0] = bitsOf(min, ascending);
  const [h1, l1] = bitsOf(max, ascending);
  const xh = h0 ^ h1;
  const xl = l0 ^ l1;
  return xh !== 0 ? Math.clz32(xh) : xl !== 0 ? 32 + Math.clz32(xl) : 64;
}

/** Each key's window (the 24 order bits after the shared `prefix`), and both digits' counts. */
function windows(keys: Float64Array, ascending: boolean, prefix: number, w: Int32Array, counts: Int32Array): void {
  const n = keys.length;
  const words = new Int32Array(keys.buffer, keys.byteOffset, 2 * n);
  const up = prefix < 32;
  const lowShift = prefix - 32;
  const hiShift = 31 - prefix;
  const none = prefix >= 64;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    let x = MISSING;
    if (k === k) {
      const rh = k !== 0 ? words[2 * i + 1] | 0 : 0;
      const h = orderHigh(rh, ascending);
      const l = orderLow(rh, k !== 0 ? words[2 * i] | 0 : 0, ascending);
      // The 32 bits below the shared prefix (zeros past the last bit), of which the window is the top 24.
      const t = none ? 0 : up ? (h << prefix) | ((l >>> 1) >>> hiShift) : l << lowShift;
      x = t >>> (32 - WINDOW);
    }
    w[i] = x;
    counts[x & MASK]++;
    counts[RADIX + (x >>> DIGIT)]++;
  }
}

/** One stable pass by the digit at `shift`, rows numbered from 0. */
function scatterFirst(src: Int32Array, dst: Int32Array, dstRows: Int32Array, pos: Int32Array, shift: number): void {
  for (let i = 0; i < src.length; i++) {
    const x = src[i];
    const j = pos[(x >>> shift) & MASK]++;
    dst[j] = x;
    dstRows[j] = i;
  }
}

/** One stable pass by the digit at `shift`, carrying the row numbers `rows`. */
function scatter(src: Int32Array, rows: Int32Array, dst: Int32Array, dstRows: Int32Array, pos: Int32Array, shift: number): void {
  for (let i = 0; i < src.length; i++) {
    const x = src[i];
    const j = pos[(x >>> shift) & MASK]++;
    dst[j] = x;
    dstRows[j] = rows[i];
  }
}

function identity(out: Int32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = i;
}

function prefixSums(c: Int32Array): void {
  let at = 0;
  for (let d = 0; d < c.length; d++) {
    const x = c[d];
    c[d] = at;
    at += x;
  }
}

/** Puts each run of rows with the same window (consecutive in `order`) in exact key order, stably. */
function settleRuns(keys: Float64Array, win: Int32Array, order: Int32Array, ascending: boolean): void {
  const n = order.length;
  let s = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && win[i] === win[s]) continue;
    if (i - s > 1 && !inOrder(keys, order, s, i, ascending)) {
      if (i - s <= SHORT_RUN) insertionSort(keys, order, s, i, ascending);
      else radixRun(keys, order, s, i, ascending);
    }
    s = i;
  }
}

function inOrder(keys: Float64Array, order: Int32Array, s: number, e: number, ascending: boolean): boolean {
  for (let i = s + 1; i < e; i++) if (before(keys[order[i]], keys[order[i - 1]], ascending)) return false;
  return true;
}

/** Stable: a row moves only past rows whose key is strictly after its own. */
function insertionSort(keys: Float64Array, order: Int32Array, s: number, e: number, ascending: boolean): void {
  for (let i = s + 1; i < e; i++) {
    const r = order[i];
    const k = keys[r];
    let j = i - 1;
    while (j >= s && before(k, keys[order[j]], ascending)) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = r;
  }
}

/** A long run: its rows' keys sorted by all their bits (stable; the run's rows are in row order already). */
function radixRun(keys: Float64Array, order: Int32Array, s: number, e: number, ascending: boolean): void {
  const rows = order.slice(s, e);
  const sub = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) sub[i] = keys[rows[i]];
  const { hi, lo } = orderBits(sub, ascending);
  const perm = bitsOrder(hi, lo);
  for (let i = 0; i < rows.length; i++) order[s + i] = rows[perm[i]];
}
