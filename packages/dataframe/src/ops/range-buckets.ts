/**
 * setIndex's range split and sort with the sort's first pass done by the split. The sort of an
 * output (sort-carry.ts) began by finding its keys' extent, giving every row a bucket and
 * scattering every column into those buckets: passes over the whole output, with writes all over
 * it. The split already reads every key to find its range, and the range's extent is known from
 * the divisions (the boundaries, and the column's minimum and maximum): so it gives each row its
 * bucket within its range too, and scatters the rows by (range, bucket) in its one scatter. Each
 * piece then arrives laid out bucket after bucket with its bucket offsets, and the sort lays the
 * pieces' buckets end to end (copies of runs) before ordering each bucket as before.
 * Buckets are positions between the range's ends; keys past an end (divisions given by the
 * caller) go to the end bucket, so the buckets stay in key order whatever the extent.
 * Only for a float64 key and columns of numbers without nulls; elsewhere the split is
 * range-split.ts's and the sort sort-rows.ts's.
 */
import { DataType, Precision, type Vector } from 'apache-arrow';
import { batchOf, decodePart, encodeBatch, type Batch, type Part } from './part';
import { bucketCount, bucketWork, settleBucket, type Spread } from './sort-carry';
import { rangeAt, rangeGuide, type RangeGuide } from './sort-numbers';
import { scratch, type Numbers } from './sort-scratch';
import { isPlainNumbers, numbersOf, scatterNumbers, vectorOf } from './take-numbers';

type NumbersCtor = { new (n: number): Numbers; readonly BYTES_PER_ELEMENT: number; readonly name: string };

/** Where a range's keys lie and how many buckets share it (every split computes the same for a range). */
export interface RangeSpread {
  readonly lo: number;
  readonly hi: number;
  /** Buckets per unit of key (0: one bucket). */
  readonly scale: number;
  readonly buckets: number;
}

/** A piece of a range split laid out bucket after bucket: bucket j is rows starts[j]..starts[j + 1]; the last bucket holds the missing keys. */
export interface BucketedPiece {
  readonly part: Part;
  readonly starts: Int32Array;
  readonly spread: RangeSpread;
}

export function isBucketedPiece(x: unknown): x is BucketedPiece {
  return typeof x === 'object' && x !== null && (x as BucketedPiece).starts instanceof Int32Array && typeof (x as BucketedPiece).spread === 'object';
}

/** The buckets of a range from `lo` to `hi` expected to hold `rows` rows (one bucket when the ends are equal, unordered or too far apart for a finite scale). */
export function rangeSpread(lo: number, hi: number, rows: number): RangeSpread {
  const buckets = bucketCount(rows);
  const scale = buckets / (hi - lo);
  return Number.isFinite(scale) && scale > 0 ? { lo, hi, scale, buckets } : { lo, hi, scale: 0, buckets: 1 };
}

/**
 * The batch cut into the ranges of `bounds` (as range-split.ts: range r holds the keys in
 * [bounds[r-1], bounds[r]), missing keys in the last), each piece laid out in buckets of its
 * range between `lo` (the smallest key) and `hi` (the largest) for about `rowsPerRange` rows per
 * range; undefined where this split does not apply (see the module's comment).
 */
