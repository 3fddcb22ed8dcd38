/**
 * Array operations ml builds on, as functions of `@pdask/array`. The package's methods
 * (`x.sub(...)`, `x.slice(...)`) are added to ChunkedArray by a module augmentation that its
 * bundled declaration file loses (it augments './array', which the bundle does not have), so code
 * type-checked against the published types cannot call them; its functions are typed, and
 * `slice`, which has no function form, is reached through this typed view of the method.
 */
import type { ChunkedArray, Index, NDArray } from '@pdask/array';

interface Sliceable {
  slice(...index: Index[]): ChunkedArray<NDArray>;
}

/** NumPy-style indexing (`x[rows, :]` is `slice(x, rows, ':')`). */
export function slice(x: ChunkedArray<unknown>, ...index: Index[]): ChunkedArray<NDArray> {
  return (x as unknown as Sliceable).slice(...index);
}
