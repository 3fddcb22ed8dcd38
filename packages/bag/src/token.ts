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

/**
 * A hash of the bit patterns of some doubles (one array, or several in order). Four independent
 * lanes, so that the multiplications of consecutive words overlap in the CPU.
 */
export function hashFloat64(x: Float64Array | readonly Float64Array[]): string {
  let a = 0x2545f491;
  let b = 0x9e3779b9;
  let c = 0x85ebca6b;
  let d = 0xc2b2ae35;
  let n = 0;
  for (const chunk of x instanceof Float64Array ? [x] : x) {
    const w = new Int32Array(chunk.buffer, chunk.byteOffset, chunk.length * 2);
    const m = w.length - (w.length % 4);
    let i = 0;
    for (; i < m; i += 4) {
      a = mix(a, w[i]);
      b = mix(b, w[i + 1]);
      c = mix(c, w[i + 2]);
      d = mix(d, w[i + 3]);
    }
    if (i < w.length) {
      a = mix(a, w[i]);
      b = mix(b, w[i + 1]);
    }
    // Chunk boundaries count: [[1], [2]] and [[1, 2]] differ.
    c = mix(c, w.length);
    n += w.length;
  }
  return finish(mix(a, c), n) + finish(mix(b, d), n);
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

/**
 * The data packed as doubles, one Float64Array per partition of the given sizes, when every
 * element is a number (else undefined). One pass, straight into the partitions' arrays.
 */
export function packNumbers(xs: readonly unknown[], sizes: readonly number[]): Float64Array[] | undefined {
  if (xs.length > 0 && typeof xs[0] !== 'number') return undefined;
  const out: Float64Array[] = [];
  let at = 0;
  for (const size of sizes) {
    const chunk = new Float64Array(size);
    for (let j = 0; j < size; j++) {
      const v = xs[at + j];
      if (typeof v !== 'number') return undefined;
      chunk[j] = v;
    }
    out.push(chunk);
    at += size;
  }
  return out;
}

/** A token of the data: fast for numbers (given packed) and strings, core's tokenize otherwise. */
export function dataToken(xs: readonly unknown[], packed?: readonly Float64Array[]): string {
  if (packed) return tokenize('f64', hashFloat64(packed));
  if (xs.every((x) => typeof x === 'string')) return tokenize('str', hashStrings(xs as string[]));
  return tokenize(xs);
}
