/**
 * Block kernels of Dask's blocked `cholesky`, `lu` and `solve_triangular` (graph in
 * linalg/triangular.ts). Every task first forms its target, a block minus the sum of products of
 * blocks already factored (Dask keeps those products as separate tasks; here the consumer sums
 * them, so a task reads one block row of factors), then factors or solves one block.
 * Row-major float64.
 */
import type { Block } from './block';
import { f64 } from './linalg';

class LinAlgError extends Error {
  override name = 'LinAlgError';
}

const dims = (b: Block): [number, number] => (b.shape.length === 2 ? [b.shape[0], b.shape[1]] : [b.shape[0], 1]);
const out = (shape: readonly number[], data: Float64Array): Block => ({ dtype: 'float64', shape: [...shape], data });

/** a - Σ X_q Y_q over pairs (X_q, Y_q); with `transY`, a - Σ X_q Y_q^T. */
export function minusProducts(a: Block, pairs: readonly Block[], transY: boolean): Float64Array {
  const [r, c] = dims(a);
  const t = f64(a).slice();
  for (let q = 0; q < pairs.length; q += 2) {
    const x = f64(pairs[q]);
    const y = f64(pairs[q + 1]);
    const k = dims(pairs[q])[1];
    for (let i = 0; i < r; i++) {
      for (let p = 0; p < k; p++) {
        const v = x[i * k + p];
        if (v === 0) continue;
        if (transY) for (let j = 0; j < c; j++) t[i * c + j] -= v * y[j * k + p];
        else for (let j = 0; j < c; j++) t[i * c + j] -= v * y[p * c + j];
      }
    }
  }
  return t;
}

/** Solves T x = b in place (b: n x m) for triangular T (n x n), reading only T's triangle. */
export function triSolveInPlace(t: Float64Array, n: number, b: Float64Array, m: number, lower: boolean, unit: boolean): void {
  const order = lower ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: n }, (_, i) => n - 1 - i);
  for (const i of order) {
    const lo = lower ? 0 : i + 1;
    const hi = lower ? i : n;
    for (let p = lo; p < hi; p++) {
      const v = t[i * n + p];
      if (v === 0) continue;
      for (let j = 0; j < m; j++) b[i * m + j] -= v * b[p * m + j];
    }
    if (unit) continue;
    const d = t[i * n + i];
    // scipy.linalg.solve_triangular's message (LAPACK trtrs reports the singular diagonal).
    if (d === 0) throw new LinAlgError(`singular matrix: resolution failed at diagonal ${i}`);
    for (let j = 0; j < m; j++) b[i * m + j] /= d;
  }
}

const transpose = (a: Float64Array, r: number, c: number): Float64Array => {
  const t = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = a[i * c + j];
  return t;
};

/** Lower Cholesky factor of a (n x n, only its lower triangle read), as LAPACK's potrf. */
function choleskyLower(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let p = 0; p < j; p++) d -= l[j * n + p] * l[j * n + p];
    if (!(d > 0)) throw new LinAlgError('Matrix is not positive definite');
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Diagonal block i: chol(A_ii - Σ_p L_ip L_ip^T); arguments A_ii, then the pairs (L_ip, L_ip). */
export function choleskyDiag(a: Block, ...pairs: Block[]): Block {
  const n = a.shape[0];
  return out([n, n], choleskyLower(minusProducts(a, pairs, true), n));
}

/**
 * Block (i, j), i > j, of L: from Dask's upper block U_ji = L_jj^-1 (A_ji - Σ_p L_jp L_ip^T)
 * (A's block above the diagonal, as Dask reads it), L_ij = U_ji^T.
 */
export function choleskyOff(aJI: Block, lJJ: Block, ...pairs: Block[]): Block {
  const [r, c] = dims(aJI);
  const u = minusProducts(aJI, pairs, true);
  triSolveInPlace(f64(lJJ), r, u, c, true, false);
  return out([c, r], transpose(u, r, c));
}

/** The transpose of a 2-d block (the upper factor's blocks from the lower's). */
export function transpose2d(b: Block): Block {
  const [r, c] = dims(b);
  return out([c, r], transpose(f64(b), r, c));
}

export function zeroBlock(shape: readonly number[]): Block {
  return out(shape, new Float64Array(shape.reduce((x, y) => x * y, 1)));
}

