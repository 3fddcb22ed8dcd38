/** The partition codec: Arrow vectors to plain, cloneable buffers and back, without changing a value. */
import { Bool, Dictionary, Float64, Int32, Int64, Uint8, Utf8, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { decodePart, encodeBatch } from '../src/ops/part';

function roundTrip(names: string[], vectors: Vector[]): unknown[][] {
  const part = structuredClone(encodeBatch({ numRows: vectors[0].length, names, vectors }));
  const b = decodePart(part);
  expect(b.names).toEqual(names);
  return b.vectors.map((v) => Array.from({ length: v.length }, (_, i) => v.get(i) as unknown));
}

const col = (xs: unknown[], t: DataType): Vector => vectorFromArray(xs, t);

describe('partition codec', () => {
  const values: [string, unknown[], DataType][] = [
    ['f64', [1.5, null, -2, NaN, 1e300], new Float64()],
    ['i32', [1, null, -7, 2 ** 31 - 1, 0], new Int32()],
    ['i64', [1n, null, -7n, 2n ** 40n, 0n], new Int64()],
    ['u8', [1, 2, null, 255, 0], new Uint8()],
    ['bool', [true, null, false, true, true], new Bool()],
    ['utf8', ['a', null, '', 'ünïcode ✓', 'z'], new Utf8()],
    ['dict', ['p', 'q', null, 'p', 'r'], new Dictionary(new Utf8(), new Int32())],
  ];

  it.each(values)('%s survives encode → structured clone → decode', (_, xs, t) => {
    expect(roundTrip(['c'], [col(xs, t)])[0].map((v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v))).toEqual(xs.map((v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)));
  });

  it.each(values)('%s slices at odd offsets (bit offsets of bitmaps, value offsets of strings)', (_, xs, t) => {
    const long = col([...xs, ...xs, ...xs], t);
    for (const start of [1, 3, 7, 9]) {
      const got = roundTrip(['c'], [long.slice(start, start + 5)])[0];
      const want = [...xs, ...xs, ...xs].slice(start, start + 5);
      expect(got.map(String)).toEqual(want.map(String));
    }
  });

  it('several chunks, and a small view of a large buffer is compacted before cloning', () => {
    const a = col([1, 2, 3], new Float64()).concat(col([4, null], new Float64()));
    expect(roundTrip(['a'], [a])[0]).toEqual([1, 2, 3, 4, null]);
    const big = vectorFromArray(new Float64Array(100_000).map((_, i) => i));
    const part = encodeBatch({ numRows: 10, names: ['b'], vectors: [big.slice(500, 510)] });
    expect(part.bufs.reduce((s, b) => s + b.buffer.byteLength, 0)).toBeLessThan(1000);
  });
});
