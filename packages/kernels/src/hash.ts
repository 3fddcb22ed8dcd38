/**
 * XXH64 of any bytes (kernels/assembly/hash.ts): the non-cryptographic content hash Dask uses to
 * name arrays, several times faster than Node's SHA-1 and available in browsers (no node:crypto).
 */
import type { Runtime } from './runtime.js';

/** Offset of the hash state inside the state area (after the generator's 128 bytes at 512). */
const HASH_SLOT = 768;
const IN_PLACE_BYTES = 1 << 20;

/** XXH64 of the bytes of `view` with `seed`, as 16 hex digits. */
export function hash64(rt: Runtime, view: ArrayBufferView, seed = 0n): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  const n = bytes.length;
  const m = rt.mem;
  const st = m.state + HASH_SLOT;
  const x = rt.x;
  x.xxh64_init(st, seed);
  const whole = n - (n % 32);
  if (m.owns(bytes)) {
    const p = bytes.byteOffset;
    for (let s = 0; s < whole; s += IN_PLACE_BYTES) x.xxh64_stripes(st, p + s, Math.min(IN_PLACE_BYTES, whole - s) / 32);
    x.xxh64_final(st, p + whole, n - whole, BigInt(n), seed);
  } else {
    const cap = Math.floor(m.scratchBytes / 32) * 32;
    for (let s = 0; s < whole; s += cap) {
      const len = Math.min(cap, whole - s);
      m.u8(m.scratch, len).set(bytes.subarray(s, s + len));
      x.xxh64_stripes(st, m.scratch, len / 32);
    }
    m.u8(m.scratch, n - whole).set(bytes.subarray(whole));
    x.xxh64_final(st, m.scratch, n - whole, BigInt(n), seed);
  }
  const h = new DataView(m.buffer, st + 32, 8).getBigUint64(0, true);
  return h.toString(16).padStart(16, '0');
}
