// The per-block loss and gradient of multinomial logistic regression (what L-BFGS, proximal
// gradient and the searches evaluate on every pass): Σ log-loss over the rows and its gradient
// X̃ᵀR, X̃ being X with a column of ones when the intercept is fitted, R the residuals
// (probabilities minus the one-hot targets). No Hessian: that is newton_f64's job. The binomial
// case is glm-many.ts's (coefficient vectors in SIMD lanes, a vector link).
//
// In tiles of rows, with class pairs in the f64x2 lanes (scores from Bᵀ, gradient into Gᵀ), the
// softmax's exponentials of a whole tile in one loop (multinomialGradT below); X wider than
// MAX_T_FEATURES keeps per-row dot products (multinomialGrad).
//
// Targets arrive as label values; `classes` (sorted, nc values) turns one into its class code by
// binary search; k = nc coefficient rows.

import { codeOf } from './classes';
import { expNonPositive2 } from './vmath';

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** x · β over d values (f64x2 lanes, two accumulators, a scalar tail). */
// @ts-ignore: decorator
@inline function dotRow(px: usize, pb: usize, d: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const o = <usize>j << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(px + o), v128.load(pb + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(px + o, 16), v128.load(pb + o, 16)));
  }
  let s = hsum(f64x2.add(a0, a1));
  for (; j < d; j++) {
    const o = <usize>j << 3;
    s += load<f64>(px + o) * load<f64>(pb + o);
  }
  return s;
}

/** g += r · x over d values. */
// @ts-ignore: decorator
@inline function axpyRow(pg: usize, px: usize, r: f64, d: i32): void {
  const rv = f64x2.splat(r);
  let j = 0;
  for (; j + 2 <= d; j += 2) {
    const o = <usize>j << 3;
    v128.store(pg + o, f64x2.add(v128.load(pg + o), f64x2.mul(rv, v128.load(px + o))));
  }
  if (j < d) {
    const o = <usize>j << 3;
    store<f64>(pg + o, load<f64>(pg + o) + r * load<f64>(px + o));
  }
}

/** x · β0 and x · β1 over d values, x loaded once for both; written to pz and pz + 8. */
// @ts-ignore: decorator
@inline function dotPair(px: usize, pb0: usize, pb1: usize, d: i32, pz: usize): void {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= d; j += 2) {
    const o = <usize>j << 3;
    const x = v128.load(px + o);
    a0 = f64x2.add(a0, f64x2.mul(x, v128.load(pb0 + o)));
    a1 = f64x2.add(a1, f64x2.mul(x, v128.load(pb1 + o)));
  }
  let s0 = hsum(a0), s1 = hsum(a1);
  if (j < d) {
    const o = <usize>j << 3;
    const x = load<f64>(px + o);
    s0 += x * load<f64>(pb0 + o);
    s1 += x * load<f64>(pb1 + o);
  }
  store<f64>(pz, s0);
  store<f64>(pz, s1, 8);
}

/**
 * Multinomial: adds the log-loss of n rows at px (n x d, row-major) with labels at py to st[0] and its gradient
 * to pg (k x p, p = d + intercept, the intercept last in each row); β at pb has the same layout.
 * pz is a workspace of glm_work(k) doubles. Returns the first row whose label is not among the classes or
 * whose score is NaN (the sums are then incomplete: the caller discards them), or -1.
 */
export function glm_grad_f64(px: usize, py: usize, n: i32, d: i32, intercept: i32, multinomial: i32,
  pc: usize, nc: i32, positive: i32, pb: usize, pg: usize, pz: usize, st: usize): i32 {
  // The binomial case is glm-many.ts's (glm_binomial_many_f64 with one coefficient vector), whose
  // link runs in SIMD lanes: the host never asks this function for it.
  if (!multinomial) unreachable();
  return multinomialGrad(px, py, n, d, intercept, pc, nc, pb, pg, pz, st);
}

