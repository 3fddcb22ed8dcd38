/**
 * The steps of a user-defined reduction (`da.reduction`, Dask's `reduction`): the user's chunk
 * function on each block, then combine/aggregate on the partials of each group of the tree. With
 * `concatenate` the partials (arrays keeping every dimension) of a group are concatenated along
 * the reduced axes into one NDArray, as Dask does; without, the group is a list of partials.
 */
import { alloc, dtypeOfArray, type DType } from '../dtype';
import { NDArray } from '../ndarray';
import { sizeOf, type Block } from './block';
import { concatBlocks } from './user';

type UserFn = (...args: unknown[]) => unknown;

/** What the steps of one task need to know. */
export interface UserReduceStep {
  /** Reduced axes (sorted). */
  readonly axes: readonly number[];
  /** Dimensions of the reduced array. */
  readonly ndim: number;
  readonly concatenate: boolean;
  /** The group's partials per reduced axis (C order over them); empty for chunk tasks. */
  readonly box: readonly number[];
}

/** The last step: also the result's block. */
export interface UserAggregateStep extends UserReduceStep {
  readonly keepdims: boolean;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/**
 * Partials cross threads by structured cloning, which drops classes: an NDArray partial travels
 * as its block under this tag and is rebuilt before the next step sees it.
 */
const TAG = '$pdaskNDArray';

function isBlockLike(v: unknown): v is Block {
  return typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && ArrayBuffer.isView((v as Block).data);
}

function pack(v: unknown): unknown {
  return v instanceof NDArray ? { [TAG]: v.toBlock() } : v;
}

function unpack(v: unknown): unknown {
  return typeof v === 'object' && v !== null && TAG in v ? NDArray.fromBlock((v as Record<string, Block>)[TAG]) : v;
}

/** A partial as a block of the reduced array's dimensions, for concatenation. */
function partialBlock(v: unknown, step: UserReduceStep, what: string): Block {
  const u = unpack(v);
  let b: Block | undefined;
  if (u instanceof NDArray) b = u.toBlock();
  else if (isBlockLike(u)) b = { ...u, dtype: u.dtype ?? dtypeOfArray(u.data) };
  else if (typeof u === 'number' && step.ndim === 0) b = { dtype: 'float64', shape: [], data: Float64Array.of(u) };
  if (!b || b.shape.length !== step.ndim) {
    const got = b ? `an array of ${b.shape.length} dimensions` : typeof u;
    throw new TypeError(`reduction: ${what} returned ${got}; with concatenate (the default) partials must be arrays of ${step.ndim} dimensions (keepdims), or pass { concatenate: false }`);
  }
  return b;
}

/** The group's partials as one NDArray (concatenated along the reduced axes) or as a list. */
function group(parts: readonly unknown[], step: UserReduceStep, what: string): NDArray | unknown[] {
  if (!step.concatenate) return parts.map(unpack);
  const blocks = parts.map((p) => partialBlock(p, step, what));
  const concat = (from: number, d: number): Block => {
    if (d === step.box.length) return blocks[from];
    const inner = step.box.slice(d + 1).reduce((a, b) => a * b, 1);
    const slabs: Block[] = [];
    for (let i = 0; i < step.box[d]; i++) slabs.push(concat(from + i * inner, d + 1));
    return concatBlocks(slabs, step.axes[d]);
  };
  return NDArray.fromBlock(concat(0, 0));
}

export function userReduceChunk(fn: UserFn, step: UserReduceStep, block: Block): unknown {
  const out = fn(NDArray.fromBlock(block), { axis: [...step.axes], keepdims: true });
  if (step.concatenate) partialBlock(out, step, 'chunk');
  return pack(out);
}

export function userReduceCombine(fn: UserFn, step: UserReduceStep, ...parts: unknown[]): unknown {
  const out = fn(group(parts, step, 'chunk or combine'), { axis: [...step.axes], keepdims: true });
  if (step.concatenate) partialBlock(out, step, 'combine');
  return pack(out);
}

/** The aggregate's value as the result block: any array with the block's number of values, or a number for one value. */
export function userReduceAggregate(fn: UserFn, step: UserAggregateStep, ...parts: unknown[]): Block {
  const v = unpack(fn(group(parts, step, 'chunk or combine'), { axis: [...step.axes], keepdims: step.keepdims }));
  const n = sizeOf(step.shape);
  let data: ArrayLike<number> | undefined;
  if (v instanceof NDArray) data = v.data as ArrayLike<number>;
  else if (isBlockLike(v)) data = v.data as ArrayLike<number>;
  else if (ArrayBuffer.isView(v)) data = v as unknown as ArrayLike<number>;
  else if (typeof v === 'number' || typeof v === 'boolean') data = [Number(v)];
  if (!data) throw new TypeError(`reduction: aggregate returned ${typeof v}; expected an NDArray, a typed array or a number`);
  if (data.length !== n) throw new RangeError(`reduction: aggregate returned ${data.length} values for a result block of shape [${step.shape.join(', ')}]`);
  const out = alloc(step.dtype, n);
  for (let i = 0; i < n; i++) out[i] = data[i];
  return { dtype: step.dtype, shape: [...step.shape], data: out };
}
