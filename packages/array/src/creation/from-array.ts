/** `fromArray`: an eager array (typed array, nested numbers, NDArray) cut into blocks. */
import { createHash } from 'node:crypto';
import { dataNode, tokenize } from '@pdask/core';
import { ChunkedArray, fromBlocks } from '../array';
import { blockOffset, blockShape, normalizeChunks, type ChunksSpec } from '../chunks';
import { alloc, allocShared, toDType, type DType, type TypedArray } from '../dtype';
import { NDArray, type NestedArray } from '../ndarray';
import { copyRegion, sizeOf } from '../runtime/block';

export type ArrayLike = NDArray | ArrayBufferView | NestedArray;

export interface FromArrayOptions {
  /** Block sizes (Dask's chunks): a number, per-dimension sizes or lists, -1, or 'auto' (default). */
  chunks?: ChunksSpec;
  /** Reinterpret a flat typed array with this shape (C order). */
  shape?: readonly number[];
  dtype?: DType | string;
  /** Array name (key prefix); by default a deterministic hash of the data. */
  name?: string;
}

const SHARE_BYTES = 1 << 20;

function isShared(a: TypedArray): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

function contentToken(a: NDArray): string {
  // sha1 is ~2.5x faster than the md5 of core's tokenize here (hardware SHA), and data can be large.
  const h = createHash('sha1');
  h.update(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  return tokenize(a.dtype, a.shape, h.digest('hex'));
}

/**
 * Cuts an eager array into blocks (one data node per block). The data is placed in a
 * SharedArrayBuffer once, so blocks reach worker threads without copies; blocks that are
 * contiguous ranges of it (any 1-d block, or blocks spanning all trailing dimensions) are views.
 */
export function fromArray(x: ArrayLike, opts: FromArrayOptions = {}): ChunkedArray {
  let a = NDArray.from(x as NDArray, opts.dtype);
  if (opts.shape) {
    if (sizeOf(opts.shape) !== a.size) throw new RangeError(`fromArray: cannot reshape ${a.size} elements to [${opts.shape.join(', ')}]`);
    a = new NDArray(a.data, opts.shape, a.dtype);
  }
  const chunks = normalizeChunks(opts.chunks, a.shape, a.dtype);
  const name = opts.name ?? `array-${tokenize(contentToken(a), chunks)}`;
  let shared = a.data;
  // Large data goes into shared memory once; small blocks are copied (cheap to clone to workers).
  const share = a.data.byteLength >= SHARE_BYTES;
  if (share && !isShared(shared)) {
    shared = allocShared(a.dtype, a.size);
    shared.set(a.data);
  }
  const shape = a.shape;
  const nd = shape.length;
  const dtype = a.dtype;
  return fromBlocks(
    'array',
    name,
    shape,
    chunks,
    dtype,
    (idx, key) => {
      const bs = blockShape(chunks, idx);
      const off = blockOffset(chunks, idx);
      const n = sizeOf(bs);
      // Contiguous when every dimension after the first partial one is whole.
      let first = 0;
      while (first < nd && bs[first] === 1) first++;
      const contiguous = bs.every((s, d) => d <= first || s === shape[d]);
      let data: TypedArray;
      if (contiguous) {
        let start = 0;
        let stride = 1;
        for (let d = nd - 1; d >= 0; d--) {
          start += off[d] * stride;
          stride *= shape[d];
        }
        data = share ? shared.subarray(start, start + n) : shared.slice(start, start + n);
      } else {
        data = share ? allocShared(dtype, n) : alloc(dtype, n);
        copyRegion(shared, shape, off, data, bs, new Array(nd).fill(0), bs);
      }
      return dataNode(key, { dtype, shape: bs, data });
    },
    [],
  );
}

/** Eager data as a one-block array (operands of elementwise operations). */
export function asArray(x: ArrayLike | ChunkedArray<unknown>): ChunkedArray<unknown> {
  if (x instanceof ChunkedArray) return x;
  const a = NDArray.from(x as NDArray);
  return fromArray(a, { chunks: a.shape.map(() => -1) });
}

export { toDType };
