// The per-block loss and gradient of binomial and multinomial logistic regression (what L-BFGS,
// proximal gradient and the searches evaluate on every pass): Σ log-loss over the rows and its
// gradient X̃ᵀR, X̃ being X with a column of ones when the intercept is fitted, R the residuals
// (probabilities minus the one-hot targets). No Hessian: that is newton_f64's job.
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
 * Adds the log-loss of n rows at px (n x d, row-major) with labels at py to st[0] and its gradient
 * to pg (k x p, p = d + intercept, the intercept last in each row); β at pb has the same layout.
 * pz is a workspace of glm_work(k) doubles. Returns the first row whose label is not among the classes or
 * whose score is NaN (the sums are then incomplete: the caller discards them), or -1.
 */
export function glm_grad_f64(px: usize, py: usize, n: i32, d: i32, intercept: i32, multinomial: i32,
  pc: usize, nc: i32, positive: i32, pb: usize, pg: usize, pz: usize, st: usize): i32 {
  if (multinomial) return multinomialGrad(px, py, n, d, intercept, pc, nc, pb, pg, pz, st);
  const rowBytes = <usize>d << 3;
  let loss = load<f64>(st);
  for (let i = 0; i < n; i++) {
    const xr = px + <usize>i * rowBytes;
    const code = codeOf(pc, nc, load<f64>(py + (<usize>i << 3)));
    let s = code < 0 ? NaN : dotRow(xr, pb, d);
    if (intercept) s += load<f64>(pb + rowBytes);
    if (isNaN(s)) {
      store<f64>(st, loss);
      return i;
    }
    const yy: f64 = code == positive ? 1 : 0;
    // softplus(s) = max(s, 0) + log1p(e^{-|s|}); the sigmoid from the same exponential.
    const e = Math.exp(-Math.abs(s));
    loss += (s > 0 ? s : 0) + Math.log1p(e) - yy * s;
    const pr = s >= 0 ? 1 / (1 + e) : e / (1 + e);
    const r = pr - yy;
    if (r != 0) {
      axpyRow(pg, xr, r, d);
      if (intercept) store<f64>(pg + rowBytes, load<f64>(pg + rowBytes) + r);
    }
  }
  store<f64>(st, loss);
  return -1;
}

/** Rows per tile of the multinomial gradient: their residuals (TILE x k) stay in L1 with the rows. */
const TILE: i32 = 64;

/** Workspace doubles glm_grad_f64 needs at pz for k coefficient rows. */
export function glm_work(k: i32): i32 {
  return TILE * k;
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
      // Scores two classes at a time (one load of x for both), then the intercepts and the max.
      let c = 0;
      for (; c + 2 <= k; c += 2) {
        const bc = pb + <usize>c * coefBytes;
        dotPair(xr, bc, bc + coefBytes, d, zr + (<usize>c << 3));
      }
      if (c < k) store<f64>(zr + (<usize>c << 3), dotRow(xr, pb + <usize>c * coefBytes, d));
      let mx = -Infinity;
      for (c = 0; c < k; c++) {
        const zp = zr + (<usize>c << 3);
        let s = load<f64>(zp);
        if (intercept) {
          s += load<f64>(pb + <usize>c * coefBytes + rowBytes);
          store<f64>(zp, s);
        }
        if (isNaN(s)) {
          store<f64>(st, loss);
          return t0 + i;
        }
        if (s > mx) mx = s;
      }
      const zc = load<f64>(zr + (<usize>code << 3));
      let sum: f64 = 0;
      for (c = 0; c < k; c++) {
        const zp = zr + (<usize>c << 3);
        const e = Math.exp(load<f64>(zp) - mx);
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
