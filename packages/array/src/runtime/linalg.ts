/**
 * Dense kernels for the small pieces of the blocked linear algebra: Householder QR of a block,
 * one-sided Jacobi SVD of a small matrix, LU solve and triangular solve. Row-major float64.
 */
import { asFloat64 } from '../dtype';
import type { Block } from './block';
import { kernelsIfAvailable } from './kernels';

export const f64 = (b: Block): Float64Array => asFloat64(b.data);

/**
 * Below this many elements the JS version is faster (measured: 2 x 2 0.3 µs in JS, 0.6 µs in
 * WebAssembly, which pays for copies in and out; from 4 x 4 on WebAssembly wins, 250,000 x 10 by 4-7x).
 */
const WASM_QR_MIN_ELEMENTS = 16;


/**
 * Householder QR of an m x n row-major matrix: Q (m x k), R (k x n), k = min(m, n), with R's
 * diagonal -sign(x0) ‖x‖ and zero columns skipped. The WebAssembly kernel of @pdask/kernels
 * (SIMD, column-major) does it, except for tiny matrices and where the kernels cannot be loaded
 * synchronously, where `householderQRJs` (the same algorithm) does.
 */
export function householderQR(a: Float64Array, m: number, n: number): { q: Float64Array; r: Float64Array; k: number } {
  if (m * n >= WASM_QR_MIN_ELEMENTS) {
    const kernels = kernelsIfAvailable();
    if (kernels) {
      const { q, r, k } = kernels.householderQR(a, m, n);
      return { q: q!, r, k };
    }
  }
  return householderQRJs(a, m, n);
}

/**
 * The JS Householder QR (the same algorithm and signs as the kernel). The work is
 * done on column-major copies: every reflector reads and updates whole columns, which are then
 * contiguous (row-major, a tall matrix's columns stride across every cache line, and each of the
 * 2 n reflector passes would read the whole matrix).
 */
export function householderQRJs(a: Float64Array, m: number, n: number): { q: Float64Array; r: Float64Array; k: number } {
  const k = Math.min(m, n);
  // w: column c is w[c * m .. (c + 1) * m).
  const w = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) w[c * m + i] = a[i * n + c];
  const vs: Float64Array[] = [];
  const vns: number[] = [];
  for (let j = 0; j < k; j++) {
    const col = j * m;
    let norm = 0;
    for (let i = j; i < m; i++) norm += w[col + i] * w[col + i];
    norm = Math.sqrt(norm);
    const v = new Float64Array(m - j);
    if (norm === 0) {
      vs.push(v);
      vns.push(0);
      continue;
    }
    const x0 = w[col + j];
    const alpha = x0 > 0 ? -norm : norm;
    for (let i = j; i < m; i++) v[i - j] = w[col + i];
    v[0] -= alpha;
    let vn = 0;
    for (let i = 0; i < v.length; i++) vn += v[i] * v[i];
    vs.push(v);
    vns.push(vn);
    if (vn === 0) continue;
    for (let c = j; c < n; c++) reflectColumn(w, c * m, j, m, v, vn);
  }
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) for (let c = i; c < n; c++) r[i * n + c] = w[c * m + i];
  // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of the identity (column-major).
  const qc = new Float64Array(m * k);
  for (let i = 0; i < k; i++) qc[i * m + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    if (vns[j] === 0) continue;
    for (let c = 0; c < k; c++) reflectColumn(qc, c * m, j, m, vs[j], vns[j]);
  }
  const q = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) q[i * k + c] = qc[c * m + i];
  return { q, r, k };
}

/** Applies I - 2 v v^T / vn to rows [r0, m) of the column starting at `col` (contiguous). */
function reflectColumn(a: Float64Array, col: number, r0: number, m: number, v: Float64Array, vn: number): void {
  const base = col + r0;
  const len = m - r0;
  let s = 0;
  for (let i = 0; i < len; i++) s += v[i] * a[base + i];
  s = (2 * s) / vn;
  for (let i = 0; i < len; i++) a[base + i] -= s * v[i];
}

export interface QR {
  readonly q: Block;
  readonly r: Block;
}

export function qrBlock(b: Block): QR {
  const [m, n] = b.shape;
  const { q, r, k } = householderQR(f64(b), m, n);
  return { q: { dtype: 'float64', shape: [m, k], data: q }, r: { dtype: 'float64', shape: [k, n], data: r } };
}

/** Second level of TSQR: QR of the stacked R factors of every block. */
export function qrOfStackedR(...parts: QR[]): QR & { offsets: number[] } {
  const n = parts[0].r.shape[1];
  const offsets = [0];
  for (const p of parts) offsets.push(offsets[offsets.length - 1] + p.r.shape[0]);
  const rows = offsets[offsets.length - 1];
  const s = new Float64Array(rows * n);
  parts.forEach((p, i) => s.set(f64(p.r), offsets[i] * n));
  const { q, r, k } = householderQR(s, rows, n);
  return { q: { dtype: 'float64', shape: [rows, k], data: q }, r: { dtype: 'float64', shape: [k, n], data: r }, offsets };
}

function matmul(a: Float64Array, m: number, k: number, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p];
      if (x === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += x * b[p * n + j];
    }
  return c;
}

/** Block i of the final Q: Q1_i @ Q2[rows of block i] (@ post, e.g. the U of the SVD of R). */
export function qFactor(i: number, local: QR, top: QR & { offsets: number[] }, post: Block | null): Block {
  const [m, ki] = local.q.shape;
  const k2 = top.q.shape[1];
  const q2 = top.q.data.subarray(top.offsets[i] * k2, (top.offsets[i] + ki) * k2) as Float64Array;
  let out = matmul(local.q.data as Float64Array, m, ki, q2, k2);
  let cols = k2;
  if (post) {
    out = matmul(out, m, k2, f64(post), post.shape[1]);
    cols = post.shape[1];
  }
  return { dtype: 'float64', shape: [m, cols], data: out };
}

