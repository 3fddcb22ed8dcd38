/**
 * The snappy kernel against blocks built element by element here and a reference decoder written
 * from the format's description (format_description.txt of the snappy project): a varint of the
 * uncompressed length, then elements whose tag's low two bits give the kind. 0: a literal, its
 * length - 1 in the tag's upper six bits (0-59) or in the 1-4 little-endian bytes after the tag
 * (60-63 give how many). 1: a copy of 4-11 bytes (tag bits 2-4, + 4) at an 11-bit offset (tag
 * bits 5-7 high, one byte low). 2 and 3: a copy of 1-64 bytes (tag bits 2-7, + 1) at a 2- or
 * 4-byte little-endian offset. A copy may overlap its own output (offset < length: a run).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, type Kernels } from '../src/index.js';

type Element = { lit: Uint8Array; lengthBytes?: 0 | 1 | 2 | 3 | 4 } | { len: number; off: number; kind: 1 | 2 | 3 };

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

const le = (v: number, bytes: number): number[] => Array.from({ length: bytes }, (_, i) => (v >>> (8 * i)) & 0xff);

/** A block of the elements, with `stated` as its uncompressed length. */
function encode(elements: readonly Element[], stated: number): Uint8Array {
  const out: number[] = varint(stated);
  for (const e of elements) {
    if ('lit' in e) {
      const m = e.lit.length - 1;
      const bytes = e.lengthBytes ?? (m < 60 ? 0 : m < 1 << 8 ? 1 : m < 1 << 16 ? 2 : m < 1 << 24 ? 3 : 4);
      if (bytes === 0) out.push(m << 2);
      else out.push((59 + bytes) << 2, ...le(m, bytes));
      out.push(...e.lit);
    } else if (e.kind === 1) {
      out.push(1 | ((e.len - 4) << 2) | ((e.off >> 8) << 5), e.off & 0xff);
    } else {
      out.push(e.kind | ((e.len - 1) << 2), ...le(e.off, e.kind === 2 ? 2 : 4));
    }
  }
  return Uint8Array.from(out);
}

