/**
 * NumPy-style methods of ChunkedArray, attached here so that array.ts stays free of imports of
 * the operation modules (they import array.ts).
 */
import type { ChunksSpec } from './chunks';
import { ChunkedArray } from './array';
import { binary, clip, unary, astype as astypeOf, type Operand } from './elementwise/build';
import type { DType } from './dtype';
import { toDType } from './dtype';
import type { NDArray } from './ndarray';
import { matmul, dot } from './linalg/matmul';
import { mapBlocks, type BlockInfo, type MapBlocksOptions } from './blockwise/map-blocks';
import { mapOverlap, type MapOverlapOptions } from './blockwise/map-overlap';
import { cumulative } from './reductions/cumulative';
import { reduceBuiltin, type ReduceOptions, type VarOptions } from './reductions/reductions';
import type { ReduceFn } from './runtime/reduce-table';
import { rechunk } from './rechunk/rechunk';
import { getitem, type Index } from './slicing/slicing';
import { ravel, reshape, squeeze, transpose } from './shape/shape';
import type { BinaryOp, UnaryOp } from './runtime/expr';
import { toZarr, type ToZarrOptions, type ZarrSource, type ZarrWrite } from './io/zarr';
import { computeChunkSizes } from './slicing/lazy-mask';
import type { ComputeOptions } from '@pdask/core';

/** Options of a reduction over every axis (the result is a number). */
export interface FullReduceOptions {
  axis?: null;
  keepdims?: false;
  splitEvery?: number;
  ddof?: number;
}

type A = ChunkedArray<NDArray>;

/**
 * The methods below, as a type that array.ts merges into the class (a merge in the class's own
 * module survives the bundled .d.ts; an augmentation of './array' from here did not).
 */
export interface ArrayMethods<R> {
  add(other: Operand): ChunkedArray<R>;
  sub(other: Operand): ChunkedArray<R>;
  mul(other: Operand): ChunkedArray<R>;
  div(other: Operand): ChunkedArray<R>;
  floorDiv(other: Operand): ChunkedArray<R>;
  mod(other: Operand): ChunkedArray<R>;
  pow(other: Operand): ChunkedArray<R>;
  maximum(other: Operand): ChunkedArray<R>;
  minimum(other: Operand): ChunkedArray<R>;
  eq(other: Operand): ChunkedArray<R extends NDArray ? NDArray : boolean>;
  ne(other: Operand): ChunkedArray<R extends NDArray ? NDArray : boolean>;
  lt(other: Operand): ChunkedArray<R extends NDArray ? NDArray : boolean>;
  le(other: Operand): ChunkedArray<R extends NDArray ? NDArray : boolean>;
  gt(other: Operand): ChunkedArray<R extends NDArray ? NDArray : boolean>;
  ge(other: Operand): ChunkedArray<R extends NDArray ? NDArray : boolean>;
  and(other: Operand): ChunkedArray<R extends NDArray ? NDArray : boolean>;
  or(other: Operand): ChunkedArray<R extends NDArray ? NDArray : boolean>;
  neg(): ChunkedArray<R>;
  abs(): ChunkedArray<R>;
  sqrt(): ChunkedArray<R>;
  exp(): ChunkedArray<R>;
  log(): ChunkedArray<R>;
  round(): ChunkedArray<R>;
  clip(min?: Operand | null, max?: Operand | null): ChunkedArray<R>;
  astype(dtype: DType | string): ChunkedArray<R>;

  sum(opts?: FullReduceOptions): ChunkedArray<number>;
  sum(opts: ReduceOptions): ChunkedArray<NDArray>;
  prod(opts?: FullReduceOptions): ChunkedArray<number>;
  prod(opts: ReduceOptions): ChunkedArray<NDArray>;
  mean(opts?: FullReduceOptions): ChunkedArray<number>;
  mean(opts: ReduceOptions): ChunkedArray<NDArray>;
  var(opts?: FullReduceOptions): ChunkedArray<number>;
  var(opts: VarOptions): ChunkedArray<NDArray>;
  std(opts?: FullReduceOptions): ChunkedArray<number>;
  std(opts: VarOptions): ChunkedArray<NDArray>;
  min(opts?: FullReduceOptions): ChunkedArray<number>;
  min(opts: ReduceOptions): ChunkedArray<NDArray>;
  max(opts?: FullReduceOptions): ChunkedArray<number>;
  max(opts: ReduceOptions): ChunkedArray<NDArray>;
  argmin(opts?: FullReduceOptions): ChunkedArray<number>;
  argmin(opts: { axis: number; keepdims?: boolean; splitEvery?: number }): ChunkedArray<NDArray>;
  argmax(opts?: FullReduceOptions): ChunkedArray<number>;
  argmax(opts: { axis: number; keepdims?: boolean; splitEvery?: number }): ChunkedArray<NDArray>;
  any(opts?: FullReduceOptions): ChunkedArray<boolean>;
  any(opts: ReduceOptions): ChunkedArray<NDArray>;
  all(opts?: FullReduceOptions): ChunkedArray<boolean>;
  all(opts: ReduceOptions): ChunkedArray<NDArray>;
  nansum(opts?: FullReduceOptions): ChunkedArray<number>;
  nansum(opts: ReduceOptions): ChunkedArray<NDArray>;
  nanmean(opts?: FullReduceOptions): ChunkedArray<number>;
  nanmean(opts: ReduceOptions): ChunkedArray<NDArray>;
  nanmin(opts?: FullReduceOptions): ChunkedArray<number>;
  nanmin(opts: ReduceOptions): ChunkedArray<NDArray>;
  nanmax(opts?: FullReduceOptions): ChunkedArray<number>;
  nanmax(opts: ReduceOptions): ChunkedArray<NDArray>;

