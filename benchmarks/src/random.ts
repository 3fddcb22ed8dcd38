import { xorshift } from './xorshift.mjs';

export { xorshift };

/** `n` values of xorshift(seed) in [0, 1), written into `into` when given (e.g. over shared memory). */
export function uniform(n: number, seed: number, into: Float64Array = new Float64Array(n)): Float64Array {
  const next = xorshift(seed);
  for (let i = 0; i < n; i++) into[i] = next();
  return into;
}

/**
 * The group-by input of the dataframe workloads: per row a value uniform in [0, 1), then a key in
 * 0..9, from one xorshift stream. In `mem` (n * 12 bytes: values, then keys) when given, which
 * fromColumns then uses in place if it is a SharedArrayBuffer.
 */
export function groupColumns(n: number, mem?: ArrayBufferLike): { k: Int32Array; v: Float64Array } {
  const v = mem ? new Float64Array(mem, 0, n) : new Float64Array(n);
  const k = mem ? new Int32Array(mem, n * 8, n) : new Int32Array(n);
  const next = xorshift(2463534242);
  for (let i = 0; i < n; i++) {
    v[i] = next();
    k[i] = Math.floor(next() * 4294967296) % 10;
  }
  return { k, v };
}
