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
import { round as roundOf } from './elementwise/round';

export { ChunkedArray, ChunkedArray as Array, type ArrayResult } from './array';
export { NDArray, type NestedArray, type NestedBigInts } from './ndarray';
export { DTYPES, toDType, type DType, type TypedArray } from './dtype';
export { asFloat64, asNumbers, fillNumber, numberAt, setNumber, type NumericArray } from './dtype';
export { normalizeChunks, type Chunks, type ChunksSpec, type DimChunks } from './chunks';
export { fromArray, asArray, type ArrayLike, type FromArrayOptions } from './creation/from-array';
export { arange, empty, eye, fromFunction, full, fullLike, linspace, ones, onesLike, zeros, zerosLike, type CreationOptions } from './creation/creation';
export * as random from './creation/random';
export { astype, broadcastShapes, clip, type Operand } from './elementwise/build';
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
/** NumPy's round/around with `decimals` (half to even); `rint` is round to 0 decimals as a ufunc. */
export const round = (a: Operand, decimals = 0): ChunkedArray<NDArray> => roundOf(a, decimals) as ChunkedArray<NDArray>;
export const around = round;
export const sign = un('sign');
export const isnan = un('isnan');
export const isinf = un('isinf');
export const isfinite = un('isfinite');
export const logicalNot = un('logicalNot');
// Bitwise (integer and bool arrays only, as NumPy: a float operand is refused).
export const bitwiseAnd = bin('bitwiseAnd');
export const bitwiseOr = bin('bitwiseOr');
export const bitwiseXor = bin('bitwiseXor');
export const bitwiseNot = un('bitwiseNot');
export const invert = bitwiseNot;
export const leftShift = bin('leftShift');
export const rightShift = bin('rightShift');
export const logaddexp = bin('logaddexp');
export const logaddexp2 = bin('logaddexp2');
export const fmod = bin('fmod');
export const copysign = bin('copysign');
export const signbit = un('signbit');
export const ldexp = bin('ldexp');
export const fix = un('fix');
export const deg2rad = un('deg2rad');
export const rad2deg = un('rad2deg');
export const radians = deg2rad;
export const degrees = rad2deg;

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

// Shape, indexing and layout routines (issue 13).
export { broadcastArrays, broadcastTo, type BroadcastToOptions } from './routines/broadcast';
export { diag, diagonal, trace, tril, triu } from './routines/diagonal';
export { pad, type PadMode, type PadOptions, type PadSpec } from './routines/pad';
export { repeat, tile } from './routines/tile-repeat';
export { flip, fliplr, flipud, roll } from './routines/flip-roll';
export { diff, gradient, type DiffOptions, type GradientOptions } from './routines/diff';
export { atleast1d, atleast2d, atleast3d, block, dstack, hstack, vstack, type BlockSpec } from './routines/stack';
export { rollaxis, swapaxes } from './routines/axes';
export { indices, meshgrid, type IndicesOptions, type MeshgridOptions } from './routines/grids';
export { take, type TakeIndices } from './routines/take';
export { emptyLike } from './routines/creation-like';
export { argwhere, countNonzero, nonzero, where } from './routines/nonzero';
export { vindex, type VIndexEntry } from './slicing/vindex';
export { setitem, type SetTarget, type SetValue } from './slicing/setitem';

// Statistics, sorting and counting (issue 13): stats/.
export { topk, argtopk, type TopkOptions } from './stats/topk';
export { percentile, nanpercentile, quantile, nanquantile, median, nanmedian, type QuantileOptions, type MedianOptions, type Quantiles } from './stats/quantile';
export { moment, average, cov, corrcoef, type MomentOptions, type AverageOptions, type CovOptions } from './stats/moments';
export { unique, isin, type UniqueOptions, type UniqueResult, type IsinOptions } from './stats/unique';
export {
  histogram,
  histogram2d,
  histogramdd,
  bincount,
  digitize,
  searchsorted,
  type HistogramOptions,
  type HistogramddOptions,
  type BincountOptions,
  type DigitizeOptions,
  type SearchsortedOptions,
} from './stats/histogram';
export { einsum } from './stats/einsum';
export type { StatOperand } from './stats/common';
export * as fft from './fft/index';
export { ComplexArray } from './fft/complex';
export { ComplexNDArray } from './fft/complex-ndarray';
export * as ma from './ma/ma';
// Outside the namespace: tsup's declaration bundler turns a type-only member of an `export * as` namespace into a value.
export type { MaskedNested } from './ma/masked-ndarray';
export { coarsen, type CoarsenOptions } from './routines/coarsen';
export { outer } from './routines/outer';
export { allclose, isclose, type IscloseOptions } from './routines/isclose';
export { store, type StoreOptions, type StoreTarget } from './io/store';
export { StoreWrite } from './io/store-write';
export { fromNpyStack, toNpyStack, type FromNpyStackOptions, type ToNpyStackOptions } from './io/npy-stack';
export { fromDelayed, fromDelayedBlocks, type FromDelayedOptions, type FromDelayedBlocksOptions } from './creation/from-delayed';
