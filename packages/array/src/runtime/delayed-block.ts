/**
 * A block made from a lazy value another package computes (fromDelayedBlocks): an NDArray, or a
 * plain `{ values, shape }` / `{ data, shape }` (what an NDArray becomes after crossing threads,
 * and what a package that does not import this one can build), or a typed array (1-D).
 */
import { ctorOf, type DType } from '../dtype';
import { sizeOf, type Block } from './block';

const isTyped = (x: unknown): x is ArrayBufferView => ArrayBuffer.isView(x) && !(x instanceof DataView);

/** `shape`: the declared shape of the block, null where a size is unknown (NaN chunks). */
export function delayedBlock(value: unknown, dtype: DType, shape: readonly (number | null)[]): Block {
  let data: unknown;
  let got: readonly number[];
  if (isTyped(value)) {
    data = value;
    got = [(value as unknown as ArrayLike<number>).length];
  } else if (typeof value === 'object' && value !== null && Array.isArray((value as { shape?: unknown }).shape)) {
    const v = value as { values?: unknown; data?: unknown; shape: number[] };
    data = isTyped(v.values) ? v.values : v.data;
    got = v.shape;
  } else {
    throw new TypeError(`fromDelayedBlocks: a block computed to ${value === null ? 'null' : typeof value}; expected an NDArray, a typed array or { values, shape }`);
  }
  const Ctor = ctorOf(dtype);
  if (!(data instanceof Ctor)) throw new TypeError(`fromDelayedBlocks: a block of dtype ${dtype} needs a ${Ctor.name}, got ${isTyped(data) ? data.constructor.name : typeof data}`);
  const typed = data as InstanceType<typeof Ctor>;
  if (got.length !== shape.length || got.some((s, d) => shape[d] !== null && s !== shape[d]) || sizeOf(got) !== typed.length) {
    throw new RangeError(`fromDelayedBlocks: a block has shape [${got.join(', ')}] (${typed.length} values) where [${shape.map((s) => (s === null ? 'nan' : s)).join(', ')}] was declared`);
  }
  return { dtype, shape: [...got], data: typed };
}
