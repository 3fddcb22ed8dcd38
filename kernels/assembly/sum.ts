// Summation. Accuracy contract: at least as accurate as NumPy's pairwise summation.
// NumPy sums leaves of 128 elements with 8 interleaved accumulators (16 elements each, combined in a
// depth-3 tree) and combines leaves pairwise. We sum the same 128-element leaves with 8 f64 lanes
// combined by the same depth-3 tree, then add leaf sums with Neumaier compensation instead of a
// pairwise tree: the error of combining leaves no longer grows with log2(n).
//
// State (f64 slots at st): [0] sum, [1] compensation, [2] count of summed (non-NaN) elements.
// The kernel continues from the state, so the host can stream blocks through it.
import { LEAF, leafSum, tailSum, leafCount, countValid, roundingError } from './lanes';

// @ts-ignore: decorator
@inline function sumImpl<T>(p: usize, n: i32, st: usize, skipna: bool): void {
  const S = sizeof<T>();
  let s = load<f64>(st), c = load<f64>(st, 8);
  let cnt: i64 = 0;
  let i = 0;
  for (; i + LEAF <= n; i += LEAF) {
    const b = leafSum<T>(p + <usize>i * S, skipna);
    if (skipna) cnt += leafCount;
    const t = s + b;
    c += roundingError(s, b, t);
    s = t;
  }
  if (i < n) {
    const b = tailSum<T>(p + <usize>i * S, n - i, skipna);
    if (skipna) cnt += leafCount;
    const t = s + b;
    c += roundingError(s, b, t);
    s = t;
  }
  store<f64>(st, s);
  store<f64>(st, c, 8);
  store<f64>(st, load<f64>(st, 16) + <f64>(skipna ? cnt : <i64>n), 16);
}

export function sum_f64(p: usize, n: i32, st: usize): void { sumImpl<f64>(p, n, st, false); }
export function sum_f32(p: usize, n: i32, st: usize): void { sumImpl<f32>(p, n, st, false); }
export function sum_i32(p: usize, n: i32, st: usize): void { sumImpl<i32>(p, n, st, false); }
export function nansum_f64(p: usize, n: i32, st: usize): void { sumImpl<f64>(p, n, st, true); }
export function nansum_f32(p: usize, n: i32, st: usize): void { sumImpl<f32>(p, n, st, true); }

/** Non-NaN count, added to the f64 at st. */
export function count_f64(p: usize, n: i32, st: usize): void { store<f64>(st, load<f64>(st) + <f64>countValid<f64>(p, n)); }
export function count_f32(p: usize, n: i32, st: usize): void { store<f64>(st, load<f64>(st) + <f64>countValid<f32>(p, n)); }
