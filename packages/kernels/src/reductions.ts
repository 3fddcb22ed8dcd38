/**
 * Reductions over Float64Array, Float32Array and Int32Array (and Uint8Array for sum/any/all), run by
 * the WebAssembly kernels. Every function streams its input through `forBlocks`, so it works on
 * arrays anywhere, and in place on arrays in kernel memory.
 */
import type { KernelExports } from './exports.js';
import * as J from './js.js';
import type { ArgExtremum, Moments } from './partials.js';
import { forBlocks, state, type Runtime } from './runtime.js';
import { dtypeOf, type NumericArray } from './types.js';

type Unary = KernelExports['sum_f64'];

function unary(rt: Runtime, x: NumericArray, kernels: { f64: Unary; f32: Unary; i32: Unary }, init: readonly number[]): Float64Array {
  const k = kernels[dtypeOf(x)];
  const st = state(rt, init);
  forBlocks(rt, x, (p, n) => k(p, n, rt.mem.state));
  return st;
}

/** Compensated leaves: see kernels/assembly/sum.ts. */
function finishSum(s: number, c: number): number {
  // With an infinity or NaN in the input the compensation is meaningless (inf - inf); s is right.
  return Number.isFinite(s) ? s + c : s;
}

/**
 * Where plain JS wins (bench/compare.ts; README): float64 sum and prod of a JS-heap array too large
 * for the caches. Streaming it through linear memory adds a copy to a kernel that is memory-bound
 * anyway; below this size the copy hits the caches and the SIMD kernel wins. Every other reduction
 * measured faster in WASM, even with the copy. The JS sum has the kernel's leaves and compensation,
 * so both paths return identical bits.
 */
export const JS_SUM_MIN_LENGTH = 1 << 21;

export function sum(rt: Runtime, x: NumericArray): number {
  if (x instanceof Float64Array && x.length >= JS_SUM_MIN_LENGTH && !rt.mem.owns(x)) return J.sum(x);
  return sumWasm(rt, x);
}

/** The WASM path of `sum`, whatever the input (bench/compare.ts measures it against J.sum). */
export function sumWasm(rt: Runtime, x: NumericArray): number {
  const { x: e } = rt;
  const st = unary(rt, x, { f64: e.sum_f64, f32: e.sum_f32, i32: e.sum_i32 }, []);
  return finishSum(st[0], st[1]);
}

export function nansum(rt: Runtime, x: NumericArray): number {
  if (x instanceof Int32Array) return sum(rt, x);
  const { x: e } = rt;
  const st = unary(rt, x, { f64: e.nansum_f64, f32: e.nansum_f32, i32: e.sum_i32 }, []);
  return finishSum(st[0], st[1]);
}

/** Count of non-NaN elements. */
export function count(rt: Runtime, x: NumericArray): number {
  if (x instanceof Int32Array) return x.length;
  const { x: e } = rt;
  return unary(rt, x, { f64: e.count_f64, f32: e.count_f32, i32: e.count_f64 }, [])[0];
}

export function moments(rt: Runtime, x: NumericArray, skipna = false): Moments {
  const { x: e } = rt;
  const st =
    skipna && !(x instanceof Int32Array)
      ? unary(rt, x, { f64: e.nanmoments_f64, f32: e.nanmoments_f32, i32: e.moments_i32 }, [])
      : unary(rt, x, { f64: e.moments_f64, f32: e.moments_f32, i32: e.moments_i32 }, []);
  return { count: st[0], sum: finishSum(st[1], st[2]), m2: st[3] };
}

type Extreme = 'min' | 'max';

/** IEEE minimum/maximum (NaN propagates; -0 < +0). Empty input: RangeError, as NumPy. */
export function extreme(rt: Runtime, x: NumericArray, which: Extreme, skipna: boolean): number {
  if (x.length === 0) throw new RangeError(`${skipna ? 'nan' : ''}${which} of an empty array`);
  const { x: e } = rt;
  const init = which === 'min' ? Infinity : -Infinity;
  const kernels =
    which === 'min'
      ? skipna
        ? { f64: e.nanmin_f64, f32: e.nanmin_f32, i32: e.min_i32 }
        : { f64: e.min_f64, f32: e.min_f32, i32: e.min_i32 }
      : skipna
        ? { f64: e.nanmax_f64, f32: e.nanmax_f32, i32: e.max_i32 }
        : { f64: e.max_f64, f32: e.max_f32, i32: e.max_i32 };
  const st = unary(rt, x, kernels, [init, 0]);
  // st[1]: some element was not NaN; an all-NaN input has no nanmin (NumPy returns NaN too).
  return st[1] === 0 ? NaN : st[0];
}

/** The partial of argmin/argmax: value and global index (index + offset) of the first extreme. */
export function argExtreme(rt: Runtime, x: NumericArray, which: Extreme, skipna: boolean, offset = 0): ArgExtremum {
  const { x: e } = rt;
  const dt = dtypeOf(x);
  const table = {
    min: { f64: e.argmin_f64, f32: e.argmin_f32, i32: e.argmin_i32 },
    max: { f64: e.argmax_f64, f32: e.argmax_f32, i32: e.argmax_i32 },
    nanmin: { f64: e.nanargmin_f64, f32: e.nanargmin_f32, i32: e.argmin_i32 },
    nanmax: { f64: e.nanargmax_f64, f32: e.nanargmax_f32, i32: e.argmax_i32 },
  };
  const k = table[skipna ? (which === 'min' ? 'nanmin' : 'nanmax') : which][dt];
  const st = state(rt, [NaN, -1, 0]);
  forBlocks(rt, x, (p, n, start) => {
    k(p, n, start + offset, rt.mem.state);
    return st[2] === 0; // a NaN ended the search
  });
  return st[1] < 0 ? { value: NaN, index: -1 } : { value: st[0], index: st[1] };
}

export function prod(rt: Runtime, x: NumericArray, skipna: boolean): number {
  if (!skipna && x instanceof Float64Array && x.length >= JS_SUM_MIN_LENGTH && !rt.mem.owns(x)) return J.prod(x, false);
  return prodWasm(rt, x, skipna);
}

/** The WASM path of `prod`/`nanprod`. */
export function prodWasm(rt: Runtime, x: NumericArray, skipna: boolean): number {
  const { x: e } = rt;
  const kernels = skipna && !(x instanceof Int32Array)
    ? { f64: e.nanprod_f64, f32: e.nanprod_f32, i32: e.prod_i32 }
    : { f64: e.prod_f64, f32: e.prod_f32, i32: e.prod_i32 };
  return unary(rt, x, kernels, [1])[0];
}

export function anyAll(rt: Runtime, x: NumericArray | Uint8Array, wantAll: boolean): boolean {
  const { x: e } = rt;
  const k =
    x instanceof Uint8Array
      ? wantAll ? e.all_u8 : e.any_u8
      : { f64: wantAll ? e.all_f64 : e.any_f64, f32: wantAll ? e.all_f32 : e.any_f32, i32: wantAll ? e.all_i32 : e.any_i32 }[dtypeOf(x)];
  let result = wantAll;
  forBlocks(rt, x, (p, n) => {
    const r = k(p, n) !== 0;
    if (r !== wantAll) {
      result = r;
      return false;
    }
  });
  return result;
}

/** Sum of bytes (the number of true values of a 0/1 mask). */
export function sumBytes(rt: Runtime, x: Uint8Array): number {
  let s = 0;
  // forBlocks' blocks are far below the kernel's 2^24-element exactness bound.
  forBlocks(rt, x, (p, n) => {
    s += rt.x.sum_u8(p, n);
  });
  return s;
}
