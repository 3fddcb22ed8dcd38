/**
 * Dense block products for matmul/tensordot/einsum, accumulated in float64. Products of at least
 * KERNEL_MIN_FLOPS multiply-adds run in the WebAssembly kernel of @pdask/kernels (packed,
 * cache-blocked, SIMD; float64 and float32 operands read as they are, other dtypes widened to
 * float64 first, as the JS loop reads them); smaller ones, and threads where the kernels cannot be
 * loaded synchronously, run the JS loop (i-k-j order).
 */
import type { MatmulArray } from '@pdask/kernels';
import { alloc, asFloat64, asNumbers, type DType, type TypedArray } from '../dtype';
import { castInto, transposeBlock, type Block } from './block';
import { kernelsIfAvailable } from './kernels';

/**
 * m k n below which the JS loop is faster: the kernel's fixed costs (an allocation, staging copies,
 * a few calls) are a few microseconds, which the JS loop spends on about 4096 multiply-adds.
 */
export const KERNEL_MIN_FLOPS = 4096;


function kernelOperand(data: TypedArray): MatmulArray {
  return data instanceof Float64Array || data instanceof Float32Array ? data : asFloat64(data);
}

/**
 * acc (m x n) += a (m x k) b (k x n), row-major. No zero test on a's values: 0 x inf and 0 x NaN
 * must give NaN, as in NumPy.
 */
function productInto(acc: Float64Array, a: TypedArray, b: TypedArray, m: number, k: number, n: number): void {
  const kern = m * k * n >= KERNEL_MIN_FLOPS ? kernelsIfAvailable() : undefined;
  if (kern) {
    kern.matmul(kernelOperand(a), kernelOperand(b), m, k, n, { accumulate: acc });
    return;
  }
  const x = asNumbers(a);
  const y = asNumbers(b);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let p = 0; p < k; p++) {
      const aip = x[i * k + p];
      const bo = p * n;
      for (let j = 0; j < n; j++) acc[row + j] += aip * y[bo + j];
    }
  }
}

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
    const k = as[l].shape[1];
    if (bs[l].shape[0] !== k) throw new RangeError(`matmul: inner block sizes differ (${k} vs ${bs[l].shape[0]})`);
    productInto(acc, as[l].data, bs[l].data, m, k, n);
  }
  if (dtype === 'float64') return { dtype, shape: [m, n], data: acc };
  const out = alloc(dtype, m * n);
  castInto(acc, out, dtype);
  return { dtype, shape: [m, n], data: out };
}

/**
 * One output block of a stack of products: `batch` is the block's batch shape; an input block of
 * length 1 along a batch dimension is broadcast. Blocks as in matmulBlocks.
 */
export function matmulStackBlocks(dtype: DType, nk: number, batch: readonly number[], ...blocks: Block[]): Block {
  const nbd = batch.length;
  const as = blocks.slice(0, nk);
  const bs = blocks.slice(nk);
  const m = as[0].shape[nbd];
  const n = bs[0].shape[nbd + 1];
  let count = 1;
  for (const s of batch) count *= s;
  const acc = new Float64Array(count * m * n);
  const idx = new Array<number>(nbd).fill(0);
  for (let l = 0; l < nk; l++) {
    // Widened once per block here, not once per matrix of the stack.
    const a = { shape: as[l].shape, data: m * n * as[l].shape[nbd + 1] >= KERNEL_MIN_FLOPS ? kernelOperand(as[l].data) : asNumbers(as[l].data) };
    const b = { shape: bs[l].shape, data: m * n * as[l].shape[nbd + 1] >= KERNEL_MIN_FLOPS ? kernelOperand(bs[l].data) : asNumbers(bs[l].data) };
    const k = a.shape[nbd + 1];
    if (b.shape[nbd] !== k) throw new RangeError(`matmul: inner block sizes differ (${k} vs ${b.shape[nbd]})`);
    // Batch strides in matrices, 0 along broadcast dimensions.
    const st = (shape: readonly number[]) => {
      const out = new Array<number>(nbd);
      let s = 1;
      for (let d = nbd - 1; d >= 0; d--) {
        out[d] = shape[d] === 1 ? 0 : s;
        s *= shape[d];
      }
      return out;
    };
    const sa = st(a.shape);
    const sb = st(b.shape);
    idx.fill(0);
    for (let t = 0; t < count; t++) {
      let ao = 0;
      let bo = 0;
      for (let d = 0; d < nbd; d++) {
        ao += idx[d] * sa[d];
        bo += idx[d] * sb[d];
      }
      ao *= m * k;
      bo *= k * n;
      const oo = t * m * n;
      productInto(acc.subarray(oo, oo + m * n), a.data.subarray(ao, ao + m * k), b.data.subarray(bo, bo + k * n), m, k, n);
      let d = nbd - 1;
      while (d >= 0 && ++idx[d] === batch[d]) idx[d--] = 0;
    }
  }
  const shape = [...batch, m, n];
  if (dtype === 'float64') return { dtype, shape, data: acc };
  const out = alloc(dtype, acc.length);
  castInto(acc, out, dtype);
  return { dtype, shape, data: out };
}

/**
 * One output block of tensordot: the sum over `nk` pairs (a's blocks first, then b's) of the
 * products over the contracted axes. `permA` lists a's free axes then its contracted ones,
 * `permB` b's contracted axes (paired in that order) then its free ones; each block is laid out
 * that way and multiplied as an (m x k) by (k x n) matrix.
 */
export function tensordotBlocks(dtype: DType, nk: number, permA: readonly number[], permB: readonly number[], ncontracted: number, ...blocks: Block[]): Block {
  const nfa = permA.length - ncontracted;
  const prod = (xs: readonly number[]) => xs.reduce((p, s) => p * s, 1);
  const flat: Block[] = [];
  let outShape: number[] = [];
  for (let l = 0; l < nk; l++) {
    const a = transposeBlock(blocks[l], permA);
    const m = prod(a.shape.slice(0, nfa));
    flat.push({ ...a, shape: [m, prod(a.shape.slice(nfa))] });
    if (l === 0) outShape = a.shape.slice(0, nfa);
  }
  for (let l = 0; l < nk; l++) {
    const b = transposeBlock(blocks[nk + l], permB);
    const k = prod(b.shape.slice(0, ncontracted));
    flat.push({ ...b, shape: [k, prod(b.shape.slice(ncontracted))] });
    if (l === 0) outShape = [...outShape, ...b.shape.slice(ncontracted)];
  }
  const r = matmulBlocks(dtype, nk, ...flat);
  return { ...r, shape: outShape };
}

/** The elementwise sum of partial products (same shape), accumulated in float64. */
export function addBlocks(dtype: DType, ...blocks: Block[]): Block {
  const n = blocks[0].data.length;
  const acc = new Float64Array(n);
  for (const b of blocks) {
    const d = asNumbers(b.data);
    for (let i = 0; i < n; i++) acc[i] += d[i];
  }
  if (dtype === 'float64') return { dtype, shape: blocks[0].shape, data: acc };
  const out = alloc(dtype, n);
  castInto(acc, out, dtype);
  return { dtype, shape: blocks[0].shape, data: out };
}
