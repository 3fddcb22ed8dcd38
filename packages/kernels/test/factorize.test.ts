import { makeData, makeVector, Dictionary, Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, type Kernels } from '../src/index.js';
import { loadFixture, raw } from './helpers.js';

interface Case {
  name: string;
  kind: 'int32' | 'utf8';
  values?: (number | string | null)[];
  codes?: number[];
  uniques?: (number | string)[];
  values_b64?: string;
  codes_b64?: string;
  uniques_b64?: string;
}

const fixture = loadFixture<Case>('factorize.json');
let k: Kernels;

beforeAll(async () => {
  k = await loadKernels();
});

describe('factorize against pandas.factorize', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      if (c.kind === 'int32') {
        const values = c.values_b64 ? raw(Int32Array, c.values_b64) : Int32Array.from(c.values as number[]);
        const codes = c.codes_b64 ? Array.from(raw(Int32Array, c.codes_b64)) : c.codes!;
        const uniques = c.uniques_b64 ? Array.from(raw(Int32Array, c.uniques_b64)) : c.uniques!;
        const r = k.factorize(values);
        expect(Array.from(r.codes)).toEqual(codes);
        expect(Array.from(r.uniques)).toEqual(uniques);
      } else {
        const r = k.factorize(c.values as (string | null)[]);
        expect(Array.from(r.codes)).toEqual(c.codes);
        expect(r.uniques).toEqual(c.uniques);
      }
    });
  }
});

describe('incremental factorisation of Arrow data', () => {
  const strings = fixture.cases.find((c) => c.name === '1500 distinct strings')!;
  const values = strings.values as string[];

  it('Utf8 vectors in batches give the same codes as the whole column', () => {
    const f = k.utf8Factorizer();
    const codes: number[] = [];
    for (let s = 0; s < values.length; s += 1000) {
      const batch = vectorFromArray(values.slice(s, s + 1000), new Utf8());
      codes.push(...f.add(batch));
    }
    expect(codes).toEqual(strings.codes);
    expect(f.uniques()).toEqual(strings.uniques);
    f.dispose();
  });

  it('sliced Utf8 data with nulls (offsets not starting at 0, bitmap at a bit offset)', () => {
    const v = vectorFromArray(['x', null, 'yy', 'x', null, 'zzz', 'yy'], new Utf8());
    const sliced = v.slice(1, 6); // null, 'yy', 'x', null, 'zzz'
    const r = k.factorize(sliced);
    expect(Array.from(r.codes)).toEqual([-1, 0, 1, -1, 2]);
    expect(r.uniques).toEqual(['yy', 'x', 'zzz']);
  });

  it('dictionary-encoded batches with different dictionaries map to one set of codes', () => {
    const f = k.utf8Factorizer();
    const dict1 = vectorFromArray(['red', 'green', 'blue'], new Utf8());
    const dict2 = vectorFromArray(['blue', 'black', 'red'], new Utf8());
    const type = new Dictionary(new Utf8(), new Int32());
    const b1 = makeVector(makeData({ type, length: 4, nullCount: 0, data: new Int32Array([0, 2, 2, 1]), dictionary: dict1 }));
    const b2 = makeVector(
      makeData({ type, length: 3, nullCount: 1, data: new Int32Array([1, 0, 2]), nullBitmap: new Uint8Array([0b101]), dictionary: dict2 }),
    );
    expect(Array.from(f.add(b1))).toEqual([0, 1, 1, 2]); // red blue blue green
    expect(Array.from(f.add(b2))).toEqual([3, -1, 0]); // black null red
    expect(f.uniques()).toEqual(['red', 'blue', 'green', 'black']);
    f.dispose();
  });

  it('Int32 vectors with nulls: nulls get -1 and do not become uniques', () => {
    const v = makeVector(makeData({ type: new Int32(), length: 5, nullCount: 2, data: new Int32Array([7, 0, 7, 0, -1]), nullBitmap: new Uint8Array([0b10101]) }));
    const f = k.int32Factorizer();
    expect(Array.from(f.add(v))).toEqual([0, -1, 0, -1, 1]);
    expect(Array.from(f.add(new Int32Array([0, -1, 9])))).toEqual([2, 1, 3]);
    expect(Array.from(f.uniques())).toEqual([7, -1, 0, 9]);
    f.dispose();
  });

  it('a large string column (growing table and arena) round-trips', () => {
    const n = 200_000;
    const col = Array.from({ length: n }, (_, i) => `s${(i * 7919) % 50_000}-${'x'.repeat(i % 13)}`);
    const r = k.factorize(col);
    // First principles: decoding codes through uniques gives the column back.
    for (let i = 0; i < n; i += 101) expect(r.uniques[r.codes[i]]).toBe(col[i]);
    expect(new Set(col).size).toBe(r.uniques.length);
  });

  it('releases its memory on dispose', () => {
    const before = k.allocatedBytes;
    const f = k.utf8Factorizer();
    f.add(['a', 'b']);
    expect(k.allocatedBytes).toBeGreaterThan(before);
    f.dispose();
    expect(k.allocatedBytes).toBe(before);
  });
});
