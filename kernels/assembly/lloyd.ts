// One Lloyd step of k-means over a row-major block X (n x d float64): each row's nearest center by
// squared Euclidean distance, and per-cluster sums and counts of the rows (the partial that tree
// reductions add up), plus the inertia.
//
// Centers come transposed and padded (ct: d x kp, kp = k rounded up to even): lane pairs of f64x2
// then hold two centers, and one splat of x[t] serves them all. Two rows share every center load,
// and up to eight centers are summed per sweep (eight accumulators for two rows, which hides the
// add latency). The distance is the exact Σ_t (x_t - c_t)² in t order for every center, not
// ‖c‖² - 2 x·c: it costs one subtraction more per term but gives each row's distance to its center
// (the inertia, k-means++ weights) without a second pass, and the same bits as a plain loop.
//
// Semantics: the label is the lowest index among the smallest distances (as in the JS step @pdask/ml
// had, which compared ‖c‖² - 2 x·c); a NaN distance never wins; a row with no distance below +Infinity (a NaN row, or
// overflow) gets label 0, and its distance is then its distance to center 0 (NaN or +Infinity).

// @ts-ignore: decorator
@inline function sq(x: v128, c: v128): v128 {
  const e = f64x2.sub(x, c);
  return f64x2.mul(e, e);
}

/** Plain Σ_t (x_t - c_t)², with c a column of the transposed centers (stride kp). */
function dist0(px: usize, ct: usize, d: i32, kp: i32, j: i32): f64 {
  let s = 0.0;
  for (let t = 0; t < d; t++) {
    const e = load<f64>(px + (<usize>t << 3)) - load<f64>(ct + ((<usize>t * <usize>kp + <usize>j) << 3));
    s += e * e;
  }
  return s;
}

// The running minimum stays in SIMD registers: lane 0 tracks the even centers, lane 1 the odd ones
// (a compare and two bitselects per pair of centers, no branch: which center wins is
// data-dependent and would mispredict). The lanes are merged once per row, lower index on ties.
// The padding center (odd k) has NaN coordinates, so its distance never wins.

/** The result of the last nearestPair/nearestOne: AssemblyScript returns one value only. */
let bestA: f64 = Infinity;
let labA: i32 = 0;
let bestB: f64 = Infinity;
let labB: i32 = 0;

// @ts-ignore: decorator
@inline function laneIndex(j: i32): v128 {
  return i64x2.add(i64x2.splat(<i64>j), i64x2(0, 1));
}

/** Merges the two lanes of a running minimum into bestA/labA (a) or bestB/labB (b). */
// @ts-ignore: decorator
@inline function finish(best: v128, lab: v128, px: usize, ct: usize, d: i32, kp: i32, a: bool): void {
  const b0 = f64x2.extract_lane(best, 0), b1 = f64x2.extract_lane(best, 1);
  const l0 = <i32>i64x2.extract_lane(lab, 0), l1 = <i32>i64x2.extract_lane(lab, 1);
  const one = b1 < b0 || (b1 == b0 && l1 < l0);
  let b = select<f64>(b1, b0, one);
  const l = select<i32>(l1, l0, one);
  if (!(b < Infinity)) b = dist0(px, ct, d, kp, 0);
  if (a) { bestA = b; labA = l; } else { bestB = b; labB = l; }
}

// @ts-ignore: decorator
@inline function take(acc: v128, best: v128): v128 {
  return f64x2.lt(acc, best);
}

