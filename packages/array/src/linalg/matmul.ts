/** matmul / dot / tensordot for 1-d and 2-d arrays. */
import { lit, ref, taskNode, tokenize } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { commonChunks, sameChunks } from '../chunks';
import { promote, type DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { opRef } from '../ops/names';
import { rechunk } from '../rechunk/rechunk';
import { expandDims, reshape, squeeze, transpose } from '../shape/shape';

type A = ChunkedArray<unknown>;

function matmulDType(a: DType, b: DType): DType {
  const p = promote(a, b);
  return p === 'float32' ? 'float32' : 'float64';
}

/**
 * 2-d product: output block (i, j) is one task reading row i of A's blocks and column j of B's
 * (their inner chunks are unified first), so no partial products are kept in memory.
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
  return fromBlocks('matmul', name, [a.shape[0], b.shape[1]], [[...aa.chunks[0]], [...bb.chunks[1]]], dtype, ([i, j], key) => {
    const refs = [];
    for (let l = 0; l < nk; l++) refs.push(ref(aa.key([i, l])));
    for (let l = 0; l < nk; l++) refs.push(ref(bb.key([l, j])));
    return taskNode(key, opRef('matmul'), [lit(dtype), lit(nk), ...refs]);
  }, [aa, bb]);
}

/** NumPy's matmul for 1-d and 2-d operands (a 1-d operand is a row or a column vector). */
export function matmul(a: A, b: A): ChunkedArray<NDArray> {
  if (a.ndim === 0 || b.ndim === 0) throw new RangeError('matmul: Input operand does not have enough dimensions (use mul for scalars)');
  if (a.ndim > 2 || b.ndim > 2) throw new RangeError('matmul: stacks of matrices (more than 2 dimensions) are not supported yet');
  const a2 = a.ndim === 1 ? expandDims(a, 0) : a;
  const b2 = b.ndim === 1 ? expandDims(b, 1) : b;
  let r = matmul2(a2, b2);
  if (a.ndim === 1 && b.ndim === 1) return squeeze(r) as ChunkedArray<NDArray>;
  if (a.ndim === 1) r = squeeze(r, 0);
  if (b.ndim === 1) r = squeeze(r, r.ndim - 1);
  return r as ChunkedArray<NDArray>;
}

/** `dot` for 1-d and 2-d arrays (the same as matmul there). */
export function dot(a: A, b: A): ChunkedArray<NDArray> {
  return matmul(a, b);
}

/** Sums products over the given axes of a and b (NumPy's tensordot). */
export function tensordot(a: A, b: A, axes: number | readonly [readonly number[], readonly number[]] = 2): ChunkedArray<NDArray> {
  const [ax, bx] =
    typeof axes === 'number'
      ? [Array.from({ length: axes }, (_, i) => a.ndim - axes + i), Array.from({ length: axes }, (_, i) => i)]
      : [axes[0].map((x) => (x < 0 ? x + a.ndim : x)), axes[1].map((x) => (x < 0 ? x + b.ndim : x))];
  if (ax.length !== bx.length) throw new RangeError('tensordot: shape-mismatch for sum');
  ax.forEach((x, i) => {
    if (a.shape[x] !== b.shape[bx[i]]) throw new RangeError(`tensordot: shape-mismatch for sum (axis ${x} of a has ${a.shape[x]}, axis ${bx[i]} of b has ${b.shape[bx[i]]})`);
  });
  const freeA = a.shape.map((_, d) => d).filter((d) => !ax.includes(d));
  const freeB = b.shape.map((_, d) => d).filter((d) => !bx.includes(d));
  const m = freeA.reduce((p, d) => p * a.shape[d], 1);
  const n = freeB.reduce((p, d) => p * b.shape[d], 1);
  const k = ax.reduce((p, d) => p * a.shape[d], 1);
  const a2 = reshape(transpose(a, [...freeA, ...ax]), [m, k]);
  const b2 = reshape(transpose(b, [...bx, ...freeB]), [k, n]);
  return reshape(matmul2(a2, b2), [...freeA.map((d) => a.shape[d]), ...freeB.map((d) => b.shape[d])]) as ChunkedArray<NDArray>;
}
