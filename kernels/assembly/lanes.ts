// Element access shared by every kernel. Each kernel is generic over the element type T (f64, f32,
// i32) and works in f64 lanes: f32 and i32 widen exactly to f64, so one implementation covers all
// three with double-precision accumulation (more accurate than NumPy's float32 accumulation).

/** Loads elements p[0], p[1] of type T as an f64x2. */
// @ts-ignore: decorator
@inline export function load2<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load(p);
  if (isFloat<T>()) return f64x2.promote_low_f32x4(v128.load64_zero(p));
  return f64x2.convert_low_i32x4_s(v128.load64_zero(p));
}

/** Loads element p[0] of type T as f64. */
// @ts-ignore: decorator
@inline export function load1<T>(p: usize): f64 {
  return <f64>load<T>(p);
}

/** All-ones lanes where v is not NaN. */
// @ts-ignore: decorator
@inline export function valid2(v: v128): v128 {
  return f64x2.eq(v, v);
}

/** Horizontal sum of an f64x2. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** The rounding error of t = s + b, which Neumaier's compensated sum adds to its compensation. */
// @ts-ignore: decorator
@inline export function roundingError(s: f64, b: f64, t: f64): f64 {
  return Math.abs(s) >= Math.abs(b) ? (s - t) + b : (b - t) + s;
}

// Leaves: summation is organised in leaves of LEAF elements (see sum.ts for the accuracy argument).
export const LEAF: i32 = 128;

/** Non-NaN elements seen by the last leafSum/tailSum call with skipna (valid lanes counted there,
 * while the leaf is in registers, rather than in a second pass). */
export let leafCount: i64 = 0;

/** Sum of one leaf of LEAF elements (8 lanes x 16). */
// @ts-ignore: decorator
@inline export function leafSum<T>(p: usize, skipna: bool): f64 {
  const S = sizeof<T>();
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  if (!skipna) {
    for (let o: usize = 0; o < <usize>LEAF * S; o += 8 * S) {
      a0 = f64x2.add(a0, load2<T>(p + o));
      a1 = f64x2.add(a1, load2<T>(p + o + 2 * S));
      a2 = f64x2.add(a2, load2<T>(p + o + 4 * S));
      a3 = f64x2.add(a3, load2<T>(p + o + 6 * S));
    }
  } else {
    let c0 = i64x2.splat(0), c1 = i64x2.splat(0);
    for (let o: usize = 0; o < <usize>LEAF * S; o += 8 * S) {
      const x0 = load2<T>(p + o), x1 = load2<T>(p + o + 2 * S);
      const x2 = load2<T>(p + o + 4 * S), x3 = load2<T>(p + o + 6 * S);
      const m0 = valid2(x0), m1 = valid2(x1), m2 = valid2(x2), m3 = valid2(x3);
      a0 = f64x2.add(a0, v128.and(x0, m0));
      a1 = f64x2.add(a1, v128.and(x1, m1));
      a2 = f64x2.add(a2, v128.and(x2, m2));
      a3 = f64x2.add(a3, v128.and(x3, m3));
      // A valid lane's mask is -1: subtracting it counts the lane.
      c0 = i64x2.sub(i64x2.sub(c0, m0), m1);
      c1 = i64x2.sub(i64x2.sub(c1, m2), m3);
    }
    const c = i64x2.add(c0, c1);
    leafCount = i64x2.extract_lane(c, 0) + i64x2.extract_lane(c, 1);
  }
  return hsum(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)));
}

/** Sum of a partial leaf of r < LEAF elements, with the same 8-lane shape. */
// @ts-ignore: decorator
@inline export function tailSum<T>(p: usize, r: i32, skipna: bool): f64 {
  const S = sizeof<T>();
  // Lanes as in leafSum; the tail is short, so scalar lanes cost nothing measurable.
  let a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, a4 = 0.0, a5 = 0.0, a6 = 0.0, a7 = 0.0;
  let cnt: i64 = 0;
  let i = 0;
  for (; i + 8 <= r; i += 8) {
    const q = p + <usize>i * S;
    let x0 = load1<T>(q), x1 = load1<T>(q + S), x2 = load1<T>(q + 2 * S), x3 = load1<T>(q + 3 * S);
    let x4 = load1<T>(q + 4 * S), x5 = load1<T>(q + 5 * S), x6 = load1<T>(q + 6 * S), x7 = load1<T>(q + 7 * S);
    if (skipna) {
      cnt += <i64>(x0 == x0) + <i64>(x1 == x1) + <i64>(x2 == x2) + <i64>(x3 == x3) +
        <i64>(x4 == x4) + <i64>(x5 == x5) + <i64>(x6 == x6) + <i64>(x7 == x7);
      x0 = x0 == x0 ? x0 : 0; x1 = x1 == x1 ? x1 : 0; x2 = x2 == x2 ? x2 : 0; x3 = x3 == x3 ? x3 : 0;
      x4 = x4 == x4 ? x4 : 0; x5 = x5 == x5 ? x5 : 0; x6 = x6 == x6 ? x6 : 0; x7 = x7 == x7 ? x7 : 0;
    }
    a0 += x0; a1 += x1; a2 += x2; a3 += x3; a4 += x4; a5 += x5; a6 += x6; a7 += x7;
  }
  let s = ((a0 + a2) + (a4 + a6)) + ((a1 + a3) + (a5 + a7));
  for (; i < r; i++) {
    const x = load1<T>(p + <usize>i * S);
    if (!skipna) s += x;
    else if (x == x) { s += x; cnt++; }
  }
  leafCount = cnt;
  return s;
}

/** Count of non-NaN elements in [p, p + r). */
// @ts-ignore: decorator
@inline export function countValid<T>(p: usize, r: i32): i64 {
  if (isInteger<T>()) return r;
  const S = sizeof<T>();
  let c0 = i64x2.splat(0), c1 = i64x2.splat(0);
  let i = 0;
  for (; i + 4 <= r; i += 4) {
    const q = p + <usize>i * S;
    // eq yields -1 per valid lane: subtracting counts it.
    c0 = i64x2.sub(c0, valid2(load2<T>(q)));
    c1 = i64x2.sub(c1, valid2(load2<T>(q + 2 * S)));
  }
  const c = i64x2.add(c0, c1);
  let n = i64x2.extract_lane(c, 0) + i64x2.extract_lane(c, 1);
  for (; i < r; i++) {
    const x = load1<T>(p + <usize>i * S);
    if (x == x) n++;
  }
  return n;
}