/** Nearest centers of rows A (at pa) and B (at pb) into bestA/labA, bestB/labB. */
function nearestPair(pa: usize, pb: usize, ct: usize, d: i32, kp: i32): void {
  let ba = f64x2.splat(Infinity), bb = f64x2.splat(Infinity);
  let la = i64x2.splat(0), lb = i64x2.splat(0);
  const rowBytes = <usize>kp << 3;
  let j = 0;
  for (; j + 8 <= kp; j += 8) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    let b0 = f64x2.splat(0), b1 = f64x2.splat(0), b2 = f64x2.splat(0), b3 = f64x2.splat(0);
    let q = ct + (<usize>j << 3);
    for (let t = 0; t < d; t++, q += rowBytes) {
      const xa = v128.load64_splat(pa + (<usize>t << 3));
      const xb = v128.load64_splat(pb + (<usize>t << 3));
      const c0 = v128.load(q), c1 = v128.load(q, 16), c2 = v128.load(q, 32), c3 = v128.load(q, 48);
      a0 = f64x2.add(a0, sq(xa, c0)); a1 = f64x2.add(a1, sq(xa, c1));
      a2 = f64x2.add(a2, sq(xa, c2)); a3 = f64x2.add(a3, sq(xa, c3));
      b0 = f64x2.add(b0, sq(xb, c0)); b1 = f64x2.add(b1, sq(xb, c1));
      b2 = f64x2.add(b2, sq(xb, c2)); b3 = f64x2.add(b3, sq(xb, c3));
    }
    let m = take(a0, ba); ba = v128.bitselect(a0, ba, m); la = v128.bitselect(laneIndex(j), la, m);
    m = take(a1, ba); ba = v128.bitselect(a1, ba, m); la = v128.bitselect(laneIndex(j + 2), la, m);
    m = take(a2, ba); ba = v128.bitselect(a2, ba, m); la = v128.bitselect(laneIndex(j + 4), la, m);
    m = take(a3, ba); ba = v128.bitselect(a3, ba, m); la = v128.bitselect(laneIndex(j + 6), la, m);
    m = take(b0, bb); bb = v128.bitselect(b0, bb, m); lb = v128.bitselect(laneIndex(j), lb, m);
    m = take(b1, bb); bb = v128.bitselect(b1, bb, m); lb = v128.bitselect(laneIndex(j + 2), lb, m);
    m = take(b2, bb); bb = v128.bitselect(b2, bb, m); lb = v128.bitselect(laneIndex(j + 4), lb, m);
    m = take(b3, bb); bb = v128.bitselect(b3, bb, m); lb = v128.bitselect(laneIndex(j + 6), lb, m);
  }
  for (; j + 4 <= kp; j += 4) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), b0 = f64x2.splat(0), b1 = f64x2.splat(0);
    let q = ct + (<usize>j << 3);
    for (let t = 0; t < d; t++, q += rowBytes) {
      const xa = v128.load64_splat(pa + (<usize>t << 3));
      const xb = v128.load64_splat(pb + (<usize>t << 3));
      const c0 = v128.load(q), c1 = v128.load(q, 16);
      a0 = f64x2.add(a0, sq(xa, c0)); a1 = f64x2.add(a1, sq(xa, c1));
      b0 = f64x2.add(b0, sq(xb, c0)); b1 = f64x2.add(b1, sq(xb, c1));
    }
    let m = take(a0, ba); ba = v128.bitselect(a0, ba, m); la = v128.bitselect(laneIndex(j), la, m);
    m = take(a1, ba); ba = v128.bitselect(a1, ba, m); la = v128.bitselect(laneIndex(j + 2), la, m);
    m = take(b0, bb); bb = v128.bitselect(b0, bb, m); lb = v128.bitselect(laneIndex(j), lb, m);
    m = take(b1, bb); bb = v128.bitselect(b1, bb, m); lb = v128.bitselect(laneIndex(j + 2), lb, m);
  }
  for (; j < kp; j += 2) {
    let a0 = f64x2.splat(0), b0 = f64x2.splat(0);
    let q = ct + (<usize>j << 3);
    for (let t = 0; t < d; t++, q += rowBytes) {
      const c0 = v128.load(q);
      a0 = f64x2.add(a0, sq(v128.load64_splat(pa + (<usize>t << 3)), c0));
      b0 = f64x2.add(b0, sq(v128.load64_splat(pb + (<usize>t << 3)), c0));
    }
    let m = take(a0, ba); ba = v128.bitselect(a0, ba, m); la = v128.bitselect(laneIndex(j), la, m);
    m = take(b0, bb); bb = v128.bitselect(b0, bb, m); lb = v128.bitselect(laneIndex(j), lb, m);
  }
  finish(ba, la, pa, ct, d, kp, true);
  finish(bb, lb, pb, ct, d, kp, false);
}

/** Nearest center of the row at pa into bestA/labA. */
function nearestOne(pa: usize, ct: usize, d: i32, kp: i32): void {
  let ba = f64x2.splat(Infinity);
  let la = i64x2.splat(0);
  const rowBytes = <usize>kp << 3;
  for (let j = 0; j < kp; j += 2) {
    let a0 = f64x2.splat(0);
    let q = ct + (<usize>j << 3);
    for (let t = 0; t < d; t++, q += rowBytes) a0 = f64x2.add(a0, sq(v128.load64_splat(pa + (<usize>t << 3)), v128.load(q)));
    const m = take(a0, ba); ba = v128.bitselect(a0, ba, m); la = v128.bitselect(laneIndex(j), la, m);
  }
  finish(ba, la, pa, ct, d, kp, true);
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
 * One Lloyd step over n rows at px (n x d, row-major), centers transposed at ct (d x kp, kp even;
 * the padding center of an odd k all NaN). Adds each row to sums (k x d) and counts (k) of its cluster
 * unless psums is 0; writes labels (i32) and distances (f64) when their pointers are not 0; adds the
 * inertia to the f64 state slot st[0].
 */
export function lloyd_f64(px: usize, n: i32, d: i32, ct: usize, kp: i32, psums: usize, pcounts: usize,
  plabels: usize, pdist: usize, st: usize): void {
  const rowBytes = <usize>d << 3;
  let inertia = load<f64>(st);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const pa = px + <usize>i * rowBytes;
    const pb = pa + rowBytes;
    nearestPair(pa, pb, ct, d, kp);
    inertia += bestA;
    inertia += bestB;
    if (psums) {
      accumulate(pa, labA, d, psums, pcounts);
      accumulate(pb, labB, d, psums, pcounts);
    }
    if (plabels) {
      store<i32>(plabels + (<usize>i << 2), labA);
      store<i32>(plabels + (<usize>i << 2), labB, 4);
    }
    if (pdist) {
      store<f64>(pdist + (<usize>i << 3), bestA);
      store<f64>(pdist + (<usize>i << 3), bestB, 8);
    }
  }
  if (i < n) {
    const pa = px + <usize>i * rowBytes;
    nearestOne(pa, ct, d, kp);
    inertia += bestA;
    if (psums) accumulate(pa, labA, d, psums, pcounts);
    if (plabels) store<i32>(plabels + (<usize>i << 2), labA);
    if (pdist) store<f64>(pdist + (<usize>i << 3), bestA);
  }
  store<f64>(st, inertia);
}
