// prod, any/all, and the Uint8 (boolean) kernels.
import { load1, load2, valid2 } from './lanes';

// Products are accumulated in f64 for every element type: Int32 products therefore saturate to
// +-Infinity instead of wrapping around like NumPy's int64 product.
// State (f64 at st): [0] running product.
// @ts-ignore: decorator
@inline function prodImpl<T>(p: usize, n: i32, st: usize, skipna: bool): void {
  const S = sizeof<T>();
  const one = f64x2.splat(1);
  let a0 = one, a1 = one, a2 = one, a3 = one;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = p + <usize>i * S;
    let x0 = load2<T>(q), x1 = load2<T>(q + 2 * S), x2 = load2<T>(q + 4 * S), x3 = load2<T>(q + 6 * S);
    if (skipna) {
      x0 = v128.bitselect(x0, one, valid2(x0)); x1 = v128.bitselect(x1, one, valid2(x1));
      x2 = v128.bitselect(x2, one, valid2(x2)); x3 = v128.bitselect(x3, one, valid2(x3));
    }
    a0 = f64x2.mul(a0, x0); a1 = f64x2.mul(a1, x1); a2 = f64x2.mul(a2, x2); a3 = f64x2.mul(a3, x3);
  }
  const a = f64x2.mul(f64x2.mul(a0, a1), f64x2.mul(a2, a3));
  let v = f64x2.extract_lane(a, 0) * f64x2.extract_lane(a, 1);
  for (; i < n; i++) {
    const x = load1<T>(p + <usize>i * S);
    if (!skipna || x == x) v *= x;
  }
  store<f64>(st, load<f64>(st) * v);
}

export function prod_f64(p: usize, n: i32, st: usize): void { prodImpl<f64>(p, n, st, false); }
export function prod_f32(p: usize, n: i32, st: usize): void { prodImpl<f32>(p, n, st, false); }
export function prod_i32(p: usize, n: i32, st: usize): void { prodImpl<i32>(p, n, st, false); }
export function nanprod_f64(p: usize, n: i32, st: usize): void { prodImpl<f64>(p, n, st, true); }
export function nanprod_f32(p: usize, n: i32, st: usize): void { prodImpl<f32>(p, n, st, true); }

// any: is some element non-zero (NaN counts as true, as in NumPy)? all: is every element non-zero?
// Both return early at the first group of 8 elements that decides the answer.
// @ts-ignore: decorator
@inline function anyImpl<T>(p: usize, n: i32, wantAll: bool): i32 {
  const S = sizeof<T>();
  const zero = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = p + <usize>i * S;
    const x0 = load2<T>(q), x1 = load2<T>(q + 2 * S), x2 = load2<T>(q + 4 * S), x3 = load2<T>(q + 6 * S);
    if (wantAll) {
      const z = v128.or(v128.or(f64x2.eq(x0, zero), f64x2.eq(x1, zero)), v128.or(f64x2.eq(x2, zero), f64x2.eq(x3, zero)));
      if (v128.any_true(z)) return 0;
    } else {
      const nz = v128.or(v128.or(f64x2.ne(x0, zero), f64x2.ne(x1, zero)), v128.or(f64x2.ne(x2, zero), f64x2.ne(x3, zero)));
      if (v128.any_true(nz)) return 1;
    }
  }
  for (; i < n; i++) {
    const x = load1<T>(p + <usize>i * S);
    if (wantAll) { if (x == 0) return 0; }
    else if (x != 0) return 1;
  }
  return wantAll ? 1 : 0;
}

export function any_f64(p: usize, n: i32): i32 { return anyImpl<f64>(p, n, false); }
export function all_f64(p: usize, n: i32): i32 { return anyImpl<f64>(p, n, true); }
export function any_f32(p: usize, n: i32): i32 { return anyImpl<f32>(p, n, false); }
export function all_f32(p: usize, n: i32): i32 { return anyImpl<f32>(p, n, true); }
export function any_i32(p: usize, n: i32): i32 { return anyImpl<i32>(p, n, false); }
export function all_i32(p: usize, n: i32): i32 { return anyImpl<i32>(p, n, true); }

/** Sum of bytes (count of true values for 0/1 booleans); exact for n < 2^24 per call. */
export function sum_u8(p: usize, n: i32): f64 {
  let acc = i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(v128.load(p + <usize>i))));
  }
  let s: u32 = <u32>(i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3));
  for (; i < n; i++) s += load<u8>(p + <usize>i);
  return <f64>s;
}

export function any_u8(p: usize, n: i32): i32 {
  let i = 0;
  for (; i + 64 <= n; i += 64) {
    const q = p + <usize>i;
    if (v128.any_true(v128.or(v128.or(v128.load(q), v128.load(q, 16)), v128.or(v128.load(q, 32), v128.load(q, 48))))) return 1;
  }
  for (; i < n; i++) if (load<u8>(p + <usize>i) != 0) return 1;
  return 0;
}

export function all_u8(p: usize, n: i32): i32 {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    if (!i8x16.all_true(v128.load(p + <usize>i))) return 0;
  }
  for (; i < n; i++) if (load<u8>(p + <usize>i) == 0) return 0;
  return 1;
}
