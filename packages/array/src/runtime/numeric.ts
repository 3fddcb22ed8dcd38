/**
 * Shared helpers of the statistics runtimes (sorting, selection, counting): block values as
 * float64, NumPy's NaN-last ordering, and index/count results in NumPy's integer dtype.
 */
import { alloc, asFloat64 as toFloat64, numbersToInt64, type DType, type TypedArray } from '../dtype';
import type { Block } from './block';

/** NumPy's dtype for indices and counts (`intp`). */
export const INDEX_DTYPE: DType = 'int64';

/** The values of a block as a Float64Array (the block's own array when it already is one). */
export function asFloat64(data: TypedArray): Float64Array {
  return toFloat64(data);
}

/** An index/count block from float64 values (exact integers). */
export function indexBlock(shape: readonly number[], values: ArrayLike<number>): Block {
  return { dtype: INDEX_DTYPE, shape: [...shape], data: numbersToInt64(values) };
}

/** A block of `dtype` from float64 values (exact integers for the integer dtypes). */
export function typedBlock(dtype: DType, shape: readonly number[], values: Float64Array): Block {
  if (dtype === 'int64') return { dtype, shape: [...shape], data: numbersToInt64(values) };
  if (dtype === 'float64') return { dtype, shape: [...shape], data: values };
  const out = alloc(dtype, values.length) as Exclude<TypedArray, BigInt64Array>;
  out.set(values);
  return { dtype, shape: [...shape], data: out };
}

/** A float64 block (cast to float32 when `dtype` says so). */
export function floatBlock(dtype: DType, shape: readonly number[], values: Float64Array): Block {
  if (dtype === 'float64') return { dtype, shape: [...shape], data: values };
  const out = alloc(dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return { dtype, shape: [...shape], data: out };
}

/** NumPy's sort order: NaN after everything (a < b in that order). */
export function lessNanLast(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

/** Ascending comparator with NaN last (for Array.prototype.sort over indices or values). */
export function compareNanLast(a: number, b: number): number {
  if (a === b) return 0;
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : 1;
}

/** The number of elements of sorted `a` before which `v` would go (side left) or after equal ones (right). */
export function searchSorted(a: ArrayLike<number>, v: number, right: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const go = right ? !lessNanLast(v, a[mid]) : lessNanLast(a[mid], v);
    if (go) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Iterates the 1-d lines of a C-ordered block along `axis`: calls fn(base, stride) for each. */
export function forEachLine(shape: readonly number[], axis: number, fn: (base: number, stride: number, line: number) => void): void {
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  const len = shape[axis];
  let line = 0;
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) fn(o * len * inner + i, inner, line++);
}
