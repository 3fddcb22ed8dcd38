// The per-block step of Newton's method for logistic regression: at coefficients β (and intercept
// b0), the summed log-loss, its gradient X̃ᵀ(p - y) and the upper triangle of its Hessian
// X̃ᵀ diag(p(1 - p)) X̃, where X̃ is X with a column of ones appended when the intercept is fitted.
//
// The Hessian dominates (p²/2 multiply-adds per row), so rows go in tiles of NEWTON_TILE: each tile is
// transposed into columns (the ones column last), and every Hessian entry of a tile is then a dot
// product of two contiguous columns, weighted. Two rows of the Hessian by four of its columns are
// summed per sweep in f64x2 lanes that run along the rows of X: eight accumulators (the add latency
// is hidden) for six loads, all from a tile that stays in L1/L2. A rank-one update per row instead
// would load and store all p² entries for every row.
//
// Workspace at pw: p + 4 columns of COL bytes: X̃'s p columns, then s = p(1 - p), r = p - y, and
// w0, w1 = s x̃_a, s x̃_{a+1} for the pair of Hessian rows being summed.

import { expNonPositive2, log1pUnit2 } from './vmath';

/** Rows per tile: p columns of TILE doubles stay in L2, the columns one sweep reads in L1. */
const NEWTON_TILE: i32 = 512;
/**
 * Bytes between consecutive columns of the workspace: one cache line more than a tile, so the
 * columns a sweep reads (and the transposition writes) do not all map to the same L1 set, as
 * 4096-byte strides would.
 */
const COL: usize = (<usize>NEWTON_TILE + 8) << 3;

