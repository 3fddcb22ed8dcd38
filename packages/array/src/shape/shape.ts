/** transpose, reshape, squeeze/expandDims, concatenate, stack, ravel. */
import { lit, ref, tokenize } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { commonChunks, sameChunks } from '../chunks';
import { promote } from '../dtype';
import { arrayOps } from '../ops/index';
import { sizeOf } from '../runtime/block';
import { astype } from '../elementwise/build';
import { rechunk } from '../rechunk/rechunk';

type A = ChunkedArray<unknown>;

export function transpose(x: A, axes?: readonly number[]): A {
  const nd = x.ndim;
  const perm = axes ? axes.map((a) => (a < 0 ? a + nd : a)) : Array.from({ length: nd }, (_, i) => nd - 1 - i);
  if (perm.length !== nd || new Set(perm).size !== nd || perm.some((p) => p < 0 || p >= nd)) {
    throw new RangeError(`transpose: axes [${axes?.join(', ')}] are not a permutation of the ${nd} dimensions`);
  }
  if (perm.every((p, i) => p === i)) return x;
  const name = `transpose-${tokenize(x.name, perm)}`;
  return fromBlocks('transpose', name, perm.map((p) => x.shape[p]), perm.map((p) => [...x.chunks[p]]), x.dtype, (idx, key) => {
    const src = new Array<number>(nd);
    perm.forEach((p, i) => (src[p] = idx[i]));
    return arrayOps.transposeBlock.task(key, lit(perm), ref(x.key(src)));
  }, [x]);
}

export function moveaxis(x: A, source: number, destination: number): A {
  const nd = x.ndim;
  const s = source < 0 ? source + nd : source;
  const d = destination < 0 ? destination + nd : destination;
  const order = Array.from({ length: nd }, (_, i) => i).filter((i) => i !== s);
  order.splice(d, 0, s);
  return transpose(x, order);
}

/** Same blocks, another block shape (reshape without moving data). */
function relabel(x: A, label: string, shape: readonly number[], chunks: readonly (readonly number[])[], mapIdx: (idx: number[]) => number[]): A {
  const name = `${label}-${tokenize(x.name, shape, chunks)}`;
  return fromBlocks(label, name, shape, chunks, x.dtype, (idx, key) => {
    const bshape = idx.map((i, d) => chunks[d][i]);
    return arrayOps.reshapeBlock.task(key, lit(bshape), ref(x.key(mapIdx(idx))));
  }, [x]);
}

export function squeeze(x: A, axis?: number | readonly number[]): A {
  const nd = x.ndim;
  const axes = axis === undefined ? x.shape.map((s, d) => (s === 1 ? d : -1)).filter((d) => d >= 0) : (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? a + nd : a));
  for (const a of axes) if (x.shape[a] !== 1) throw new RangeError(`cannot select an axis to squeeze out which has size not equal to one (axis ${a}, size ${x.shape[a]})`);
  if (!axes.length) return x;
  const keep = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  return relabel(x, 'squeeze', keep.map((d) => x.shape[d]), keep.map((d) => [...x.chunks[d]]), (idx) => {
    const src = new Array<number>(nd).fill(0);
    keep.forEach((d, i) => (src[d] = idx[i]));
    return src;
  });
}

/** New axes of length 1 at `axis` (one or several positions in the result, as NumPy 1.18+). */
export function expandDims(x: A, axis: number | readonly number[]): A {
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const nd = x.ndim + list.length;
  const axes = list.map((a) => {
    if (!Number.isInteger(a) || a < -nd || a >= nd) throw new RangeError(`axis ${a} is out of bounds for array of dimension ${nd}`);
    return a < 0 ? a + nd : a;
  });
  if (new Set(axes).size !== axes.length) throw new RangeError(`repeated axis in expandDims: [${list.join(', ')}]`);
  const added = new Set(axes);
  const shape: number[] = [];
  const chunks: number[][] = [];
  const from: number[] = []; // result dimension -> x's dimension, -1 for a new one
  for (let d = 0, k = 0; d < nd; d++) {
    if (added.has(d)) {
      shape.push(1);
      chunks.push([1]);
      from.push(-1);
    } else {
      shape.push(x.shape[k]);
      chunks.push([...x.chunks[k]]);
      from.push(k++);
    }
  }
  return relabel(x, 'expand-dims', shape, chunks, (idx) => idx.filter((_, d) => from[d] >= 0));
}

/**
 * Reshape in C order. The input is first rechunked so that each block spans whole trailing
 * dimensions and maps onto whole rows of the output; then every block is reshaped in place.
 */
