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
 * pz is a workspace of k doubles. Returns the first row whose label is not among the classes or
 * whose score is NaN (nothing of that row or later ones is added), or -1.
 */
export function glm_grad_f64(px: usize, py: usize, n: i32, d: i32, intercept: i32, multinomial: i32,
  pc: usize, nc: i32, positive: i32, pb: usize, pg: usize, pz: usize, st: usize): i32 {
  const p = d + (intercept ? 1 : 0);
  const k = multinomial ? nc : 1;
  const rowBytes = <usize>d << 3;
  const coefBytes = <usize>p << 3;
  let loss = load<f64>(st);
  for (let i = 0; i < n; i++) {
    const xr = px + <usize>i * rowBytes;
    const code = codeOf(pc, nc, load<f64>(py + (<usize>i << 3)));
    if (code < 0) {
      store<f64>(st, loss);
      return i;
    }
    if (!multinomial) {
      let s = dotRow(xr, pb, d);
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
      continue;
    }
    let m = -Infinity;
    for (let c = 0; c < k; c++) {
      const bc = pb + <usize>c * coefBytes;
      let s = dotRow(xr, bc, d);
      if (intercept) s += load<f64>(bc + rowBytes);
      if (isNaN(s)) {
        store<f64>(st, loss);
        return i;
      }
      store<f64>(pz + (<usize>c << 3), s);
      if (s > m) m = s;
    }
    const zc = load<f64>(pz + (<usize>code << 3));
    let sum: f64 = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(load<f64>(pz + (<usize>c << 3)) - m);
      store<f64>(pz + (<usize>c << 3), e);
      sum += e;
    }
    loss += m + Math.log(sum) - zc;
    for (let c = 0; c < k; c++) {
      const r = load<f64>(pz + (<usize>c << 3)) / sum - (c == code ? 1 : 0);
      if (r == 0) continue;
      const gc = pg + <usize>c * coefBytes;
      axpyRow(gc, xr, r, d);
      if (intercept) store<f64>(gc + rowBytes, load<f64>(gc + rowBytes) + r);
    }
  }
  store<f64>(st, loss);
  return -1;
}
