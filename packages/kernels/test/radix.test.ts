/**
 * radixCount / radixSelect against the definition written here: the key of a float64 is its high
 * 32 bits, all inverted for negative values and with the sign bit set otherwise (so unsigned key
 * order is numeric order); NaNs are skipped and counted. Inputs mix signs, ±0, ±inf, subnormals,
 * NaN and runs of equal values, are longer than the scratch block (150,000 > 65,536 values), and are
 * read both streamed from the JS heap and in place from kernel memory.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, type Kernels } from '../src/index.js';
import { stream } from './helpers.js';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

const f = new Float64Array(1);
const u = new Uint32Array(f.buffer);
function keyOf(x: number): number {
  f[0] = x;
  const h = u[1];
  return h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
}

function values(n: number): Float64Array {
  const r = stream(99);
  const special = [NaN, 0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1, -1, 0.5];
  return Float64Array.from({ length: n }, (_, i) => {
    const v = r();
    if (v < 0.05) return special[i % special.length];
    if (v < 0.15) return 0.25; // a run of equal values
    return (r() - 0.5) * 10 ** Math.floor(r() * 12 - 6);
  });
}

describe('radix passes', () => {
  const x = values(150_000);

  it('keys are order-preserving (the definition the passes rely on)', () => {
    const sorted = Float64Array.from(x.filter((v) => v === v)).sort();
    for (let i = 1; i < sorted.length; i++) expect(keyOf(sorted[i - 1]) <= keyOf(sorted[i])).toBe(true);
  });

  for (const where of ['JS heap', 'kernel memory'] as const) {
    it(`counts by the top 16 bits, and NaNs (${where})`, () => {
      const want = new Uint32Array(65536);
      let nans = 0;
      for (const v of x) {
        if (v !== v) nans++;
        else want[keyOf(v) >>> 16]++;
      }
      const ka = where === 'kernel memory' ? k.copyIn(x) : undefined;
      try {
        const got = new Uint32Array(65536);
        got[7] = 3; // counts are added to what is there
        expect(k.radixCount(ka ?? x, got)).toBe(nans);
        want[7] += 3;
        expect(got).toEqual(want);
      } finally {
        ka?.free();
      }
    });

    it(`counts by the low 16 bits inside chosen buckets, and selects values by key (${where})`, () => {
      const top = [keyOf(0.25) >>> 16, keyOf(-1) >>> 16, keyOf(1e-3) >>> 16];
      const slots = new Int32Array(65536).fill(-1);
      top.forEach((b, s) => (slots[b] = s));
      const want = new Uint32Array(3 * 65536);
      for (const v of x) {
        if (v !== v) continue;
        const key = keyOf(v);
        const s = slots[key >>> 16];
        if (s >= 0) want[s * 65536 + (key & 0xffff)]++;
      }
      const ka = where === 'kernel memory' ? k.copyIn(x) : undefined;
      try {
        const got = new Uint32Array(3 * 65536);
        k.radixCount(ka ?? x, got, slots);
        expect(got).toEqual(want);
        const keys = Uint32Array.from([keyOf(0.25), keyOf(-1), keyOf(x[12345] === x[12345] ? x[12345] : 2)]);
        const sel = new Int32Array(65536).fill(-1);
        for (const key of keys) sel[key >>> 16] = 0;
        const expected = x.filter((v) => v === v && keys.includes(keyOf(v)));
        expect(expected.length).toBeGreaterThan(1000);
        expect(Array.from(k.radixSelect(ka ?? x, sel, keys))).toEqual(Array.from(expected));
      } finally {
        ka?.free();
      }
    });
  }

  it('refuses tables of the wrong size', () => {
    expect(() => k.radixCount(x, new Uint32Array(10))).toThrow(/counts must have 65536 entries/);
    const slots = new Int32Array(65536).fill(-1);
    slots[3] = 1;
    expect(() => k.radixCount(x, new Uint32Array(65536), slots)).toThrow(/counts must have 131072 entries/);
    expect(() => k.radixSelect(x, new Int32Array(5), new Uint32Array(1))).toThrow(/slots must have 65536 entries/);
  });
});
