// One Lloyd step of k-means over a row-major block X (n x d float64): each row's nearest center,
// and per-cluster sums and counts of the rows (the partial that tree reductions add up), plus the
// inertia.
//
// The nearest center is the argmin over j of the expanded score K_j − 2 x·(c_j − m), which is
// ‖x − c_j‖² less ‖x − m‖² (the same for every center of a row): one multiply and one add per
// term instead of a subtraction, a multiply and an add. m is the first center, so that data far
// from the origin loses no precision (the products are x · (c_j − m), with c_j − m of the size of
// the clusters' spread) and integer data with integer centers gives exact scores (real ties stay
// ties). Centers come transposed and padded (ct: d x kp of −2(c_j − m), kp = k rounded up to
// even): lane pairs of f64x2 hold two centers, one splat of x[t] serves them all, two rows share
// every center load, and up to eight centers are summed per sweep.
//
// The distance of a row to the center it gets (the inertia, the k-means++ weights) is computed
// exactly, Σ_t (x_t − c_t)² in t order, the same bits as a plain loop; callers that need neither
// skip it. Semantics: the label is the lowest index among the smallest scores; a NaN score never
// wins; a row with no score below +Infinity (a NaN row) gets label 0, and its distance is its
// distance to center 0 (NaN). Scores round like any dot product, so two centers whose distances
// differ by less than that rounding (≈ 2^-52 · ‖x − m‖ · ‖c − m‖) may be told apart either way.

/** Per-row choices of the last nearestPair: AssemblyScript returns one value only. */
let labA: i32 = 0;
let labB: i32 = 0;

/**
 * Lowest index (0..7) among the least of eight scores held pairwise in s0..s3 (lane 0 the even
 * center), or -1 when none is below +Infinity. pmin keeps its first operand unless the second is
 * smaller, so folding from +Infinity never takes a NaN.
 */
// @ts-ignore: decorator
@inline function pick8(s0: v128, s1: v128, s2: v128, s3: v128, best: f64): i32 {
  let m = f64x2.pmin(f64x2.splat(best), s0);
  m = f64x2.pmin(m, s1);
  m = f64x2.pmin(m, s2);
  m = f64x2.pmin(m, s3);
  const lo = f64x2.extract_lane(m, 0), hi = f64x2.extract_lane(m, 1);
  const v = select<f64>(hi, lo, hi < lo);
  if (!(v < best)) return -1;
  scoreOut = v;
  const b = f64x2.splat(v);
  const bits = i64x2.bitmask(f64x2.eq(s0, b)) | (i64x2.bitmask(f64x2.eq(s1, b)) << 2)
    | (i64x2.bitmask(f64x2.eq(s2, b)) << 4) | (i64x2.bitmask(f64x2.eq(s3, b)) << 6);
  return ctz(bits);
}

/** The least score pick8 found (when it returned an index). */
let scoreOut: f64 = Infinity;

const NONE = f64x2.splat(Infinity);

