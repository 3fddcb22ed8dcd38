/** Dense block products for matmul/tensordot (float64 accumulation, i-k-j loop order). */
import { alloc, asNumbers, type DType } from '../dtype';
import { castInto, transposeBlock, type Block } from './block';

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
    const a = asNumbers(as[l].data);
    const b = asNumbers(bs[l].data);
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
    const a = { shape: as[l].shape, data: asNumbers(as[l].data) };
    const b = { shape: bs[l].shape, data: asNumbers(bs[l].data) };
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
      for (let i = 0; i < m; i++) {
        const row = oo + i * n;
        for (let p = 0; p < k; p++) {
          const aip = a.data[ao + i * k + p];
          if (aip === 0) continue;
          const bp = bo + p * n;
          for (let j = 0; j < n; j++) acc[row + j] += aip * b.data[bp + j];
        }
      }
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