export function splitIntoBuckets(b: Batch, key: Vector, bounds: readonly number[], lo: number, hi: number, rowsPerRange: number): BucketedPiece[] | undefined {
  const t = key.type as DataType;
  if (!(DataType.isFloat(t) && t.precision === Precision.DOUBLE) || !b.vectors.every(isPlainNumbers)) return undefined;
  const keys = numbersOf(key, 'split-keys') as Float64Array;
  const n = bounds.length + 1;
  const spreads = Array.from({ length: n }, (_, r) => rangeSpread(r === 0 ? lo : bounds[r - 1], r === n - 1 ? hi : bounds[r], rowsPerRange));
  // Range r's buckets are base[r]..base[r + 1]; the missing keys' bucket comes after the last range's.
  const base = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) base[r + 1] = base[r] + spreads[r].buckets;
  const missing = base[n];
  const ids = scratch(Int32Array, 'split-ranges', keys.length);
  const start = new Int32Array(missing + 2);
  bucketIds(keys, rangeGuide(bounds), Float64Array.from(spreads, (s) => s.lo), Float64Array.from(spreads, (s) => s.scale), Int32Array.from(spreads, (s) => s.buckets - 1), base, missing, ids, start);
  for (let g = 0; g <= missing; g++) start[g + 1] += start[g];
  const edges = Int32Array.from({ length: n + 1 }, (_, r) => (r === n ? keys.length : start[base[r]]));
  // Piece r holds range r's buckets, and the last one the missing keys' bucket too.
  const groups = Int32Array.from({ length: n + 1 }, (_, r) => (r === n ? missing + 1 : base[r]));
  const columns = b.vectors.map((v) => scatterNumbers(numbersOf(v, 'split-column'), ids, start, v.type as DataType, groups));
  return spreads.map((spread, r) => {
    const starts = new Int32Array(spread.buckets + 2);
    for (let j = 0; j <= spread.buckets; j++) starts[j] = start[base[r] + j] - edges[r];
    starts[spread.buckets + 1] = edges[r + 1] - edges[r];
    return { part: encodeBatch(batchOf(b.names, columns.map((c) => c[r]))), starts, spread };
  });
}

/**
 * Each row's bucket over all ranges in `ids`, and each bucket's row count in `count[g + 1]`: its
 * range as keyRanges finds it (one loop for both: the range was a pass of its own), then its
 * position between the range's ends times the scale, clamped to the range's buckets (rounding is
 * monotonic: buckets are in key order).
 */
function bucketIds(keys: Float64Array, guide: RangeGuide, lo: Float64Array, scale: Float64Array, last: Int32Array, base: Int32Array, missing: number, ids: Int32Array, count: Int32Array): void {
  const { b, first, usable, guess } = guide;
  const cellScale = guide.scale;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    let g: number;
    if (k !== k) g = missing;
    else {
      const r = rangeAt(k, b, guess, first, cellScale, usable);
      const x = (k - lo[r]) * scale[r];
      const t = last[r];
      g = base[r] + (x <= 0 ? 0 : x < t ? x | 0 : t);
    }
    ids[i] = g;
    count[g + 1]++;
  }
}

/**
 * The rows of one range's bucketed pieces (in input order) in the order of `column`, ascending,
 * stable, missing keys last; undefined when the pieces do not agree on their buckets or hold no
 * rows (the caller sorts them as plain pieces: each keeps row order within a bucket, and equal
 * keys share a bucket, so a stable sort of them gives the same rows).
 * One bucket at a time, every column: the bucket's rows are copied from the pieces into small
 * working arrays, its keys ordered into the output and each other column read from its working
 * array in that order. Laying every column out whole first (a partition's worth of scratch per
 * column, and an order as long) wrote and read again ~20 MB per partition that no cache held.
 */
