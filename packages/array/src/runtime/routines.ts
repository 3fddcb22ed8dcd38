/**
 * Runtime of the layout routines (broadcastTo, diagonals, triangles, repeat, nonzero): block
 * kernels that move elements without arithmetic on them, so any typed array works.
 */
import { alloc, type DType } from '../dtype';
import { broadcastTo, castData, same, sizeOf, stridesOf, type Block } from './block';

/** The block broadcast (NumPy rules, aligned right) to `shape`. */
export function broadcastBlock(shape: readonly number[], b: Block): Block {
  return { dtype: b.dtype, shape: [...shape], data: broadcastTo(b, shape) };
}

/** A block of zeros (typed arrays start zeroed). */
export function zerosBlock(dtype: DType, shape: readonly number[]): Block {
  return { dtype, shape: [...shape], data: alloc(dtype, sizeOf(shape)) };
}

/**
 * The diagonal of a block between axes `axis1` and `axis2`, starting at (r0, c0), `len` long: the
 * other axes in order, then the diagonal last (NumPy's `diagonal`).
 */
export function diagonalBlock(axis1: number, axis2: number, r0: number, c0: number, len: number, b: Block): Block {
  const st = stridesOf(b.shape);
  const rest = b.shape.map((_, d) => d).filter((d) => d !== axis1 && d !== axis2);
  const restShape = rest.map((d) => b.shape[d]);
  const shape = [...restShape, len];
  const out = alloc(b.dtype, sizeOf(shape));
  const step = st[axis1] + st[axis2];
  const start = r0 * st[axis1] + c0 * st[axis2];
  const idx = new Array<number>(rest.length).fill(0);
  const n = sizeOf(restShape);
  for (let o = 0, k = 0; k < n && len > 0; k++) {
    let base = start;
    for (let j = 0; j < rest.length; j++) base += idx[j] * st[rest[j]];
    for (let t = 0; t < len; t++) out[o++] = b.data[base + t * step];
    let j = rest.length - 1;
    while (j >= 0 && ++idx[j] === restShape[j]) idx[j--] = 0;
  }
  return { dtype: b.dtype, shape, data: out };
}

/** A square block with the 1-d block `v` on its main diagonal (np.diag of a vector). */
export function diagMatrixBlock(v: Block): Block {
  const n = v.shape[0];
  const out = alloc(v.dtype, n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = v.data[i];
  return { dtype: v.dtype, shape: [n, n], data: out };
}

/**
 * tril/triu of a block over its last two axes. `k` is the diagonal offset in the block's own
 * coordinates: lower keeps column - row <= k, upper keeps column - row >= k.
 */
export function triBlock(lower: boolean, k: number, b: Block): Block {
  const nd = b.shape.length;
  const rows = b.shape[nd - 2];
  const cols = b.shape[nd - 1];
  const keepsAll = lower ? cols - 1 <= k : k <= -(rows - 1);
  if (keepsAll || b.data.length === 0) return b;
  const out = alloc(b.dtype, b.data.length);
  const mats = b.data.length / (rows * cols);
  for (let m = 0; m < mats; m++) {
    for (let i = 0; i < rows; i++) {
      const lo = lower ? 0 : Math.min(cols, Math.max(0, i + k));
      const hi = lower ? Math.min(cols, Math.max(0, i + k + 1)) : cols;
      if (hi <= lo) continue;
      const at = (m * rows + i) * cols;
      same(out).set(same(b.data).subarray(at + lo, at + hi), at + lo);
    }
  }
  return { dtype: b.dtype, shape: [...b.shape], data: out };
}

/** Every element of a block repeated `r` times along `axis` (np.repeat with an integer). */
export function repeatBlock(axis: number, r: number, b: Block): Block {
  const shape = b.shape.map((s, d) => (d === axis ? s * r : s));
  const out = alloc(b.dtype, sizeOf(shape));
  const inner = sizeOf(b.shape.slice(axis + 1));
  const rows = sizeOf(b.shape.slice(0, axis + 1));
  let o = 0;
  for (let i = 0; i < rows; i++) {
    const src = b.data.subarray(i * inner, (i + 1) * inner);
    for (let t = 0; t < r; t++, o += inner) same(out).set(same(src), o);
  }
  return { dtype: b.dtype, shape, data: out };
}

/** Loose inequality on purpose: true for NaN (NumPy counts it) and false for 0, -0 and 0n alike. */
// eslint-disable-next-line eqeqeq
const nonzero = (v: number | bigint): boolean => v != 0;

/** The coordinates (plus the block's offset) of the non-zero elements of a block, one row each. */
export function argwhereBlock(indexDType: DType, offset: readonly number[], b: Block): Block {
  const nd = b.shape.length;
  let count = 0;
  for (let i = 0; i < b.data.length; i++) if (nonzero(b.data[i])) count++;
  // Positions as numbers first, then converted in one pass (int64 output is word-wise, not a bigint each).
  const pos = new Float64Array(count * nd);
  const idx = new Array<number>(nd).fill(0);
  for (let i = 0, o = 0; i < b.data.length; i++) {
    if (nonzero(b.data[i])) for (let d = 0; d < nd; d++) pos[o++] = offset[d] + idx[d];
    let d = nd - 1;
    while (d >= 0 && ++idx[d] === b.shape[d]) idx[d--] = 0;
  }
  const out = castData(pos, 'float64', indexDType);
  return { dtype: indexDType, shape: [count, nd], data: out };
}

/** Column `j` of a 2-d block (nonzero's per-dimension indices from argwhere's rows). */
export function columnBlock(j: number, b: Block): Block {
  const [n, m] = b.shape;
  const out = alloc(b.dtype, n);
  for (let i = 0; i < n; i++) out[i] = b.data[i * m + j];
  return { dtype: b.dtype, shape: [n], data: out };
}
