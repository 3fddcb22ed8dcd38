/** Dense block products for matmul/tensordot (float64 accumulation, i-k-j loop order). */
import { alloc, type DType } from '../dtype';
import type { Block } from './block';

/**
 * One output block of A @ B: the sum over l of A[i, l] @ B[l, j]. The first `nk` blocks are the
 * A blocks of row i, the next `nk` the B blocks of column j.
 */
export function matmulBlocks(dtype: DType, nk: number, ...blocks: Block[]): Block {
  const as = blocks.slice(0, nk);
  const bs = blocks.slice(nk);
  const m = as[0].shape[0];
  const n = bs[0].shape[1];
  const acc = new Float64Array(m * n);
  for (let l = 0; l < nk; l++) {
    const a = as[l].data;
    const b = bs[l].data;
    const k = as[l].shape[1];
    if (bs[l].shape[0] !== k) throw new RangeError(`matmul: inner block sizes differ (${k} vs ${bs[l].shape[0]})`);
    for (let i = 0; i < m; i++) {
      const row = i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p];
        if (aip === 0) continue;
        const bo = p * n;
        for (let j = 0; j < n; j++) acc[row + j] += aip * b[bo + j];
      }
    }
  }
  if (dtype === 'float64') return { dtype, shape: [m, n], data: acc };
  const out = alloc(dtype, m * n);
  out.set(acc);
  return { dtype, shape: [m, n], data: out };
}
