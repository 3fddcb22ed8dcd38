/**
 * XXH64 of any bytes (kernels/assembly/hash.ts): the non-cryptographic content hash Dask uses to
 * name arrays, several times faster than Node's SHA-1 and available in browsers (no node:crypto).
 */
import type { Runtime } from './runtime.js';

/** Offset of the hash state inside the state area (after the generator's 128 bytes at 512). */
const HASH_SLOT = 768;
const IN_PLACE_BYTES = 1 << 20;

/** Bytes to hash, and where to copy them on the way (omitted: hashed only). */
export interface HashPiece {
  readonly from: ArrayBufferView;
  readonly to?: Uint8Array;
}

const bytesOf = (v: ArrayBufferView): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

function digest(rt: Runtime, st: number): string {
  const h = new DataView(rt.mem.buffer, st + 32, 8).getBigUint64(0, true);
  return h.toString(16).padStart(16, '0');
}

/** XXH64 of the bytes of `view` with `seed`, as 16 hex digits. */
export function hash64(rt: Runtime, view: ArrayBufferView, seed = 0n): string {
  const bytes = bytesOf(view);
  if (!rt.mem.owns(bytes)) return hash64Pieces(rt, [{ from: bytes }], seed);
  const n = bytes.length;
  const st = rt.mem.state + HASH_SLOT;
  const x = rt.x;
  x.xxh64_init(st, seed);
  const whole = n - (n % 32);
  const p = bytes.byteOffset;
  for (let s = 0; s < whole; s += IN_PLACE_BYTES) x.xxh64_stripes(st, p + s, Math.min(IN_PLACE_BYTES, whole - s) / 32);
  x.xxh64_final(st, p + whole, n - whole, BigInt(n), seed);
  return digest(rt, st);
}

/**
 * XXH64 of the pieces' bytes laid end to end (the digits hash64 gives for that concatenation),
 * copying each piece to its `to` on the way. The bytes pass through the scratch area block by
 * block and are copied out of it while it is still in cache: the source is read from memory once
 * for both the copy and the hash (copying first and hashing the copy read it twice: 120 MB took
 * ~10 ms longer, measured by a helper under load, benchmarks/probes/copy-in-ways.mjs).
 */
export function hash64Pieces(rt: Runtime, pieces: readonly HashPiece[], seed = 0n): string {
  const m = rt.mem;
  const st = m.state + HASH_SLOT;
  const x = rt.x;
  const cap = Math.floor(m.scratchBytes / 32) * 32;
  const scratch = m.u8(m.scratch, cap);
  x.xxh64_init(st, seed);
  let fill = 0; // bytes in scratch not yet hashed
  let total = 0;
  for (const { from, to } of pieces) {
    const src = bytesOf(from);
    if (to !== undefined && to.length !== src.length) throw new RangeError(`hash64Pieces: a piece of ${src.length} bytes cannot be copied to ${to.length} bytes`);
    for (let at = 0; at < src.length; ) {
      const take = Math.min(cap - fill, src.length - at);
      scratch.set(src.subarray(at, at + take), fill);
      to?.set(scratch.subarray(fill, fill + take), at);
      fill += take;
      at += take;
      if (fill === cap) {
        x.xxh64_stripes(st, m.scratch, cap / 32);
        fill = 0;
      }
    }
    total += src.length;
  }
  const whole = fill - (fill % 32);
  if (whole > 0) x.xxh64_stripes(st, m.scratch, whole / 32);
  x.xxh64_final(st, m.scratch + whole, fill - whole, BigInt(total), seed);
  return digest(rt, st);
}
