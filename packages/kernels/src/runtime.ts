/**
 * The instantiated module with its memory, and the one routine every kernel call goes through:
 * walking an input in blocks, in place when it lives in kernel memory and through the scratch area
 * when it lives on the JS heap.
 */
import type { KernelExports } from './exports.js';
import { KernelArray, KernelMemory } from './memory.js';
import type { KernelTypedArray } from './types.js';

export interface Runtime {
  readonly x: KernelExports;
  readonly mem: KernelMemory;
}

/** A typed array, or a KernelArray holding one in kernel memory. */
export type Input<T extends KernelTypedArray> = T | KernelArray<T>;

export function resolve<T extends KernelTypedArray>(a: Input<T>): T {
  return a instanceof KernelArray ? a.array : a;
}

/**
 * In-place inputs are still walked in blocks: V8 compiles a WebAssembly function with its baseline
 * compiler first and swaps in the optimised code only for later calls, so one call over 100M
 * elements would run entirely on baseline code. Blocks of 256K elements let the first large call
 * switch to optimised code after a few blocks.
 */
const IN_PLACE_BLOCK = 1 << 18;

/** The largest block forBlocks/forBlocks2 hand to `fn`, for elements of `bpe` bytes. */
export function maxBlock(rt: Runtime, bpe: number): number {
  return Math.max(IN_PLACE_BLOCK, Math.floor(rt.mem.scratchBytes / bpe));
}

/**
 * Calls `fn(ptr, n, start)` for consecutive blocks of `a` (start = index of the block's first
 * element), stopping early when fn returns false. Arrays on the JS heap are copied block by block
 * into the scratch area, which stays in L2 while the kernel reads it: the data crosses memory once,
 * not twice as when a whole array is copied in first.
 */
export function forBlocks(rt: Runtime, a: KernelTypedArray, fn: (ptr: number, n: number, start: number) => boolean | void): void {
  const n = a.length;
  const bpe = a.BYTES_PER_ELEMENT;
  if (rt.mem.owns(a)) {
    // Read the address now: if fn grows the memory, `a` is detached and its byteOffset becomes 0.
    const base = a.byteOffset;
    for (let s = 0; s < n; s += IN_PLACE_BLOCK) {
      if (fn(base + s * bpe, Math.min(IN_PLACE_BLOCK, n - s), s) === false) return;
    }
    return;
  }
  const cap = Math.floor(rt.mem.scratchBytes / bpe);
  const ptr = rt.mem.scratch;
  const Ctor = a.constructor as new (b: ArrayBuffer, o: number, l: number) => KernelTypedArray;
  for (let s = 0; s < n; s += cap) {
    const m = Math.min(cap, n - s);
    (new Ctor(rt.mem.buffer, ptr, m) as Float64Array).set(a.subarray(s, s + m) as Float64Array);
    if (fn(ptr, m, s) === false) return;
  }
}

/**
 * Two aligned inputs (group-by keys and values) walked together: in place when both live in kernel
 * memory, otherwise both copied block by block into the two halves of the scratch area.
 */
export function forBlocks2(
  rt: Runtime,
  a: KernelTypedArray,
  b: KernelTypedArray,
  fn: (pa: number, pb: number, n: number, start: number) => void,
): void {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`length mismatch: ${n} keys, ${b.length} values`);
  const ownA = rt.mem.owns(a);
  const ownB = rt.mem.owns(b);
  const baseA = a.byteOffset;
  const baseB = b.byteOffset;
  const bpeA = a.BYTES_PER_ELEMENT;
  const bpeB = b.BYTES_PER_ELEMENT;
  if (ownA && ownB) {
    for (let s = 0; s < n; s += IN_PLACE_BLOCK) {
      const m = Math.min(IN_PLACE_BLOCK, n - s);
      fn(baseA + s * bpeA, baseB + s * bpeB, m, s);
    }
    return;
  }
  const cap = Math.floor(rt.mem.scratchBytes / (bpeA + bpeB) / 16) * 16;
  const pa = rt.mem.scratch;
  const pb = pa + cap * bpeA;
  const CA = a.constructor as new (buf: ArrayBuffer, o: number, l: number) => KernelTypedArray;
  const CB = b.constructor as new (buf: ArrayBuffer, o: number, l: number) => KernelTypedArray;
  for (let s = 0; s < n; s += cap) {
    const m = Math.min(cap, n - s);
    const buf = rt.mem.buffer;
    if (!ownA) (new CA(buf, pa, m) as Float64Array).set(a.subarray(s, s + m) as Float64Array);
    if (!ownB) (new CB(buf, pb, m) as Float64Array).set(b.subarray(s, s + m) as Float64Array);
    fn(ownA ? baseA + s * bpeA : pa, ownB ? baseB + s * bpeB : pb, m, s);
  }
}

/** The f64 kernel-state slots (8 of them), zeroed. */
export function state(rt: Runtime, init: readonly number[] = []): Float64Array {
  const st = rt.mem.f64(rt.mem.state, 8);
  st.fill(0);
  for (let i = 0; i < init.length; i++) st[i] = init[i];
  return st;
}
