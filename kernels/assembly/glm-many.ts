// The binomial log-loss and its gradient at k coefficient vectors over the same rows at once:
// what a search's candidates (one per value of C, say) evaluate on every L-BFGS pass. Each row of
// X is read once for all of them, and the candidates sit side by side in f64x2 lanes, so the
// scores, the link (exp and log1p in lanes, vmath.ts) and the gradient all run two candidates per
// instruction with no horizontal sums.
//
// Layout: Bᵀ at pt and Gᵀ at pg are p x kk (p = d + intercept, the intercepts last; kk = k rounded
// up to even, the spare column zero), the losses at pl kk doubles. Rows go in tiles of TILE whose
// scores, then residuals, are kept in the workspace (TILE x kk) and in L1.
//
// Every candidate's arithmetic is the same whatever k is and wherever it sits: its scores are two
// running sums (even and odd features, the intercept first in the even one) added at the end, its
// loss a running sum over the rows in order, and each gradient entry the sum over a tile's rows in
// order added to G once per tile. So a candidate evaluated among others gets exactly the bits it
// gets alone, provided the tiles start on the same rows (the host feeds blocks of whole tiles).
import { expNonPositive2, log1pUnit2 } from './vmath';
import { codeOf } from './classes';

/** Rows per tile. */
const TILE: i32 = 64;

/** Workspace doubles glm_binomial_many_f64 needs at pz for k candidates: the tile's scores and residuals (TILE x kk), then its targets (TILE). */
export function glm_many_work(k: i32): i32 {
  return TILE * (k + (k & 1)) + TILE;
}

/** Rows glm_binomial_many_f64 takes per tile: the host's blocks are multiples of it, so tiles start on the same rows whatever the block size. */
export function glm_many_tile(): i32 {
  return TILE;
}


/**
 * The tile's 0/1 targets into pyy (m doubles). Returns the first row whose label is not among the
 * classes, or -1. Two classes (the usual case) without a search, whose branches follow the labels.
 */
function targets(py: usize, m: i32, pc: usize, nc: i32, positive: i32, pyy: usize): i32 {
  if (nc == 2) {
    const c0 = load<f64>(pc), c1 = load<f64>(pc, 8);
    const cp = positive == 0 ? c0 : c1;
    let bad = -1;
    for (let i = 0; i < m; i++) {
      const y = load<f64>(py + (<usize>i << 3));
      if (bad < 0 && y != c0 && y != c1) bad = i;
      store<f64>(pyy + (<usize>i << 3), y == cp ? 1.0 : 0.0);
    }
    return bad;
  }
  for (let i = 0; i < m; i++) {
    const code = codeOf(pc, nc, load<f64>(py + (<usize>i << 3)));
    if (code < 0) return i;
    store<f64>(pyy + (<usize>i << 3), code == positive ? 1.0 : 0.0);
  }
  return -1;
}

/**
 * Scores of the tile's m rows for all candidates into pz (m x kk): per candidate pair, an even and
 * an odd running sum over the features. Four pairs at a time share each row's loads of x; the
 * pairs left over go one at a time (consecutive rows' sums are independent and overlap).
 */