/** Rows per tile of the multinomial gradient: their scores and residuals stay in L1 with the rows. */
const TILE: i32 = 64;

/** The transposed coefficients (scores by class pairs, below) are used up to this many features; wider X keeps the dot products. */
const MAX_T_FEATURES: i32 = 256;

/**
 * Workspace doubles glm_grad_f64 needs at pz for k coefficient rows: the tile's scores (TILE x kk,
 * kk = k rounded up to even), its class codes, Bᵀ and Gᵀ (up to MAX_T_FEATURES + 1 rows of kk
 * each), and two doubles to align them on 16 bytes.
 */
export function glm_work(k: i32): i32 {
  const kk = k + (k & 1);
  return TILE * kk + TILE / 2 + 2 * (MAX_T_FEATURES + 1) * kk + 2;
}

// e^(z - max) of the softmax: vmath's expNonPositive2 (0 below -708; NaN passes through).

/** e^v in place over count values (even) at p: the whole tile's shifted scores in one loop, two pairs per step. */
function expTile(p: usize, count: i32): void {
  let o = 0;
  for (; o + 4 <= count; o += 4) {
    const a = p + (<usize>o << 3);
    const e0 = expNonPositive2(v128.load(a));
    const e1 = expNonPositive2(v128.load(a, 16));
    v128.store(a, e0);
    v128.store(a, e1, 16);
  }
  for (; o < count; o += 2) {
    const a = p + (<usize>o << 3);
    v128.store(a, expNonPositive2(v128.load(a)));
  }
}

// @ts-ignore: decorator
@inline function splatMax5(a0: v128, a1: v128, a2: v128, a3: v128, a4: v128): v128 {
  const m = f64x2.pmax(f64x2.pmax(f64x2.pmax(a0, a1), f64x2.pmax(a2, a3)), a4);
  return f64x2.splat(max(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1)));
}

/**
 * Ten classes (kk == 10, the Bᵀ rows at pt 80 bytes apart): the scores of rows x0 and x1 as five
 * class pairs each, in ten sums (each x value and each Bᵀ pair loaded once for the two rows), each
 * row then shifted by its largest score and stored at z0 and z0 + 80. An odd k's padding class
 * gets -Infinity (its e^ is then negligible). Returns (z_c0 − max) + (z_c1 − max).
 */
// @ts-ignore: decorator
@inline function shiftedScores10(x0: usize, x1: usize, pt: usize, d: i32, intercept: i32, odd: i32, z0: usize, c0: i32, c1: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0), a4 = f64x2.splat(0);
  if (intercept) {
    const bi = pt + <usize>d * 80;
    a0 = v128.load(bi); a1 = v128.load(bi, 16); a2 = v128.load(bi, 32); a3 = v128.load(bi, 48); a4 = v128.load(bi, 64);
  }
  let b0 = a0, b1 = a1, b2 = a2, b3 = a3, b4 = a4;
  for (let j = 0; j < d; j++) {
    const o = <usize>j << 3;
    const bj = pt + <usize>j * 80;
    const u = f64x2.splat(load<f64>(x0 + o));
    const v = f64x2.splat(load<f64>(x1 + o));
    let w = v128.load(bj);
    a0 = f64x2.add(a0, f64x2.mul(u, w)); b0 = f64x2.add(b0, f64x2.mul(v, w));
    w = v128.load(bj, 16);
    a1 = f64x2.add(a1, f64x2.mul(u, w)); b1 = f64x2.add(b1, f64x2.mul(v, w));
    w = v128.load(bj, 32);
    a2 = f64x2.add(a2, f64x2.mul(u, w)); b2 = f64x2.add(b2, f64x2.mul(v, w));
    w = v128.load(bj, 48);
    a3 = f64x2.add(a3, f64x2.mul(u, w)); b3 = f64x2.add(b3, f64x2.mul(v, w));
    w = v128.load(bj, 64);
    a4 = f64x2.add(a4, f64x2.mul(u, w)); b4 = f64x2.add(b4, f64x2.mul(v, w));
  }
  if (odd) {
    a4 = f64x2.replace_lane(a4, 1, -Infinity);
    b4 = f64x2.replace_lane(b4, 1, -Infinity);
  }
  const ma = splatMax5(a0, a1, a2, a3, a4);
  const mb = splatMax5(b0, b1, b2, b3, b4);
  const z1 = z0 + 80;
  v128.store(z0, f64x2.sub(a0, ma)); v128.store(z0, f64x2.sub(a1, ma), 16); v128.store(z0, f64x2.sub(a2, ma), 32); v128.store(z0, f64x2.sub(a3, ma), 48); v128.store(z0, f64x2.sub(a4, ma), 64);
  v128.store(z1, f64x2.sub(b0, mb)); v128.store(z1, f64x2.sub(b1, mb), 16); v128.store(z1, f64x2.sub(b2, mb), 32); v128.store(z1, f64x2.sub(b3, mb), 48); v128.store(z1, f64x2.sub(b4, mb), 64);
  return load<f64>(z0 + (<usize>c0 << 3)) + load<f64>(z1 + (<usize>c1 << 3));
}

