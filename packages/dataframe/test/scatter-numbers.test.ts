/**
 * scatterNumbers (ops/take-numbers.ts), the one-pass cut of a number column into the ranges of a
 * split: each range holds the values of its rows in row order, in an array of its own (the
 * pieces leave the task). Expected pieces are filtered here from the definition.
 */
import { Float64, Int32, type DataType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { scatterNumbers } from '../src/ops/take-numbers';

/** Where each range starts, laid end to end, from the definition (n + 1 values). */
function starts(ranges: Int32Array, n: number): Int32Array {
  return Int32Array.from({ length: n + 1 }, (_, r) => ranges.filter((x) => x < r).length);
}

describe('scatterNumbers', () => {
  const n = 5;
  // Range 3 is left empty; -0 and NaN keep their bits.
  const ranges = Int32Array.from({ length: 300 }, (_, i) => [0, 4, 1, 4, 2][(i * 7) % 5]);
  const f = Float64Array.from({ length: 300 }, (_, i) => (i % 17 === 0 ? NaN : i % 19 === 0 ? -0 : i * 1.5 - 100));
  const k = Int32Array.from({ length: 300 }, (_, i) => i * 3 - 50);

  it.each([
    ['float64', f, new Float64() as DataType],
    ['int32', k, new Int32() as DataType],
  ] as const)('%s: each range its rows in row order, with arrays of their own', (_, src, type) => {
    const pieces = scatterNumbers(src, ranges, starts(ranges, n), type);
    expect(pieces).toHaveLength(n);
    const bufs = new Set<ArrayBufferLike>();
    for (let r = 0; r < n; r++) {
      const want = Array.from(src).filter((_, i) => ranges[i] === r);
      const got = Array.from(pieces[r].toArray() as ArrayLike<number>);
      expect(got.length).toBe(want.length);
      got.forEach((x, i) => expect(Object.is(x, want[i])).toBe(true));
      const b = (pieces[r].data[0].values as ArrayBufferView).buffer;
      expect(b).not.toBe(src.buffer);
      if (want.length > 0) bufs.add(b);
    }
    expect(pieces[3].length).toBe(0);
    expect(bufs.size).toBe(4);
  });

  it('with groups, each piece holds its ranges one after another, in an ordinary array of its own (movable, spillable)', () => {
    const groups = Int32Array.from([0, 2, 2, 5]);
    const pieces = scatterNumbers(f, ranges, starts(ranges, n), new Float64(), groups);
    expect(pieces).toHaveLength(3);
    const bufs = new Set<ArrayBufferLike>();
    for (let p = 0; p < 3; p++) {
      const want: number[] = [];
      for (let r = groups[p]; r < groups[p + 1]; r++) want.push(...Array.from(f).filter((_, i) => ranges[i] === r));
      const got = Array.from(pieces[p].toArray() as Float64Array);
      expect(got.length).toBe(want.length);
      got.forEach((x, i) => expect(Object.is(x, want[i])).toBe(true));
      const b = (pieces[p].data[0].values as ArrayBufferView).buffer;
      expect(b).toBeInstanceOf(ArrayBuffer);
      expect(b.byteLength).toBe(want.length * 8);
      if (want.length > 0) bufs.add(b);
    }
    expect(bufs.size).toBe(2);
  });
});
