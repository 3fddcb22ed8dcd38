/**
 * @pdask/array — chunked n-dimensional arrays (Dask Array for TypeScript).
 *
 *   import * as da from '@pdask/array';
 *   const x = da.fromArray(new Float64Array(10_000).map(Math.random), { chunks: 2500 });
 *   await x.add(1).sum().compute();
 */
import './ops/index';
import type { ChunkedArray } from './array';
import { binary, unary, type Operand } from './elementwise/build';
import { reducer, type ArgReduceOptions, type FullReduceOptions, type FullVarOptions, type ReduceOptions, type VarOptions } from './reductions/reductions';
import type { BinaryOp, UnaryOp } from './runtime/expr';
import type { NDArray } from './ndarray';

export { ChunkedArray, ChunkedArray as Array, type ArrayResult } from './array';
export { NDArray, type NestedArray, type NestedBigInts } from './ndarray';
export { DTYPES, toDType, type DType, type TypedArray } from './dtype';
export { asFloat64, asNumbers, fillNumber, numberAt, setNumber, type NumericArray } from './dtype';
export { normalizeChunks, type Chunks, type ChunksSpec, type DimChunks } from './chunks';
export { fromArray, asArray, type ArrayLike, type FromArrayOptions } from './creation/from-array';
export { arange, empty, eye, fromFunction, full, fullLike, linspace, ones, onesLike, zeros, zerosLike, type CreationOptions } from './creation/creation';
export * as random from './creation/random';
export { astype, broadcastShapes, clip, where, type Operand } from './elementwise/build';
export { normalizeAxes, type ReduceOptions, type VarOptions } from './reductions/reductions';
export {
  reduction,
  type AggregateValue,
  type ArrayValue,
  type ConcatReductionOptions,
  type ListReductionOptions,
  type ReductionStepOptions,
} from './reductions/user-reduction';
export { cumulative } from './reductions/cumulative';
export { rechunk } from './rechunk/rechunk';
export { s, type Index, type Slice } from './slicing/slicing';
export { concatenate, expandDims, moveaxis, ravel, reshape, squeeze, stack, transpose } from './shape/shape';
export { dot, matmul, tensordot } from './linalg/matmul';
export * as linalg from './linalg/index';
export { blockwise, type BlockwiseOptions } from './blockwise/blockwise';
export { mapBlocks, type BlockInfo, type MapBlocksOptions } from './blockwise/map-blocks';
export { mapOverlap, type Boundary, type BoundarySpec, type Depth, type MapOverlapOptions, type PerArray } from './blockwise/map-overlap';
export { fromZarr, toZarr, ZarrWrite, type FromZarrOptions, type RegionEntry, type ToZarrOptions, type ZarrSource, type ZarrStore } from './io/zarr';
export type { ArgReduceOptions, FullReduceOptions, FullVarOptions, Reducer } from './reductions/reductions';
export type { CumulativeOptions } from './reductions/cumulative';
export type { BlockFunction } from './array';
export type { ReduceFn } from './runtime/reduce-table';
export type { UnaryOp, BinaryOp } from './runtime/expr';

type A = ChunkedArray<unknown>;

const bin = (op: BinaryOp) => (a: Operand, b: Operand): ChunkedArray<NDArray> => binary(op, a, b) as ChunkedArray<NDArray>;
const un = (op: UnaryOp) => (a: Operand): ChunkedArray<NDArray> => unary(op, a) as ChunkedArray<NDArray>;

export const add = bin('add');
export const subtract = bin('sub');
export const multiply = bin('mul');
export const divide = bin('div');
export const floorDivide = bin('floorDiv');
export const mod = bin('mod');
export const power = bin('pow');
export const maximum = bin('maximum');
export const minimum = bin('minimum');
export const fmax = bin('fmax');
export const fmin = bin('fmin');
export const arctan2 = bin('arctan2');
export const hypot = bin('hypot');
export const equal = bin('eq');
export const notEqual = bin('ne');
export const less = bin('lt');
export const lessEqual = bin('le');
export const greater = bin('gt');
export const greaterEqual = bin('ge');
export const logicalAnd = bin('logicalAnd');
export const logicalOr = bin('logicalOr');
export const logicalXor = bin('logicalXor');

export const negative = un('neg');
export const absolute = un('abs');
export const abs = absolute;
export const sqrt = un('sqrt');
export const square = un('square');
export const reciprocal = un('reciprocal');
export const exp = un('exp');
export const expm1 = un('expm1');
export const log = un('log');
export const log1p = un('log1p');
export const log2 = un('log2');
export const log10 = un('log10');
export const sin = un('sin');
export const cos = un('cos');
export const tan = un('tan');
export const arcsin = un('arcsin');
export const arccos = un('arccos');
export const arctan = un('arctan');
export const sinh = un('sinh');
export const cosh = un('cosh');
export const tanh = un('tanh');
export const arcsinh = un('arcsinh');
export const arccosh = un('arccosh');
export const arctanh = un('arctanh');
export const floor = un('floor');
export const ceil = un('ceil');
export const trunc = un('trunc');
export const rint = un('rint');
export const round = rint;
export const sign = un('sign');
export const isnan = un('isnan');
export const isinf = un('isinf');
export const isfinite = un('isfinite');
export const logicalNot = un('logicalNot');

// One function per row of the reductions table (each is also a ChunkedArray method: see array.ts).
export const sum = reducer<number>('sum');
export const prod = reducer<number>('prod');
export const mean = reducer<number>('mean');
export const std = reducer<number, FullVarOptions, VarOptions>('std');
export const variance = reducer<number, FullVarOptions, VarOptions>('var');
export { variance as var };
export const min = reducer<number>('min');
export const max = reducer<number>('max');
export const argmin = reducer<number, FullReduceOptions, ArgReduceOptions>('argmin');
export const argmax = reducer<number, FullReduceOptions, ArgReduceOptions>('argmax');
export const any = reducer<boolean>('any');
export const all = reducer<boolean>('all');
export const nansum = reducer<number>('nansum');
export const nanprod = reducer<number>('nanprod');
export const nanmean = reducer<number>('nanmean');
export const nanstd = reducer<number, FullVarOptions, VarOptions>('nanstd');
export const nanvar = reducer<number, FullVarOptions, VarOptions>('nanvar');
export const nanmin = reducer<number>('nanmin');
export const nanmax = reducer<number>('nanmax');
export const nanargmin = reducer<number, FullReduceOptions, ArgReduceOptions>('nanargmin');
export const nanargmax = reducer<number, FullReduceOptions, ArgReduceOptions>('nanargmax');

import { cumulative as cum } from './reductions/cumulative';
export const cumsum = (x: A, axis?: number | null) => cum(x, 'cumsum', axis);
export const cumprod = (x: A, axis?: number | null) => cum(x, 'cumprod', axis);
export const nancumsum = (x: A, axis?: number | null) => cum(x, 'nancumsum', axis);
export const nancumprod = (x: A, axis?: number | null) => cum(x, 'nancumprod', axis);
export type { ReduceOptions as ReductionOptions };
export * as fft from './fft/index';
export { ComplexArray } from './fft/complex';
export { ComplexNDArray } from './fft/complex-ndarray';
export * as ma from './ma/ma';
export { coarsen, type CoarsenOptions } from './routines/coarsen';
export { outer } from './routines/outer';
export { allclose, isclose, type IscloseOptions } from './routines/isclose';
export { store, type StoreOptions, type StoreTarget } from './io/store';
export { StoreWrite } from './io/store-write';
export { fromNpyStack, toNpyStack, type FromNpyStackOptions, type ToNpyStackOptions } from './io/npy-stack';