/** Any even kk: scores of one row for five class pairs (Bᵀ's columns from pt, rows ktBytes apart). */
// @ts-ignore: decorator
@inline function scores5(x0: usize, pt: usize, d: i32, ktBytes: usize, intercept: i32, z0: usize): void {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0), a4 = f64x2.splat(0);
  if (intercept) {
    const bi = pt + <usize>d * ktBytes;
    a0 = v128.load(bi); a1 = v128.load(bi, 16); a2 = v128.load(bi, 32); a3 = v128.load(bi, 48); a4 = v128.load(bi, 64);
  }
  for (let j = 0; j < d; j++) {
    const bj = pt + <usize>j * ktBytes;
    const u = f64x2.splat(load<f64>(x0 + (<usize>j << 3)));
    a0 = f64x2.add(a0, f64x2.mul(u, v128.load(bj)));
    a1 = f64x2.add(a1, f64x2.mul(u, v128.load(bj, 16)));
    a2 = f64x2.add(a2, f64x2.mul(u, v128.load(bj, 32)));
    a3 = f64x2.add(a3, f64x2.mul(u, v128.load(bj, 48)));
    a4 = f64x2.add(a4, f64x2.mul(u, v128.load(bj, 64)));
  }
  v128.store(z0, a0); v128.store(z0, a1, 16); v128.store(z0, a2, 32); v128.store(z0, a3, 48); v128.store(z0, a4, 64);
}

/** Any even kk: scores of one row for one class pair, even and odd features in two sums. */
// @ts-ignore: decorator
@inline function scores1(x0: usize, pt: usize, d: i32, ktBytes: usize, intercept: i32, z0: usize): void {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
  if (intercept) a0 = v128.load(pt + <usize>d * ktBytes);
  let j = 0;
  for (; j + 2 <= d; j += 2) {
    const bj = pt + <usize>j * ktBytes;
    a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(load<f64>(x0 + (<usize>j << 3))), v128.load(bj)));
    a1 = f64x2.add(a1, f64x2.mul(f64x2.splat(load<f64>(x0 + (<usize>j << 3), 8)), v128.load(bj + ktBytes)));
  }
  if (j < d) a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(load<f64>(x0 + (<usize>j << 3))), v128.load(pt + <usize>j * ktBytes)));
  v128.store(z0, f64x2.add(a0, a1));
}

