/**
 * The 24-bit window sort (ops/sort-window.ts) and the sort of a batch by a number column
 * (ops/sort-rows.ts), on keys chosen to reach each path: keys the window tells apart, short runs
 * of keys that differ only below the window (insertion sort), long such runs (the full radix sort
 * of the run), many and only missing keys, -0 beside 0, descending. Expected orders come from a
 * stable comparator sort (test/stable-order.ts); gathered columns are checked row by row against
 * the input at the expected row.
 */
import { Float64, Int32, makeData, makeVector, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { batchOf } from '../src/ops/part';
import { sortByNumbers } from '../src/ops/sort-rows';
import { windowOrder } from '../src/ops/sort-window';
import { stableOrder, stream } from './stable-order';

const u = stream(4242);
/** Keys in [1, 2) whose top mantissa bits come from `classes` values and the rest from noise far below the window. */
const belowWindow = (n: number, classes: number): Float64Array => Float64Array.from({ length: n }, () => 1 + Math.floor(u() * classes) / classes + u() * 2 ** -40);

const SETS: [string, Float64Array][] = [
  ['keys the window tells apart', Float64Array.from({ length: 40_000 }, () => 0.3 + u() * 0.05)],
  ['short runs below the window', belowWindow(30_000, 4096)],
  ['long runs below the window', belowWindow(30_000, 16)],
  ['one run below the window beside two far keys', Float64Array.from({ length: 20_000 }, (_, i) => (i === 7 ? -1e300 : i === 9_000 ? 1e300 : 5 + u() * 2 ** -30))],
  ['half missing', Float64Array.from({ length: 20_000 }, () => (u() < 0.5 ? NaN : u() * 100 - 50))],
  ['all missing', new Float64Array(6_000).fill(NaN)],
  ['-0 beside 0 and tiny numbers', Float64Array.from({ length: 12_000 }, (_, i) => [-0, 0, 5e-324, -5e-324, 1e-310, -1e-310][i % 6])],
  ['equal keys then one different', Float64Array.from({ length: 9_000 }, (_, i) => (i === 8_999 ? 2 : 3))],
];

describe('windowOrder', () => {
  it.each(SETS)('gives the stable order, ascending and descending: %s', (_, keys) => {
    for (const ascending of [true, false]) {
      const got = windowOrder(keys, ascending, new Int32Array(keys.length));
      expect(Array.from(got)).toEqual(stableOrder(keys, ascending));
    }
  });

  it('leaves the keys as they were', () => {
    const keys = Float64Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? -0 : u()));
    const copy = keys.slice();
    windowOrder(keys, true, new Int32Array(keys.length));
    expect(keys.every((k, i) => Object.is(k, copy[i]))).toBe(true);
  });
});

/** A float64 vector of several chunks (as a shuffle's pieces concatenated). */
function chunked(values: Float64Array, pieces: number): Vector {
  const per = Math.ceil(values.length / pieces);
  const datas = Array.from({ length: pieces }, (_, p) => {
    const part = values.slice(p * per, Math.min(values.length, (p + 1) * per));
    return makeData({ type: new Float64(), length: part.length, nullCount: 0, data: part });
  });
  return makeVector(datas);
}

describe('sortByNumbers', () => {
  const N = 25_000;
  const k = Float64Array.from({ length: N }, (_, i) => (i % 50 === 0 ? -0 : i % 77 === 0 ? NaN : Math.floor(u() * 3000) / 7));
  const id = Int32Array.from({ length: N }, (_, i) => i);
  const x = Float64Array.from({ length: N }, () => u());
  const label = Array.from({ length: N }, (_, i) => (i % 11 === 0 ? null : `r${i}`));

  function batch(): ReturnType<typeof batchOf> {
    return batchOf(['k', 'id', 'x', 'label'], [chunked(k, 7), makeVector(id), chunked(x, 3), vectorFromArray(label, new Utf8())]);
  }

  it.each([true, false])('gathers every column in the stable order of the key (ascending: %s)', (ascending) => {
    const b = batch();
    const out = sortByNumbers(b, b.vectors[0], ascending);
    const want = stableOrder(k, ascending);
    const [ks, ids, xs, labels] = out.vectors;
    expect(ids.type).toBeInstanceOf(Int32);
    expect(Array.from(ids.toArray() as Int32Array)).toEqual(want);
    const kk = ks.toArray() as Float64Array;
    // The key column keeps its values bit for bit: -0 stays -0.
    want.forEach((row, i) => {
      if (!Object.is(kk[i], k[row])) expect([i, kk[i]]).toEqual([i, k[row]]);
    });
    expect(Array.from(xs.toArray() as Float64Array)).toEqual(want.map((row) => x[row]));
    expect(Array.from({ length: N }, (_, i) => labels.get(i))).toEqual(want.map((row) => label[row]));
  });

  it('returns arrays of its own: a second sort does not change the first result', () => {
    const b = batch();
    const first = sortByNumbers(b, b.vectors[0], true);
    const before = (first.vectors[2].toArray() as Float64Array).slice();
    const other = batch();
    sortByNumbers(other, other.vectors[0], false);
    expect(Array.from(first.vectors[2].toArray() as Float64Array)).toEqual(Array.from(before));
  });

  it('sorts by an int32 key and keeps its type', () => {
    const keys = Int32Array.from({ length: N }, () => Math.floor(u() * 500) - 250);
    const b = batchOf(['k', 'id'], [makeVector(keys), makeVector(id)]);
    const out = sortByNumbers(b, b.vectors[0], true);
    const want = stableOrder(keys, true);
    expect(out.vectors[0].type).toBeInstanceOf(Int32);
    expect(Array.from(out.vectors[0].toArray() as Int32Array)).toEqual(want.map((r) => keys[r]));
    expect(Array.from(out.vectors[1].toArray() as Int32Array)).toEqual(want);
  });
});