function scores(xt: usize, m: i32, d: i32, kk: i32, intercept: i32, pt: usize, pz: usize): void {
  const rowBytes = <usize>d << 3;
  const ktBytes = <usize>kk << 3;
  const de = d & ~1;
  let c = 0;
  for (; c + 8 <= kk; c += 8) {
    const o = <usize>c << 3;
    let i0 = f64x2.splat(0), i1 = f64x2.splat(0), i2 = f64x2.splat(0), i3 = f64x2.splat(0);
    if (intercept) {
      const bi = pt + <usize>d * ktBytes + o;
      i0 = v128.load(bi); i1 = v128.load(bi, 16); i2 = v128.load(bi, 32); i3 = v128.load(bi, 48);
    }
    for (let i = 0; i < m; i++) {
      const xr = xt + <usize>i * rowBytes;
      let e0 = i0, e1 = i1, e2 = i2, e3 = i3;
      let o0 = f64x2.splat(0), o1 = f64x2.splat(0), o2 = f64x2.splat(0), o3 = f64x2.splat(0);
      for (let j = 0; j < de; j += 2) {
        const xe = f64x2.splat(load<f64>(xr + (<usize>j << 3)));
        const xo = f64x2.splat(load<f64>(xr + (<usize>j << 3), 8));
        const be = pt + <usize>j * ktBytes + o;
        const bo = be + ktBytes;
        e0 = f64x2.add(e0, f64x2.mul(xe, v128.load(be)));
        e1 = f64x2.add(e1, f64x2.mul(xe, v128.load(be, 16)));
        e2 = f64x2.add(e2, f64x2.mul(xe, v128.load(be, 32)));
        e3 = f64x2.add(e3, f64x2.mul(xe, v128.load(be, 48)));
        o0 = f64x2.add(o0, f64x2.mul(xo, v128.load(bo)));
        o1 = f64x2.add(o1, f64x2.mul(xo, v128.load(bo, 16)));
        o2 = f64x2.add(o2, f64x2.mul(xo, v128.load(bo, 32)));
        o3 = f64x2.add(o3, f64x2.mul(xo, v128.load(bo, 48)));
      }
      if (de < d) {
        const xe = f64x2.splat(load<f64>(xr + (<usize>de << 3)));
        const be = pt + <usize>de * ktBytes + o;
        e0 = f64x2.add(e0, f64x2.mul(xe, v128.load(be)));
        e1 = f64x2.add(e1, f64x2.mul(xe, v128.load(be, 16)));
        e2 = f64x2.add(e2, f64x2.mul(xe, v128.load(be, 32)));
        e3 = f64x2.add(e3, f64x2.mul(xe, v128.load(be, 48)));
      }
      const zr = pz + <usize>i * ktBytes + o;
      v128.store(zr, f64x2.add(e0, o0));
      v128.store(zr, f64x2.add(e1, o1), 16);
      v128.store(zr, f64x2.add(e2, o2), 32);
      v128.store(zr, f64x2.add(e3, o3), 48);
    }
  }
  for (; c < kk; c += 2) {
    const o = <usize>c << 3;
    const b0 = intercept ? v128.load(pt + <usize>d * ktBytes + o) : f64x2.splat(0);
    for (let i = 0; i < m; i++) {
      const xa = xt + <usize>i * rowBytes;
      let ea = b0;
      let oa = f64x2.splat(0);
      for (let j = 0; j < de; j += 2) {
        const jo = <usize>j << 3;
        ea = f64x2.add(ea, f64x2.mul(f64x2.splat(load<f64>(xa + jo)), v128.load(pt + <usize>j * ktBytes + o)));
        oa = f64x2.add(oa, f64x2.mul(f64x2.splat(load<f64>(xa + jo, 8)), v128.load(pt + <usize>(j + 1) * ktBytes + o)));
      }
      if (de < d) ea = f64x2.add(ea, f64x2.mul(f64x2.splat(load<f64>(xa + (<usize>de << 3))), v128.load(pt + <usize>de * ktBytes + o)));
      v128.store(pz + <usize>i * ktBytes + o, f64x2.add(ea, oa));
    }
  }
}

/** The first of the tile's m rows with a NaN score (NaN in X), or -1. */
function firstNaN(pz: usize, m: i32, kk: i32): i32 {
  const ktBytes = <usize>kk << 3;
  for (let i = 0; i < m; i++) {
    const zr = pz + <usize>i * ktBytes;
    let nan = v128.splat<i64>(0);
    for (let c = 0; c < kk; c += 2) {
      const z = v128.load(zr + (<usize>c << 3));
      nan = v128.or(nan, f64x2.ne(z, z));
    }
    if (v128.any_true(nan)) return i;
  }
  return -1;
}

/**
 * The link over the tile's scores, in place: loss += softplus(z) - y z per candidate, and the
 * residual σ(z) - y replacing z. softplus(z) = max(z, 0) + log1p(e^-|z|), the sigmoid from the same
 * exponential.
 */
function link(pz: usize, pyy: usize, m: i32, kk: i32, pl: usize): void {
  const ktBytes = <usize>kk << 3;
  for (let c = 0; c < kk; c += 2) {
    const o = <usize>c << 3;
    let loss = v128.load(pl + o);
    for (let i = 0; i < m; i++) {
      const zp = pz + <usize>i * ktBytes + o;
      const z = v128.load(zp);
      const y = v128.load64_splat(pyy + (<usize>i << 3));
      const e = expNonPositive2(f64x2.neg(f64x2.abs(z)));
      const l = f64x2.sub(f64x2.add(f64x2.max(z, f64x2.splat(0)), log1pUnit2(e)), f64x2.mul(y, z));
      loss = f64x2.add(loss, l);
      const inv = f64x2.div(f64x2.splat(1.0), f64x2.add(f64x2.splat(1.0), e));
      const pr = v128.bitselect(inv, f64x2.mul(e, inv), f64x2.ge(z, f64x2.splat(0)));
      v128.store(zp, f64x2.sub(pr, y));
    }
    v128.store(pl + o, loss);
  }
}

