/**
 * Runtime of pointwise indexing (vindex, several index lists) and assignment (set): elements are
 * copied, never computed on, so any typed array works.
 */
import { alloc, type DType } from '../dtype';
import { castData, same, sizeOf, stridesOf, type Block } from './block';
import type { DimSel } from './layout';

/** Which points a block holds: their coordinates inside it along the indexed axes. */
export interface PickSpec {
  /** The block's indexed axes (the others are kept whole, in order, after the points). */
  readonly axes: readonly number[];
  /** Per point, its local coordinate along each indexed axis (points x axes, flattened). */
  readonly coords: readonly number[];
}

/** The points of one block: shape [points, ...the block's other axes]. */
export function vindexPick(spec: PickSpec, b: Block): Block {
  const st = stridesOf(b.shape);
  const fancy = new Set(spec.axes);
  const rest = b.shape.map((_, d) => d).filter((d) => !fancy.has(d));
  const restShape = rest.map((d) => b.shape[d]);
  const slab = sizeOf(restShape);
  const f = spec.axes.length;
  const points = spec.coords.length / f;
  const out = alloc(b.dtype, points * slab);
  const idx = new Array<number>(rest.length).fill(0);
  for (let p = 0, o = 0; p < points; p++) {
    let base = 0;
    for (let j = 0; j < f; j++) base += spec.coords[p * f + j] * st[spec.axes[j]];
    for (let k = 0; k < slab; k++) {
      let src = base;
      for (let j = 0; j < rest.length; j++) src += idx[j] * st[rest[j]];
      out[o++] = b.data[src];
      let j = rest.length - 1;
      while (j >= 0 && ++idx[j] === restShape[j]) idx[j--] = 0;
    }
  }
  return { dtype: b.dtype, shape: [points, ...restShape], data: out };
}

/** One output block from the picks: pick k's row j is point `ids[k][j]` of the result. */
export function vindexMerge(dtype: DType, shape: readonly number[], ids: readonly (readonly number[])[], ...picks: Block[]): Block {
  const out = alloc(dtype, sizeOf(shape));
  picks.forEach((pk, k) => {
    const slab = sizeOf(pk.shape.slice(1));
    ids[k].forEach((id, j) => same(out).set(same(pk.data).subarray(j * slab, (j + 1) * slab), id * slab));
  });
  return { dtype, shape: [...shape], data: out };
}

/**
 * A block with the positions `sel` (per dimension, local and ascending: a strided range or a list,
 * where a repeated position gets the later value, as in NumPy) replaced by `value`: a block of
 * the selection's shape, or one number for every position.
 */
export function setBlock(sel: readonly DimSel[], b: Block, value: Block | number): Block {
  const nd = b.shape.length;
  const counts = sel.map((s) => ('ix' in s ? s.ix.length : s.n));
  const n = sizeOf(counts);
  if (n === 0) return b;
  const out = b.data.slice();
  const st = stridesOf(b.shape);
  const v = typeof value === 'number' ? castData(Float64Array.of(value), 'float64', b.dtype) : value.dtype === b.dtype ? value.data : castData(value.data, value.dtype, b.dtype);
  const one = v.length === 1 && n > 1;
  const at = (d: number, i: number): number => {
    const s = sel[d];
    return 'ix' in s ? s.ix[i] : s.s + i * s.st;
  };
  const idx = new Array<number>(nd).fill(0);
  for (let o = 0; o < n; o++) {
    let dst = 0;
    for (let d = 0; d < nd; d++) dst += at(d, idx[d]) * st[d];
    out[dst] = v[one ? 0 : o];
    let d = nd - 1;
    while (d >= 0 && ++idx[d] === counts[d]) idx[d--] = 0;
  }
  return { dtype: b.dtype, shape: [...b.shape], data: out };
}
