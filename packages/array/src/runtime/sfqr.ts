/**
 * Kernels of the short-and-fat QR (Dask's sfqr): the QR of the leading column blocks, which fixes
 * Q, and R = Q^T A for every later column block. Row-major float64.
 */
import type { Block } from './block';
import { f64, householderQR, type QR } from './linalg';


/**
 * Householder QR of the leading column blocks laid side by side (each m rows). They hold at
 * least min(m, n) columns, so Q (m x k) spans every column of A and the other blocks need only
 * Q^T A_j.
 */
export function sfqrLead(...blocks: Block[]): QR {
  const m = blocks[0].shape[0];
  const p = blocks.reduce((s, b) => s + b.shape[1], 0);
  const a = new Float64Array(m * p);
  let c0 = 0;
  for (const b of blocks) {
    const w = b.shape[1];
    const d = f64(b);
    for (let i = 0; i < m; i++) for (let j = 0; j < w; j++) a[i * p + c0 + j] = d[i * w + j];
    c0 += w;
  }
  const { q, r, k } = householderQR(a, m, p);
  return { q: { dtype: 'float64', shape: [m, k], data: q }, r: { dtype: 'float64', shape: [k, p], data: r } };
}

/** Columns [lo, hi) of the leading R: the R block of one of the leading column blocks. */
export function sfqrLeadR(lead: QR, lo: number, hi: number): Block {
  const [k, p] = lead.r.shape;
  const w = hi - lo;
  const out = new Float64Array(k * w);
  const r = f64(lead.r);
  for (let i = 0; i < k; i++) for (let j = 0; j < w; j++) out[i * w + j] = r[i * p + lo + j];
  return { dtype: 'float64', shape: [k, w], data: out };
}

/** Q^T A_j: the R block of a column block after the leading ones. */
export function sfqrRestR(lead: QR, a: Block): Block {
  const [m, k] = lead.q.shape;
  const w = a.shape[1];
  const q = f64(lead.q);
  const d = f64(a);
  const out = new Float64Array(k * w);
  for (let i = 0; i < m; i++)
    for (let c = 0; c < k; c++) {
      const x = q[i * k + c];
      if (x === 0) continue;
      for (let j = 0; j < w; j++) out[c * w + j] += x * d[i * w + j];
    }
  return { dtype: 'float64', shape: [k, w], data: out };
}
