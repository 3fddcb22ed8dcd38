/**
 * The kernels' snappy decoder that readParquet's fast path uses for SNAPPY pages, checked against
 * blocks built here from the snappy format description: a ULEB128 uncompressed length, then
 * elements whose tag's low two bits say literal (length - 1 in the upper six bits, or 60-63 for a
 * length - 1 in the next 1-4 bytes), copy with a 1-byte offset (length 4-11, offset's top 3 bits
 * in the tag), copy with a 2-byte or a 4-byte little-endian offset (length 1-64). Expected outputs
 * are written out by hand or produced by the byte-at-a-time meaning of each element.
 */
import { loadKernelsSync } from '@pdask/kernels';
import { describe, expect, it } from 'vitest';
import { uleb } from './uleb';

const k = loadKernelsSync();

function literal(bytes: readonly number[]): number[] {
  const n = bytes.length - 1;
  if (n < 60) return [n << 2, ...bytes];
  const extra: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) extra.push(v % 256);
  return [(59 + extra.length) << 2, ...extra, ...bytes];
}

function copy(length: number, offset: number, form: 1 | 2 | 4): number[] {
  if (form === 1) return [1 | ((length - 4) << 2) | ((offset >> 8) << 5), offset & 0xff];
  if (form === 2) return [2 | ((length - 1) << 2), offset & 0xff, offset >> 8];
  return [3 | ((length - 1) << 2), offset & 0xff, (offset >> 8) & 0xff, (offset >> 16) & 0xff, offset >>> 24];
}

const bytesOf = (s: string): number[] => [...Buffer.from(s, 'latin1')];
const block = (length: number, ...elements: number[][]): Uint8Array => Uint8Array.from([...uleb(length), ...elements.flat()]);
const decode = (b: Uint8Array, n: number): string => Buffer.from(k.snappyUncompress(b, n)).toString('latin1');

/** A random valid stream: its elements and the output they mean, applied one byte at a time. */
function randomStream(seed: number, n: number): { block: Uint8Array; expected: Uint8Array } {
  let s = seed >>> 0;
  const rnd = (m: number): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % m;
  };
  const out: number[] = [];
  const elements: number[][] = [];
  while (out.length < n) {
    const room = n - out.length;
    if (out.length === 0 || rnd(3) === 0) {
      const len = Math.min(room, 1 + rnd(rnd(4) === 0 ? 300 : 20));
      const bytes = Array.from({ length: len }, () => rnd(256));
      elements.push(literal(bytes));
      out.push(...bytes);
      continue;
    }
    const form = ([1, 2, 4] as const)[rnd(3)];
    const maxLen = Math.min(room, form === 1 ? 11 : 64);
    if (form === 1 && maxLen < 4) continue;
    const length = form === 1 ? 4 + rnd(maxLen - 3) : 1 + rnd(maxLen);
    // Short offsets often: they overlap the bytes being written (runs of a repeated pattern).
    const far = form === 1 ? Math.min(out.length, 2047) : out.length;
    const offset = 1 + (rnd(2) === 0 ? rnd(Math.min(far, 20)) : rnd(far));
    elements.push(copy(length, offset, form));
    for (let i = 0; i < length; i++) out.push(out[out.length - offset]);
  }
  return { block: block(n, ...elements), expected: Uint8Array.from(out) };
}

describe('snappy decoding in the kernels', () => {
  it('decodes literals of every length form', () => {
    expect(decode(block(3, literal(bytesOf('abc'))), 3)).toBe('abc');
    for (const n of [60, 61, 255, 256, 257, 70_000]) {
      const bytes = Array.from({ length: n }, (_, i) => (i * 7) % 251);
      expect([...k.snappyUncompress(block(n, literal(bytes)), n)]).toEqual(bytes);
    }
  });

  it('decodes copies of each offset form, overlapping ones included', () => {
    expect(decode(block(12, literal(bytesOf('abcd')), copy(8, 4, 1)), 12)).toBe('abcdabcdabcd');
    // Offset 1: a run of one byte.
    expect(decode(block(11, literal(bytesOf('x')), copy(10, 1, 2)), 11)).toBe('x'.repeat(11));
    // Offsets of 9-15 bytes and of 16 or more, copies up to 64 bytes.
    const ten = 'abcdefghij';
    expect(decode(block(50, literal(bytesOf(ten)), copy(40, 10, 2)), 50)).toBe(ten.repeat(5));
    const twenty = 'ABCDEFGHIJKLMNOPQRST';
    expect(decode(block(84, literal(bytesOf(twenty)), copy(64, 20, 4)), 84)).toBe(twenty + twenty.repeat(3) + twenty.slice(0, 4));
    // A 1-byte-offset copy whose offset needs the tag's three high bits (offset 1500).
    const long = Array.from({ length: 1500 }, (_, i) => (i * 13) % 256);
    const got = k.snappyUncompress(block(1506, literal(long), copy(6, 1500, 1)), 1506);
    expect([...got.subarray(1500)]).toEqual(long.slice(0, 6));
  });

  it('decodes random streams of literals and copies as the format defines them', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { block: b, expected } = randomStream(seed, 1 + ((seed * 977) % 5000));
      expect(Buffer.from(k.snappyUncompress(b, expected.length)).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it('decodes an empty block', () => {
    expect(k.snappyUncompress(Uint8Array.of(0), 0).length).toBe(0);
  });

  it('refuses malformed blocks by name', () => {
    expect(() => k.snappyUncompress(block(3, literal(bytesOf('abc'))), 4)).toThrow(/stated length differs/);
    expect(() => k.snappyUncompress(block(5, [4 << 2, 97, 98]), 5)).toThrow(/ends inside an element/);
    expect(() => k.snappyUncompress(block(8, literal(bytesOf('abcd')), copy(4, 5, 2)), 8)).toThrow(/before the start of the output/);
    expect(() => k.snappyUncompress(block(6, literal(bytesOf('abcd')), copy(4, 4, 2)), 6)).toThrow(/does not have the expected length/);
    expect(() => k.snappyUncompress(block(6, literal(bytesOf('abcd'))), 6)).toThrow(/does not have the expected length/);
    expect(() => k.snappyUncompress(Uint8Array.of(0x80, 0x80), 1)).toThrow(/ends inside an element/);
  });
});