/** A block passed on unchanged (an array whose block is another layer's intermediate value). */
export function sameBlock(b: Block): Block {
  return b;
}

/** The factors of one diagonal block, as scipy.linalg.lu gives them (a = p l u), and its row order. */
export interface LUDiag {
  readonly p: Block;
  readonly l: Block;
  readonly u: Block;
  /** perm[i]: the row of the block that became row i of l u. */
  readonly perm: Int32Array;
}

/**
 * LU with partial pivoting of a square block (LAPACK's getrf: the first largest pivot; a zero
 * pivot column is left as it is, not an error, as scipy.linalg.lu does).
 */
function getrf(a: Float64Array, n: number): Int32Array {
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.abs(a[c * n + c]);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(a[r * n + c]);
      if (v > best) [best, p] = [v, r];
    }
    if (p !== c) {
      for (let j = 0; j < n; j++) [a[c * n + j], a[p * n + j]] = [a[p * n + j], a[c * n + j]];
      [perm[c], perm[p]] = [perm[p], perm[c]];
    }
    const d = a[c * n + c];
    if (d === 0) continue;
    for (let r = c + 1; r < n; r++) {
      const l = (a[r * n + c] /= d);
      if (l === 0) continue;
      for (let j = c + 1; j < n; j++) a[r * n + j] -= l * a[c * n + j];
    }
  }
  return perm;
}

/** Diagonal block i: lu(A_ii - Σ_p Lt_ip U_pi); arguments A_ii, then the pairs (Lt_ip, U_pi). */
export function luDiag(a: Block, ...pairs: Block[]): LUDiag {
  const n = a.shape[0];
  const lu = minusProducts(a, pairs, false);
  const perm = getrf(lu, n);
  const p = new Float64Array(n * n);
  const l = new Float64Array(n * n);
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    p[perm[i] * n + i] = 1;
    l[i * n + i] = 1;
    for (let j = 0; j < i; j++) l[i * n + j] = lu[i * n + j];
    for (let j = i; j < n; j++) u[i * n + j] = lu[i * n + j];
  }
  return { p: out([n, n], p), l: out([n, n], l), u: out([n, n], u), perm };
}

/** Rows of a block in the diagonal block's pivot order (P^T b). */
function permuteRows(d: LUDiag, b: Float64Array, c: number): Float64Array {
  const r = d.perm.length;
  const o = new Float64Array(r * c);
  for (let i = 0; i < r; i++) o.set(b.subarray(d.perm[i] * c, d.perm[i] * c + c), i * c);
  return o;
}

/** U_ij, j > i: L_ii^-1 P_ii^T (A_ij - Σ_p Lt_ip U_pj); arguments the diagonal factors, A_ij, pairs. */
export function luRight(d: LUDiag, a: Block, ...pairs: Block[]): Block {
  const [r, c] = dims(a);
  const t = permuteRows(d, minusProducts(a, pairs, false), c);
  triSolveInPlace(f64(d.l), r, t, c, true, true);
  return out([r, c], t);
}

/**
 * Lt_ki, k > i (L's block before block row k's own pivoting): (A_ki - Σ_p Lt_kp U_pi) U_ii^-1,
 * solved as U_ii^T x^T = target^T.
 */
export function luBelow(d: LUDiag, a: Block, ...pairs: Block[]): Block {
  const [r, c] = dims(a);
  const t = transpose(minusProducts(a, pairs, false), r, c);
  triSolveInPlace(transpose(f64(d.u), c, c), c, t, r, true, false);
  return out([r, c], transpose(t, c, r));
}

/** L's block (k, i), k > i: P_kk^T Lt_ki (the rows in block row k's pivot order). */
export function luLowerBlock(d: LUDiag, lt: Block): Block {
  const [r, c] = dims(lt);
  return out([r, c], permuteRows(d, f64(lt), c));
}

/**
 * Block (i, j) of x in T x = b: T_ii^-1 (b_ij - Σ_k T_ik x_kj); arguments lower, T_ii, b_ij,
 * then the pairs (T_ik, x_kj).
 */
export function triSolveBlock(lower: boolean, t: Block, b: Block, ...pairs: Block[]): Block {
  const [r, c] = dims(b);
  const x = minusProducts(b, pairs, false);
  triSolveInPlace(f64(t), r, x, c, lower, false);
  return out(b.shape, x);
}
