/**
 * The runtime value of one block: a plain object (it crosses worker threads by structured clone,
 * its buffer transferred or shared), C-ordered and contiguous.
 */
import type { KernelsMemory } from '@pdask/kernels';
import { alloc, int64ToFloat64, int64Words, numbersToInt64, type DType, type NumericArray, type TypedArray } from '../dtype';

export interface Block {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;
  /**
   * The shared kernel memory (runtime/arena.ts) that `data` lives in, when it does: the kernels of
   * any thread instantiated over it read `data` in place.
   */
  readonly mem?: KernelsMemory;
  /**
   * `mem` holds this block alone (runtime/block-memory.ts): only the thread that made it reads it
   * in place, and no thread frees it (the memory goes with its last view).
   */
  readonly alone?: boolean;
}

/**
 * The block's data copied out of the arena (for values that outlive the array they came from). A
 * block in a memory of its own stays: nothing frees that memory while the block is held.
 */
export function detach(b: Block): Block {
  return b.mem && !b.alone ? { dtype: b.dtype, shape: b.shape, data: b.data.slice() } : b;
}

/**
 * Elements moved between two arrays of ONE dtype (numbers, or bigints for int64, never mixed):
 * typed as a number array so that `dst[i] = src[i]` compiles for the union.
 */
type Same = Float64Array;
export const same = (a: TypedArray): Same => a as unknown as Same;

export const sizeOf = (shape: readonly number[]): number => {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
};

export function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i];
  }
  return st;
}

export function block(dtype: DType, shape: readonly number[], data: TypedArray): Block {
  return { dtype, shape: [...shape], data };
}

/**
 * Copies the region `[srcStart, srcStart + count)` of `src` into `dst` at `dstStart` (all per
 * dimension). The innermost dimension is copied as one `set` of a contiguous run.
 */
export function copyRegion(
  src: TypedArray,
  srcShape: readonly number[],
  srcStart: readonly number[],
  dst: TypedArray,
  dstShape: readonly number[],
  dstStart: readonly number[],
  count: readonly number[],
): void {
  const nd = count.length;
  if (nd === 0) {
    same(dst)[0] = same(src)[0];
    return;
  }
  if (count.some((c) => c === 0)) return;
  const ss = stridesOf(srcShape);
  const ds = stridesOf(dstShape);
  const inner = count[nd - 1];
  const idx = new Array<number>(nd - 1).fill(0);
  for (;;) {
    let so = srcStart[nd - 1];
    let doff = dstStart[nd - 1];
    for (let d = 0; d < nd - 1; d++) {
      so += (srcStart[d] + idx[d]) * ss[d];
      doff += (dstStart[d] + idx[d]) * ds[d];
    }
    if (inner === 1) same(dst)[doff] = same(src)[so];
    else same(dst).set(same(src).subarray(so, so + inner), doff);
    let d = nd - 2;
    while (d >= 0 && ++idx[d] === count[d]) idx[d--] = 0;
    if (d < 0) break;
  }
}

/** The block with its data broadcast (NumPy rules, aligned right) to `shape`, materialised. */
export function broadcastTo(b: Block, shape: readonly number[]): TypedArray {
  const n = sizeOf(shape);
  if (b.shape.length === shape.length && b.shape.every((s, i) => s === shape[i])) return b.data;
  const out = same(alloc(b.dtype, n));
  const data = same(b.data);
  if (b.data.length === 1) {
    out.fill(data[0]);
    return out;
  }
  const nd = shape.length;
  const pad = nd - b.shape.length;
  const inStrides = stridesOf(b.shape);
  // Effective stride per output dim: 0 where the input has size 1 or no dim.
  const st = new Array<number>(nd);
  for (let d = 0; d < nd; d++) {
    const k = d - pad;
    st[d] = k < 0 || b.shape[k] === 1 ? 0 : inStrides[k];
  }
  const idx = new Array<number>(nd).fill(0);
  let src = 0;
  for (let o = 0; o < n; o++) {
    out[o] = data[src];
    let d = nd - 1;
    while (d >= 0) {
      idx[d]++;
      src += st[d];
      if (idx[d] < shape[d]) break;
      src -= st[d] * idx[d];
      idx[d] = 0;
      d--;
    }
  }
  return out;
}

/** Permutes the axes of a block (a copy; identity permutations return the block). */
export function transposeBlock(b: Block, perm: readonly number[]): Block {
  const nd = perm.length;
  if (perm.every((p, i) => p === i)) return b;
  const shape = perm.map((p) => b.shape[p]);
  const n = b.data.length;
  const out = same(alloc(b.dtype, n));
  const data = same(b.data);
  const inSt = stridesOf(b.shape);
  const st = perm.map((p) => inSt[p]);
  const idx = new Array<number>(nd).fill(0);
  let src = 0;
  const last = nd - 1;
  const lastSt = st[last];
  const lastN = shape[last];
  for (let o = 0; o < n; ) {
    for (let j = 0, s = src; j < lastN; j++, s += lastSt) out[o++] = data[s];
    let d = last - 1;
    while (d >= 0) {
      idx[d]++;
      src += st[d];
      if (idx[d] < shape[d]) break;
      src -= st[d] * idx[d];
      idx[d] = 0;
      d--;
    }
    if (d < 0) break;
  }
  return { dtype: b.dtype, shape, data: out };
}

/** Casts the values of a typed array to a dtype (NumPy's astype with unsafe casting). */
export function castData(data: TypedArray, from: DType, to: DType): TypedArray {
  if (from === to) return data;
  const out = alloc(to, data.length);
  castInto(data, out, to);
  return out;
}

/**
 * Writes `src` cast to `to` into `out` (of `to`'s typed array, at least as long). Floats to integers
 * truncate toward zero (NaN becomes 0); int64 to int32/uint8 keeps the low bits, as NumPy's casts
 * wrap; int64 to float rounds to nearest.
 */
export function castInto(src: TypedArray, out: TypedArray, to: DType): void {
  const n = src.length;
  if (src instanceof BigInt64Array) {
    const w = int64Words(src);
    if (out instanceof BigInt64Array) out.set(src);
    else if (to === 'bool') for (let i = 0; i < n; i++) out[i] = w[2 * i] !== 0 || w[2 * i + 1] !== 0 ? 1 : 0;
    else if (to === 'int32' || to === 'uint8') for (let i = 0; i < n; i++) out[i] = w[2 * i];
    else if (out instanceof Float64Array) int64ToFloat64(src, out);
    else out.set(int64ToFloat64(src));
    return;
  }
  if (out instanceof BigInt64Array) {
    numbersToInt64(src, out);
    return;
  }
  const o = out as NumericArray;
  if (to === 'bool') {
    for (let i = 0; i < n; i++) o[i] = src[i] !== 0 ? 1 : 0; // NaN !== 0: true, as in NumPy
  } else if (to === 'int32') {
    // Truncation toward zero, as C casts do; NaN becomes 0; out of range gives INT32_MIN, as
    // NumPy's cast does on x86.
    for (let i = 0; i < n; i++) {
      const v = Math.trunc(src[i]) || 0;
      o[i] = v >= -2147483648 && v <= 2147483647 ? v : -2147483648;
    }
  } else if (to === 'uint8') {
    for (let i = 0; i < n; i++) o[i] = Math.trunc(src[i]) || 0;
  } else {
    o.set(src);
  }
}