/** The scores of a tile's m rows for any even kk (Bᵀ at pt, p x kk), into pr (m x kk): groups of five class pairs, then pairs. */
function tileScores(xt: usize, m: i32, d: i32, pt: usize, kk: i32, intercept: i32, pr: usize): void {
  const rowBytes = <usize>d << 3;
  const ktBytes = <usize>kk << 3;
  let c = 0;
  for (; c + 10 <= kk; c += 10) {
    const co = <usize>c << 3;
    for (let i = 0; i < m; i++) scores5(xt + <usize>i * rowBytes, pt + co, d, ktBytes, intercept, pr + <usize>i * ktBytes + co);
  }
  for (; c < kk; c += 2) {
    const co = <usize>c << 3;
    for (let i = 0; i < m; i++) scores1(xt + <usize>i * rowBytes, pt + co, d, ktBytes, intercept, pr + <usize>i * ktBytes + co);
  }
}

/**
 * Gᵀ[j][c] += Σ_i x_i[j] R[i][c] over the m rows of a tile (R at pr, m x kk; Gᵀ at pgt, p x kk;
 * the intercepts' row j = d sums R). Class pairs are the lanes, as in the scores: per group of
 * five pairs and pair of features, ten sums over the tile's rows in registers.
 */
function tileGradientT(xt: usize, m: i32, d: i32, pr: usize, kk: i32, intercept: i32, pgt: usize): void {
  const rowBytes = <usize>d << 3;
  const ktBytes = <usize>kk << 3;
  const p = d + (intercept ? 1 : 0);
  let c = 0;
  for (; c + 10 <= kk; c += 10) {
    const co = <usize>c << 3;
    let j = 0;
    for (; j + 2 <= d; j += 2) {
      let a0 = f64x2.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
      let b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0;
      let xi = xt + (<usize>j << 3);
      let ri = pr + co;
      for (let i = 0; i < m; i++) {
        const u = f64x2.splat(load<f64>(xi));
        const v = f64x2.splat(load<f64>(xi, 8));
        let w = v128.load(ri);
        a0 = f64x2.add(a0, f64x2.mul(u, w)); b0 = f64x2.add(b0, f64x2.mul(v, w));
        w = v128.load(ri, 16);
        a1 = f64x2.add(a1, f64x2.mul(u, w)); b1 = f64x2.add(b1, f64x2.mul(v, w));
        w = v128.load(ri, 32);
        a2 = f64x2.add(a2, f64x2.mul(u, w)); b2 = f64x2.add(b2, f64x2.mul(v, w));
        w = v128.load(ri, 48);
        a3 = f64x2.add(a3, f64x2.mul(u, w)); b3 = f64x2.add(b3, f64x2.mul(v, w));
        w = v128.load(ri, 64);
        a4 = f64x2.add(a4, f64x2.mul(u, w)); b4 = f64x2.add(b4, f64x2.mul(v, w));
        xi += rowBytes;
        ri += ktBytes;
      }
      const g0 = pgt + <usize>j * ktBytes + co;
      const g1 = g0 + ktBytes;
      v128.store(g0, f64x2.add(v128.load(g0), a0)); v128.store(g0, f64x2.add(v128.load(g0, 16), a1), 16); v128.store(g0, f64x2.add(v128.load(g0, 32), a2), 32); v128.store(g0, f64x2.add(v128.load(g0, 48), a3), 48); v128.store(g0, f64x2.add(v128.load(g0, 64), a4), 64);
      v128.store(g1, f64x2.add(v128.load(g1), b0)); v128.store(g1, f64x2.add(v128.load(g1, 16), b1), 16); v128.store(g1, f64x2.add(v128.load(g1, 32), b2), 32); v128.store(g1, f64x2.add(v128.load(g1, 48), b3), 48); v128.store(g1, f64x2.add(v128.load(g1, 64), b4), 64);
    }
    // An odd last feature, then the intercepts (a feature of ones).
    for (; j < p; j++) {
      let a0 = f64x2.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
      const ones = j == d;
      let xi = xt + (<usize>j << 3);
      let ri = pr + co;
      for (let i = 0; i < m; i++) {
        const u = f64x2.splat(ones ? 1.0 : load<f64>(xi));
        a0 = f64x2.add(a0, f64x2.mul(u, v128.load(ri)));
        a1 = f64x2.add(a1, f64x2.mul(u, v128.load(ri, 16)));
        a2 = f64x2.add(a2, f64x2.mul(u, v128.load(ri, 32)));
        a3 = f64x2.add(a3, f64x2.mul(u, v128.load(ri, 48)));
        a4 = f64x2.add(a4, f64x2.mul(u, v128.load(ri, 64)));
        xi += rowBytes;
        ri += ktBytes;
      }
      const g0 = pgt + <usize>j * ktBytes + co;
      v128.store(g0, f64x2.add(v128.load(g0), a0)); v128.store(g0, f64x2.add(v128.load(g0, 16), a1), 16); v128.store(g0, f64x2.add(v128.load(g0, 32), a2), 32); v128.store(g0, f64x2.add(v128.load(g0, 48), a3), 48); v128.store(g0, f64x2.add(v128.load(g0, 64), a4), 64);
    }
  }
  for (; c < kk; c += 2) {
    const co = <usize>c << 3;
    for (let j = 0; j < p; j++) {
      let a0 = f64x2.splat(0), a1 = a0;
      const ones = j == d;
      let xi = xt + (<usize>j << 3);
      let ri = pr + co;
      let i = 0;
      for (; i + 2 <= m; i += 2) {
        a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(ones ? 1.0 : load<f64>(xi)), v128.load(ri)));
        a1 = f64x2.add(a1, f64x2.mul(f64x2.splat(ones ? 1.0 : load<f64>(xi + rowBytes)), v128.load(ri + ktBytes)));
        xi += rowBytes << 1;
        ri += ktBytes << 1;
      }
      if (i < m) a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(ones ? 1.0 : load<f64>(xi)), v128.load(ri)));
      const g0 = pgt + <usize>j * ktBytes + co;
      v128.store(g0, f64x2.add(v128.load(g0), f64x2.add(a0, a1)));
    }
  }
}