/** Workspace doubles that newton_f64 needs for p columns. */
export function newton_work(p: i32): i32 {
  return (p + 4) * <i32>(COL >> 3);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * hess[a][c] and hess[a + 1][c] (c = a..p-1) += Σ_i w0[i] col_c[i], Σ_i w1[i] col_c[i] (w1 = w0 + COL) over
 * m2 rows (even). The entry (a + 1, a) below the diagonal is summed but not written.
 */
function hessianPair(cols: usize, w0: usize, a: i32, p: i32, m2: i32, ph: usize): void {
  const r0 = ph + (<usize>a * <usize>p << 3);
  const r1 = r0 + (<usize>p << 3);
  const end = <usize>m2 << 3;
  let c = a;
  for (; c + 4 <= p; c += 4) {
    const q = cols + <usize>c * COL;
    let h00 = f64x2.splat(0), h01 = f64x2.splat(0), h02 = f64x2.splat(0), h03 = f64x2.splat(0);
    let h10 = f64x2.splat(0), h11 = f64x2.splat(0), h12 = f64x2.splat(0), h13 = f64x2.splat(0);
    // Columns (and w0, w1) are COL bytes apart: static load offsets, one address per operand set.
    for (let o: usize = 0; o < end; o += 16) {
      const pw = w0 + o, px = q + o;
      const u = v128.load(pw), v = v128.load(pw, COL);
      const x0 = v128.load(px), x1 = v128.load(px, COL), x2 = v128.load(px, 2 * COL), x3 = v128.load(px, 3 * COL);
      h00 = f64x2.add(h00, f64x2.mul(u, x0)); h01 = f64x2.add(h01, f64x2.mul(u, x1));
      h02 = f64x2.add(h02, f64x2.mul(u, x2)); h03 = f64x2.add(h03, f64x2.mul(u, x3));
      h10 = f64x2.add(h10, f64x2.mul(v, x0)); h11 = f64x2.add(h11, f64x2.mul(v, x1));
      h12 = f64x2.add(h12, f64x2.mul(v, x2)); h13 = f64x2.add(h13, f64x2.mul(v, x3));
    }
    const e0 = r0 + (<usize>c << 3), e1 = r1 + (<usize>c << 3);
    store<f64>(e0, load<f64>(e0) + hsum(h00));
    store<f64>(e0, load<f64>(e0, 8) + hsum(h01), 8);
    store<f64>(e0, load<f64>(e0, 16) + hsum(h02), 16);
    store<f64>(e0, load<f64>(e0, 24) + hsum(h03), 24);
    if (c > a) store<f64>(e1, load<f64>(e1) + hsum(h10));
    store<f64>(e1, load<f64>(e1, 8) + hsum(h11), 8);
    store<f64>(e1, load<f64>(e1, 16) + hsum(h12), 16);
    store<f64>(e1, load<f64>(e1, 24) + hsum(h13), 24);
  }
  for (; c < p; c++) {
    const q = cols + <usize>c * COL;
    let h0 = f64x2.splat(0), h1 = f64x2.splat(0);
    for (let o: usize = 0; o < end; o += 16) {
      const x = v128.load(q + o);
      const pw = w0 + o;
      h0 = f64x2.add(h0, f64x2.mul(v128.load(pw), x));
      h1 = f64x2.add(h1, f64x2.mul(v128.load(pw, COL), x));
    }
    const e0 = r0 + (<usize>c << 3), e1 = r1 + (<usize>c << 3);
    store<f64>(e0, load<f64>(e0) + hsum(h0));
    if (c > a) store<f64>(e1, load<f64>(e1) + hsum(h1));
  }
}

/** hess[a][a] += Σ_i w0[i] col_a[i]: the last row of the Hessian when p is odd. */
function hessianLast(cols: usize, w0: usize, a: i32, p: i32, m2: i32, ph: usize): void {
  const q = cols + <usize>a * COL;
  let h0 = f64x2.splat(0), h1 = f64x2.splat(0);
  let o: usize = 0;
  const end = <usize>m2 << 3;
  for (; o + 32 <= end; o += 32) {
    h0 = f64x2.add(h0, f64x2.mul(v128.load(w0 + o), v128.load(q + o)));
    h1 = f64x2.add(h1, f64x2.mul(v128.load(w0 + o, 16), v128.load(q + o, 16)));
  }
  if (o < end) h0 = f64x2.add(h0, f64x2.mul(v128.load(w0 + o), v128.load(q + o)));
  const e = ph + ((<usize>a * <usize>p + <usize>a) << 3);
  store<f64>(e, load<f64>(e) + hsum(f64x2.add(h0, h1)));
}

/**
 * One tile of m rows (m <= TILE) at px (m x d) and py (m labels). Returns the index of the first
 * label that is neither 0 nor 1 (nothing of the tile is then added), or -1.
 */
function newtonTile(px: usize, py: usize, m: i32, d: i32, intercept: i32, pbeta: usize, b0: f64,
  pw: usize, pg: usize, ph: usize, st: usize): i32 {
  for (let i = 0; i < m; i++) {
    const y = load<f64>(py + (<usize>i << 3));
    if (y != 0 && y != 1) return i;
  }
  const p = d + (intercept ? 1 : 0);
  const cols = pw;
  const ps = cols + <usize>p * COL;
  const pr = ps + COL;
  const w0 = pr + COL;
  // Rows are summed in pairs (f64x2); an odd tile gets a zero row with weight 0, which adds
  // exactly nothing.
  const m2 = (m + 1) & ~1;
  const rowBytes = <usize>d << 3;
  // Transposed two rows at a time (two loads, two shuffles, two stores per 2 x 2 values), with
  // z = b0 + Σ_t x_t β_t summed on the way, in t order as a plain loop would.
  const bz = f64x2.splat(b0);
  for (let i = 0; i < m2; i += 2) {
    const ra = px + <usize>i * rowBytes;
    const rb = ra + rowBytes;
    const two = i + 1 < m;
    const o = <usize>i << 3;
    let z = bz;
    let t = 0;
    if (two) {
      for (; t + 2 <= d; t += 2) {
        const to = <usize>t << 3;
        const va = v128.load(ra + to), vb = v128.load(rb + to);
        const c0 = v128.shuffle<f64>(va, vb, 0, 2), c1 = v128.shuffle<f64>(va, vb, 1, 3);
        const q = cols + <usize>t * COL + o;
        v128.store(q, c0);
        v128.store(q, c1, COL);
        z = f64x2.add(z, f64x2.mul(c0, v128.load64_splat(pbeta + to)));
        z = f64x2.add(z, f64x2.mul(c1, v128.load64_splat(pbeta + to, 8)));
      }
    }
    for (; t < d; t++) {
      const to = <usize>t << 3;
      const c = f64x2(load<f64>(ra + to), two ? load<f64>(rb + to) : 0);
      v128.store(cols + <usize>t * COL + o, c);
      z = f64x2.add(z, f64x2.mul(c, v128.load64_splat(pbeta + to)));
    }
    v128.store(pr + o, z);
  }
  if (intercept) {
    const col = cols + <usize>d * COL;
    for (let i = 0; i < m2; i++) store<f64>(col + (<usize>i << 3), 1.0);
  }
  // Two rows per f64x2 (the padding row of an odd tile gets y = 0 and adds no loss): log(1 + e^z)
  // = max(z, 0) + log1p(e^-|z|) and the sigmoid from the same exponential (vmath.ts).
  let loss = f64x2.splat(0);
  for (let i = 0; i < m; i += 2) {
    const o = <usize>i << 3;
    const z = v128.load(pr + o);
    const y = i + 1 < m ? v128.load(py + o) : f64x2(load<f64>(py + o), 0);
    const e = expNonPositive2(f64x2.neg(f64x2.abs(z)));
    const inv = f64x2.div(f64x2.splat(1.0), f64x2.add(f64x2.splat(1.0), e));
    const pi = v128.bitselect(inv, f64x2.mul(e, inv), f64x2.ge(z, f64x2.splat(0)));
    let l = f64x2.sub(f64x2.add(f64x2.max(z, f64x2.splat(0)), log1pUnit2(e)), f64x2.mul(y, z));
    if (i + 1 >= m) l = f64x2.replace_lane(l, 1, 0);
    loss = f64x2.add(loss, l);
    v128.store(ps + o, f64x2.mul(pi, f64x2.sub(f64x2.splat(1.0), pi)));
    v128.store(pr + o, f64x2.sub(pi, y));
  }
  store<f64>(st, load<f64>(st) + (f64x2.extract_lane(loss, 0) + f64x2.extract_lane(loss, 1)));
  if (m2 > m) {
    store<f64>(ps + (<usize>m << 3), 0);
    store<f64>(pr + (<usize>m << 3), 0);
  }
  const end = <usize>m2 << 3;
  // Per pair of columns a, a + 1: their gradient entries, and the weighted columns w0, w1 (at w0 +
  // COL) that the Hessian rows a, a + 1 are summed from.
  for (let a = 0; a < p; a += 2) {
    const qa = cols + <usize>a * COL;
    const ga = pg + (<usize>a << 3);
    if (a + 1 < p) {
      let g0 = f64x2.splat(0), g1 = f64x2.splat(0);
      for (let o: usize = 0; o < end; o += 16) {
        const s = v128.load(ps + o), r = v128.load(pr + o);
        const x0 = v128.load(qa + o), x1 = v128.load(qa + o, COL);
        v128.store(w0 + o, f64x2.mul(s, x0));
        v128.store(w0 + o, f64x2.mul(s, x1), COL);
        g0 = f64x2.add(g0, f64x2.mul(r, x0));
        g1 = f64x2.add(g1, f64x2.mul(r, x1));
      }
      store<f64>(ga, load<f64>(ga) + hsum(g0));
      store<f64>(ga, load<f64>(ga, 8) + hsum(g1), 8);
      hessianPair(cols, w0, a, p, m2, ph);
    } else {
      let g0 = f64x2.splat(0);
      for (let o: usize = 0; o < end; o += 16) {
        const x0 = v128.load(qa + o);
        v128.store(w0 + o, f64x2.mul(v128.load(ps + o), x0));
        g0 = f64x2.add(g0, f64x2.mul(v128.load(pr + o), x0));
      }
      store<f64>(ga, load<f64>(ga) + hsum(g0));
      hessianLast(cols, w0, a, p, m2, ph);
    }
  }
  return -1;
}

/**
 * Adds the loss (to the f64 state slot st[0]), gradient (p at pg) and upper Hessian (p x p at ph,
 * row-major; entries below the diagonal untouched) of n rows at px (n x d) with labels at py, for
 * coefficients at pbeta (d) and intercept b0; p = d + 1 with an intercept, else d. pw is the
 * workspace (newton_work(p) doubles). Returns the row of the first label that is not 0 or 1 (the
 * sums are then incomplete), or -1.
 */
export function newton_f64(px: usize, py: usize, n: i32, d: i32, intercept: i32, pbeta: usize, b0: f64,
  pw: usize, pg: usize, ph: usize, st: usize): i32 {
  const rowBytes = <usize>d << 3;
  for (let r = 0; r < n; r += NEWTON_TILE) {
    const m = min(NEWTON_TILE, n - r);
    const bad = newtonTile(px + <usize>r * rowBytes, py + (<usize>r << 3), m, d, intercept, pbeta, b0, pw, pg, ph, st);
    if (bad >= 0) return r + bad;
  }
  return -1;
}
