/**
 * `da.ma`: making masked arrays for missing data and getting plain arrays back (Dask's
 * `da.ma.masked_where`, `masked_invalid`, `masked_equal`, ..., `filled`, `getdata`,
 * `getmaskarray`, `fix_invalid`), over the `MaskedArray` pair of data and mask (masked.ts).
 */
import { checkOptions, type OptionSchema } from '@pdask/core';
import { ChunkedArray } from '../array';
import { full } from '../creation/creation';
import { asArray, type ArrayLike } from '../creation/from-array';
import { astype, binary, unary, where } from '../elementwise/build';
import type { NDArray } from '../ndarray';
import { MaskedArray, type MaskedReduceOptions } from './masked';

type A = ChunkedArray<unknown>;
type Input = MaskedArray<unknown> | A | ArrayLike;

const dataOf = (a: Input): A => (a instanceof MaskedArray ? a.data : asArray(a as A | ArrayLike));
/** A mask of one value with d's shape and chunks. */
const constMask = (d: A, v: boolean): A => full(d.shape, v, { chunks: d.chunks.map((c) => [...c]), dtype: 'bool' });
const boolOf = (m: A): A => (m.dtype === 'bool' ? m : astype(m, 'bool'));

/** a masked also where `condition` is true (an existing mask of a is kept, as NumPy does). */
export function maskedWhere(condition: A | ArrayLike, a: Input): MaskedArray {
  const data = dataOf(a);
  const cond = boolOf(asArray(condition));
  if (cond.ndim !== data.ndim || cond.shape.some((s, d) => s !== data.shape[d])) {
    throw new RangeError(`maskedWhere: inconsistent shape between the condition [${cond.shape.join(', ')}] and the input [${data.shape.join(', ')}]`);
  }
  const mask = a instanceof MaskedArray ? binary('logicalOr', cond, a.mask) : cond;
  return new MaskedArray(data, mask, a instanceof MaskedArray ? a.fillValue : undefined);
}

export interface MaskedArrayOptions {
  /** true where missing: an array of a's shape, or one boolean for all (default false). */
  mask?: A | ArrayLike | boolean;
  fillValue?: number;
}
const MASKED_ARRAY: OptionSchema<MaskedArrayOptions> = { mask: { anyOf: ['boolean', 'object', 'array'] }, fillValue: 'number' };

/** A masked array from data and a mask (Dask's `da.ma.masked_array`). */
export function maskedArray(data: A | ArrayLike, options?: MaskedArrayOptions): MaskedArray {
  const o = checkOptions('da.ma.maskedArray', options, MASKED_ARRAY);
  const d = asArray(data);
  const mask = o.mask === undefined || typeof o.mask === 'boolean' ? constMask(d, o.mask ?? false) : boolOf(asArray(o.mask));
  return new MaskedArray(d, mask, o.fillValue);
}

/** Masked where NaN or ±inf (NumPy's `masked_invalid`); the data is kept. */
export function maskedInvalid(a: Input): MaskedArray {
  return maskedWhere(unary('logicalNot', unary('isfinite', dataOf(a))), a);
}

/** Masked where equal to `value`, whose fill value becomes `value` (NumPy's `masked_equal`). */
export function maskedEqual(a: Input, value: number): MaskedArray {
  return maskedWhere(binary('eq', dataOf(a), value), a).withFillValue(value);
}
export const maskedNotEqual = (a: Input, value: number): MaskedArray => maskedWhere(binary('ne', dataOf(a), value), a);
export const maskedGreater = (a: Input, value: number): MaskedArray => maskedWhere(binary('gt', dataOf(a), value), a);
export const maskedGreaterEqual = (a: Input, value: number): MaskedArray => maskedWhere(binary('ge', dataOf(a), value), a);
export const maskedLess = (a: Input, value: number): MaskedArray => maskedWhere(binary('lt', dataOf(a), value), a);
export const maskedLessEqual = (a: Input, value: number): MaskedArray => maskedWhere(binary('le', dataOf(a), value), a);

/** Masked inside the closed interval [v1, v2] (either order, as NumPy). */
export function maskedInside(a: Input, v1: number, v2: number): MaskedArray {
  const [lo, hi] = v1 <= v2 ? [v1, v2] : [v2, v1];
  const d = dataOf(a);
  return maskedWhere(binary('logicalAnd', binary('ge', d, lo), binary('le', d, hi)), a);
}
/** Masked outside the closed interval [v1, v2]. */
export function maskedOutside(a: Input, v1: number, v2: number): MaskedArray {
  const [lo, hi] = v1 <= v2 ? [v1, v2] : [v2, v1];
  const d = dataOf(a);
  return maskedWhere(binary('logicalOr', binary('lt', d, lo), binary('gt', d, hi)), a);
}

/** The data with masked elements replaced (default: the array's fill value); a plain array is returned as it is. */
export function filled(a: Input, fillValue?: number): ChunkedArray<NDArray> {
  return (a instanceof MaskedArray ? a.filled(fillValue) : asArray(a as A | ArrayLike)) as ChunkedArray<NDArray>;
}
/** The data under the mask. */
export function getdata(a: Input): ChunkedArray<NDArray> {
  return dataOf(a) as ChunkedArray<NDArray>;
}
/** The full bool mask (all false for a plain array), as NumPy's `getmaskarray`. */
export function getmaskarray(a: Input): ChunkedArray<NDArray> {
  if (a instanceof MaskedArray) return a.mask;
  return constMask(asArray(a as A | ArrayLike), false) as ChunkedArray<NDArray>;
}

export interface FixInvalidOptions {
  fillValue?: number;
}
/** Masks NaN and ±inf and replaces their data by the fill value (NumPy's `fix_invalid`). */
export function fixInvalid(a: Input, options?: FixInvalidOptions): MaskedArray {
  const o = checkOptions('da.ma.fixInvalid', options, { fillValue: 'number' });
  const m = maskedInvalid(a);
  const fill = o.fillValue ?? m.fillValue;
  return new MaskedArray(where(m.mask, fill, m.data), m.mask, fill);
}

/** Number of elements not masked, along axes or in all. */
export function count(a: Input, options?: MaskedReduceOptions): ChunkedArray<unknown> {
  return (a instanceof MaskedArray ? a : maskedArray(a as A | ArrayLike)).count(options, 'da.ma.count');
}

export { MaskedArray, type MaskedOperand, type MaskedReduceOptions, type MaskedVarOptions } from './masked';
export { MaskedNDArray } from './masked-ndarray';