/** The reference decoder: one byte at a time, straight from the format's description. */
function reference(block: Uint8Array): Uint8Array {
  let p = 0;
  let n = 0;
  for (let shift = 0; ; shift += 7) {
    const b = block[p++];
    n += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const out: number[] = [];
  while (p < block.length) {
    const tag = block[p++];
    if ((tag & 3) === 0) {
      let m = tag >> 2;
      if (m >= 60) {
        const bytes = m - 59;
        m = 0;
        for (let i = 0; i < bytes; i++) m += block[p++] * 2 ** (8 * i);
      }
      for (let i = 0; i <= m; i++) out.push(block[p++]);
      continue;
    }
    let len: number;
    let off: number;
    if ((tag & 3) === 1) {
      len = ((tag >> 2) & 7) + 4;
      off = ((tag >> 5) << 8) | block[p++];
    } else {
      len = (tag >> 2) + 1;
      const bytes = (tag & 3) === 2 ? 2 : 4;
      off = 0;
      for (let i = 0; i < bytes; i++) off += block[p++] * 2 ** (8 * i);
    }
    if (off === 0 || off > out.length) throw new Error('bad offset');
    for (let i = 0; i < len; i++) out.push(out[out.length - off]);
  }
  if (out.length !== n) throw new Error('bad length');
  return Uint8Array.from(out);
}

/** Deterministic bytes (xorshift32). */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed | 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

/** The output length of the elements (each copy's offset must reach only bytes already written). */
function outputLength(elements: readonly Element[]): number {
  return elements.reduce((n, e) => n + ('lit' in e ? e.lit.length : e.len), 0);
}

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

/** Decodes the elements' block with the kernel and checks it against the reference decoder. */
function roundTrip(elements: readonly Element[]): Uint8Array {
  const n = outputLength(elements);
  const block = encode(elements, n);
  const expected = reference(block);
  expect(expected.length).toBe(n);
  const got = k.snappyUncompress(block, n);
  expect(Buffer.from(got).equals(Buffer.from(expected))).toBe(true);
  return expected;
}

describe('snappyUncompress', () => {
  it('decodes literals of every tag length and of 1-4 length bytes', () => {
    const elements: Element[] = [];
    for (let len = 1; len <= 70; len++) elements.push({ lit: bytes(len, len) });
    for (const len of [61, 255, 256, 257, 1000, 65535, 65536, 65537, 70000]) elements.push({ lit: bytes(len, len) });
    // Lengths given with more length bytes than needed are valid too.
    for (const lengthBytes of [1, 2, 3, 4] as const) elements.push({ lit: bytes(5 + lengthBytes, lengthBytes), lengthBytes });
    const out = roundTrip(elements);
    // The first literals, located from first principles: 1 byte, then 2, then 3.
    expect(Array.from(out.subarray(0, 6))).toEqual([...bytes(1, 1), ...bytes(2, 2), ...bytes(3, 3)]);
  });

  it('decodes copies of every length at offsets 1 to 16 (overlapping runs included)', () => {
    for (let off = 1; off <= 16; off++) {
      const elements: Element[] = [{ lit: bytes(16, off) }];
      for (let len = 1; len <= 64; len++) elements.push({ len, off, kind: 2 }, { lit: bytes(1, len) });
      const out = roundTrip(elements);
      // A copy at offset `off` repeats the bytes `off` before it: the first copy (1 byte) repeats out[16 - off].
      expect(out[16]).toBe(out[16 - off]);
    }
  });

  it('decodes a run longer than its pattern exactly', () => {
    // 'ab' then a copy of 64 at offset 2: 'ab' repeated 33 times.
    const out = k.snappyUncompress(encode([{ lit: Uint8Array.from([97, 98]) }, { len: 64, off: 2, kind: 2 }], 66), 66);
    expect(new TextDecoder().decode(out)).toBe('ab'.repeat(33));
    // A one-byte pattern: 'z' repeated.
    const z = k.snappyUncompress(encode([{ lit: Uint8Array.from([122]) }, { len: 64, off: 1, kind: 3 }, { len: 11, off: 1, kind: 1 }], 76), 76);
    expect(new TextDecoder().decode(z)).toBe('z'.repeat(76));
  });

  it('decodes the three copy kinds at short and long offsets', () => {
    const elements: Element[] = [{ lit: bytes(70000, 7) }];
    for (let len = 4; len <= 11; len++) for (const off of [1, 7, 8, 15, 16, 17, 255, 256, 2047]) elements.push({ len, off, kind: 1 });
    for (const len of [1, 4, 5, 8, 9, 16, 17, 32, 33, 64]) for (const off of [1, 3, 8, 16, 2048, 65535]) elements.push({ len, off, kind: 2 }, { len, off: off + 1, kind: 3 });
    elements.push({ len: 64, off: 69999, kind: 3 });
    roundTrip(elements);
  });

  it('decodes pages of many short literals and copies, as float columns compress', () => {
    const elements: Element[] = [{ lit: bytes(64, 99) }];
    let s = 12345;
    for (let i = 0; i < 5000; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      elements.push({ lit: bytes(2 + (s % 5), i) });
      const kind = (1 + ((s >>> 8) % 3)) as 1 | 2 | 3;
      const len = kind === 1 ? 4 + ((s >>> 12) % 8) : 1 + ((s >>> 12) % 16);
      elements.push({ len, off: 1 + ((s >>> 16) % (kind === 1 ? 64 : 60)), kind });
    }
    roundTrip(elements);
  });

  it('decodes an empty block', () => {
    expect(k.snappyUncompress(Uint8Array.from([0]), 0).length).toBe(0);
  });

  it('names each malformation', () => {
    const lit = bytes(8, 1);
    // -1: the stated length is not the expected one.
    expect(() => k.snappyUncompress(encode([{ lit }], 8), 9)).toThrow(/stated length differs/);
    // -2: the input ends inside the varint, a literal, a literal's length bytes, or a copy's offset.
    expect(() => k.snappyUncompress(Uint8Array.from([0x88]), 8)).toThrow(/input ends inside an element/);
    expect(() => k.snappyUncompress(encode([{ lit }], 8).subarray(0, 5), 8)).toThrow(/input ends inside an element/);
    expect(() => k.snappyUncompress(Uint8Array.from([8, 62 << 2, 7]), 8)).toThrow(/input ends inside an element/);
    expect(() => k.snappyUncompress(encode([{ lit }, { len: 4, off: 4, kind: 2 }], 12).subarray(0, 12), 12)).toThrow(/input ends inside an element/);
    expect(() => k.snappyUncompress(encode([{ lit }, { len: 4, off: 4, kind: 3 }], 12).subarray(0, 13), 12)).toThrow(/input ends inside an element/);
    expect(() => k.snappyUncompress(encode([{ lit }, { len: 4, off: 4, kind: 1 }], 12).subarray(0, 11), 12)).toThrow(/input ends inside an element/);
    // A literal length of 2^32 bytes (4 length bytes of 0xff).
    expect(() => k.snappyUncompress(Uint8Array.from([8, 63 << 2, 255, 255, 255, 255, 0, 0]), 8)).toThrow(/input ends inside an element/);
    // -3: a copy at offset 0, or reaching before the output's start (of every kind).
    expect(() => k.snappyUncompress(encode([{ lit }, { len: 4, off: 0, kind: 2 }], 12), 12)).toThrow(/before the start of the output/);
    for (const kind of [1, 2, 3] as const) expect(() => k.snappyUncompress(encode([{ lit }, { len: 4, off: 9, kind }], 12), 12)).toThrow(/before the start of the output/);
    expect(() => k.snappyUncompress(encode([{ lit }, { len: 4, off: 0xffff_fff0, kind: 3 }], 12), 12)).toThrow(/before the start of the output/);
    // -4: a literal or a copy past the stated length, or an output shorter than it.
    expect(() => k.snappyUncompress(encode([{ lit }], 7), 7)).toThrow(/does not have the expected length/);
    expect(() => k.snappyUncompress(encode([{ lit }, { len: 4, off: 8, kind: 2 }], 11), 11)).toThrow(/does not have the expected length/);
    expect(() => k.snappyUncompress(encode([{ lit }], 9), 9)).toThrow(/does not have the expected length/);
  });

  it('decodes the same block again after a malformed one (no state is left behind)', () => {
    const elements: Element[] = [{ lit: bytes(20, 3) }, { len: 12, off: 5, kind: 2 }];
    expect(() => k.snappyUncompress(encode(elements, 40), 40)).toThrow();
    roundTrip(elements);
  });
});