/** Nearest centers of rows A (at pa) and B (at pb) into labA, labB. kn holds K_j (kp values; NaN for the padding center). */
function nearestPair(pa: usize, pb: usize, ct: usize, kn: usize, d: i32, kp: i32): void {
  const rowBytes = <usize>kp << 3;
  let bestA = Infinity, bestB = Infinity;
  let la = 0, lb = 0;
  let j = 0;
  for (; j + 8 <= kp; j += 8) {
    const qn = kn + (<usize>j << 3);
    let a0 = v128.load(qn), a1 = v128.load(qn, 16), a2 = v128.load(qn, 32), a3 = v128.load(qn, 48);
    let b0 = a0, b1 = a1, b2 = a2, b3 = a3;
    let q = ct + (<usize>j << 3);
    for (let t = 0; t < d; t++, q += rowBytes) {
      const xa = v128.load64_splat(pa + (<usize>t << 3));
      const xb = v128.load64_splat(pb + (<usize>t << 3));
      const c0 = v128.load(q), c1 = v128.load(q, 16), c2 = v128.load(q, 32), c3 = v128.load(q, 48);
      a0 = f64x2.add(a0, f64x2.mul(xa, c0)); a1 = f64x2.add(a1, f64x2.mul(xa, c1));
      a2 = f64x2.add(a2, f64x2.mul(xa, c2)); a3 = f64x2.add(a3, f64x2.mul(xa, c3));
      b0 = f64x2.add(b0, f64x2.mul(xb, c0)); b1 = f64x2.add(b1, f64x2.mul(xb, c1));
      b2 = f64x2.add(b2, f64x2.mul(xb, c2)); b3 = f64x2.add(b3, f64x2.mul(xb, c3));
    }
    let p = pick8(a0, a1, a2, a3, bestA);
    if (p >= 0) { bestA = scoreOut; la = j + p; }
    p = pick8(b0, b1, b2, b3, bestB);
    if (p >= 0) { bestB = scoreOut; lb = j + p; }
  }
  for (; j + 4 <= kp; j += 4) {
    const qn = kn + (<usize>j << 3);
    let a0 = v128.load(qn), a1 = v128.load(qn, 16);
    let b0 = a0, b1 = a1;
    let q = ct + (<usize>j << 3);
    for (let t = 0; t < d; t++, q += rowBytes) {
      const xa = v128.load64_splat(pa + (<usize>t << 3));
      const xb = v128.load64_splat(pb + (<usize>t << 3));
      const c0 = v128.load(q), c1 = v128.load(q, 16);
      a0 = f64x2.add(a0, f64x2.mul(xa, c0)); a1 = f64x2.add(a1, f64x2.mul(xa, c1));
      b0 = f64x2.add(b0, f64x2.mul(xb, c0)); b1 = f64x2.add(b1, f64x2.mul(xb, c1));
    }
    let p = pick8(a0, a1, NONE, NONE, bestA);
    if (p >= 0) { bestA = scoreOut; la = j + p; }
    p = pick8(b0, b1, NONE, NONE, bestB);
    if (p >= 0) { bestB = scoreOut; lb = j + p; }
  }
  for (; j < kp; j += 2) {
    let a0 = v128.load(kn + (<usize>j << 3));
    let b0 = a0;
    let q = ct + (<usize>j << 3);
    for (let t = 0; t < d; t++, q += rowBytes) {
      const c0 = v128.load(q);
      a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(pa + (<usize>t << 3)), c0));
      b0 = f64x2.add(b0, f64x2.mul(v128.load64_splat(pb + (<usize>t << 3)), c0));
    }
    let p = pick8(a0, NONE, NONE, NONE, bestA);
    if (p >= 0) { bestA = scoreOut; la = j + p; }
    p = pick8(b0, NONE, NONE, NONE, bestB);
    if (p >= 0) { bestB = scoreOut; lb = j + p; }
  }
  labA = la;
  labB = lb;
}

/** Σ_t (x_t − c_t)² of rows A and B to their centers, in t order (lane 0 row A, lane 1 row B). */
// @ts-ignore: decorator
@inline function exactPair(pa: usize, pb: usize, ca: usize, cb: usize, d: i32): v128 {
  let s = f64x2.splat(0);
  for (let t = 0; t < d; t++) {
    const o = <usize>t << 3;
    const e = f64x2.sub(v128.load64_lane(pb + o, v128.load64_zero(pa + o), 1), v128.load64_lane(cb + o, v128.load64_zero(ca + o), 1));
    s = f64x2.add(s, f64x2.mul(e, e));
  }
  return s;
}

/** sums[l] += row (d values), counts[l] += 1. */
// @ts-ignore: decorator
@inline function accumulate(px: usize, l: i32, d: i32, psums: usize, pcounts: usize): void {
  const ps = psums + (<usize>l * <usize>d << 3);
  let t = 0;
  for (; t + 2 <= d; t += 2) {
    const o = <usize>t << 3;
    v128.store(ps + o, f64x2.add(v128.load(ps + o), v128.load(px + o)));
  }
  if (t < d) {
    const o = <usize>t << 3;
    store<f64>(ps + o, load<f64>(ps + o) + load<f64>(px + o));
  }
  const pc = pcounts + (<usize>l << 3);
  store<f64>(pc, load<f64>(pc) + 1.0);
}