/**
 * Multinomial, up to MAX_T_FEATURES features: per tile of rows, (1) the class codes, (2) the
 * scores from Bᵀ with class pairs in the lanes, each row shifted by its largest score (ten classes:
 * two rows at a time, the shift taken from the registers), (3) e^ of the whole tile in one loop,
 * (4) per row the sum, the probabilities (one division) minus the one-hot target, and the sums'
 * product, whose log once per tile gives Σ log Σ e^ (the sums lie in [1, k], so 64 of them cannot
 * overflow; it is also taken whenever it passes 1e280), (5) the tile's gradient into Gᵀ, which is
 * added to G at the end. A row with a NaN sum (NaN or infinite scores) is reported at (4), before
 * its tile's gradient; a label outside the classes ends the tile before its row, so that an earlier
 * NaN row is still reported first.
 */
function multinomialGradT(px: usize, py: usize, n: i32, d: i32, intercept: i32, pc: usize, k: i32, pb: usize, pg: usize, pz: usize, st: usize): i32 {
  const p = d + (intercept ? 1 : 0);
  const rowBytes = <usize>d << 3;
  const kk = k + (k & 1);
  const kkBytes = <usize>kk << 3;
  const odd = k & 1;
  const pr = (pz + 15) & ~(<usize>15);
  const pcodes = pr + (<usize>(TILE * kk) << 3);
  const pt = pcodes + (<usize>TILE << 2);
  const pgt = pt + <usize>p * kkBytes;
  for (let j = 0; j < p; j++) {
    for (let c = 0; c < kk; c++) {
      const o = (<usize>j * kk + c) << 3;
      store<f64>(pt + o, c < k ? load<f64>(pb + ((<usize>c * p + j) << 3)) : 0);
      store<f64>(pgt + o, 0);
    }
  }
  let identity = true;
  for (let c = 0; c < k; c++) if (load<f64>(pc + (<usize>c << 3)) != <f64>c) identity = false;
  let loss = load<f64>(st);
  let bad = -1;
  for (let t0 = 0; t0 < n && bad < 0; t0 += TILE) {
    let m = min(TILE, n - t0);
    for (let i = 0; i < m; i++) {
      const yv = load<f64>(py + (<usize>(t0 + i) << 3));
      // Classes 0, 1, ..., k - 1 (what LogisticRegression's labels usually are): the label is its
      // code, with no search (whose branches the CPU cannot predict).
      let yi: i32 = 0;
      const code = identity ? (yv >= 0 && yv < <f64>k && <f64>(yi = <i32>yv) == yv ? yi : -1) : codeOf(pc, k, yv);
      if (code < 0) {
        bad = t0 + i;
        m = i;
        break;
      }
      store<i32>(pcodes + (<usize>i << 2), code);
    }
    if (m == 0) break;
    const xt = px + <usize>t0 * rowBytes;
    if (kk == 10) {
      let i = 0;
      for (; i + 2 <= m; i += 2) {
        const x0 = xt + <usize>i * rowBytes;
        const ci = pcodes + (<usize>i << 2);
        loss -= shiftedScores10(x0, x0 + rowBytes, pt, d, intercept, odd, pr + <usize>i * 80, load<i32>(ci), load<i32>(ci, 4));
      }
      if (i < m) {
        // An odd tile's last row, paired with itself (the copy lands on the tile's next, unused row).
        const c0 = load<i32>(pcodes + (<usize>i << 2));
        const x0 = xt + <usize>i * rowBytes;
        loss -= 0.5 * shiftedScores10(x0, x0, pt, d, intercept, odd, pr + <usize>i * 80, c0, c0);
      }
    } else {
      tileScores(xt, m, d, pt, kk, intercept, pr);
      for (let i = 0; i < m; i++) {
        const zr = pr + <usize>i * kkBytes;
        if (odd) store<f64>(zr + (<usize>(kk - 1) << 3), -Infinity);
        let mv = v128.load(zr);
        for (let c = 2; c < kk; c += 2) mv = f64x2.pmax(mv, v128.load(zr + (<usize>c << 3)));
        const ms = f64x2.splat(max(f64x2.extract_lane(mv, 0), f64x2.extract_lane(mv, 1)));
        for (let c = 0; c < kk; c += 2) {
          const zp = zr + (<usize>c << 3);
          v128.store(zp, f64x2.sub(v128.load(zp), ms));
        }
        loss -= load<f64>(zr + (<usize>load<i32>(pcodes + (<usize>i << 2)) << 3));
      }
    }
    expTile(pr, m * kk);
    let prod: f64 = 1;
    for (let i = 0; i < m; i++) {
      const zr = pr + <usize>i * kkBytes;
      let sum: f64;
      if (kk == 10) {
        const e0 = v128.load(zr), e1 = v128.load(zr, 16), e2 = v128.load(zr, 32), e3 = v128.load(zr, 48), e4 = v128.load(zr, 64);
        sum = hsum(f64x2.add(f64x2.add(f64x2.add(e0, e1), f64x2.add(e2, e3)), e4));
        if (isNaN(sum)) {
          store<f64>(st, loss);
          return t0 + i;
        }
        const inv = f64x2.splat(1 / sum);
        v128.store(zr, f64x2.mul(e0, inv)); v128.store(zr, f64x2.mul(e1, inv), 16); v128.store(zr, f64x2.mul(e2, inv), 32); v128.store(zr, f64x2.mul(e3, inv), 48); v128.store(zr, f64x2.mul(e4, inv), 64);
      } else {
        let sv = v128.load(zr);
        for (let c = 2; c < kk; c += 2) sv = f64x2.add(sv, v128.load(zr + (<usize>c << 3)));
        sum = hsum(sv);
        if (isNaN(sum)) {
          store<f64>(st, loss);
          return t0 + i;
        }
        const inv = f64x2.splat(1 / sum);
        for (let c = 0; c < kk; c += 2) {
          const zp = zr + (<usize>c << 3);
          v128.store(zp, f64x2.mul(v128.load(zp), inv));
        }
      }
      prod *= sum;
      if (prod > 1e280) {
        loss += Math.log(prod);
        prod = 1;
      }
      const zc = zr + (<usize>load<i32>(pcodes + (<usize>i << 2)) << 3);
      store<f64>(zc, load<f64>(zc) - 1);
    }
    loss += Math.log(prod);
    tileGradientT(xt, m, d, pr, kk, intercept, pgt);
  }
  for (let j = 0; j < p; j++) {
    for (let c = 0; c < k; c++) {
      const g = pg + ((<usize>c * p + j) << 3);
      store<f64>(g, load<f64>(g) + load<f64>(pgt + ((<usize>j * kk + c) << 3)));
    }
  }
  store<f64>(st, loss);
  return bad;
}

