/**
 * Snappy (raw format) decompression in kernel memory (kernels/assembly/snappy.ts): the codec of
 * most Parquet pages. The output stays in a buffer of the instance that every call reuses, so a
 * reader decoding page after page makes no garbage; it copies out what it keeps.
 */
import type { Runtime } from './runtime.js';

/** The decoder moves short runs 16 bytes at a time: this much room follows the input and the output. */
const SLACK = 16;

interface Area {
  ptr: number;
  inCap: number;
  outCap: number;
}

const areas = new WeakMap<Runtime, Area>();

const ERRORS: Record<number, string> = {
  [-1]: 'its stated length differs from the expected length',
  [-2]: 'the input ends inside an element',
  [-3]: 'a copy refers to bytes before the start of the output',
  [-4]: 'the output does not have the expected length',
};

/** This instance's reused area, large enough for `inLen` input and `outLen` output bytes. */
function area(rt: Runtime, inLen: number, outLen: number): Area {
  let a = areas.get(rt);
  if (a && a.inCap >= inLen && a.outCap >= outLen) return a;
  if (a) rt.mem.release(a.ptr);
  // Headroom of a quarter, so pages of slightly growing sizes do not reallocate each time.
  const inCap = Math.max(inLen, a?.inCap ?? 0) * 1.25 + 64;
  const outCap = Math.max(outLen, a?.outCap ?? 0) * 1.25 + 64;
  a = { ptr: 0, inCap: Math.ceil(inCap), outCap: Math.ceil(outCap) };
  a.ptr = rt.mem.alloc(a.inCap + a.outCap + 2 * SLACK);
  areas.set(rt, a);
  return a;
}

/**
 * The `length` bytes that the snappy block `input` decompresses to, as a view of kernel memory
 * that the next call (or a growth of the memory) overwrites: copy what you keep. Throws when the
 * block is malformed or does not decompress to exactly `length` bytes.
 */
export function snappyUncompress(rt: Runtime, input: Uint8Array, length: number): Uint8Array {
  if (!(input instanceof Uint8Array)) throw new TypeError('snappyUncompress: input must be a Uint8Array');
  if (!Number.isInteger(length) || length < 0 || length > 0x7fff_ffff) throw new RangeError(`snappyUncompress: length must be an integer from 0 to 2^31-1, got ${length}`);
  const a = area(rt, input.length, length);
  const out = a.ptr + a.inCap + SLACK;
  rt.mem.u8(a.ptr, input.length).set(input);
  const r = rt.x.snappy_uncompress(a.ptr, input.length, out, length);
  if (r !== length) throw new Error(`snappyUncompress: not a valid snappy block of ${length} bytes: ${ERRORS[r] ?? `error ${r}`}`);
  return rt.mem.u8(out, length);
}