/**
 * One Lloyd step over n rows at px (n x d, row-major): ct (d x kp, kp even) holds −2(c_j − m)
 * transposed, kn the kp offsets K_j = ‖c_j − m‖² + 2 m·(c_j − m) (NaN for the padding center of
 * an odd k), cr the k x d centers row-major. Adds each row to sums (k x d) and counts (k) of its
 * cluster unless psums is 0; writes labels (i32) and distances (f64) when their pointers are not
 * 0; adds the inertia to the f64 state slot st[0] when `exact` is not 0 (distances imply it).
 */
export function lloyd_f64(px: usize, n: i32, d: i32, ct: usize, kn: usize, cr: usize, kp: i32, psums: usize, pcounts: usize,
  plabels: usize, pdist: usize, exact: i32, st: usize): void {
  const rowBytes = <usize>d << 3;
  const withDist = exact != 0 || pdist != 0;
  let inertia = f64x2.splat(0);
  for (let i = 0; i < n; i += 2) {
    const pa = px + <usize>i * rowBytes;
    // An odd last row is paired with itself and counted once.
    const two = i + 1 < n;
    const pb = two ? pa + rowBytes : pa;
    nearestPair(pa, pb, ct, kn, d, kp);
    const la = labA, lb = labB;
    if (withDist) {
      let s = exactPair(pa, pb, cr + <usize>la * rowBytes, cr + <usize>lb * rowBytes, d);
      if (!two) s = f64x2.replace_lane(s, 1, 0.0);
      inertia = f64x2.add(inertia, s);
      if (pdist) {
        store<f64>(pdist + (<usize>i << 3), f64x2.extract_lane(s, 0));
        if (two) store<f64>(pdist + (<usize>i << 3), f64x2.extract_lane(s, 1), 8);
      }
    }
    if (psums) {
      accumulate(pa, la, d, psums, pcounts);
      if (two) accumulate(pb, lb, d, psums, pcounts);
    }
    if (plabels) {
      store<i32>(plabels + (<usize>i << 2), la);
      if (two) store<i32>(plabels + (<usize>i << 2), lb, 4);
    }
  }
  store<f64>(st, load<f64>(st) + f64x2.extract_lane(inertia, 0) + f64x2.extract_lane(inertia, 1));
}

/**
 * k-means++ weights kept from draw to draw: out[i] = min(in[i], min over the m centers at pc
 * (m x d, row-major) of Σ_t (x_t − c_t)²), centers folded in order. Each distance is exact and
 * computed as in lloyd_f64 (t order), and min is exact, so folding centers one draw at a time or
 * all at once from +Infinity gives the same bits. A NaN distance makes the row's NaN for good
 * (whatever the order). in and out may be the same address.
 */
export function closest_f64(px: usize, n: i32, d: i32, pc: usize, m: i32, pin: usize, pout: usize): void {
  const rowBytes = <usize>d << 3;
  for (let i = 0; i < n; i += 2) {
    const pa = px + <usize>i * rowBytes;
    const two = i + 1 < n;
    const pb = two ? pa + rowBytes : pa;
    const o = <usize>i << 3;
    let best = two ? v128.load(pin + o) : f64x2.splat(load<f64>(pin + o));
    for (let j = 0; j < m; j++) {
      const c = pc + <usize>j * rowBytes;
      const e = exactPair(pa, pb, c, c, d);
      // The lesser distance, and a NaN one sticks (a row or center with NaN weighs NaN, as in lloyd_f64).
      best = v128.bitselect(e, f64x2.pmin(best, e), f64x2.ne(e, e));
    }
    store<f64>(pout + o, f64x2.extract_lane(best, 0));
    if (two) store<f64>(pout + o, f64x2.extract_lane(best, 1), 8);
  }
}
