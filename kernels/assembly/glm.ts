// The per-block loss and gradient of binomial and multinomial logistic regression (what L-BFGS,
// proximal gradient and the searches evaluate on every pass): Σ log-loss over the rows and its
// gradient X̃ᵀR, X̃ being X with a column of ones when the intercept is fitted, R the residuals
// (probabilities minus the one-hot targets). No Hessian: that is newton_f64's job.
// The binomial case has moved to glm-many.ts (coefficient vectors in SIMD lanes, a vector link);
// the notes on it below describe the loop it replaced.
//
// Per row: one dot product per coefficient row (f64x2 lanes along the features, two accumulators),
// the link on the scalar path (exp, log1p), then one f64x2 axpy per coefficient row into the
// gradient, which stays in L1 (k · p doubles).
//
// Targets arrive as label values; `classes` (sorted, nc values) turns one into its class code by
// binary search. Binomial (k = 1): the target is 1 when its code is `positive`, else 0.
// Multinomial: k = nc coefficient rows.

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

/** g0 += r0 · x and g1 += r1 · x over d values, x loaded once for both. */
// @ts-ignore: decorator
@inline function axpyPair(pg0: usize, pg1: usize, px: usize, r0: f64, r1: f64, d: i32): void {
  const v0 = f64x2.splat(r0), v1 = f64x2.splat(r1);
  let j = 0;
  for (; j + 2 <= d; j += 2) {
    const o = <usize>j << 3;
    const x = v128.load(px + o);
    v128.store(pg0 + o, f64x2.add(v128.load(pg0 + o), f64x2.mul(v0, x)));
    v128.store(pg1 + o, f64x2.add(v128.load(pg1 + o), f64x2.mul(v1, x)));
  }
  if (j < d) {
    const o = <usize>j << 3;
    const x = load<f64>(px + o);
    store<f64>(pg0 + o, load<f64>(pg0 + o) + r0 * x);
    store<f64>(pg1 + o, load<f64>(pg1 + o) + r1 * x);
  }
}

/** Index of y in the sorted classes, or -1 (NaN included). */
// @ts-ignore: decorator
@inline function codeOf(pc: usize, nc: i32, y: f64): i32 {
  let lo = 0, hi = nc - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = load<f64>(pc + (<usize>mid << 3));
    if (c == y) return mid;
    if (c < y) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
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

/** Rows per tile of the multinomial gradient: their residuals (TILE x k) stay in L1 with the rows. */
const TILE: i32 = 64;

/** Workspace doubles glm_grad_f64 needs at pz for k coefficient rows (the tile's residuals, then Bᵀ padded to an even k; features up to MAX_T_FEATURES). */
export function glm_work(k: i32): i32 {
  return TILE * k + 2 + (MAX_T_FEATURES + 1) * (k + (k & 1));
}

/** The transposed coefficients (scores by class pairs, below) are used up to this many features; wider X keeps the dot products. */
const MAX_T_FEATURES: i32 = 256;

// e^x for x <= 0 in f64x2 lanes (the softmax's e^(z - max)): x = n ln2 + r with |r| <= ln2 / 2,
// e^r by its Taylor polynomial to degree 13 (truncation below 2^-56 relative), times 2^n built in
// the exponent bits. Below -708 (where e^x is subnormal, under 2^-1021 of the largest term) 0.
const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
/** 2^52 + 2^51: adding it rounds to an integer held in the low bits of the mantissa. */
const SHIFTER: f64 = 6755399441055744.0;

// @ts-ignore: decorator
@inline function expNeg2(x: v128): v128 {
  const small = f64x2.lt(x, f64x2.splat(-708));
  const xc = f64x2.max(x, f64x2.splat(-708));
  const t = f64x2.add(f64x2.mul(xc, f64x2.splat(LOG2E)), f64x2.splat(SHIFTER));
  const nf = f64x2.sub(t, f64x2.splat(SHIFTER));
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(nf, f64x2.splat(LN2_HI))), f64x2.mul(nf, f64x2.splat(LN2_LO)));
  // Estrin's scheme (pairs, then powers r², r⁴, r⁸): a few dependent steps instead of Horner's 13.
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const p01 = f64x2.add(f64x2.splat(1.0), r);
  const p23 = f64x2.add(f64x2.splat(1.0 / 2.0), f64x2.mul(r, f64x2.splat(1.0 / 6.0)));
  const p45 = f64x2.add(f64x2.splat(1.0 / 24.0), f64x2.mul(r, f64x2.splat(1.0 / 120.0)));
  const p67 = f64x2.add(f64x2.splat(1.0 / 720.0), f64x2.mul(r, f64x2.splat(1.0 / 5040.0)));
  const p89 = f64x2.add(f64x2.splat(1.0 / 40320.0), f64x2.mul(r, f64x2.splat(1.0 / 362880.0)));
  const pab = f64x2.add(f64x2.splat(1.0 / 3628800.0), f64x2.mul(r, f64x2.splat(1.0 / 39916800.0)));
  const pcd = f64x2.add(f64x2.splat(1.0 / 479001600.0), f64x2.mul(r, f64x2.splat(1.0 / 6227020800.0)));
  const q0 = f64x2.add(p01, f64x2.mul(p23, r2));
  const q1 = f64x2.add(p45, f64x2.mul(p67, r2));
  const q2 = f64x2.add(p89, f64x2.mul(pab, r2));
  const s0 = f64x2.add(q0, f64x2.mul(q1, r4));
  const s1 = f64x2.add(q2, f64x2.mul(pcd, r4));
  const q = f64x2.add(s0, f64x2.mul(s1, r8));
  // n sits in the low bits of t: 2^n = (n + 1023) << 52, n in [-1022, 0].
  const n = i64x2.sub(t, f64x2.splat(SHIFTER));
  const scale = i64x2.shl(i64x2.add(n, i64x2.splat(1023)), 52);
  return v128.andnot(f64x2.mul(q, scale), small);
}

