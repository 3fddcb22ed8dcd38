/**
 * The runtime value of one array block as ml's operations receive it on workers (a plain object
 * of `@pdask/array`): row-major data of any dtype, which may live in the array's arena, a shared
 * kernel memory (`mem`) that this thread's kernels then read in place.
 */
import type { NumericArray, TypedArray } from '@pdask/array';
import type { KernelsMemory } from '@pdask/kernels';

export interface BlockValue {
  readonly shape: readonly number[];
  readonly data: TypedArray;
  readonly mem?: KernelsMemory;
}

/** Rows and columns of a 2-d block (a 1-d block is one column). */
export function dims(b: BlockValue): [number, number] {
  return [b.shape[0], b.shape.length > 1 ? b.shape[1] : 1];
}

/** The block's values, exactly rows x columns of them (an int64 block read as float64). */
export function values(b: BlockValue): NumericArray {
  const [n, d] = dims(b);
  const data = b.data.length === n * d ? b.data : b.data.subarray(0, n * d);
  return data instanceof BigInt64Array ? Float64Array.from(data, Number) : data;
}
