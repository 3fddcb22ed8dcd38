/**
 * decodeHybridKept (io/parquet/hybrid-kept.ts): dictionary indices in Parquet's RLE / bit-packed
 * hybrid encoding, decoded with a filter's mask applied. Runs are built here from the format's
 * description (an RLE run: header count << 1, then the value in ceil(width / 8) little-endian
 * bytes; a bit-packed run: header groups << 1 | 1, then groups of 8 values packed from the lowest
 * bit); the expected result is the listed values at the rows the mask keeps.
 */
import { describe, expect, it } from 'vitest';
import { decodeHybridKept } from '../src/io/parquet/hybrid-kept';

type Run = { rle: number; count: number } | { packed: number[] };

function uleb(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/** The runs' bytes and the values they stand for (a bit-packed run's padding left out). */
function encode(runs: readonly Run[], width: number): { bytes: number[]; values: number[] } {
  const bytes: number[] = [];
  const values: number[] = [];
  for (const r of runs) {
    if ('rle' in r) {
      bytes.push(...uleb(r.count << 1));
      for (let k = 0; k < (width + 7) >> 3; k++) bytes.push((r.rle >>> (8 * k)) & 0xff);
      for (let k = 0; k < r.count; k++) values.push(r.rle);
      continue;
    }
    const groups = Math.ceil(r.packed.length / 8);
    bytes.push(...uleb((groups << 1) | 1));
    const bits: number[] = [];
    for (let k = 0; k < groups * 8; k++) for (let j = 0; j < width; j++) bits.push(((r.packed[k] ?? 0) >>> j) & 1);
    for (let i = 0; i < bits.length; i += 8) bytes.push(bits.slice(i, i + 8).reduce((v, bit, j) => v | (bit << j), 0));
    values.push(...r.packed);
  }
  return { bytes, values };
}

/** Deterministic pseudo-random integers below `m` (an LCG). */
function ints(n: number, m: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % m;
  });
}

/** Decodes `runs` under `mask` (from `maskAt`), the encoded bytes at `lead` in a buffer ending right after them. */
function decode(runs: readonly Run[], width: number, mask: Uint8Array, maskAt: number, lead = 3): { got: number[]; want: number[] } {
  const { bytes, values } = encode(runs, width);
  const page = Uint8Array.from([...new Array(lead).fill(0xee), ...bytes]);
  const out = new Int32Array(values.length).fill(-7);
  const count = decodeHybridKept(page, lead, page.length, width, values.length, out, mask, maskAt);
  return { got: Array.from(out.subarray(0, count)), want: values.filter((_, k) => mask[maskAt + k] === 1) };
}

describe('decodeHybridKept', () => {
  it('keeps the masked rows of bit-packed and RLE runs at every width up to 24 bits', () => {
    for (const width of [1, 2, 3, 7, 8, 9, 13, 16, 17, 24]) {
      const m = 2 ** width;
      // Bit-packed runs of 8, 40 and 13 values (the last run's last group padded) around RLE runs.
      const runs: Run[] = [{ packed: ints(8, m, width) }, { rle: m - 1, count: 5 }, { packed: ints(40, m, width + 1) }, { rle: 0, count: 300 }, { packed: ints(13, m, width + 2) }];
      const n = 8 + 5 + 40 + 300 + 13;
      const mask = Uint8Array.from(ints(n + 11, 2, 99 + width));
      const { got, want } = decode(runs, width, mask, 11);
      expect(want.length).toBeGreaterThan(n / 4);
      expect(got).toEqual(want);
    }
  });

  it('keeps all rows, no row, and the rows of a dictionary of one entry (width 0)', () => {
    const runs: Run[] = [{ packed: [5, 1, 7, 0, 2, 6, 3, 4] }, { rle: 6, count: 4 }];
    expect(decode(runs, 3, new Uint8Array(12).fill(1), 0).got).toEqual([5, 1, 7, 0, 2, 6, 3, 4, 6, 6, 6, 6]);
    expect(decode(runs, 3, new Uint8Array(12), 0).got).toEqual([]);
    // Rows 1, 2 and 9 kept.
    const mask = Uint8Array.from([0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(decode(runs, 3, mask, 0).got).toEqual([1, 7, 6]);
    const out = new Int32Array(4).fill(-1);
    expect(decodeHybridKept(new Uint8Array(0), 0, 0, 0, 4, out, Uint8Array.from([1, 0, 1, 1]), 0)).toBe(3);
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it('stops at n values inside a run (the page may hold more)', () => {
    const { bytes } = encode([{ packed: [1, 2, 3, 4, 5, 6, 7, 0] }, { rle: 3, count: 9 }], 3);
    const out = new Int32Array(10);
    // 10 of the 17 values, rows 0-9 all kept.
    expect(decodeHybridKept(Uint8Array.from(bytes), 0, bytes.length, 3, 10, out, new Uint8Array(10).fill(1), 0)).toBe(10);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6, 7, 0, 3, 3]);
  });

  it('names a truncated run, a mask too short and an output too small', () => {
    const { bytes } = encode([{ packed: ints(16, 8, 1) }], 3);
    expect(() => decodeHybridKept(Uint8Array.from(bytes), 0, bytes.length - 1, 3, 16, new Int32Array(16), new Uint8Array(16), 0)).toThrow(/overruns its page/);
    expect(() => decodeHybridKept(Uint8Array.from(bytes), 0, bytes.length, 3, 24, new Int32Array(24), new Uint8Array(24), 0)).toThrow(/ends after 16 of 24 values/);
    expect(() => decodeHybridKept(Uint8Array.from(bytes), 0, bytes.length, 3, 16, new Int32Array(16), new Uint8Array(16), 1)).toThrow(/outside the mask/);
    expect(() => decodeHybridKept(Uint8Array.from(bytes), 0, bytes.length, 3, 16, new Int32Array(15), new Uint8Array(16), 0)).toThrow(/room for 15 values/);
  });
});
