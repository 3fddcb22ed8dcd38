// Householder QR of a dense m x n float64 block (the per-block step of TSQR), the same algorithm and
// signs as @pdask/array's JS version: for column j, alpha = -sign(x0) * ‖x‖ (x0 > 0 → -‖x‖, else
// +‖x‖), v = x - alpha e0, and H_j = I - 2 v vᵀ / (vᵀv) applied to columns j..n-1; a zero column
// (‖x‖ = 0) has no reflector. Q = H_0 ... H_{k-1} applied to the first k columns of the identity.
//
// The work is column-major: each reflector reads and updates whole contiguous columns with f64x2
// dot products and axpys, two columns at a time so that one load of v serves both. The reflector
// v_j is kept below the diagonal of column j (R's diagonal saved apart), so no other buffer is needed.

// @ts-ignore: decorator
@inline function hsum(a: v128): f64 {
  return f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
}

/** Σ_i v[i] x[i] over len values. */
function dot1(pv: usize, px: usize, len: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= len; i += 8) {
    const o = <usize>i << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(pv + o), v128.load(px + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(pv + o, 16), v128.load(px + o, 16)));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(pv + o, 32), v128.load(px + o, 32)));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(pv + o, 48), v128.load(px + o, 48)));
  }
  let s = hsum(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)));
  for (; i < len; i++) s += load<f64>(pv + (<usize>i << 3)) * load<f64>(px + (<usize>i << 3));
  return s;
}

/** x[i] -= s v[i] over len values. */
function axpy1(pv: usize, px: usize, len: i32, s: f64): void {
  const sv = f64x2.splat(s);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 3;
    v128.store(px + o, f64x2.sub(v128.load(px + o), f64x2.mul(sv, v128.load(pv + o))));
    v128.store(px + o, f64x2.sub(v128.load(px + o, 16), f64x2.mul(sv, v128.load(pv + o, 16))), 16);
  }
  for (; i < len; i++) {
    const p = px + (<usize>i << 3);
    store<f64>(p, load<f64>(p) - s * load<f64>(pv + (<usize>i << 3)));
  }
}

/** The dot products of v with two columns x and y in one pass (into dotX, dotY). */
let dotX: f64 = 0;
let dotY: f64 = 0;
function dot2(pv: usize, px: usize, py: usize, len: i32): void {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), b0 = f64x2.splat(0), b1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 3;
    const v0 = v128.load(pv + o), v1 = v128.load(pv + o, 16);
    a0 = f64x2.add(a0, f64x2.mul(v0, v128.load(px + o)));
    a1 = f64x2.add(a1, f64x2.mul(v1, v128.load(px + o, 16)));
    b0 = f64x2.add(b0, f64x2.mul(v0, v128.load(py + o)));
    b1 = f64x2.add(b1, f64x2.mul(v1, v128.load(py + o, 16)));
  }
  let s = hsum(f64x2.add(a0, a1)), t = hsum(f64x2.add(b0, b1));
  for (; i < len; i++) {
    const o = <usize>i << 3;
    const v = load<f64>(pv + o);
    s += v * load<f64>(px + o);
    t += v * load<f64>(py + o);
  }
  dotX = s;
  dotY = t;
}

/** x[i] -= s v[i], y[i] -= t v[i] in one pass. */
function axpy2(pv: usize, px: usize, py: usize, len: i32, s: f64, t: f64): void {
  const sv = f64x2.splat(s), tv = f64x2.splat(t);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 3;
    const v0 = v128.load(pv + o), v1 = v128.load(pv + o, 16);
    v128.store(px + o, f64x2.sub(v128.load(px + o), f64x2.mul(sv, v0)));
    v128.store(px + o, f64x2.sub(v128.load(px + o, 16), f64x2.mul(sv, v1)), 16);
    v128.store(py + o, f64x2.sub(v128.load(py + o), f64x2.mul(tv, v0)));
    v128.store(py + o, f64x2.sub(v128.load(py + o, 16), f64x2.mul(tv, v1)), 16);
  }
  for (; i < len; i++) {
    const o = <usize>i << 3;
    const v = load<f64>(pv + o);
    store<f64>(px + o, load<f64>(px + o) - s * v);
    store<f64>(py + o, load<f64>(py + o) - t * v);
  }
}

/**
 * Applies H = I - 2 v vᵀ / vn to rows [r0, m) of the columns c0..c1-1 of the column-major matrix at
 * pw (m rows); v (m - r0 values) is at pv.
 */
