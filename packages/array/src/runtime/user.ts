/** Calling user functions on blocks (mapBlocks, fromFunction). */
import { alloc, dtypeOfArray, fillNumber, type DType } from '../dtype';
import { NDArray } from '../ndarray';
import { copyRegion, sizeOf, type Block } from './block';

export interface BlockInfo {
  /** Index of the block in the grid of blocks. */
  readonly blockId: readonly number[];
  /** [start, stop) of the block along each dimension of the whole array. */
  readonly arrayLocation: readonly (readonly [number, number])[];
  readonly chunkShape: readonly number[];
  readonly numBlocks: readonly number[];
  readonly shape: readonly number[];
  readonly dtype: DType;
}

type MapFn = (...args: unknown[]) => unknown;

/** Normalises what a user function returned into a block of the declared dtype. */
function toBlock(v: unknown, info: BlockInfo, label = 'mapBlocks'): Block {
  if (v instanceof NDArray) return v.dtype === info.dtype ? v.toBlock() : v.astype(info.dtype).toBlock();
  if (v && typeof v === 'object' && 'data' in v && 'shape' in v && ArrayBuffer.isView((v as Block).data)) {
    const b = v as Block;
    return NDArray.fromBlock({ ...b, dtype: b.dtype ?? dtypeOfArray(b.data) }).astype(info.dtype).toBlock();
  }
  if (ArrayBuffer.isView(v)) {
    const a = new NDArray(v as never, [(v as unknown as ArrayLike<number>).length]).astype(info.dtype);
    if (a.size !== sizeOf(info.chunkShape)) throw new RangeError(`${label}: the function returned ${a.size} values for a block of shape [${info.chunkShape.join(', ')}]`);
    return { dtype: info.dtype, shape: [...info.chunkShape], data: a.values };
  }
  if (typeof v === 'number' || typeof v === 'boolean') {
    const data = alloc(info.dtype, sizeOf(info.chunkShape));
    fillNumber(data, Number(v));
    return { dtype: info.dtype, shape: [...info.chunkShape], data };
  }
  if (Array.isArray(v)) return NDArray.from(v, info.dtype).toBlock();
  throw new TypeError(`${label}: the function returned ${typeof v}; expected an NDArray, a typed array or a number`);
}

export function mapBlocksOp(fn: MapFn, info: BlockInfo, ...blocks: Block[]): Block {
  const out = toBlock(fn(...blocks.map((b) => NDArray.fromBlock(b)), info), info);
  if (out.shape.length !== info.chunkShape.length || out.shape.some((s, d) => s !== info.chunkShape[d])) {
    throw new RangeError(`mapBlocks: block ${JSON.stringify(info.blockId)} has shape [${out.shape.join(', ')}], expected [${info.chunkShape.join(', ')}] (pass { chunks } when the function changes block shapes)`);
  }
  return out;
}

export function fromFunctionBlock(fn: (...i: number[]) => number, dtype: DType, shape: readonly number[], offset: readonly number[]): Block {
  const n = sizeOf(shape);
  const out = alloc(dtype, n);
  const nd = shape.length;
  const idx = offset.slice();
  for (let p = 0; p < n; p++) {
    out[p] = fn(...idx);
    let d = nd - 1;
    while (d >= 0 && ++idx[d] === offset[d] + shape[d]) {
      idx[d] = offset[d];
      d--;
    }
  }
  return { dtype, shape: [...shape], data: out };
}

/** Where each argument of a blockwise task goes: a block, nested lists of blocks, or a literal. */
export interface BlockwiseSpec {
  readonly info: BlockInfo;
  /** Per argument: null for a literal, else the axes its nested lists run along (outermost first). */
  readonly args: readonly (readonly number[] | null)[];
  /** Whether nested lists are concatenated into one block along those axes (Dask's concatenate=True). */
  readonly concatenate: boolean;
}

/** Concatenates blocks along one axis (all other dimensions equal). */
export function concatBlocks(blocks: readonly Block[], axis: number): Block {
  if (blocks.length === 1) return blocks[0];
  const first = blocks[0];
  const shape = [...first.shape];
  shape[axis] = blocks.reduce((n, b) => n + b.shape[axis], 0);
  const out = alloc(first.dtype, sizeOf(shape));
  let at = 0;
  for (const b of blocks) {
    const dst = shape.map((_, d) => (d === axis ? at : 0));
    copyRegion(b.data, b.shape, b.shape.map(() => 0), out, shape, dst, b.shape);
    at += b.shape[axis];
  }
  return { dtype: first.dtype, shape, data: out };
}

function concatNested(v: unknown, axes: readonly number[], level: number): Block {
  if (level === axes.length) return v as Block;
  return concatBlocks((v as unknown[]).map((e) => concatNested(e, axes, level + 1)), axes[level]);
}

function nestedToND(v: unknown, depth: number): unknown {
  return depth === 0 ? NDArray.fromBlock(v as Block) : (v as unknown[]).map((e) => nestedToND(e, depth - 1));
}

export function blockwiseUserOp(fn: MapFn, spec: BlockwiseSpec, ...args: unknown[]): Block {
  const vals = args.map((a, k) => {
    const axes = spec.args[k];
    if (axes === null) return a;
    if (spec.concatenate) return NDArray.fromBlock(concatNested(a, axes, 0));
    return nestedToND(a, axes.length);
  });
  const info = spec.info;
  let out = toBlock(fn(...vals, info), info, 'blockwise');
  // A block with the right values but without length-1 axes (e.g. mapBlocks' newAxis) is reshaped.
  const squeezed = (s: readonly number[]) => s.filter((n) => n !== 1).join(',');
  if (out.shape.length !== info.chunkShape.length && squeezed(out.shape) === squeezed(info.chunkShape)) out = { ...out, shape: [...info.chunkShape] };
  if (out.shape.length !== info.chunkShape.length || out.shape.some((s, d) => s !== info.chunkShape[d])) {
    throw new RangeError(`blockwise: block ${JSON.stringify(info.blockId)} has shape [${out.shape.join(', ')}], expected [${info.chunkShape.join(', ')}] (pass { adjustChunks } or { newAxes } when the function changes block shapes)`);
  }
  return out;
}