export function sortBuckets(pieces: readonly BucketedPiece[], column: string): Batch | undefined {
  const { spread } = pieces[0];
  const nb = spread.buckets;
  const agree = (s: RangeSpread): boolean => s.lo === spread.lo && s.hi === spread.hi && s.scale === spread.scale && s.buckets === nb;
  if (!pieces.every((p) => agree(p.spread) && p.starts.length === nb + 2)) return undefined;
  const batches = pieces.map((p) => decodePart(p.part));
  const names = batches[0].names;
  const kc = names.indexOf(column);
  const n = batches.reduce((a, x) => a + x.numRows, 0);
  if (kc < 0 || n === 0) return undefined;
  // Every column of every piece: one array of values (as the split made them).
  const maybe = names.map((_, c) => batches.map((x) => valuesOf(x.vectors[c])));
  if (maybe.some((col) => col.some((a) => a === undefined))) return undefined;
  const arrays = maybe as Numbers[][];
  // Bucket j of the output: start[j]..start[j + 1] (the pieces' buckets laid end to end).
  const start = new Int32Array(nb + 2);
  for (const p of pieces) for (let j = 0; j <= nb + 1; j++) start[j] += p.starts[j];
  let widest = 0;
  for (let j = 0; j <= nb; j++) widest = Math.max(widest, start[j + 1] - start[j]);
  const starts = pieces.map((p) => p.starts);
  const ctorOf = (c: number): NumbersCtor => arrays[c].find((a) => a.length > 0)!.constructor as NumbersCtor;
  const outs = names.map((_, c) => (c === kc ? new Float64Array(n) : new (ctorOf(c))(n)));
  const others = names.map((_, c) => c).filter((c) => c !== kc);
  // Columns of one type share a working array: they are copied and read one after another.
  const work = names.map((_, c) => (c === kc ? undefined : scratch(ctorOf(c), 'bucket-column', widest)));
  const keys = scratch(Float64Array, 'bucket-keys', widest);
  const from = scratch(Int32Array, 'bucket-from', widest);
  const bucket = bucketWork();
  const ascending: Spread = { lo: spread.lo, hi: spread.hi, scale: spread.scale, ascending: true };
  const sorted = outs[kc] as Float64Array;
  for (let j = 0; j <= nb; j++) {
    const s = start[j];
    const m = start[j + 1] - s;
    if (m === 0) continue;
    copyBucket(arrays[kc], starts, j, keys);
    const out = sorted.subarray(s, s + m);
    if (j < nb) settleBucket(keys, 0, m, ascending, j, bucket, out, from);
    else missingInOrder(keys, m, out, from);
    for (const c of others) {
      copyBucket(arrays[c], starts, j, work[c]!);
      placeBucket(work[c]!, from, m, outs[c], s);
    }
  }
  return batchOf(
    names,
    outs.map((o, c) => vectorOf(o, batches[0].vectors[c].type as DataType)),
  );
}

/** The missing keys' bucket keeps row order. */
function missingInOrder(keys: Float64Array, m: number, out: Float64Array, from: Int32Array): void {
  for (let i = 0; i < m; i++) {
    out[i] = keys[i];
    from[i] = i;
  }
}

/** Bucket j's rows from every piece, in input order, into `out` from 0. */
function copyBucket(src: readonly Numbers[], starts: readonly Int32Array[], j: number, out: Numbers): void {
  let at = 0;
  for (let p = 0; p < src.length; p++) {
    const s = starts[p][j];
    const e = starts[p][j + 1];
    if (e > s) {
      copyRun(src[p], s, e, out, at);
      at += e - s;
    }
  }
}

/** `out[s + i] = bucket[from[i]]` for the bucket's m rows. */
function placeBucket(bucket: Numbers, from: Int32Array, m: number, out: Numbers, s: number): void {
  if (bucket instanceof Float64Array && out instanceof Float64Array) placeFloat64(bucket, from, m, out, s);
  else {
    const o = out as unknown as number[];
    const x = bucket as unknown as number[];
    for (let i = 0; i < m; i++) o[s + i] = x[from[i]];
  }
}

function placeFloat64(bucket: Float64Array, from: Int32Array, m: number, out: Float64Array, s: number): void {
  for (let i = 0; i < m; i++) out[s + i] = bucket[from[i]];
}

/** A plain number vector's one array of values (none when it has nulls or several chunks). */
function valuesOf(v: Vector): Numbers | undefined {
  if (!isPlainNumbers(v) || v.data.length > 1) return undefined;
  // An empty piece gives no values (its array type does not matter: nothing is copied from it).
  return v.length === 0 ? new Float64Array(0) : ((v.data[0].values as Numbers).subarray(0, v.length) as Numbers);
}

function copyRun(src: Numbers, s: number, e: number, out: Numbers, at: number): void {
  if (src instanceof Float64Array && out instanceof Float64Array) copyFloat64(src, s, e, out, at);
  else {
    const o = out as unknown as number[];
    const x = src as unknown as number[];
    for (let i = s; i < e; i++) o[at++] = x[i];
  }
}

function copyFloat64(src: Float64Array, s: number, e: number, out: Float64Array, at: number): void {
  for (let i = s; i < e; i++) out[at++] = src[i];
}