function reflect(pw: usize, m: i32, r0: i32, c0: i32, c1: i32, pv: usize, vn: f64): void {
  const len = m - r0;
  // (2 s) / vn as in the JS version, not s * (2 / vn): the same rounding.
  let c = c0;
  for (; c + 2 <= c1; c += 2) {
    const px = pw + ((<usize>c * <usize>m + <usize>r0) << 3);
    const py = px + (<usize>m << 3);
    dot2(pv, px, py, len);
    axpy2(pv, px, py, len, (2 * dotX) / vn, (2 * dotY) / vn);
  }
  if (c < c1) {
    const px = pw + ((<usize>c * <usize>m + <usize>r0) << 3);
    axpy1(pv, px, len, (2 * dot1(pv, px, len)) / vn);
  }
}

/**
 * Householder QR of the row-major m x n matrix at pa. pw: m x n work (column-major copy); pr: R
 * (k x n row-major, k = min(m, n)) out; pt: 2 k work values. With pq (m x k work) non-zero, Q
 * (m x k, row-major) is written over pa; otherwise pa is left as it was.
 */
export function householder_qr_f64(pa: usize, m: i32, n: i32, pw: usize, pr: usize, pq: usize, pt: usize): void {
  const k = min(m, n);
  const um = <usize>m, un = <usize>n;
  // Column-major copy: w[c m + i] = a[i n + c].
  for (let i: usize = 0; i < um; i++) {
    const row = pa + ((i * un) << 3);
    for (let c: usize = 0; c < un; c++) store<f64>(pw + ((c * um + i) << 3), load<f64>(row + (c << 3)));
  }
  const pvn = pt;            // vᵀv per reflector (0: none)
  const pdiag = pt + (<usize>k << 3); // R's diagonal
  for (let j = 0; j < k; j++) {
    const col = pw + ((<usize>j * um + <usize>j) << 3);
    const len = m - j;
    const norm = Math.sqrt(dot1(col, col, len));
    store<f64>(pvn + (<usize>j << 3), 0);
    if (norm == 0) {
      store<f64>(pdiag + (<usize>j << 3), load<f64>(col));
      continue;
    }
    const x0 = load<f64>(col);
    const alpha = x0 > 0 ? -norm : norm;
    // v = x - alpha e0, in place of column j; its reflection (R's diagonal) is computed from it.
    const xx = norm * norm;
    const v0 = x0 - alpha;
    store<f64>(col, v0);
    const vn = dot1(col, col, len);
    if (vn == 0) {
      store<f64>(col, x0);
      store<f64>(pdiag + (<usize>j << 3), x0);
      continue;
    }
    store<f64>(pvn + (<usize>j << 3), vn);
    // H x for the column itself: x - (2 v·x / vn) v, with v·x = Σ v_i x_i = v0 x0 + (‖x‖² - x0²).
    // Its first entry is R[j, j]; the rest (≈ 0) are not kept.
    const vx = v0 * x0 + (xx - x0 * x0);
    store<f64>(pdiag + (<usize>j << 3), x0 - ((2 * vx) / vn) * v0);
    reflect(pw, m, j, j + 1, n, col, vn);
  }
  for (let i = 0; i < k; i++) {
    const ri = pr + ((<usize>i * un) << 3);
    for (let c = 0; c < i; c++) store<f64>(ri + (<usize>c << 3), 0);
    store<f64>(ri + (<usize>i << 3), load<f64>(pdiag + (<usize>i << 3)));
    for (let c = i + 1; c < n; c++) store<f64>(ri + (<usize>c << 3), load<f64>(pw + ((<usize>c * um + <usize>i) << 3)));
  }
  if (pq == 0) return;
  const uk = <usize>k;
  memory.fill(pq, 0, (um * uk) << 3);
  for (let i: usize = 0; i < uk; i++) store<f64>(pq + ((i * um + i) << 3), 1);
  for (let j = k - 1; j >= 0; j--) {
    const vn = load<f64>(pvn + (<usize>j << 3));
    if (vn == 0) continue;
    // H_j only changes rows >= j, and columns c < j of the partial product are still e_c there.
    reflect(pq, m, j, j, k, pw + ((<usize>j * um + <usize>j) << 3), vn);
  }
  for (let i: usize = 0; i < um; i++) {
    const row = pa + ((i * uk) << 3);
    for (let c: usize = 0; c < uk; c++) store<f64>(row + (c << 3), load<f64>(pq + ((c * um + i) << 3)));
  }
}
