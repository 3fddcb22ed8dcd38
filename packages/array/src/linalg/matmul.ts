/** matmul / dot / tensordot; matmul also on stacks of matrices (leading batch dimensions broadcast). */
import { lit, ref, SPLIT_EVERY, taskNode, tokenize, treeReduce, type OpCall } from '@pdask/core';
import { arrayInfo, ChunkedArray, fromBlocks } from '../array';
import { blockIndices, blockKey, commonChunks, sameChunks } from '../chunks';
import { dedupe } from '../layer';
import { promote, type DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import { expandDims, squeeze } from '../shape/shape';

type A = ChunkedArray<unknown>;

function matmulDType(a: DType, b: DType): DType {
  const p = promote(a, b);
  return p === 'float32' ? 'float32' : 'float64';
}

/** Pairs of contracted blocks one product task reads at most (bounds a task's memory). */
const PAIRS_PER_TASK = 8;

/**
 * An array whose block `idx` is a contraction over `nk` pairs of input blocks. Up to
 * PAIRS_PER_TASK pairs, one task per block (`product(idx, dtype, lo, hi)` over pairs [lo, hi));
 * beyond, products of groups of pairs (float64) summed by core's treeReduce (one tree per output
 * block), so no task holds more than PAIRS_PER_TASK pairs of input blocks whatever the length of
 * the contraction (Dask sums the per-pair products with a tree reduction too).
 */
function contracted(
  label: string,
  name: string,
  shape: readonly number[],
  chunks: number[][],
  dtype: DType,
  nk: number,
  product: (idx: number[], dtype: DType, lo: number, hi: number) => OpCall,
  parents: readonly A[],
): ChunkedArray<NDArray> {
  if (nk <= PAIRS_PER_TASK) {
    return fromBlocks(label, name, shape, chunks, dtype, (idx, key) => {
      const call = product(idx, dtype, 0, nk);
      return taskNode(key, call.op, call.args);
    }, parents);
  }
  const grid = chunks.map((c) => c.length);
  const outIndex = (g: number): number[] => {
    const idx = new Array<number>(grid.length);
    for (let d = grid.length - 1; d >= 0; d--) {
      idx[d] = g % grid[d];
      g = Math.floor(g / grid[d]);
    }
    return idx;
  };
  const tree = treeReduce(
    {
      name,
      label,
      grid: Math.ceil(nk / PAIRS_PER_TASK),
      groups: grid.reduce((a, b) => a * b, 1),
      splitEvery: SPLIT_EVERY.array,
      partial: (_index, i, g) => product(outIndex(g), 'float64', i * PAIRS_PER_TASK, Math.min(nk, (i + 1) * PAIRS_PER_TASK)),
      combine: (parts) => arrayOps.addBlocks.call(lit('float64'), ...parts),
      aggregate: (parts) => arrayOps.addBlocks.call(lit(dtype), ...parts),
      outputKey: (g) => blockKey(name, outIndex(g)),
      info: arrayInfo(shape, chunks, dtype),
    },
    dedupe(parents.map((p) => p.layer)),
  );
  return new ChunkedArray<NDArray>(name, shape, chunks, dtype, { k: 'layer', node: tree.node });
}

/**
 * 2-d product: output block (i, j) reads row i of A's blocks and column j of B's (their inner
 * chunks are unified first), in one task or a tree of partial sums (see contraction).
 */
function matmul2(a: A, b: A): A {
  if (a.shape[1] !== b.shape[0]) {
    throw new RangeError(`matmul: Input operand 1 has a mismatch in its core dimension 0 (size ${b.shape[0]} is different from ${a.shape[1]})`);
  }
  const inner = commonChunks(a.chunks[1] as number[], b.chunks[0] as number[]);
  const aa = sameChunks(a.chunks[1], inner) ? a : rechunk(a, [a.chunks[0] as number[], inner]);
  const bb = sameChunks(b.chunks[0], inner) ? b : rechunk(b, [inner, b.chunks[1] as number[]]);
  const dtype = matmulDType(a.dtype, b.dtype);
  const nk = inner.length;
  const name = `matmul-${tokenize(aa.name, bb.name)}`;
  return contracted('matmul', name, [a.shape[0], b.shape[1]], [[...aa.chunks[0]], [...bb.chunks[1]]], dtype, nk, ([i, j], dt, lo, hi) => {
    const refs = [];
    for (let l = lo; l < hi; l++) refs.push(ref(aa.key([i, l])));
    for (let l = lo; l < hi; l++) refs.push(ref(bb.key([l, j])));
    return arrayOps.matmul.call(lit(dt), lit(hi - lo), ...refs);
  }, [aa, bb]);
}

/**
 * Stacks of matrices (NumPy's matmul for more than 2 dimensions): the leading (batch) dimensions
 * broadcast, the last two multiply. Output block (batch..., i, j) is one task over the batch
 * blocks it needs (block 0 along a broadcast dimension of length 1), row i of a's blocks and
 * column j of b's.
 */
function matmulStack(a0: A, b0: A): A {
  const nd = Math.max(a0.ndim, b0.ndim);
  let a = a0;
  let b = b0;
  while (a.ndim < nd) a = expandDims(a, 0);
  while (b.ndim < nd) b = expandDims(b, 0);
  const nbd = nd - 2;
  if (a.shape[nd - 1] !== b.shape[nd - 2]) {
    throw new RangeError(`matmul: Input operand 1 has a mismatch in its core dimension 0 (size ${b.shape[nd - 2]} is different from ${a.shape[nd - 1]})`);
  }
  const outBatch: number[] = [];
  const aChunks = a.chunks.map((c) => [...c]);
  const bChunks = b.chunks.map((c) => [...c]);
  const outChunks: number[][] = [];
  for (let d = 0; d < nbd; d++) {
    const [m, n] = [a.shape[d], b.shape[d]];
    if (m !== n && m !== 1 && n !== 1) {
      throw new RangeError(`matmul: operands could not be broadcast together with remapped shapes [original->remapped]: (${a0.shape.join(',')})->(${a0.shape.slice(0, -2).join(',')},newaxis,newaxis) (${b0.shape.join(',')})->(${b0.shape.slice(0, -2).join(',')},newaxis,newaxis)`);
    }
    outBatch.push(m === 1 ? n : m);
    if (m !== 1 && n !== 1) aChunks[d] = bChunks[d] = commonChunks(a.chunks[d] as number[], b.chunks[d] as number[]);
    outChunks.push(m !== 1 ? aChunks[d] : bChunks[d]);
  }
  const inner = commonChunks(a.chunks[nd - 1] as number[], b.chunks[nd - 2] as number[]);
  aChunks[nd - 1] = inner;
  bChunks[nd - 2] = [...inner];
  const aa = aChunks.every((c, d) => sameChunks(c, a.chunks[d])) ? a : rechunk(a, aChunks);
  const bb = bChunks.every((c, d) => sameChunks(c, b.chunks[d])) ? b : rechunk(b, bChunks);
  const dtype = matmulDType(a.dtype, b.dtype);
  const nk = inner.length;
  outChunks.push([...aa.chunks[nd - 2]], [...bb.chunks[nd - 1]]);
  const shape = [...outBatch, a.shape[nd - 2], b.shape[nd - 1]];
  const name = `matmul-${tokenize(aa.name, bb.name)}`;
  return contracted('matmul', name, shape, outChunks, dtype, nk, (idx, dt, lo, hi) => {
    const batch = idx.slice(0, nbd);
    const [i, j] = idx.slice(nbd);
    const ab = batch.map((x, d) => (aa.shape[d] === 1 ? 0 : x));
    const bbi = batch.map((x, d) => (bb.shape[d] === 1 ? 0 : x));
    const refs = [];
    for (let l = lo; l < hi; l++) refs.push(ref(aa.key([...ab, i, l])));
    for (let l = lo; l < hi; l++) refs.push(ref(bb.key([...bbi, l, j])));
    return arrayOps.matmulStack.call(lit(dt), lit(hi - lo), lit(batch.map((x, d) => outChunks[d][x])), ...refs);
  }, [aa, bb]);
}

/** NumPy's matmul for 1-d and 2-d operands (a 1-d operand is a row or a column vector). */
export function matmul(a: A, b: A): ChunkedArray<NDArray> {
  if (a.ndim === 0 || b.ndim === 0) throw new RangeError('matmul: Input operand does not have enough dimensions (use mul for scalars)');
  const a2 = a.ndim === 1 ? expandDims(a, 0) : a;
  const b2 = b.ndim === 1 ? expandDims(b, 1) : b;
  let r = a2.ndim > 2 || b2.ndim > 2 ? matmulStack(a2, b2) : matmul2(a2, b2);
  if (a.ndim === 1 && b.ndim === 1) return squeeze(r) as ChunkedArray<NDArray>;
  if (a.ndim === 1) r = squeeze(r, r.ndim - 2);
  if (b.ndim === 1) r = squeeze(r, r.ndim - 1);
  return r as ChunkedArray<NDArray>;
}

/**
 * NumPy's dot: the matrix product for 1-d and 2-d operands; with more dimensions, the sum over
 * the last axis of a and the second-to-last of b (its only axis when b is 1-d). The result has
 * a's other axes, then b's: shape a.shape[:-1] + b.shape[:-2] + b.shape[-1:]. Unlike matmul,
 * leading dimensions do not pair up as a batch: every matrix of a meets every matrix of b.
 */
export function dot(a: A, b: A): ChunkedArray<NDArray> {
  if (a.ndim === 0 || b.ndim === 0) throw new RangeError('dot: an operand has 0 dimensions (use mul for scalars)');
  if (a.ndim <= 2 && b.ndim <= 2) return matmul(a, b);
  const ia = a.ndim - 1;
  const ib = Math.max(0, b.ndim - 2);
  if (a.shape[ia] !== b.shape[ib]) {
    const t = (s: readonly number[]) => `(${s.join(',')}${s.length === 1 ? ',' : ''})`;
    throw new RangeError(`dot: shapes ${t(a.shape)} and ${t(b.shape)} not aligned: ${a.shape[ia]} (dim ${ia}) != ${b.shape[ib]} (dim ${ib})`);
  }
  return tensordot(a, b, [[ia], [ib]]);
}

function normalizeAxes(axes: readonly number[], nd: number, which: string): number[] {
  const out = axes.map((x) => {
    const d = x < 0 ? x + nd : x;
    if (!Number.isInteger(d) || d < 0 || d >= nd) throw new RangeError(`tensordot: axis ${x} of ${which} is out of bounds for an array of ${nd} dimensions`);
    return d;
  });
  if (new Set(out).size !== out.length) throw new RangeError(`tensordot: axes of ${which} repeat an axis ([${axes.join(', ')}])`);
  return out;
}

/**
 * Sums products over the given axes of a and b (NumPy's tensordot). The result has a's free
 * axes, then b's, with their chunks. The contracted axes are unified pairwise; output block
 * (free blocks of a, free blocks of b) is one task over every pair of blocks along them, so
 * nothing is reshaped or rechunked along the free axes (as Dask's blockwise tensordot).
 */
export function tensordot(a: A, b: A, axes: number | readonly [readonly number[], readonly number[]] = 2): ChunkedArray<NDArray> {
  if (typeof axes === 'number' && (!Number.isInteger(axes) || axes < 0 || axes > a.ndim || axes > b.ndim)) {
    throw new RangeError(`tensordot: axes ${axes} must be an integer from 0 to the smaller number of dimensions (${Math.min(a.ndim, b.ndim)})`);
  }
  const [ax, bx] =
    typeof axes === 'number'
      ? [Array.from({ length: axes }, (_, i) => a.ndim - axes + i), Array.from({ length: axes }, (_, i) => i)]
      : [normalizeAxes(axes[0], a.ndim, 'a'), normalizeAxes(axes[1], b.ndim, 'b')];
  if (ax.length !== bx.length) throw new RangeError('tensordot: shape-mismatch for sum');
  ax.forEach((x, i) => {
    if (a.shape[x] !== b.shape[bx[i]]) throw new RangeError(`tensordot: shape-mismatch for sum (axis ${x} of a has ${a.shape[x]}, axis ${bx[i]} of b has ${b.shape[bx[i]]})`);
  });
  const aChunks = a.chunks.map((c) => [...c]);
  const bChunks = b.chunks.map((c) => [...c]);
  ax.forEach((x, i) => {
    const u = commonChunks(a.chunks[x] as number[], b.chunks[bx[i]] as number[]);
    aChunks[x] = u;
    bChunks[bx[i]] = [...u];
  });
  const aa = aChunks.every((c, d) => sameChunks(c, a.chunks[d])) ? a : rechunk(a, aChunks);
  const bb = bChunks.every((c, d) => sameChunks(c, b.chunks[d])) ? b : rechunk(b, bChunks);
  const freeA = a.shape.map((_, d) => d).filter((d) => !ax.includes(d));
  const freeB = b.shape.map((_, d) => d).filter((d) => !bx.includes(d));
  const chunks = [...freeA.map((d) => [...aa.chunks[d]]), ...freeB.map((d) => [...bb.chunks[d]])];
  const shape = [...freeA.map((d) => a.shape[d]), ...freeB.map((d) => b.shape[d])];
  const dtype = matmulDType(a.dtype, b.dtype);
  const pairs = [...blockIndices(ax.map((x) => aa.chunks[x].length))];
  const permA = [...freeA, ...ax];
  const permB = [...bx, ...freeB];
  const name = `tensordot-${tokenize(aa.name, bb.name, ax, bx)}`;
  return contracted('tensordot', name, shape, chunks, dtype, pairs.length, (idx, dt, lo, hi) => {
    const ia = new Array<number>(a.ndim);
    const ib = new Array<number>(b.ndim);
    freeA.forEach((d, i) => (ia[d] = idx[i]));
    freeB.forEach((d, i) => (ib[d] = idx[freeA.length + i]));
    const refs = [];
    for (const p of pairs.slice(lo, hi)) {
      ax.forEach((d, i) => (ia[d] = p[i]));
      refs.push(ref(aa.key(ia)));
    }
    for (const p of pairs.slice(lo, hi)) {
      bx.forEach((d, i) => (ib[d] = p[i]));
      refs.push(ref(bb.key(ib)));
    }
    return arrayOps.tensordot.call(lit(dt), lit(hi - lo), lit(permA), lit(permB), lit(ax.length), ...refs);
  }, [aa, bb]);
}
