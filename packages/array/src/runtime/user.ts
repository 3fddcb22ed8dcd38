/** Calling user functions on blocks (mapBlocks, fromFunction). */
import { alloc, dtypeOfArray, type DType } from '../dtype';
import { NDArray } from '../ndarray';
import { sizeOf, type Block } from './block';

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
function toBlock(v: unknown, info: BlockInfo): Block {
  if (v instanceof NDArray) return v.dtype === info.dtype ? v.toBlock() : v.astype(info.dtype).toBlock();
  if (v && typeof v === 'object' && 'data' in v && 'shape' in v && ArrayBuffer.isView((v as Block).data)) {
    const b = v as Block;
    return NDArray.fromBlock({ ...b, dtype: b.dtype ?? dtypeOfArray(b.data) }).astype(info.dtype).toBlock();
  }
  if (ArrayBuffer.isView(v)) {
    const a = new NDArray(v as never, [(v as unknown as ArrayLike<number>).length]).astype(info.dtype);
    if (a.size !== sizeOf(info.chunkShape)) throw new RangeError(`mapBlocks: the function returned ${a.size} values for a block of shape [${info.chunkShape.join(', ')}]`);
    return { dtype: info.dtype, shape: [...info.chunkShape], data: a.data };
  }
  if (typeof v === 'number' || typeof v === 'boolean') {
    const data = alloc(info.dtype, sizeOf(info.chunkShape)).fill(Number(v));
    return { dtype: info.dtype, shape: [...info.chunkShape], data };
  }
  if (Array.isArray(v)) return NDArray.from(v, info.dtype).toBlock();
  throw new TypeError(`mapBlocks: the function returned ${typeof v}; expected an NDArray, a typed array or a number`);
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
