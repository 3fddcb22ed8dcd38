// exp and log1p in f64x2 lanes for the links of the GLM kernels, where the scalar Math.exp and
// Math.log1p (a call and data-dependent branches per value) cost more than the rest of the row.
// Both are accurate to a few ulp on the ranges the links need; neither handles NaN specially (the
// kernels refuse NaN scores before calling them).

const LOG2E: f64 = 1.4426950408889634;
// ln 2 split so that n · LN2_HI is exact for |n| < 2^11 (Cody and Waite's reduction).
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LN2: f64 = 0.6931471805599453;
/** 2^52 + 2^51: adding it rounds to an integer held in the low bits of the mantissa. */
const SHIFTER: f64 = 6755399441055744.0;
const SQRT2_M1: f64 = 0.41421356237309503;

/**
 * e^x for x <= 0. x = n ln2 + r with |r| <= ln2 / 2; e^r by its Taylor polynomial to degree 13
 * (the first term left out is below 2^-57 of the sum), times 2^n built in the exponent bits. Below
 * -708, where e^x is subnormal, it gives 0.
 */
// @ts-ignore: decorator
@inline export function expNonPositive2(x: v128): v128 {
  const small = f64x2.lt(x, f64x2.splat(-708));
  const xc = f64x2.max(x, f64x2.splat(-708));
  const t = f64x2.add(f64x2.mul(xc, f64x2.splat(LOG2E)), f64x2.splat(SHIFTER));
  const nf = f64x2.sub(t, f64x2.splat(SHIFTER));
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(nf, f64x2.splat(LN2_HI))), f64x2.mul(nf, f64x2.splat(LN2_LO)));
  // Estrin's scheme: pairs of terms, then r², r⁴, r⁸, so few steps depend on each other.
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const c01 = f64x2.add(f64x2.splat(1.0), r);
  const c23 = f64x2.add(f64x2.splat(1.0 / 2.0), f64x2.mul(r, f64x2.splat(1.0 / 6.0)));
  const c45 = f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, f64x2.splat(1.0 / 120.0)));
  const c67 = f64x2.add(f64x2.splat(1.0 / 720.0), f64x2.mul(r, f64x2.splat(1.0 / 5040.0)));
  const c89 = f64x2.add(f64x2.splat(1.0 / 40320.0), f64x2.mul(r, f64x2.splat(1.0 / 362880.0)));
  const cab = f64x2.add(f64x2.splat(1.0 / 3628800.0), f64x2.mul(r, f64x2.splat(1.0 / 39916800.0)));
  const ccd = f64x2.add(f64x2.splat(1.0 / 479001600.0), f64x2.mul(r, f64x2.splat(1.0 / 6227020800.0)));
  const lo = f64x2.add(f64x2.add(c01, f64x2.mul(c23, r2)), f64x2.mul(f64x2.add(c45, f64x2.mul(c67, r2)), r4));
  const hi = f64x2.add(f64x2.add(c89, f64x2.mul(cab, r2)), f64x2.mul(ccd, r4));
  const q = f64x2.add(lo, f64x2.mul(hi, r8));
  // n sits in the low bits of t: 2^n = (n + 1023) << 52, n in [-1022, 0].
  const n = i64x2.sub(t, f64x2.splat(SHIFTER));
  const scale = i64x2.shl(i64x2.add(n, i64x2.splat(1023)), 52);
  return v128.andnot(f64x2.mul(q, scale), small);
}

/**
 * log(1 + e) for e in [0, 1]. Below √2 - 1, f = e; above, log(1 + e) = ln2 + log(1 + f) with
 * f = (e - 1) / 2. Then log(1 + f) = 2 atanh(s) with s = f / (2 + f), which keeps the relative
 * precision of a tiny f (no 1 + f is rounded), and |s| <= 0.1716: the odd series of atanh to s^19
 * leaves out less than 2^-55 of the sum.
 */
// @ts-ignore: decorator
@inline export function log1pUnit2(e: v128): v128 {
  const up = f64x2.gt(e, f64x2.splat(SQRT2_M1));
  const f = v128.bitselect(f64x2.mul(f64x2.sub(e, f64x2.splat(1.0)), f64x2.splat(0.5)), e, up);
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const w = f64x2.mul(s, s);
  const w2 = f64x2.mul(w, w);
  const w4 = f64x2.mul(w2, w2);
  const w8 = f64x2.mul(w4, w4);
  // 1 + w/3 + w²/5 + ... + w⁹/19, by Estrin's scheme.
  const c01 = f64x2.add(f64x2.splat(1.0), f64x2.mul(w, f64x2.splat(1.0 / 3.0)));
  const c23 = f64x2.add(f64x2.splat(1.0 / 5.0), f64x2.mul(w, f64x2.splat(1.0 / 7.0)));
  const c45 = f64x2.add(f64x2.splat(1.0 / 9.0), f64x2.mul(w, f64x2.splat(1.0 / 11.0)));
  const c67 = f64x2.add(f64x2.splat(1.0 / 13.0), f64x2.mul(w, f64x2.splat(1.0 / 15.0)));
  const c89 = f64x2.add(f64x2.splat(1.0 / 17.0), f64x2.mul(w, f64x2.splat(1.0 / 19.0)));
  const lo = f64x2.add(f64x2.add(c01, f64x2.mul(c23, w2)), f64x2.mul(f64x2.add(c45, f64x2.mul(c67, w2)), w4));
  const series = f64x2.add(lo, f64x2.mul(c89, w8));
  const l = f64x2.mul(f64x2.add(s, s), series);
  return f64x2.add(l, v128.and(f64x2.splat(LN2), up));
}
