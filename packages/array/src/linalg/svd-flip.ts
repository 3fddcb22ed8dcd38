/**
 * Sign convention of Dask's svd and svd_compressed (`coerce_signs`, its svd_flip decided on v):
 * each singular pair (u_i, v_i) is flipped so that the sum of v_i is non-negative. Singular
 * vectors are unique only up to sign; fixing it makes results comparable across chunkings,
 * schedulers and random test matrices.
 */
import type { ChunkedArray } from '../array';
import { binary } from '../elementwise/build';
import type { NDArray } from '../ndarray';
import { reduceBuiltin } from '../reductions/reductions';
import { expandDims } from '../shape/shape';

type Out = ChunkedArray<NDArray>;

export function svdFlip(u: Out, v: Out): [Out, Out] {
  const sign = binary('sub', binary('mul', binary('ge', reduceBuiltin(v, 'sum', { axis: 1 }), 0), 2), 1);
  return [binary('mul', u, sign) as Out, binary('mul', v, expandDims(sign, 1)) as Out];
}
