/**
 * What LogisticRegression runs per block: the log-loss, its gradient and its Hessian at the
 * current coefficients, summed over the block's rows (dask-glm's Newton step: one pass over the
 * blocks per iteration, small p x p partials reduced as a tree).
 */
import { LabelError, mergeNewton, type NewtonPartial } from '@pdask/kernels';
import { dims, values, type BlockValue } from './block';
import { kernelsFor } from './kernels';

/** Loss, gradient (features, then the intercept) and upper-triangular Hessian (p x p, row-major). */
export type { NewtonPartial };

/** @pdask/kernels' SIMD Newton step over one block, in place when X and y live in the array's arena. */
export function newtonPartial(beta: Float64Array, fitIntercept: boolean, xb: BlockValue, yb: BlockValue): NewtonPartial {
  const [n, d] = dims(xb);
  if (yb.shape[0] !== n) throw new RangeError(`a block of X has ${n} rows but its block of y has ${yb.shape[0]}`);
  const p = d + (fitIntercept ? 1 : 0);
  try {
    return kernelsFor(xb.mem ?? yb.mem).logisticPartial(values(xb), values(yb), beta.subarray(0, p), { features: d, intercept: fitIntercept });
  } catch (e) {
    if (e instanceof LabelError) throw new RangeError(`LogisticRegression: y must hold the labels 0 and 1 (or booleans), found ${e.value}`);
    throw e;
  }
}

export function combineNewton(...parts: NewtonPartial[]): NewtonPartial {
  return parts.reduce(mergeNewton);
}