  cumsum(opts?: { axis?: number | null }): ChunkedArray<NDArray>;
  cumprod(opts?: { axis?: number | null }): ChunkedArray<NDArray>;

  /** NumPy indexing; see slicing.ts for the syntax: `x.slice(0, '1:5', '::-1', [2, 3], mask, null, '...')`. */
  slice(...index: Index[]): ChunkedArray<NDArray>;
  reshape(shape: readonly number[]): ChunkedArray<R>;
  transpose(axes?: readonly number[]): ChunkedArray<R>;
  /** The transpose (reversed axes). */
  readonly T: ChunkedArray<R>;
  rechunk(chunks: ChunksSpec): ChunkedArray<R>;
  squeeze(axis?: number | readonly number[]): ChunkedArray<NDArray>;
  ravel(): ChunkedArray<R>;
  matmul(other: ChunkedArray<unknown>): ChunkedArray<NDArray>;
  dot(other: ChunkedArray<unknown>): ChunkedArray<NDArray>;
  mapBlocks(fn: (block: NDArray, info: BlockInfo) => NDArray | ArrayBufferView | number, opts?: MapBlocksOptions): ChunkedArray<NDArray>;
  /** The function over every block with a halo of `depth` neighbouring elements (stencils). */
  mapOverlap(fn: (block: NDArray, info: BlockInfo) => NDArray | ArrayBufferView | number, opts: MapOverlapOptions): ChunkedArray<NDArray>;
  /** Writes the array to Zarr (one task per block); resolves to the stored array, read lazily. */
  toZarr(target: ZarrSource, opts: ToZarrOptions & { compute: false }): Promise<ZarrWrite>;
  toZarr(target: ZarrSource, opts?: ToZarrOptions & { compute?: ComputeOptions }): Promise<ChunkedArray<NDArray>>;
  toZarr(target: ZarrSource, opts?: ToZarrOptions): Promise<ChunkedArray<NDArray> | ZarrWrite>;
  /** The array with its unknown (NaN) chunk sizes computed (Dask's compute_chunk_sizes). */
  computeChunkSizes(opts?: ComputeOptions): Promise<ChunkedArray<R>>;
}

type Proto = Record<string, unknown>;
const proto = ChunkedArray.prototype as unknown as Proto;

const BIN: Record<string, BinaryOp> = {
  add: 'add', sub: 'sub', mul: 'mul', div: 'div', floorDiv: 'floorDiv', mod: 'mod', pow: 'pow', maximum: 'maximum', minimum: 'minimum',
  eq: 'eq', ne: 'ne', lt: 'lt', le: 'le', gt: 'gt', ge: 'ge', and: 'logicalAnd', or: 'logicalOr',
};
for (const [m, op] of Object.entries(BIN)) {
  proto[m] = function (this: A, other: Operand) {
    return binary(op, this, other);
  };
}
const UN: Record<string, UnaryOp> = { neg: 'neg', abs: 'abs', sqrt: 'sqrt', exp: 'exp', log: 'log', round: 'rint' };
for (const [m, op] of Object.entries(UN)) {
  proto[m] = function (this: A) {
    return unary(op, this);
  };
}
proto.clip = function (this: A, min?: Operand | null, max?: Operand | null) {
  return clip(this, min, max);
};
proto.astype = function (this: A, dtype: DType | string) {
  return astypeOf(this, toDType(dtype));
};

const REDUCTIONS: ReduceFn[] = ['sum', 'prod', 'mean', 'var', 'std', 'min', 'max', 'argmin', 'argmax', 'any', 'all', 'nansum', 'nanmean', 'nanmin', 'nanmax'];
for (const fn of REDUCTIONS) {
  proto[fn] = function (this: A, opts: VarOptions = {}) {
    return reduceBuiltin(this, fn, opts);
  };
}
proto.cumsum = function (this: A, opts: { axis?: number | null } = {}) {
  return cumulative(this, 'cumsum', opts.axis);
};
proto.cumprod = function (this: A, opts: { axis?: number | null } = {}) {
  return cumulative(this, 'cumprod', opts.axis);
};
proto.slice = function (this: A, ...index: Index[]) {
  return getitem(this, index);
};
proto.reshape = function (this: A, shape: readonly number[]) {
  return reshape(this, shape);
};
proto.transpose = function (this: A, axes?: readonly number[]) {
  return transpose(this, axes);
};
Object.defineProperty(proto, 'T', {
  get(this: A) {
    return transpose(this);
  },
});
proto.rechunk = function (this: A, chunks: ChunksSpec) {
  return rechunk(this, chunks);
};
proto.squeeze = function (this: A, axis?: number | readonly number[]) {
  return squeeze(this, axis);
};
proto.ravel = function (this: A) {
  return ravel(this);
};
proto.matmul = function (this: A, other: ChunkedArray<unknown>) {
  return matmul(this, other);
};
proto.dot = function (this: A, other: ChunkedArray<unknown>) {
  return dot(this, other);
};
proto.mapOverlap = function (this: A, fn: (block: NDArray, info: BlockInfo) => NDArray | ArrayBufferView | number, opts: MapOverlapOptions) {
  return mapOverlap(fn, this, opts);
};
proto.mapBlocks = function (this: A, fn: (block: NDArray, info: BlockInfo) => NDArray | ArrayBufferView | number, opts: MapBlocksOptions = {}) {
  return mapBlocks(fn as never, [this], opts);
};
proto.toZarr = function (this: A, target: ZarrSource, opts: ToZarrOptions = {}) {
  return toZarr(this, target, opts);
};
proto.computeChunkSizes = function (this: A, opts: ComputeOptions = {}) {
  return computeChunkSizes(this, opts);
};