/** A field of a task's object result (the R of a QR, the s of an SVD...). */
export function pick(obj: Record<string, unknown>, field: string): unknown {
  if (!(field in obj)) throw new Error(`pick: no field '${field}'`);
  return obj[field];
}

/** SVD of a small matrix by one-sided Jacobi: u (p x k), s (k), vt (k x n), k = min(p, n). */
export function jacobiSVD(a: Float64Array, p: number, n: number): { u: Float64Array; s: Float64Array; vt: Float64Array; k: number } {
  if (p < n) {
    // svd(A^T) = V S U^T.
    const t = new Float64Array(n * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < n; j++) t[j * p + i] = a[i * n + j];
    const r = jacobiSVD(t, n, p);
    const u = new Float64Array(p * r.k);
    for (let i = 0; i < r.k; i++) for (let j = 0; j < p; j++) u[j * r.k + i] = r.vt[i * p + j];
    const vt = new Float64Array(r.k * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < r.k; j++) vt[j * n + i] = r.u[i * r.k + j];
    return { u, s: r.s, vt, k: r.k };
  }
  const u = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n - 1; i++)
      for (let j = i + 1; j < n; j++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let r = 0; r < p; r++) {
          const x = u[r * n + i];
          const y = u[r * n + j];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let r = 0; r < p; r++) {
          const x = u[r * n + i];
          const y = u[r * n + j];
          u[r * n + i] = c * x - s * y;
          u[r * n + j] = s * x + c * y;
        }
        for (let r = 0; r < n; r++) {
          const x = v[r * n + i];
          const y = v[r * n + j];
          v[r * n + i] = c * x - s * y;
          v[r * n + j] = s * x + c * y;
        }
      }
    if (off < 1e-15) break;
  }
  const sv = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let r = 0; r < p; r++) s += u[r * n + j] ** 2;
    sv[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => sv[y] - sv[x]);
  const k = n;
  const uo = new Float64Array(p * k);
  const so = new Float64Array(k);
  const vt = new Float64Array(k * n);
  order.forEach((j, c) => {
    so[c] = sv[j];
    for (let r = 0; r < p; r++) uo[r * k + c] = sv[j] > 0 ? u[r * n + j] / sv[j] : 0;
    for (let r = 0; r < n; r++) vt[c * n + r] = v[r * n + j];
  });
  return { u: uo, s: so, vt, k };
}

export function svdSmall(top: QR): { u: Block; s: Block; vt: Block } {
  const [p, n] = top.r.shape;
  const { u, s, vt, k } = jacobiSVD(f64(top.r), p, n);
  return { u: { dtype: 'float64', shape: [p, k], data: u }, s: { dtype: 'float64', shape: [k], data: s }, vt: { dtype: 'float64', shape: [k, n], data: vt } };
}

/** Solves A x = b by LU with partial pivoting (b: vector or matrix). */
export function solveDense(a: Block, b: Block): Block {
  const n = a.shape[0];
  if (a.shape.length !== 2 || a.shape[1] !== n) throw new RangeError(`solve: A must be square, got [${a.shape.join(', ')}]`);
  if (b.shape[0] !== n) throw new RangeError(`solve: b has ${b.shape[0]} rows, A has ${n}`);
  const cols = b.shape.length === 1 ? 1 : b.shape[1];
  const lu = Float64Array.from(f64(a));
  const x = Float64Array.from(f64(b));
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[piv * n + k])) piv = i;
    if (lu[piv * n + k] === 0) throw new RangeError('Singular matrix');
    if (piv !== k) {
      for (let j = 0; j < n; j++) [lu[k * n + j], lu[piv * n + j]] = [lu[piv * n + j], lu[k * n + j]];
      for (let j = 0; j < cols; j++) [x[k * cols + j], x[piv * cols + j]] = [x[piv * cols + j], x[k * cols + j]];
    }
    for (let i = k + 1; i < n; i++) {
      const f = lu[i * n + k] / lu[k * n + k];
      if (f === 0) continue;
      for (let j = k; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
      for (let j = 0; j < cols; j++) x[i * cols + j] -= f * x[k * cols + j];
    }
  }
  for (let i = n - 1; i >= 0; i--)
    for (let j = 0; j < cols; j++) {
      let s = x[i * cols + j];
      for (let c = i + 1; c < n; c++) s -= lu[i * n + c] * x[c * cols + j];
      x[i * cols + j] = s / lu[i * n + i];
    }
  return { dtype: 'float64', shape: [...b.shape], data: x };
}

/** Solves R x = y for upper-triangular R (least squares after QR). */
export function solveUpper(r: Block, y: Block): Block {
  const n = r.shape[1];
  const cols = y.shape.length === 1 ? 1 : y.shape[1];
  const x = new Float64Array(n * cols);
  const yd = f64(y);
  const rd = f64(r);
  for (let i = n - 1; i >= 0; i--)
    for (let j = 0; j < cols; j++) {
      let s = yd[i * cols + j];
      for (let c = i + 1; c < n; c++) s -= rd[i * n + c] * x[c * cols + j];
      x[i * cols + j] = s / rd[i * n + i];
    }
  return { dtype: 'float64', shape: y.shape.length === 1 ? [n] : [n, cols], data: x };
}