export function reshape(x: A, newShape: readonly number[]): A {
  const size = x.size;
  const shape = [...newShape];
  const unknown = shape.filter((s) => s === -1).length;
  if (unknown > 1) throw new RangeError('reshape: can only specify one unknown dimension (-1)');
  if (unknown === 1) {
    const known = sizeOf(shape.filter((s) => s !== -1));
    if (known === 0 || size % known !== 0) throw new RangeError(`cannot reshape array of size ${size} into shape [${newShape.join(', ')}]`);
    shape[shape.indexOf(-1)] = size / known;
  }
  if (sizeOf(shape) !== size) throw new RangeError(`cannot reshape array of size ${size} into shape [${newShape.join(', ')}]`);
  if (shape.length === x.ndim && shape.every((s, d) => s === x.shape[d])) return x;
  if (x.ndim === 0 || shape.length === 0 || size === 0) {
    const one = rechunk(x, x.shape.map(() => -1));
    return relabel(one, 'reshape', shape, shape.map((s) => [s]), () => x.shape.map(() => 0));
  }
  // Rows: the leading dimension; everything after it is kept whole in both arrays.
  const restIn = size / x.shape[0];
  const restOut = size / shape[0];
  const l = lcm(restIn, restOut);
  const stepIn = l / restIn; // input rows per unit
  const target = Math.max(stepIn, Math.round(Math.max(...x.chunks[0]) / stepIn) * stepIn);
  const rowChunks: number[] = [];
  for (let s = 0; s < x.shape[0]; s += target) rowChunks.push(Math.min(target, x.shape[0] - s));
  const inChunks = [rowChunks, ...x.shape.slice(1).map((s) => [s])];
  const xin = rechunk(x, inChunks);
  const outRows = rowChunks.map((r) => (r * restIn) / restOut);
  const outChunks = [outRows, ...shape.slice(1).map((s) => [s])];
  return relabel(xin, 'reshape', shape, outChunks, (idx) => [idx[0], ...x.shape.slice(1).map(() => 0)]);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
const lcm = (a: number, b: number): number => (a / gcd(a, b)) * b;

export function ravel(x: A): A {
  return reshape(x, [x.size]);
}

export function concatenate(arrays: readonly A[], axis = 0): A {
  if (!arrays.length) throw new RangeError('need at least one array to concatenate');
  const nd = arrays[0].ndim;
  const ax = axis < 0 ? axis + nd : axis;
  if (ax < 0 || ax >= nd) throw new RangeError(`axis ${axis} is out of bounds for array of dimension ${nd}`);
  for (const a of arrays) {
    if (a.ndim !== nd) throw new RangeError(`all the input arrays must have same number of dimensions (${nd} and ${a.ndim})`);
    a.shape.forEach((s, d) => {
      if (d !== ax && s !== arrays[0].shape[d]) throw new RangeError(`all the input array dimensions except for the concatenation axis must match exactly: [${arrays[0].shape.join(', ')}] vs [${a.shape.join(', ')}]`);
    });
  }
  const dtype = arrays.map((a) => a.dtype).reduce(promote);
  // Other dimensions: a common chunking.
  const common = arrays[0].chunks.map((c, d) => (d === ax ? [] : arrays.reduce((acc, a) => commonChunks(acc, a.chunks[d] as number[]), [...c])));
  const parts = arrays.map((a) => {
    const want = a.chunks.map((c, d) => (d === ax ? [...c] : common[d]));
    let r = a.chunks.every((c, d) => sameChunks(c, want[d])) ? a : rechunk(a, want);
    if (r.dtype !== dtype) r = astype(r, dtype);
    return r;
  });
  const shape = arrays[0].shape.map((s, d) => (d === ax ? arrays.reduce((acc, a) => acc + a.shape[ax], 0) : s));
  const chunks = common.map((c, d) => (d === ax ? parts.flatMap((p) => [...p.chunks[ax]]) : c));
  const owner: [number, number][] = parts.flatMap((p, i) => p.chunks[ax].map((_, j) => [i, j] as [number, number]));
  const name = `concatenate-${tokenize(parts.map((p) => p.name), ax)}`;
  return fromBlocks('concatenate', name, shape, chunks, dtype, (idx, key) => {
    const [i, j] = owner[idx[ax]];
    const src = [...idx];
    src[ax] = j;
    return arrayOps.reshapeBlock.task(key, lit(idx.map((b, d) => chunks[d][b])), ref(parts[i].key(src)));
  }, parts);
}

export function stack(arrays: readonly A[], axis = 0): A {
  if (!arrays.length) throw new RangeError('need at least one array to stack');
  const s0 = arrays[0].shape;
  for (const a of arrays) if (a.ndim !== s0.length || a.shape.some((s, d) => s !== s0[d])) throw new RangeError('all input arrays must have the same shape');
  return concatenate(arrays.map((a) => expandDims(a, axis)), axis);
}