/**
 * Scores of one row for all classes from Bᵀ at pt (p x kk, kk = k rounded up to even, padded with
 * zeros): z[c..c+1] += x[j] · Bᵀ[j][c..c+1], class pairs in f64x2 lanes, so no horizontal sums;
 * up to four pairs at a time (four independent sums), the intercepts (Bᵀ's last row) included.
 */
// @ts-ignore: decorator
@inline function scoresT(xr: usize, pt: usize, d: i32, kk: i32, intercept: i32, zr: usize): void {
  const ktBytes = <usize>kk << 3;
  let c = 0;
  for (; c + 8 <= kk; c += 8) {
    const o = <usize>c << 3;
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    if (intercept) {
      const bi = pt + <usize>d * ktBytes + o;
      a0 = v128.load(bi); a1 = v128.load(bi, 16); a2 = v128.load(bi, 32); a3 = v128.load(bi, 48);
    }
    for (let j = 0; j < d; j++) {
      const xv = f64x2.splat(load<f64>(xr + (<usize>j << 3)));
      const bj = pt + <usize>j * ktBytes + o;
      a0 = f64x2.add(a0, f64x2.mul(xv, v128.load(bj)));
      a1 = f64x2.add(a1, f64x2.mul(xv, v128.load(bj, 16)));
      a2 = f64x2.add(a2, f64x2.mul(xv, v128.load(bj, 32)));
      a3 = f64x2.add(a3, f64x2.mul(xv, v128.load(bj, 48)));
    }
    v128.store(zr + o, a0); v128.store(zr + o, a1, 16); v128.store(zr + o, a2, 32); v128.store(zr + o, a3, 48);
  }
  for (; c < kk; c += 2) {
    const o = <usize>c << 3;
    // Even and odd features in two sums, so that consecutive adds do not wait on each other.
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
    if (intercept) a0 = v128.load(pt + <usize>d * ktBytes + o);
    let j = 0;
    for (; j + 2 <= d; j += 2) {
      const bj = pt + <usize>j * ktBytes + o;
      a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(load<f64>(xr + (<usize>j << 3))), v128.load(bj)));
      a1 = f64x2.add(a1, f64x2.mul(f64x2.splat(load<f64>(xr + (<usize>j << 3), 8)), v128.load(bj + ktBytes)));
    }
    if (j < d) a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(load<f64>(xr + (<usize>j << 3))), v128.load(pt + <usize>j * ktBytes + o)));
    v128.store(zr + o, f64x2.add(a0, a1));
  }
}

/**
 * Multinomial: per tile of rows, the scores and softmax row by row (residuals into R at pz, TILE x k),
 * then the tile's gradient Rᵀ X̃ with each (pair of classes, pair of features) summed over the
 * tile's rows in registers and added to G once per tile.
 */
function multinomialGrad(px: usize, py: usize, n: i32, d: i32, intercept: i32, pc: usize, k: i32, pb: usize, pg: usize, pz: usize, st: usize): i32 {
  const p = d + (intercept ? 1 : 0);
  const rowBytes = <usize>d << 3;
  const coefBytes = <usize>p << 3;
  const kBytes = <usize>k << 3;
  // Bᵀ (p x kk, zero-padded) after the residual tile and two spare doubles (scoresT writes kk
  // values per row: with an odd k the last one lands on the next row's first, or on the spare).
  const kk = k + (k & 1);
  const transposed = d <= MAX_T_FEATURES;
  const pt = pz + (<usize>(TILE * k + 2) << 3);
  if (transposed) {
    for (let j = 0; j < p; j++) {
      for (let c = 0; c < kk; c++) store<f64>(pt + ((<usize>j * kk + c) << 3), c < k ? load<f64>(pb + ((<usize>c * p + j) << 3)) : 0);
    }
  }
  let identity = true;
  for (let c = 0; c < k; c++) if (load<f64>(pc + (<usize>c << 3)) != <f64>c) identity = false;
  let loss = load<f64>(st);
  for (let t0 = 0; t0 < n; t0 += TILE) {
    const m = min(TILE, n - t0);
    const xt = px + <usize>t0 * rowBytes;
    for (let i = 0; i < m; i++) {
      const xr = xt + <usize>i * rowBytes;
      const zr = pz + <usize>i * kBytes;
      const yv = load<f64>(py + (<usize>(t0 + i) << 3));
      // Classes 0, 1, ..., k - 1 (what LogisticRegression's labels usually are): the label is its
      // code, with no search (whose branches the CPU cannot predict).
      let yi: i32 = 0;
      const code = identity ? (yv >= 0 && yv < <f64>k && <f64>(yi = <i32>yv) == yv ? yi : -1) : codeOf(pc, k, yv);
      if (code < 0) {
        store<f64>(st, loss);
        return t0 + i;
      }
      let c = 0;
      if (transposed) scoresT(xr, pt, d, kk, intercept, zr);
      else {
        // Scores two classes at a time (one load of x for both), then the intercepts.
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
      }
      // The largest score, with no data-dependent branch: f64x2.max and max propagate NaN (NaN in X).
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
        const e = expNeg2(f64x2.sub(v128.load(zp), mv));
        v128.store(zp, e);
        sv = f64x2.add(sv, e);
      }
      let sum = hsum(sv);
      if (c < k) {
        const zp = zr + (<usize>c << 3);
        const e = f64x2.extract_lane(expNeg2(f64x2.splat(load<f64>(zp) - mx)), 0);
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
