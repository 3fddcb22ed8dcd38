/**
 * setIndex's split that lays each piece out in its range's buckets, and the sort of a range's
 * bucketed pieces (ops/range-buckets.ts, used through sort.ts's rangeSplitBuckets and sortPieces).
 * Several inputs are split, every range's pieces (in input order) sorted, and each range checked
 * against its definition: the rows of all inputs (in input order) whose key lies in
 * [bounds[r-1], bounds[r]), missing keys in the last, in a stable comparator order
 * (test/stable-order.ts), every column checked at the expected row, the key bit for bit.
 */
import { Float64, Int32, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { batchOf, decodePart, encodeBatch, type Part } from '../src/ops/part';
import { isBucketedPiece, rangeSpread, sortBuckets, splitIntoBuckets, type BucketedPiece } from '../src/ops/range-buckets';
import { rangeSplitBuckets, sortPieces } from '../src/ops/sort';
import { stableOrder, stream } from './stable-order';

const u = stream(4242);

const f64 = (a: Float64Array): Vector => makeVector(makeData({ type: new Float64(), length: a.length, nullCount: 0, data: a }));

/** One input: keys, a float64 row id (input * 1e6 + row) and an int32 row id. */
function input(keys: Float64Array, i: number): Part {
  const id = Float64Array.from({ length: keys.length }, (_, r) => i * 1e6 + r);
  const small = Int32Array.from({ length: keys.length }, (_, r) => i * 100_000 + r);
  return encodeBatch(batchOf(['k', 'id', 'small'], [f64(keys), f64(id), makeVector(small)]));
}

/** The range of a key from the definition: how many bounds are at or below it, missing last. */
const rangeOf = (k: number, bounds: readonly number[]): number => (k !== k ? bounds.length : bounds.filter((b) => b <= k).length);

/** Every range's expected [key, id, small] rows: the inputs' rows in input order, filtered by range, in stable key order. */
function expected(inputs: readonly Float64Array[], bounds: readonly number[]): [number, number, number][][] {
  const all: [number, number, number][] = [];
  inputs.forEach((keys, i) => keys.forEach((k, r) => all.push([k, i * 1e6 + r, i * 100_000 + r])));
  return Array.from({ length: bounds.length + 1 }, (_, r) => {
    const rows = all.filter(([k]) => rangeOf(k, bounds) === r);
    return stableOrder(Float64Array.from(rows, ([k]) => k), true).map((j) => rows[j]);
  });
}

function rowsOf(p: Part): [number, number, number][] {
  const b = decodePart(p);
  const [k, id, small] = b.vectors.map((v) => Array.from(v.toArray() as ArrayLike<number>));
  return k.map((x, i) => [x, id[i], small[i]]);
}

/** Split every input, sort each range's pieces (input order), as the setIndex graph does. */
function splitAndSort(parts: readonly Part[], bounds: readonly number[], lo: number, hi: number, rowsPerRange: number): { pieces: (Part | BucketedPiece)[][]; out: Part[] } {
  const pieces = parts.map((p) => rangeSplitBuckets(p, 'k', bounds, lo, hi, rowsPerRange));
  const out = Array.from({ length: bounds.length + 1 }, (_, r) => sortPieces(pieces.map((ps) => ps[r]), 'k', true));
  return { pieces, out };
}

function check(out: readonly Part[], want: [number, number, number][][]): void {
  out.forEach((p, r) => {
    const got = rowsOf(p);
    expect(got.length).toBe(want[r].length);
    const wrong = got.findIndex((row, i) => !Object.is(row[0], want[r][i][0]) || row[1] !== want[r][i][1] || row[2] !== want[r][i][2]);
    expect(wrong).toBe(-1);
  });
}

const keySets: [string, () => Float64Array][] = [
  ['uniform keys', () => Float64Array.from({ length: 9000 }, () => u() * 1000)],
  ['few distinct keys (long runs of equal keys)', () => Float64Array.from({ length: 9000 }, () => Math.floor(u() * 7) * 10)],
  ['-0 beside 0, infinities, tiny numbers and missing keys', () => Float64Array.from({ length: 6000 }, (_, i) => [-0, 0, 5e-324, -5e-324, Infinity, -Infinity, NaN, u() - 0.5][i % 8])],
  ['a dense cluster beside sparse keys', () => Float64Array.from({ length: 9000 }, (_, i) => (i % 50 === 0 ? u() * 1e6 : 500 + u() * 1e-3))],
];

describe('splitIntoBuckets and sortBuckets', () => {
  it.each(keySets)('each range gets its rows in stable key order, every column moved: %s', (_, make) => {
    const inputs = [make(), make(), make()];
    const sorted = inputs.flatMap((k) => Array.from(k)).filter((k) => k === k).sort((a, b) => a - b);
    // Bounds at quantiles of the keys (repeats removed, as setIndex's divisions), the ends the keys' extent.
    const bounds = [...new Set([0.2, 0.45, 0.7, 0.9].map((q) => sorted[Math.floor(q * sorted.length)]))];
    const { pieces, out } = splitAndSort(inputs.map(input), bounds, sorted[0], sorted[sorted.length - 1], sorted.length / (bounds.length + 1));
    expect(pieces.every((ps) => ps.every(isBucketedPiece))).toBe(true);
    check(out, expected(inputs, bounds));
  });

  it('stays exact when the keys reach past the ends given (divisions narrower than the data)', () => {
    const inputs = [Float64Array.from({ length: 8000 }, () => (u() - 0.5) * 200), Float64Array.from({ length: 5000 }, () => (u() - 0.5) * 200)];
    const bounds = [-20, 0, 35];
    const { pieces, out } = splitAndSort(inputs.map(input), bounds, -50, 50, 4000);
    expect(pieces.every((ps) => ps.every(isBucketedPiece))).toBe(true);
    check(out, expected(inputs, bounds));
  });

  it('sorts a range whose ends are too far apart for a finite scale (one bucket)', () => {
    expect(rangeSpread(-Infinity, 3, 1e6)).toMatchObject({ scale: 0, buckets: 1 });
    expect(rangeSpread(-1.7e308, 1.7e308, 1e6)).toMatchObject({ scale: 0, buckets: 1 });
    expect(rangeSpread(2, 2, 1e6)).toMatchObject({ scale: 0, buckets: 1 });
    const inputs = [Float64Array.from({ length: 6000 }, (_, i) => (i % 3 === 0 ? -Infinity : i % 3 === 1 ? (u() - 0.5) * 3e308 : Infinity))];
    const { out } = splitAndSort(inputs.map(input), [0], -Infinity, Infinity, 3000);
    check(out, expected(inputs, [0]));
  });

  it('lays a piece out bucket after bucket, missing keys in the last bucket of the last range', () => {
    const keys = Float64Array.from([5, NaN, 1, 9, 3, 7, NaN, 0, 10, 6]);
    const b = decodePart(input(keys, 0));
    // Ranges [lo, 5) and [5, hi], 2 buckets each (rows per range below 4096 give the minimum, 2).
    const pieces = splitIntoBuckets(b, b.vectors[0], [5], 0, 10, 5)!;
    expect(pieces.map((p) => p.spread)).toEqual([rangeSpread(0, 5, 5), rangeSpread(5, 10, 5)]);
    expect(pieces.map((p) => Array.from(p.starts))).toEqual([
      [0, 2, 3, 3],
      [0, 3, 5, 7],
    ]);
    // Buckets of width 2.5: [1, 0 | 3] and [5, 7, 6 | 9, 10 | NaN, NaN], row order within each.
    expect(rowsOf(pieces[0].part).map((r) => r[0])).toEqual([1, 0, 3]);
    expect(rowsOf(pieces[1].part).map((r) => r[0])).toEqual([5, 7, 6, 9, 10, NaN, NaN]);
  });

  it('leaves columns with nulls to the plain split, and sorts bucketed and plain pieces together when they meet', () => {
    const keys = Float64Array.from({ length: 5000 }, () => u() * 100);
    const withNulls = encodeBatch(batchOf(['k', 'id', 'small'], [f64(keys), f64(Float64Array.from({ length: 5000 }, (_, r) => 1e6 + r)), vectorFromArray(Array.from({ length: 5000 }, (_, r) => (r % 10 === 0 ? null : 100_000 + r)), new Int32())]));
    const plain = rangeSplitBuckets(withNulls, 'k', [50], 0, 100, 5000);
    expect(plain.some(isBucketedPiece)).toBe(false);
    const other = Float64Array.from({ length: 5000 }, () => u() * 100);
    const bucketed = rangeSplitBuckets(input(other, 0), 'k', [50], 0, 100, 5000);
    expect(bucketed.every(isBucketedPiece)).toBe(true);
    for (let r = 0; r < 2; r++) {
      const got = rowsOf(sortPieces([bucketed[r], plain[r]], 'k', true));
      const rows: [number, number][] = [...Array.from(other, (k, i): [number, number] => [k, i]), ...Array.from(keys, (k, i): [number, number] => [k, 1e6 + i])].filter(([k]) => rangeOf(k, [50]) === r);
      const want = stableOrder(Float64Array.from(rows, ([k]) => k), true).map((j) => rows[j]);
      expect(got.map((x) => [x[0], x[1]])).toEqual(want);
    }
  });

  it('moves every column of a bucket, several of one type (the sort reads them one after another from one working array), the key not first', () => {
    // Two float64 columns, a float32 and an int32 beside the key; one range holds a cluster of
    // 19,200 rows in a single bucket (three inputs' 8,000 first rows less their NaN fifth: past the
    // bucket sort's 16,384, so the general sort orders it).
    const inputs = [0, 1, 2].map((i) => Float64Array.from({ length: 12_000 }, (_, r) => (r % 5 === 4 ? NaN : r < 8_000 ? 70 + Math.floor(u() * 4) * 1e-9 : u() * 100)));
    const part = (keys: Float64Array, i: number): Part => {
      const id = (r: number): number => i * 1e6 + r;
      return encodeBatch(
        batchOf(
          ['a', 'k', 'b', 'c', 'd'],
          [
            f64(Float64Array.from({ length: keys.length }, (_, r) => id(r))),
            f64(keys),
            f64(Float64Array.from({ length: keys.length }, (_, r) => -id(r))),
            makeVector(Float32Array.from({ length: keys.length }, (_, r) => r)),
            makeVector(Int32Array.from({ length: keys.length }, (_, r) => id(r) + 7)),
          ],
        ),
      );
    };
    const bounds = [40, 80];
    const pieces = inputs.map((k, i) => rangeSplitBuckets(part(k, i), 'k', bounds, 0, 100, 12_000));
    expect(pieces.every((ps) => ps.every(isBucketedPiece))).toBe(true);
    const rows: [number, number][] = inputs.flatMap((keys, i) => Array.from(keys, (k, r): [number, number] => [k, i * 1e6 + r]));
    for (let r = 0; r <= bounds.length; r++) {
      const mine = rows.filter(([k]) => rangeOf(k, bounds) === r);
      const want = stableOrder(Float64Array.from(mine, ([k]) => k), true).map((j) => mine[j]);
      const b = decodePart(sortPieces(pieces.map((ps) => ps[r]), 'k', true));
      const [a, k, bb, c, d] = b.vectors.map((v) => Array.from(v.toArray() as ArrayLike<number>));
      expect(k.length).toBe(want.length);
      const wrong = want.findIndex(([key, id], i) => !Object.is(k[i], key) || a[i] !== id || bb[i] !== -id || c[i] !== id % 1e6 || d[i] !== id + 7);
      expect(wrong).toBe(-1);
    }
  });

  it('refuses pieces that disagree on their buckets (the caller sorts them as plain pieces)', () => {
    const keys = Float64Array.from({ length: 3000 }, () => u() * 100);
    const b = decodePart(input(keys, 0));
    const a = splitIntoBuckets(b, b.vectors[0], [], 0, 100, 3000)!;
    const c = splitIntoBuckets(b, b.vectors[0], [], 0, 100, 3e7)!;
    expect(a[0].spread.buckets).not.toBe(c[0].spread.buckets);
    expect(sortBuckets([a[0], c[0]], 'k')).toBeUndefined();
    const got = rowsOf(sortPieces([a[0], c[0]], 'k', true));
    const both = [...keys, ...keys];
    expect(got.map((x) => x[0])).toEqual(stableOrder(both, true).map((j) => both[j]));
  });
});
