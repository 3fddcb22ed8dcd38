/** What the statistics builders share: operand checks, axis handling and splitEvery rules. */
import type { ChunkedArray } from '../array';
import { asArray, type ArrayLike } from '../creation/from-array';
import { NDArray } from '../ndarray';

export type A = ChunkedArray<unknown>;
/** An array operand: a chunked array, or eager data (one block). */
export type StatOperand = ArrayLike | ChunkedArray<unknown>;

/** The operand as a chunked array; refuses arrays whose chunk sizes are unknown. */
export function operand(x: StatOperand, who: string, what = 'the array'): A {
  const a = asArray(x);
  if (a.shape.some((s) => Number.isNaN(s))) throw new RangeError(`${who}: ${what} has unknown chunk sizes (after a lazy boolean mask): call computeChunkSizes() first`);
  return a;
}

/** One axis of an `ndim`-d array (negative counts from the end), with NumPy's error. */
export function oneAxis(axis: number, ndim: number, who: string): number {
  if (!Number.isInteger(axis)) throw new TypeError(`${who}: axis must be an integer, got ${String(axis)}`);
  const a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) throw new RangeError(`${who}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return a;
}

/** Eager 1-d numbers from a list, typed array or NDArray (bins, quantiles, test values). */
export function eagerNumbers(v: readonly number[] | ArrayBufferView | NDArray, who: string, what: string): number[] {
  if (v instanceof NDArray) return Array.from(v.data as unknown as Iterable<number>, Number);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as Iterable<number>, Number);
  if (Array.isArray(v)) {
    for (const e of v) if (typeof e !== 'number') throw new TypeError(`${who}: ${what} must hold numbers, got ${typeof e}`);
    return [...v];
  }
  throw new TypeError(`${who}: ${what} must be a list of numbers, a typed array or an NDArray`);
}

/** Start of every block along one dimension. */
export function offsets(sizes: readonly number[]): number[] {
  const out = [0];
  for (const s of sizes) out.push(out[out.length - 1] + s);
  return out;
}
