/**
 * Deterministic names for bags built from in-memory data. Core's tokenize (md5 over a typed
 * encoding, one update per element) costs ~15 ms per million numbers — more than computing a
 * simple bag of them. Arrays of only numbers or only strings are hashed here in one JS loop
 * instead: two independent 32-bit lanes (a 64-bit hash), ample for naming keys.
 */
import { tokenize } from '@pdask/core';

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, n: number): string {
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A hash of the bit patterns of some doubles. */
export function hashFloat64(x: Float64Array): string {
  const w = new Int32Array(x.buffer, x.byteOffset, x.length * 2);
  let a = 0x2545f491;
  let b = 0x9e3779b9;
  for (let i = 0; i < w.length; i += 2) {
    a = mix(a, w[i]);
    b = mix(b, w[i + 1] ^ a);
  }
  return finish(a, w.length) + finish(b, w.length);
}

function hashStrings(xs: readonly string[]): string {
  let a = 0x2545f491;
  let b = 0x9e3779b9;
  for (const s of xs) {
    a = mix(a, s.length);
    b = mix(b, s.length ^ 0x5bd1e995);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = mix(a, c);
      b = mix(b, c ^ a);
    }
  }
  return finish(a, xs.length) + finish(b, xs.length);
}

/** The data packed as doubles when every element is a number (else undefined). */
export function asFloat64(xs: readonly unknown[]): Float64Array | undefined {
  for (let i = 0; i < xs.length; i++) if (typeof xs[i] !== 'number') return undefined;
  return Float64Array.from(xs as number[]);
}

/** A token of the data: fast for numbers (given packed) and strings, core's tokenize otherwise. */
export function dataToken(xs: readonly unknown[], packed?: Float64Array): string {
  if (packed) return tokenize('f64', hashFloat64(packed));
  if (xs.every((x) => typeof x === 'string')) return tokenize('str', hashStrings(xs as string[]));
  return tokenize(xs);
}