/**
 * Gᵀ[j][c] += Σ_i x_i[j] R[i][c] over the tile's rows in order, and Gᵀ[d][c] += Σ_i R[i][c] for the
 * intercepts: one candidate pair by four features per sweep (four sums), leftover features alone.
 */
function gradient(xt: usize, m: i32, d: i32, kk: i32, intercept: i32, pr: usize, pg: usize): void {
  const rowBytes = <usize>d << 3;
  const ktBytes = <usize>kk << 3;
  let c = 0;
  for (; c < kk; c += 2) {
    const o = <usize>c << 3;
    let j = 0;
    for (; j + 4 <= d; j += 4) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      const jo = <usize>j << 3;
      for (let i = 0; i < m; i++) {
        const r = v128.load(pr + <usize>i * ktBytes + o);
        const xr = xt + <usize>i * rowBytes + jo;
        a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(load<f64>(xr)), r));
        a1 = f64x2.add(a1, f64x2.mul(f64x2.splat(load<f64>(xr, 8)), r));
        a2 = f64x2.add(a2, f64x2.mul(f64x2.splat(load<f64>(xr, 16)), r));
        a3 = f64x2.add(a3, f64x2.mul(f64x2.splat(load<f64>(xr, 24)), r));
      }
      const g = pg + <usize>j * ktBytes + o;
      v128.store(g, f64x2.add(v128.load(g), a0));
      v128.store(g + ktBytes, f64x2.add(v128.load(g + ktBytes), a1));
      v128.store(g + 2 * ktBytes, f64x2.add(v128.load(g + 2 * ktBytes), a2));
      v128.store(g + 3 * ktBytes, f64x2.add(v128.load(g + 3 * ktBytes), a3));
    }
    for (; j < d; j++) {
      let a0 = f64x2.splat(0);
      const jo = <usize>j << 3;
      for (let i = 0; i < m; i++) a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(load<f64>(xt + <usize>i * rowBytes + jo)), v128.load(pr + <usize>i * ktBytes + o)));
      const g = pg + <usize>j * ktBytes + o;
      v128.store(g, f64x2.add(v128.load(g), a0));
    }
  }
  if (intercept) {
    for (c = 0; c < kk; c += 2) {
      const o = <usize>c << 3;
      let a = f64x2.splat(0);
      for (let i = 0; i < m; i++) a = f64x2.add(a, v128.load(pr + <usize>i * ktBytes + o));
      const g = pg + <usize>d * ktBytes + o;
      v128.store(g, f64x2.add(v128.load(g), a));
    }
  }
}

/**
 * Adds the binomial log-loss of n rows at px (n x d, row-major) with labels at py, at each of k
 * coefficient vectors (Bᵀ at pt), to the losses at pl and the gradients to Gᵀ at pg (layouts
 * above). A label's class code is its index in the nc sorted classes at pc; the rows of code
 * `positive` count as 1. pz is the workspace (glm_many_work(k) doubles). Returns the first row
 * whose label is not among the classes or whose score is NaN (the sums are then incomplete: the
 * caller discards them), or -1.
 */
export function glm_binomial_many_f64(px: usize, py: usize, n: i32, d: i32, intercept: i32, pc: usize, nc: i32, positive: i32,
  k: i32, pt: usize, pg: usize, pl: usize, pz: usize): i32 {
  const kk = k + (k & 1);
  const rowBytes = <usize>d << 3;
  const pyy = pz + (<usize>(TILE * kk) << 3);
  for (let t0 = 0; t0 < n; t0 += TILE) {
    const m = min(TILE, n - t0);
    const xt = px + <usize>t0 * rowBytes;
    const bad = targets(py + (<usize>t0 << 3), m, pc, nc, positive, pyy);
    // Rows before a bad label are still checked for NaN scores: the caller reports the first problem.
    const upto = bad < 0 ? m : bad;
    scores(xt, upto, d, kk, intercept, pt, pz);
    const nan = firstNaN(pz, upto, kk);
    if (nan >= 0) return t0 + nan;
    if (bad >= 0) return t0 + bad;
    link(pz, pyy, m, kk, pl);
    gradient(xt, m, d, kk, intercept, pz, pg);
  }
  return -1;
}
