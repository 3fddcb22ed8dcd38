// Mean and variance in one pass over memory: each 128-element leaf is summed (as in sum.ts), its
// squared deviations from the leaf mean are summed while the leaf is still in L1, and the leaf's
// (count, sum, M2) is merged into the running moments with Chan et al.'s pairwise update. This is
// the textbook-stable two-pass algorithm applied per leaf, so large offsets (1e9 + small noise) lose
// nothing, without reading the input twice from memory.
//
// State (f64 slots at st): [0] count, [1] sum, [2] sum compensation, [3] M2.
import { LEAF, leafSum, tailSum, leafCount, load1, load2, valid2, hsum, roundingError } from './lanes';

/** Sum of squared deviations from m over r elements (r a multiple of 8 for the SIMD part). */
// @ts-ignore: decorator
@inline function sqdev<T>(p: usize, r: i32, m: f64, skipna: bool): f64 {
  const S = sizeof<T>();
  const mv = f64x2.splat(m);
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= r; i += 8) {
    const q = p + <usize>i * S;
    const x0 = load2<T>(q), x1 = load2<T>(q + 2 * S), x2 = load2<T>(q + 4 * S), x3 = load2<T>(q + 6 * S);
    let d0 = f64x2.sub(x0, mv), d1 = f64x2.sub(x1, mv), d2 = f64x2.sub(x2, mv), d3 = f64x2.sub(x3, mv);
    if (skipna) {
      // Mask by the input, not the deviation: inf - inf is NaN and must stay NaN.
      d0 = v128.and(d0, valid2(x0)); d1 = v128.and(d1, valid2(x1));
      d2 = v128.and(d2, valid2(x2)); d3 = v128.and(d3, valid2(x3));
    }
    a0 = f64x2.add(a0, f64x2.mul(d0, d0));
    a1 = f64x2.add(a1, f64x2.mul(d1, d1));
    a2 = f64x2.add(a2, f64x2.mul(d2, d2));
    a3 = f64x2.add(a3, f64x2.mul(d3, d3));
  }
  let s = hsum(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)));
  for (; i < r; i++) {
    const x = load1<T>(p + <usize>i * S);
    const d = x - m;
    if (!skipna || x == x) s += d * d;
  }
  return s;
}

// @ts-ignore: decorator
@inline function momentsImpl<T>(p: usize, n: i32, st: usize, skipna: bool): void {
  const S = sizeof<T>();
  let cnt = load<f64>(st), s = load<f64>(st, 8), c = load<f64>(st, 16), m2 = load<f64>(st, 24);
  for (let i = 0; i < n; i += LEAF) {
    const r = min(LEAF, n - i);
    const q = p + <usize>i * S;
    const b = r == LEAF ? leafSum<T>(q, skipna) : tailSum<T>(q, r, skipna);
    const nb: f64 = skipna ? <f64>leafCount : <f64>r;
    if (nb == 0) continue;
    const mb = b / nb;
    const m2b = sqdev<T>(q, r, mb, skipna);
    if (cnt == 0) {
      m2 = m2b;
    } else {
      const delta = mb - (s + c) / cnt;
      m2 += m2b + delta * delta * (cnt * nb / (cnt + nb));
    }
    cnt += nb;
    const t = s + b;
    c += roundingError(s, b, t);
    s = t;
  }
  store<f64>(st, cnt);
  store<f64>(st, s, 8);
  store<f64>(st, c, 16);
  store<f64>(st, m2, 24);
}

export function moments_f64(p: usize, n: i32, st: usize): void { momentsImpl<f64>(p, n, st, false); }
export function moments_f32(p: usize, n: i32, st: usize): void { momentsImpl<f32>(p, n, st, false); }
export function moments_i32(p: usize, n: i32, st: usize): void { momentsImpl<i32>(p, n, st, false); }
export function nanmoments_f64(p: usize, n: i32, st: usize): void { momentsImpl<f64>(p, n, st, true); }
export function nanmoments_f32(p: usize, n: i32, st: usize): void { momentsImpl<f32>(p, n, st, true); }
