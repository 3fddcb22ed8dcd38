/** Runtime of mapOverlap: assembling a block with its halo, calling the function, trimming. */
import { alloc, type DType } from '../dtype';
import { NDArray } from '../ndarray';
import { copyRegion, sizeOf, stridesOf, type Block } from './block';
import { callBlockFunction, type BlockInfo } from './user';

/**
 * Where each position of the extended block comes from, along one dimension: `which[i]` is the
 * index (into that dimension's list of source blocks) or -1 for the constant, `local[i]` the
 * position inside that source block.
 */
export interface DimMap {
  readonly which: readonly number[];
  readonly local: readonly number[];
  /** Number of source blocks along this dimension. */
  readonly nblocks: number;
}

/** How to extend one array's block: per dimension, where each position comes from. */
export interface ArrayHalo {
  readonly dims: readonly DimMap[];
  /** Fill value for constant boundaries. */
  readonly constant: number;
}

export interface OverlapSpec {
  /** One per array; the inputs are each array's source blocks in turn (C order over `dims`). */
  readonly arrays: readonly ArrayHalo[];
  /** Positions to keep after the function ([start, stop) per dimension), or null: keep all. */
  readonly trim: readonly (readonly [number, number])[] | null;
  readonly dtype: DType;
}

/** The extended block: inputs are the source blocks, C order over the per-dimension lists. */
export function extendBlock(spec: ArrayHalo, inputs: readonly Block[]): Block {
  const dims = spec.dims;
  const nd = dims.length;
  const shape = dims.map((d) => d.which.length);
  const n = sizeOf(shape);
  const dtype = inputs[0].dtype;
  const out = alloc(dtype, n);
  if (n === 0) return { dtype, shape, data: out };
  const inStrides = stridesOf(dims.map((d) => d.nblocks));
  const blockStrides = inputs.map((b) => stridesOf(b.shape));
  const idx = new Array<number>(nd).fill(0);
  for (let o = 0; o < n; o++) {
    let k = 0;
    let constant = false;
    for (let d = 0; d < nd; d++) {
      const w = dims[d].which[idx[d]];
      if (w < 0) {
        constant = true;
        break;
      }
      k += w * inStrides[d];
    }
    if (constant) out[o] = spec.constant;
    else {
      const st = blockStrides[k];
      let p = 0;
      for (let d = 0; d < nd; d++) p += dims[d].local[idx[d]] * st[d];
      out[o] = inputs[k].data[p];
    }
    let d = nd - 1;
    while (d >= 0 && ++idx[d] === shape[d]) idx[d--] = 0;
  }
  return { dtype, shape, data: out };
}

type MapFn = (...args: unknown[]) => unknown;

export function mapOverlapOp(fn: MapFn, spec: OverlapSpec, info: BlockInfo, ...inputs: Block[]): Block {
  const exts: Block[] = [];
  let at = 0;
  for (const h of spec.arrays) {
    const count = h.dims.reduce((n, d) => n * d.nblocks, 1);
    exts.push(extendBlock(h, inputs.slice(at, at + count)));
    at += count;
  }
  const res = callBlockFunction('mapOverlap', fn, { ...info, chunkShape: exts[0].shape }, exts);
  if (!spec.trim) return res;
  const start = spec.trim.map((t) => t[0]);
  const count = spec.trim.map((t) => t[1] - t[0]);
  const out = alloc(res.dtype, sizeOf(count));
  copyRegion(res.data, res.shape, start, out, count, count.map(() => 0), count);
  return NDArray.fromBlock({ dtype: res.dtype, shape: count, data: out }).toBlock();
}
