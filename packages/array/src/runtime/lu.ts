/**
 * Blocked LU with partial pivoting for `linalg.solve` (right-looking, one block column per task):
 * step k factors the panel of block column k (rows k.. down, pivoting over the whole panel, as
 * LAPACK's getrf does), then each later block column (and each block column of b) is permuted,
 * solved against L_kk and updated by the Schur complement in its own task. No task holds more than
 * one block column. Back substitution then gives x block by block. Row-major float64.
 */
import { asNumbers } from '../dtype';
import { sizeOf, type Block } from './block';

export interface LUPanel {
  /** h x w: L (unit lower, below the diagonal) and U (upper, top w rows) packed. */
  readonly lu: Float64Array;
  /** perm[i]: the panel row that became row i. */
  readonly perm: Int32Array;
  readonly h: number;
  readonly w: number;
}

/** One block column after step k: U_kj (w x c) and the rest (h - w rows) for the next step. */
export interface LUColumn {
  readonly u: Block;
  readonly rest: Block;
}

type Part = Block | LUColumn;

/** The rows of the parts, stacked (blocks of one column, or the `rest` of the previous step). */
function stack(parts: readonly Part[]): { data: Float64Array; h: number; w: number } {
  const blocks = parts.map((p) => ('rest' in p ? p.rest : p));
  const w = blocks[0].shape.length === 2 ? blocks[0].shape[1] : 1;
  const h = blocks.reduce((a, b) => a + b.shape[0], 0);
  const data = new Float64Array(h * w);
  let o = 0;
  for (const b of blocks) {
    data.set(asNumbers(b.data), o);
    o += sizeOf(b.shape);
  }
  return { data, h, w };
}

class LinAlgError extends Error {
  override name = 'LinAlgError';
}

export function luFactor(...parts: Part[]): LUPanel {
  const { data: a, h, w } = stack(parts);
  const perm = Int32Array.from({ length: h }, (_, i) => i);
  for (let c = 0; c < w; c++) {
    let p = c;
    let best = Math.abs(a[c * w + c]);
    for (let r = c + 1; r < h; r++) {
      const v = Math.abs(a[r * w + c]);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (best === 0 || !Number.isFinite(best)) throw new LinAlgError('Singular matrix');
    if (p !== c) {
      for (let j = 0; j < w; j++) {
        const t = a[c * w + j];
        a[c * w + j] = a[p * w + j];
        a[p * w + j] = t;
      }
      const t = perm[c];
      perm[c] = perm[p];
      perm[p] = t;
    }
    const d = a[c * w + c];
    for (let r = c + 1; r < h; r++) {
      const l = (a[r * w + c] /= d);
      if (l === 0) continue;
      for (let j = c + 1; j < w; j++) a[r * w + j] -= l * a[c * w + j];
    }
  }
  return { lu: a, perm, h, w };
}

/** Block column j at step k: permute its rows, U_kj = L_kk^-1 top, rest -= L_below U_kj. */
export function luUpdate(f: LUPanel, ...parts: Part[]): LUColumn {
  const { data: src, h, w: c } = stack(parts);
  if (h !== f.h) throw new RangeError(`solve: panel heights differ (${h} vs ${f.h})`);
  const w = f.w;
  const a = new Float64Array(h * c);
  for (let i = 0; i < h; i++) a.set(src.subarray(f.perm[i] * c, f.perm[i] * c + c), i * c);
  // Forward substitution with the unit lower triangle of the diagonal block.
  for (let i = 1; i < w; i++) {
    for (let p = 0; p < i; p++) {
      const l = f.lu[i * w + p];
      if (l === 0) continue;
      for (let j = 0; j < c; j++) a[i * c + j] -= l * a[p * c + j];
    }
  }
  for (let i = w; i < h; i++) {
    for (let p = 0; p < w; p++) {
      const l = f.lu[i * w + p];
      if (l === 0) continue;
      for (let j = 0; j < c; j++) a[i * c + j] -= l * a[p * c + j];
    }
  }
  return {
    u: { dtype: 'float64', shape: [w, c], data: a.slice(0, w * c) },
    rest: { dtype: 'float64', shape: [h - w, c], data: a.slice(w * c) },
  };
}

/**
 * x_k = U_kk^-1 (b'_k - sum over j > k of U_kj x_j). Arguments: the factor of step k, b's column
 * at step k, then pairs (U_kj column, x_j).
 */
export function luBack(f: LUPanel, b: LUColumn, ...pairs: (LUColumn | Block)[]): Block {
  const w = f.w;
  const m = b.u.shape[1];
  const y = Float64Array.from(asNumbers(b.u.data));
  for (let q = 0; q < pairs.length; q += 2) {
    const u = (pairs[q] as LUColumn).u;
    const x = pairs[q + 1] as Block;
    const c = u.shape[1];
    const ud = asNumbers(u.data);
    const xd = asNumbers(x.data);
    for (let i = 0; i < w; i++) {
      for (let p = 0; p < c; p++) {
        const v = ud[i * c + p];
        if (v === 0) continue;
        for (let j = 0; j < m; j++) y[i * m + j] -= v * xd[p * m + j];
      }
    }
  }
  for (let i = w - 1; i >= 0; i--) {
    for (let p = i + 1; p < w; p++) {
      const v = f.lu[i * w + p];
      if (v === 0) continue;
      for (let j = 0; j < m; j++) y[i * m + j] -= v * y[p * m + j];
    }
    const d = f.lu[i * w + i];
    for (let j = 0; j < m; j++) y[i * m + j] /= d;
  }
  return { dtype: 'float64', shape: [w, m], data: y };
}
