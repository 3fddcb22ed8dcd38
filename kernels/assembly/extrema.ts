// min/max and argmin/argmax.
//
// min/max follow IEEE 754-2019 minimum/maximum (WebAssembly's f64.min): NaN propagates and -0 < +0,
// so the result does not depend on element order. The nan* variants replace NaN with the identity
// (+inf for min) before the same operation.
//
// argmin/argmax follow NumPy: the first index of the extreme value under `<` (so +0 and -0 tie and
// the first wins), and, without skipna, the first NaN if there is one. They work per block: the
// block's extreme is found with SIMD, and only a block that improves on the running best is scanned
// again (while it is in L1) for the first matching index.
//
// min/max state (f64 at st): [0] running value, [1] 1 if any non-NaN element was seen.
// arg state: [0] value, [1] index (-1: none yet), [2] 1 when a NaN ended the search.
import { load1, load2, valid2 } from './lanes';

// @ts-ignore: decorator
@inline function pick(a: v128, b: v128, isMax: bool): v128 {
  return isMax ? f64x2.max(a, b) : f64x2.min(a, b);
}

/** Extreme of r elements; NaN-propagating unless skipna. Sets anyValid. */
let anyValid: bool = false;
// @ts-ignore: decorator
@inline function extreme<T>(p: usize, r: i32, isMax: bool, skipna: bool): f64 {
  const S = sizeof<T>();
  const idv: f64 = isMax ? -Infinity : Infinity;
  const id = f64x2.splat(idv);
  let a0 = id, a1 = id, a2 = id, a3 = id;
  let seen = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= r; i += 8) {
    const q = p + <usize>i * S;
    let x0 = load2<T>(q), x1 = load2<T>(q + 2 * S), x2 = load2<T>(q + 4 * S), x3 = load2<T>(q + 6 * S);
    if (skipna && isFloat<T>()) {
      const m0 = valid2(x0), m1 = valid2(x1), m2 = valid2(x2), m3 = valid2(x3);
      seen = v128.or(seen, v128.or(v128.or(m0, m1), v128.or(m2, m3)));
      x0 = v128.bitselect(x0, id, m0); x1 = v128.bitselect(x1, id, m1);
      x2 = v128.bitselect(x2, id, m2); x3 = v128.bitselect(x3, id, m3);
    }
    a0 = pick(a0, x0, isMax); a1 = pick(a1, x1, isMax);
    a2 = pick(a2, x2, isMax); a3 = pick(a3, x3, isMax);
  }
  const a = pick(pick(a0, a1, isMax), pick(a2, a3, isMax), isMax);
  let v = isMax ? max(f64x2.extract_lane(a, 0), f64x2.extract_lane(a, 1)) : min(f64x2.extract_lane(a, 0), f64x2.extract_lane(a, 1));
  let any = !skipna || !isFloat<T>() ? r > 0 : v128.any_true(seen);
  for (; i < r; i++) {
    const x = load1<T>(p + <usize>i * S);
    if (skipna && x != x) continue;
    any = true;
    v = isMax ? max(v, x) : min(v, x);
  }
  anyValid = any;
  return v;
}

// @ts-ignore: decorator
@inline function extremeImpl<T>(p: usize, n: i32, st: usize, isMax: bool, skipna: bool): void {
  const v = extreme<T>(p, n, isMax, skipna);
  const cur = load<f64>(st);
  store<f64>(st, isMax ? max(cur, v) : min(cur, v));
  if (anyValid) store<f64>(st, 1, 8);
}

export function min_f64(p: usize, n: i32, st: usize): void { extremeImpl<f64>(p, n, st, false, false); }
export function max_f64(p: usize, n: i32, st: usize): void { extremeImpl<f64>(p, n, st, true, false); }
export function nanmin_f64(p: usize, n: i32, st: usize): void { extremeImpl<f64>(p, n, st, false, true); }
export function nanmax_f64(p: usize, n: i32, st: usize): void { extremeImpl<f64>(p, n, st, true, true); }
export function min_f32(p: usize, n: i32, st: usize): void { extremeImpl<f32>(p, n, st, false, false); }
export function max_f32(p: usize, n: i32, st: usize): void { extremeImpl<f32>(p, n, st, true, false); }
export function nanmin_f32(p: usize, n: i32, st: usize): void { extremeImpl<f32>(p, n, st, false, true); }
export function nanmax_f32(p: usize, n: i32, st: usize): void { extremeImpl<f32>(p, n, st, true, true); }
export function min_i32(p: usize, n: i32, st: usize): void { extremeImpl<i32>(p, n, st, false, false); }
export function max_i32(p: usize, n: i32, st: usize): void { extremeImpl<i32>(p, n, st, true, false); }

const ARG_BLOCK: i32 = 1024;

// @ts-ignore: decorator
@inline function argImpl<T>(p: usize, n: i32, base: f64, st: usize, isMax: bool, skipna: bool): void {
  const S = sizeof<T>();
  if (load<f64>(st, 16) != 0) return;
  let best = load<f64>(st), bestIdx = load<f64>(st, 8);
  for (let i = 0; i < n; i += ARG_BLOCK) {
    const r = min(ARG_BLOCK, n - i);
    const q = p + <usize>i * S;
    const v = extreme<T>(q, r, isMax, skipna);
    if (v != v) {
      // Only reachable without skipna: the first NaN is the answer (NumPy).
      for (let j = 0; j < r; j++) {
        const x = load1<T>(q + <usize>j * S);
        if (x != x) { best = x; bestIdx = base + <f64>(i + j); break; }
      }
      store<f64>(st, 1, 16);
      break;
    }
    if (!anyValid) continue;
    if (bestIdx < 0 || (isMax ? v > best : v < best)) {
      for (let j = 0; j < r; j++) {
        const x = load1<T>(q + <usize>j * S);
        if (x == v) { best = x; bestIdx = base + <f64>(i + j); break; }
      }
    }
  }
  store<f64>(st, best);
  store<f64>(st, bestIdx, 8);
}

export function argmin_f64(p: usize, n: i32, base: f64, st: usize): void { argImpl<f64>(p, n, base, st, false, false); }
export function argmax_f64(p: usize, n: i32, base: f64, st: usize): void { argImpl<f64>(p, n, base, st, true, false); }
export function nanargmin_f64(p: usize, n: i32, base: f64, st: usize): void { argImpl<f64>(p, n, base, st, false, true); }
export function nanargmax_f64(p: usize, n: i32, base: f64, st: usize): void { argImpl<f64>(p, n, base, st, true, true); }
export function argmin_f32(p: usize, n: i32, base: f64, st: usize): void { argImpl<f32>(p, n, base, st, false, false); }
export function argmax_f32(p: usize, n: i32, base: f64, st: usize): void { argImpl<f32>(p, n, base, st, true, false); }
export function nanargmin_f32(p: usize, n: i32, base: f64, st: usize): void { argImpl<f32>(p, n, base, st, false, true); }
export function nanargmax_f32(p: usize, n: i32, base: f64, st: usize): void { argImpl<f32>(p, n, base, st, true, true); }
export function argmin_i32(p: usize, n: i32, base: f64, st: usize): void { argImpl<i32>(p, n, base, st, false, false); }
export function argmax_i32(p: usize, n: i32, base: f64, st: usize): void { argImpl<i32>(p, n, base, st, true, false); }
