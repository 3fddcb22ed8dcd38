/** `outer(a, b)`: NumPy's outer product of the flattened inputs, as a broadcast multiply (Dask's). */
import type { ChunkedArray } from '../array';
import { asArray, type ArrayLike } from '../creation/from-array';
import { binary } from '../elementwise/build';
import type { NDArray } from '../ndarray';
import { expandDims, ravel } from '../shape/shape';

export function outer(a: ChunkedArray<unknown> | ArrayLike, b: ChunkedArray<unknown> | ArrayLike): ChunkedArray<NDArray> {
  const x = ravel(asArray(a));
  const y = ravel(asArray(b));
  return binary('mul', expandDims(x, 1), expandDims(y, 0)) as ChunkedArray<NDArray>;
}
