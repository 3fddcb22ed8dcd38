/**
 * A lazy masked array (Dask's masked chunks, NumPy's `np.ma`): two chunked arrays of one shape
 * and one chunking, `data` and a bool `mask` (true = missing), so every block of data has its
 * block of mask with the same key index. Elementwise operations and reductions are built from
 * the package's own (fused) elementwise expressions and reductions over the pair, with NumPy's
 * masked semantics: masked elements are left out of reductions, an all-masked reduction is
 * masked, results of operations are masked where any operand is (or outside the domain of
 * division, sqrt and log), and keep the first operand's data there, as NumPy does.
 */
import { checkOptions, CollectionBase, collectionSymbol, type CollectionGraph, type ComputeOptions, type OptionSchema } from '@pdask/core';
import type { ChunkedArray } from '../array';
import { commonChunks, sameChunks } from '../chunks';
import { type DType } from '../dtype';
import { asArray, type ArrayLike } from '../creation/from-array';
import { astype, binary, unary, where } from '../elementwise/build';
import { chooseScheduler } from '../inline';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { AXIS } from '../options';
import { rechunk } from '../rechunk/rechunk';
import { reduceBuiltin } from '../reductions/reductions';
import type { BinaryOp, UnaryOp } from '../runtime/expr';
import type { MaskedNDArray } from './masked-ndarray';

type A = ChunkedArray<unknown>;
/** What masked operations take: masked arrays, chunked arrays (nothing masked), eager data, scalars. */
export type MaskedOperand = MaskedArray<unknown> | A | ArrayLike | number | boolean;

/** NumPy's default fill values (`np.ma.default_fill_value`). */
export function defaultFillValue(dtype: DType): number {
  return dtype === 'bool' ? 1 : dtype === 'float64' || dtype === 'float32' ? 1e20 : 999999;
}

export class MaskedArray<R = MaskedNDArray> extends CollectionBase<R> {
  readonly data: ChunkedArray<NDArray>;
  readonly mask: ChunkedArray<NDArray>;
  /** @internal */
  constructor(data: A, mask: A, readonly fillValue: number = defaultFillValue(data.dtype)) {
    super();
    if (mask.dtype !== 'bool') throw new TypeError(`MaskedArray: the mask must be bool, got ${mask.dtype}`);
    if (mask.ndim !== data.ndim || mask.shape.some((s, d) => s !== data.shape[d] && !(Number.isNaN(s) && Number.isNaN(data.shape[d])))) {
      throw new RangeError(`Mask and data not compatible: data shape is [${data.shape.join(', ')}], mask shape is [${mask.shape.join(', ')}]`);
    }
    // One chunking for both, so block i of the data and block i of the mask go together.
    if (!data.chunks.every((c, d) => sameChunks(c, mask.chunks[d]))) {
      const common = data.chunks.map((c, d) => commonChunks(c as number[], mask.chunks[d] as number[]));
      if (!data.chunks.every((c, d) => sameChunks(c, common[d]))) data = rechunk(data, common);
      if (!mask.chunks.every((c, d) => sameChunks(c, common[d]))) mask = rechunk(mask, common);
    }
    this.data = data as ChunkedArray<NDArray>;
    this.mask = mask as ChunkedArray<NDArray>;
  }

  get shape(): readonly number[] {
    return this.data.shape;
  }
  get ndim(): number {
    return this.data.ndim;
  }
  get dtype(): DType {
    return this.data.dtype;
  }
  get chunks(): ChunkedArray<unknown>['chunks'] {
    return this.data.chunks;
  }
  get name(): string {
    return this.data.name;
  }

  [collectionSymbol](): CollectionGraph<R> {
    const d = this.data[collectionSymbol]();
    const m = this.mask[collectionSymbol]();
    return {
      roots: [...d.roots, ...m.roots],
      keys: [...d.keys, ...m.keys],
      finalize: {
        op: arrayOps.assembleMasked.ref,
        args: [
          { dtype: this.dtype, shape: this.shape, chunks: this.chunks },
          { dtype: 'bool', shape: this.shape, chunks: this.chunks },
          this.fillValue,
        ],
      },
      resultBytes: this.data.nbytes + this.mask.nbytes,
      advice: d.advice,
      rebuild: (values) => new MaskedArray<R>(d.rebuild(values) as A, m.rebuild(values) as A, this.fillValue),
    };
  }
  protected tokenKey(): unknown {
    return [this.data.name, this.mask.name, this.fillValue];
  }
  protected override computeOptions(opts: ComputeOptions, persist: boolean): ComputeOptions {
    return chooseScheduler([this.data.layer, this.mask.layer], opts, persist);
  }
  toString(): string {
    return `pdask.ma.MaskedArray<shape=(${this.shape.join(', ')}), dtype=${this.dtype}, fill_value=${this.fillValue}>`;
  }