/**
 * Multinomial, more than MAX_T_FEATURES features: per tile of rows, the scores by dot products
 * (two classes per load of x) and softmax row by row (residuals into R at pz, TILE x k), then the
 * tile's gradient Rᵀ X̃ with each (pair of classes, pair of features) summed over the tile's rows
 * in registers and added to G once per tile.
 */
function multinomialGrad(px: usize, py: usize, n: i32, d: i32, intercept: i32, pc: usize, k: i32, pb: usize, pg: usize, pz: usize, st: usize): i32 {
  if (d <= MAX_T_FEATURES) return multinomialGradT(px, py, n, d, intercept, pc, k, pb, pg, pz, st);
  const p = d + (intercept ? 1 : 0);
  const rowBytes = <usize>d << 3;
  const coefBytes = <usize>p << 3;
  const kBytes = <usize>k << 3;
  let loss = load<f64>(st);
  for (let t0 = 0; t0 < n; t0 += TILE) {
    const m = min(TILE, n - t0);
    const xt = px + <usize>t0 * rowBytes;
    for (let i = 0; i < m; i++) {
      const xr = xt + <usize>i * rowBytes;
      const zr = pz + <usize>i * kBytes;
      const code = codeOf(pc, k, load<f64>(py + (<usize>(t0 + i) << 3)));
      if (code < 0) {
        store<f64>(st, loss);
        return t0 + i;
      }
      // Scores two classes at a time (one load of x for both), then the intercepts.
      let c = 0;
      for (; c + 2 <= k; c += 2) {
        const bc = pb + <usize>c * coefBytes;
        dotPair(xr, bc, bc + coefBytes, d, zr + (<usize>c << 3));
      }
      if (c < k) store<f64>(zr + (<usize>c << 3), dotRow(xr, pb + <usize>c * coefBytes, d));
      if (intercept) {
        for (c = 0; c < k; c++) {
          const zp = zr + (<usize>c << 3);
          store<f64>(zp, load<f64>(zp) + load<f64>(pb + <usize>c * coefBytes + rowBytes));
        }
      }
      // The largest score: f64x2.max and max propagate NaN (NaN in X).
      let mv2 = f64x2.splat(-Infinity);
      for (c = 0; c + 2 <= k; c += 2) mv2 = f64x2.max(mv2, v128.load(zr + (<usize>c << 3)));
      let mx = max(f64x2.extract_lane(mv2, 0), f64x2.extract_lane(mv2, 1));
      if (c < k) mx = max(mx, load<f64>(zr + (<usize>c << 3)));
      if (isNaN(mx)) {
        store<f64>(st, loss);
        return t0 + i;
      }
      const zc = load<f64>(zr + (<usize>code << 3));
      // e^(z - max) two classes at a time, an odd k's last one alone.
      const mv = f64x2.splat(mx);
      let sv = f64x2.splat(0);
      for (c = 0; c + 2 <= k; c += 2) {
        const zp = zr + (<usize>c << 3);
        const e = expNonPositive2(f64x2.sub(v128.load(zp), mv));
        v128.store(zp, e);
        sv = f64x2.add(sv, e);
      }
      let sum = hsum(sv);
      if (c < k) {
        const zp = zr + (<usize>c << 3);
        const e = f64x2.extract_lane(expNonPositive2(f64x2.splat(load<f64>(zp) - mx)), 0);
        store<f64>(zp, e);
        sum += e;
      }
      loss += mx + Math.log(sum) - zc;
      // One division per row: the probabilities differ from e / sum by at most an ulp.
      const inv = 1 / sum;
      for (c = 0; c < k; c++) {
        const zp = zr + (<usize>c << 3);
        store<f64>(zp, load<f64>(zp) * inv);
      }
      const zcode = zr + (<usize>code << 3);
      store<f64>(zcode, load<f64>(zcode) - 1);
    }
    tileGradient(xt, pz, m, d, k, intercept, pg);
  }
  store<f64>(st, loss);
  return -1;
}

