/**
 * The sort that moves rows' values through key buckets (ops/sort-carry.ts), on keys chosen to
 * reach each of its paths: uniform keys (sub-buckets of a row or two, insertion sort), many close
 * keys sharing sub-buckets (the general sort of a run), a bucket past 16384 rows (the general sort
 * of a bucket), short buckets of repeated keys, equal keys (one bucket), keys whose spread
 * overflows a double, missing keys, -0 beside 0, both directions, an int32 key, columns with nulls and strings (gathered by row).
 * Expected orders come from a stable comparator sort (test/stable-order.ts); every column is
 * checked row by row against the input at the expected row.
 */
import { Float32, Float64, Int32, Int64, makeData, makeVector, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { batchOf } from '../src/ops/part';
import { sortCarrying } from '../src/ops/sort-carry';
import { stableOrder, stream } from './stable-order';

const u = stream(9191);

/** A float64 vector of `pieces` chunks (a shuffle's pieces concatenated). */
function chunked(values: Float64Array, pieces: number): Vector {
  const per = Math.ceil(values.length / pieces);
  return makeVector(
    Array.from({ length: pieces }, (_, p) => {
      const part = values.slice(p * per, Math.min(values.length, (p + 1) * per));
      return makeData({ type: new Float64(), length: part.length, nullCount: 0, data: part });
    }),
  );
}

const SETS: [string, Float64Array][] = [
  ['uniform keys in one range', Float64Array.from({ length: 60_000 }, () => 0.3 + u() * 0.05)],
  ['100 values, each beside one 1e-9 above it (runs that share a sub-bucket)', Float64Array.from({ length: 12_000 }, () => Math.floor(u() * 100) + (u() < 0.5 ? 0 : 1e-9))],
  ['a bucket of 30,000 close keys beside spread ones', Float64Array.from({ length: 40_000 }, (_, i) => (i % 4 === 0 ? u() * 100 : 5 + u() * 1e-6))],
  ['equal keys and missing ones', Float64Array.from({ length: 10_000 }, (_, i) => (i % 9 === 0 ? NaN : 3))],
  ['keys whose spread overflows', Float64Array.from({ length: 20_000 }, () => (u() - 0.5) * 3.5e308)],
  ['-0 beside 0, tiny numbers, infinities and missing keys', Float64Array.from({ length: 12_000 }, (_, i) => [-0, 0, 5e-324, -5e-324, Infinity, -Infinity, NaN, 1][i % 8] * (i % 16 < 8 ? 1 : u() < 0.5 ? 1 : 2))],
  // Buckets 1-9 hold ~10 rows of a few repeated keys each (the insertion sort of a short bucket, in place in the output).
  ['short buckets of repeated keys beside a dense cluster', Float64Array.from({ length: 40_000 }, (_, i) => (i % 400 === 0 ? 100 * (1 + Math.floor(u() * 45)) : u()))],
  ['negative and positive keys, -0, 0 and a few missing', Float64Array.from({ length: 30_000 }, (_, i) => (i % 101 === 0 ? NaN : i % 97 === 0 ? -0 : i % 89 === 0 ? 0 : (u() - 0.5) * 1e6))],
];

describe('sortCarrying', () => {
  it.each(SETS)('moves every column into the stable order of the key, both directions: %s', (_, k) => {
    const n = k.length;
    const x = Float64Array.from({ length: n }, (_, i) => i + 0.5);
    const id = Int32Array.from({ length: n }, (_, i) => i);
    for (const ascending of [true, false]) {
      const b = batchOf(['k', 'x', 'id'], [chunked(k, 7), chunked(x, 3), makeVector(id)]);
      const out = sortCarrying(b, b.vectors[0], ascending)!;
      const want = stableOrder(k, ascending);
      const [ks, xs, ids] = out.vectors;
      expect(ids.type).toBeInstanceOf(Int32);
      expect(Array.from(ids.toArray() as Int32Array)).toEqual(want);
      expect(Array.from(xs.toArray() as Float64Array)).toEqual(want.map((r) => x[r]));
      // The key keeps its values bit for bit: -0 stays -0.
      const kk = ks.toArray() as Float64Array;
      const wrong = want.findIndex((r, i) => !Object.is(kk[i], k[r]));
      expect(wrong).toBe(-1);
    }
  });

  it('sorts by an int32 key, keeps its type, moves float32 and int64 columns, and gathers columns with nulls and strings by row', () => {
    const n = 9_000;
    const keys = Int32Array.from({ length: n }, () => Math.floor(u() * 3000) - 1500);
    const f = Float32Array.from({ length: n }, (_, i) => i / 4);
    const label = Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : `r${i}`));
    const withNulls = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i * 2));
    const big = BigInt64Array.from({ length: n }, (_, i) => 2n ** 60n + BigInt(i));
    const b = batchOf(['k', 'f', 'label', 'w', 'big'], [makeVector(keys), makeVector(f), vectorFromArray(label, new Utf8()), vectorFromArray(withNulls, new Float64()), makeVector(big)]);
    const out = sortCarrying(b, b.vectors[0], true)!;
    const want = stableOrder(keys, true);
    const [ks, fs, labels, ws, bigs] = out.vectors;
    expect(bigs.type).toBeInstanceOf(Int64);
    expect(Array.from(bigs.toArray() as BigInt64Array)).toEqual(want.map((r) => big[r]));
    expect(ks.type).toBeInstanceOf(Int32);
    expect(fs.type).toBeInstanceOf(Float32);
    expect(Array.from(ks.toArray() as Int32Array)).toEqual(want.map((r) => keys[r]));
    expect(Array.from(fs.toArray() as Float32Array)).toEqual(want.map((r) => f[r]));
    expect(Array.from({ length: n }, (_, i) => labels.get(i))).toEqual(want.map((r) => label[r]));
    expect(Array.from({ length: n }, (_, i) => ws.get(i))).toEqual(want.map((r) => withNulls[r]));
  });

  it('returns arrays of its own: a second sort does not change the first result', () => {
    const k = Float64Array.from({ length: 20_000 }, () => u());
    const x = Float64Array.from({ length: 20_000 }, () => u());
    const b = batchOf(['k', 'x'], [chunked(k, 4), chunked(x, 4)]);
    const first = sortCarrying(b, b.vectors[0], true)!;
    const kept = first.vectors.map((v) => (v.toArray() as Float64Array).slice());
    const other = batchOf(['k', 'x'], [chunked(x, 2), chunked(k, 2)]);
    sortCarrying(other, other.vectors[0], false);
    first.vectors.forEach((v, c) => expect(Array.from(v.toArray() as Float64Array)).toEqual(Array.from(kept[c])));
  });

  it('leaves to the order sort what it does not handle: few rows, keys with nulls, 64-bit integer keys, only missing keys', () => {
    const few = Float64Array.from({ length: 4_000 }, () => u());
    expect(sortCarrying(batchOf(['k'], [makeVector(few)]), makeVector(few), true)).toBeUndefined();
    const nulls = vectorFromArray(Array.from({ length: 10_000 }, (_, i) => (i % 3 ? i : null)), new Float64());
    expect(sortCarrying(batchOf(['k'], [nulls]), nulls, true)).toBeUndefined();
    const wide = vectorFromArray(Array.from({ length: 10_000 }, (_, i) => BigInt(i)), new Int64());
    expect(sortCarrying(batchOf(['k'], [wide]), wide, true)).toBeUndefined();
    const missing = makeVector(new Float64Array(10_000).fill(NaN));
    expect(sortCarrying(batchOf(['k'], [missing]), missing, true)).toBeUndefined();
  });
});