  /** The data with masked elements replaced by `value` (default: the fill value). */
  filled(value: number = this.fillValue): ChunkedArray<NDArray> {
    return where(this.mask, value, this.data) as ChunkedArray<NDArray>;
  }
  /** The same data and mask with another fill value. */
  withFillValue(value: number): MaskedArray<R> {
    return new MaskedArray<R>(this.data, this.mask, value);
  }

  // Elementwise: masked where any operand is, keeping this array's data there (NumPy).
  add(other: MaskedOperand): MaskedArray {
    return maskedBinary('add', this, other);
  }
  sub(other: MaskedOperand): MaskedArray {
    return maskedBinary('sub', this, other);
  }
  mul(other: MaskedOperand): MaskedArray {
    return maskedBinary('mul', this, other);
  }
  /** Also masked where the divisor is 0 (NumPy's domain of division). */
  div(other: MaskedOperand): MaskedArray {
    return maskedBinary('div', this, other);
  }
  pow(other: MaskedOperand): MaskedArray {
    return maskedBinary('pow', this, other);
  }
  maximum(other: MaskedOperand): MaskedArray {
    return maskedBinary('maximum', this, other);
  }
  minimum(other: MaskedOperand): MaskedArray {
    return maskedBinary('minimum', this, other);
  }
  eq(other: MaskedOperand): MaskedArray {
    return maskedBinary('eq', this, other);
  }
  lt(other: MaskedOperand): MaskedArray {
    return maskedBinary('lt', this, other);
  }
  gt(other: MaskedOperand): MaskedArray {
    return maskedBinary('gt', this, other);
  }
  neg(): MaskedArray {
    return maskedUnary('neg', this);
  }
  abs(): MaskedArray {
    return maskedUnary('abs', this);
  }
  exp(): MaskedArray {
    return maskedUnary('exp', this);
  }
  /** Also masked where x < 0. */
  sqrt(): MaskedArray {
    return maskedUnary('sqrt', this);
  }
  /** Also masked where x <= 0. */
  log(): MaskedArray {
    return maskedUnary('log', this);
  }

  // Reductions over the elements that are not masked.
  sum(opts?: MaskedReduceOptions): MaskedArray<unknown> {
    return maskedReduce('sum', this, opts);
  }
  prod(opts?: MaskedReduceOptions): MaskedArray<unknown> {
    return maskedReduce('prod', this, opts);
  }
  min(opts?: MaskedReduceOptions): MaskedArray<unknown> {
    return maskedReduce('min', this, opts);
  }
  max(opts?: MaskedReduceOptions): MaskedArray<unknown> {
    return maskedReduce('max', this, opts);
  }
  mean(opts?: MaskedReduceOptions): MaskedArray<unknown> {
    return maskedReduce('mean', this, opts);
  }
  var(opts?: MaskedVarOptions): MaskedArray<unknown> {
    return maskedReduce('var', this, opts);
  }
  std(opts?: MaskedVarOptions): MaskedArray<unknown> {
    return maskedReduce('std', this, opts);
  }
  /** Number of elements not masked (an ordinary array: a count is never masked). */
  count(opts?: MaskedReduceOptions, /** @internal */ who = 'MaskedArray.count'): ChunkedArray<unknown> {
    const o = checkOptions(who, opts, REDUCE);
    return reduceBuiltin(unary('logicalNot', this.mask), 'sum', o);
  }
}

export interface MaskedReduceOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}
export interface MaskedVarOptions extends MaskedReduceOptions {
  ddof?: number;
}
const REDUCE: OptionSchema<MaskedReduceOptions> = { axis: AXIS, keepdims: 'boolean' };
const VAR: OptionSchema<MaskedVarOptions> = { ...REDUCE, ddof: 'number' };