/** G[c][j] += Σ_i R[i][c] x_i[j] over the m rows of a tile (and the intercepts: Σ_i R[i][c]). */
function tileGradient(xt: usize, pr: usize, m: i32, d: i32, k: i32, intercept: i32, pg: usize): void {
  const p = d + (intercept ? 1 : 0);
  const rowBytes = <usize>d << 3;
  const coefBytes = <usize>p << 3;
  const kBytes = <usize>k << 3;
  let c = 0;
  for (; c + 2 <= k; c += 2) {
    const g0 = pg + <usize>c * coefBytes, g1 = g0 + coefBytes;
    const rc = pr + (<usize>c << 3);
    let j = 0;
    for (; j + 4 <= d; j += 4) {
      const o = <usize>j << 3;
      let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
      for (let i = 0; i < m; i++) {
        const xr = xt + <usize>i * rowBytes + o;
        const ri = rc + <usize>i * kBytes;
        const r0 = f64x2.splat(load<f64>(ri)), r1 = f64x2.splat(load<f64>(ri, 8));
        const x0 = v128.load(xr), x1 = v128.load(xr, 16);
        a00 = f64x2.add(a00, f64x2.mul(r0, x0));
        a01 = f64x2.add(a01, f64x2.mul(r0, x1));
        a10 = f64x2.add(a10, f64x2.mul(r1, x0));
        a11 = f64x2.add(a11, f64x2.mul(r1, x1));
      }
      v128.store(g0 + o, f64x2.add(v128.load(g0 + o), a00));
      v128.store(g0 + o, f64x2.add(v128.load(g0 + o, 16), a01), 16);
      v128.store(g1 + o, f64x2.add(v128.load(g1 + o), a10));
      v128.store(g1 + o, f64x2.add(v128.load(g1 + o, 16), a11), 16);
    }
    for (; j < d; j++) {
      const o = <usize>j << 3;
      let s0: f64 = 0, s1: f64 = 0;
      for (let i = 0; i < m; i++) {
        const x = load<f64>(xt + <usize>i * rowBytes + o);
        const ri = rc + <usize>i * kBytes;
        s0 += load<f64>(ri) * x;
        s1 += load<f64>(ri, 8) * x;
      }
      store<f64>(g0 + o, load<f64>(g0 + o) + s0);
      store<f64>(g1 + o, load<f64>(g1 + o) + s1);
    }
  }
  for (; c < k; c++) {
    const g0 = pg + <usize>c * coefBytes;
    const rc = pr + (<usize>c << 3);
    for (let i = 0; i < m; i++) axpyRow(g0, xt + <usize>i * rowBytes, load<f64>(rc + <usize>i * kBytes), d);
  }
  if (intercept) {
    for (c = 0; c < k; c++) {
      const rc = pr + (<usize>c << 3);
      let s: f64 = 0;
      for (let i = 0; i < m; i++) s += load<f64>(rc + <usize>i * kBytes);
      const gi = pg + <usize>c * coefBytes + rowBytes;
      store<f64>(gi, load<f64>(gi) + s);
    }
  }
}
