/** `fromArray`: an eager array (typed array, nested numbers, NDArray) cut into blocks. */
import { checkOptions, dataNode, tokenize, type OptionSchema } from '@pdask/core';
import { CHUNKS, DTYPE, NOT_YET } from '../options';
import { ChunkedArray, fromBlocks } from '../array';
import { blockOffset, blockShape, normalizeChunks, type ChunksSpec } from '../chunks';
import { alloc, allocShared, toDType, type DType, type TypedArray } from '../dtype';
import { NDArray, type NestedArray } from '../ndarray';
import { arenaAlloc } from '../runtime/arena';
import { kernelsSync } from '../runtime/kernels';
import { copyRegion, same, sizeOf, type Block } from '../runtime/block';
import { recall, remember } from './snapshot-memo';

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

/**
 * Data this large (and below ARENA_BYTES, or without the arena) is copied once into one
 * SharedArrayBuffer and its blocks are views on it: they cross to worker threads by reference, so
 * a batch carrying them needs no copy into fresh shared memory on the way (the threads executor's
 * share-inputs.ts does that for ordinary buffers of SHARE_MIN_BYTES, 32 KB, or more per batch).
 * One allocation and one copy of the whole array cost about what slicing it into blocks did
 * (measured under load: 37-45 µs of CPU for two 80 KB arrays against 40 µs for their eight
 * slices). Smaller arrays are sliced per block: cloning them costs less than a shared allocation.
 */
const SHARE_BYTES = 32 * 1024;
/**
 * Data this large goes into the arena: blocks are views, cross threads without copies and are
 * reduced in place. Smaller arrays are sliced per block: arena memory is reused only after the
 * garbage collector has freed the arrays that held it, so a stream of small arrays would keep
 * touching fresh pages (measured: 39 µs per 80 KB fromArray against under 1 µs for slices).
 */
const ARENA_BYTES = 1 << 20;

function isShared(a: TypedArray): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** The default name: a hash of the data, its dtype and shape, and the chunks (one token, one MD5). */
function contentName(a: NDArray, hash: string, chunks: readonly (readonly number[])[]): string {
  return `array-${tokenize(a.dtype, a.shape, hash, chunks)}`;
}

/**
 * Cuts an eager array into blocks (one data node per block). Large data is placed once in the
 * arena (a shared WebAssembly memory, runtime/arena.ts), so blocks reach worker threads without
 * copies and the kernels of every thread reduce them in place; blocks that are contiguous ranges
 * of it (any 1-d block, or blocks spanning all trailing dimensions) are views. Without shared
 * WebAssembly memory, a SharedArrayBuffer plays the same part (without the in-place kernels).
 */
const SCHEMA: OptionSchema<FromArrayOptions & { lock?: unknown; asarray?: unknown; fancy?: unknown; inlineArray?: unknown; meta?: unknown }> = {
  chunks: CHUNKS,
  shape: 'array',
  dtype: DTYPE,
  name: 'string',
  lock: NOT_YET,
  asarray: NOT_YET,
  fancy: NOT_YET,
  inlineArray: NOT_YET,
  meta: NOT_YET,
};

export function fromArray(x: ArrayLike, options?: FromArrayOptions): ChunkedArray {
  const opts = checkOptions('da.fromArray', options, SCHEMA);
  let a = NDArray.from(x as NDArray, opts.dtype);
  if (opts.shape) {
    if (sizeOf(opts.shape) !== a.size) throw new RangeError(`fromArray: cannot reshape ${a.size} elements to [${opts.shape.join(', ')}]`);
    a = new NDArray(a.values, opts.shape, a.dtype);
  }
  const chunks = normalizeChunks(opts.chunks, a.shape, a.dtype);
  // The same unchanged data as an earlier call: its hash and snapshot (snapshot-memo.ts).
  const known = opts.name === undefined ? recall(a.values) : undefined;
  // XXH64 in the kernels (Dask names arrays by an xxh64 of their bytes too): ~4x faster than
  // Node's hardware SHA-1, and data can be large.
  const hash = opts.name === undefined ? (known?.hash ?? kernelsSync().hash64(a.values)) : undefined;
  const name = opts.name ?? contentName(a, hash!, chunks);
  let shared = a.values;
  let mem: WebAssembly.Memory | undefined;
  // Large data goes into shared memory once; small blocks are copied (cheap to clone to workers).
  const got = known === undefined && a.values.byteLength >= ARENA_BYTES ? arenaAlloc(a.dtype, a.size) : undefined;
  // Without SharedArrayBuffer (a page that is not cross-origin isolated), blocks are sliced.
  const share = known?.mem !== undefined || got !== undefined || (a.values.byteLength >= SHARE_BYTES && typeof SharedArrayBuffer !== 'undefined');
  if (known !== undefined) {
    shared = known.copy;
    mem = known.mem;
  } else if (share) {
    if (got) {
      shared = got.data;
      mem = got.mem;
      same(shared).set(same(a.values));
    } else if (!isShared(shared)) {
      shared = allocShared(a.dtype, a.size);
      same(shared).set(same(a.values));
    }
  } else if (a.values.byteLength < SHARE_BYTES) {
    // A snapshot, as the larger arrays get: the name hashes the data now, so the blocks must be
    // this data too, whatever the caller does to its array later (a copy of under 32 KB).
    shared = a.values.slice();
  }
  if (known === undefined && hash !== undefined) remember(a.values, { hash, copy: shared, mem });
  const bytes = a.values.byteLength;
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
        // Blocks keep the whole array's view alive: the arena frees it when that view is collected.
        const b: Block = mem ? { dtype, shape: bs, data, mem } : { dtype, shape: bs, data };
        // Not enumerable: stays on this thread (not cloned to workers, not counted as block bytes).
        if (mem) Object.defineProperty(b, 'owner', { value: shared, enumerable: false });
        return dataNode(key, b);
      }
      const own = share && mem ? arenaAlloc(dtype, n) : undefined;
      // A mid-sized array's copied blocks go to ordinary memory: a SharedArrayBuffer per block
      // costs more than the one shared copy a batch makes of them (share-inputs.ts).
      data = own ? own.data : share && bytes >= ARENA_BYTES ? allocShared(dtype, n) : alloc(dtype, n);
      copyRegion(shared, shape, off, data, bs, new Array(nd).fill(0), bs);
      return dataNode(key, own ? { dtype, shape: bs, data, mem: own.mem } : { dtype, shape: bs, data });
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