/** A masked operand as (data, mask): unmasked arrays get the constant mask `false`. */
function parts(x: MaskedOperand): { data: A | number | boolean; mask: A | boolean } {
  if (x instanceof MaskedArray) return { data: x.data, mask: x.mask };
  if (typeof x === 'number' || typeof x === 'boolean') return { data: x, mask: false };
  return { data: asArray(x as A | ArrayLike), mask: false };
}

function maskedBinary(op: BinaryOp, a: MaskedArray<unknown>, b: MaskedOperand): MaskedArray {
  const pb = parts(b);
  let mask = binary('logicalOr', a.mask, pb.mask);
  if (op === 'div') mask = binary('logicalOr', mask, binary('eq', pb.data, 0));
  const data = where(mask, a.data, binary(op, a.data, pb.data));
  return new MaskedArray(data, mask, op === 'eq' || op === 'lt' || op === 'gt' ? defaultFillValue('bool') : a.fillValue);
}

function maskedUnary(op: UnaryOp, a: MaskedArray<unknown>): MaskedArray {
  let mask: A = a.mask;
  if (op === 'sqrt') mask = binary('logicalOr', mask, binary('lt', a.data, 0));
  if (op === 'log') mask = binary('logicalOr', mask, binary('le', a.data, 0));
  const r = unary(op, a.data);
  return new MaskedArray(where(mask, r.dtype === a.dtype ? a.data : astype(a.data, r.dtype), r), mask, a.fillValue);
}

type MaskedFn = 'sum' | 'prod' | 'min' | 'max' | 'mean' | 'var' | 'std';

/** The identity a masked element stands for in a reduction (never chosen by min/max unless all are masked). */
function neutral(fn: 'sum' | 'prod' | 'min' | 'max', dtype: DType): number {
  if (fn === 'sum') return 0;
  if (fn === 'prod') return 1;
  // int64: the largest double below 2^63 stands for +max (2^63 - 1 has no double); min gets -2^63 exactly.
  const int =
    dtype === 'int64' ? [-(2 ** 63), 2 ** 63 - 1024] : dtype === 'int32' ? [-2147483648, 2147483647] : dtype === 'uint8' ? [0, 255] : dtype === 'bool' ? [0, 1] : [-Infinity, Infinity];
  return fn === 'min' ? int[1] : int[0];
}

function maskedReduce(fn: MaskedFn, a: MaskedArray<unknown>, options: MaskedVarOptions | undefined): MaskedArray<unknown> {
  const who = `MaskedArray.${fn}`;
  const o = fn === 'var' || fn === 'std' ? checkOptions(who, options, VAR) : checkOptions(who, options, REDUCE);
  const r = { axis: o.axis, keepdims: o.keepdims };
  const allMasked = reduceBuiltin(a.mask, 'all', r);
  if (fn === 'sum' || fn === 'prod' || fn === 'min' || fn === 'max') {
    return new MaskedArray(reduceBuiltin(where(a.mask, neutral(fn, a.dtype), a.data), fn, r), allMasked, a.fillValue);
  }
  const count = reduceBuiltin(unary('logicalNot', a.mask), 'sum', r);
  const total = reduceBuiltin(where(a.mask, 0, a.data), 'sum', r);
  const mean = binary('div', total, count);
  if (fn === 'mean') return new MaskedArray(mean, allMasked, defaultFillValue('float64'));
  // Deviations from the mean (kept dims so it broadcasts back), squared, summed over the unmasked.
  const meanK = binary('div', reduceBuiltin(where(a.mask, 0, a.data), 'sum', { ...r, keepdims: true }), reduceBuiltin(unary('logicalNot', a.mask), 'sum', { ...r, keepdims: true }));
  const dev = where(a.mask, 0, binary('sub', a.data, meanK));
  const cnt = binary('sub', count, (o as MaskedVarOptions).ddof ?? 0);
  const v = binary('div', reduceBuiltin(binary('mul', dev, dev), 'sum', r), cnt);
  const mask = binary('logicalOr', allMasked, binary('le', cnt, 0));
  return new MaskedArray(fn === 'std' ? unary('sqrt', v) : v, mask, defaultFillValue('float64'));
}
