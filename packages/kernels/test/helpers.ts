/** Shared test helpers: fixture decoding and exact arithmetic used as first-principles references. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

export type Encoded = number | string | boolean;

export function loadFixture<T>(name: string): { numpy: string; pandas: string; cases: T[] } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

/** Decodes make_fixtures.py's enc(): "nan", "inf", "-inf", "-0". */
export function dec(v: Encoded): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  switch (v) {
    case 'nan':
      return NaN;
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw new Error(`cannot decode ${v}`);
  }
}

/** Decodes make_fixtures.py's raw(): little-endian bytes in base64. */
export function raw<T extends Float64Array | Float32Array | Int32Array>(
  ctor: { new (b: ArrayBuffer, o: number, l: number): T; BYTES_PER_ELEMENT: number },
  b64: string,
): T {
  const bytes = Buffer.from(b64, 'base64');
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return new ctor(copy, 0, bytes.length / ctor.BYTES_PER_ELEMENT);
}

/**
 * Asserts actual ≈ expected: NaN only matches NaN, infinities and zeros match exactly (including the
 * sign of zero), other values within a relative tolerance.
 */
export function expectClose(actual: number, expected: number, rtol = 1e-12, what = ''): void {
  const msg = `${what}: got ${actual}, expected ${expected}`;
  if (Number.isNaN(expected) || !Number.isFinite(expected) || expected === 0) {
    expect(Object.is(actual, expected), msg).toBe(true);
    return;
  }
  expect(Math.abs(actual - expected) <= rtol * Math.abs(expected), msg).toBe(true);
}

/** The exact sum of doubles, correctly rounded to the nearest double (BigInt fixed point). */
export function exactSum(xs: ArrayLike<number>): number {
  // Every finite double is an integer multiple of 2^-1074.
  const SHIFT = 1074n;
  let acc = 0n;
  const f = new Float64Array(1);
  const u = new BigUint64Array(f.buffer);
  for (let i = 0; i < xs.length; i++) {
    f[0] = xs[i];
    const bits = u[0];
    const neg = bits >> 63n === 1n;
    const exp = Number((bits >> 52n) & 0x7ffn);
    const frac = bits & ((1n << 52n) - 1n);
    if (exp === 0x7ff) throw new Error('exactSum takes finite values');
    const mant = exp === 0 ? frac : frac | (1n << 52n);
    const e = BigInt(Math.max(exp, 1));
    const scaled = mant << (e - 1n); // mant * 2^(e - 1075) in units of 2^-1074
    acc += neg ? -scaled : scaled;
  }
  return bigToDouble(acc, SHIFT);
}

/** Rounds num * 2^-shift to the nearest double (ties to even). */
function bigToDouble(num: bigint, shift: bigint): number {
  if (num === 0n) return 0;
  const neg = num < 0n;
  let m = neg ? -num : num;
  let e = -shift;
  // Normalise to 53 significant bits plus a sticky remainder, then round half to even.
  const bitLen = BigInt(m.toString(2).length);
  if (bitLen > 53n) {
    const drop = bitLen - 53n;
    const rem = m & ((1n << drop) - 1n);
    m >>= drop;
    e += drop;
    const half = 1n << (drop - 1n);
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
  }
  const v = Number(m) * 2 ** Number(e);
  return neg ? -v : v;
}

/** Naive left-to-right sum: the accuracy baseline the kernels must beat. */
export function naiveSum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}

/** xorshift32 in [0, 1): reproducible test data without fixtures. */
export function stream(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
