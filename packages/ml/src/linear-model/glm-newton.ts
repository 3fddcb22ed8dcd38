/**
 * Newton's method for any GLM objective (dask-glm's `newton`): one pass per iteration returns the
 * loss, gradient and Hessian; the step is a Cholesky solve on the calling thread. A step that
 * raised the loss is halved (the pass that found out is the next trial).
 */
import { choleskySolve } from '../dense';
import type { SolverOptions, SolverResult } from './lbfgs';
import { maxAbs, type Objective } from './objective';

/**
 * `flat`: groups of coefficients along which the loss does not change (the softmax is unchanged
 * by adding one value to every class's coefficient j), each a list of indices. Where the penalty
 * does not pin them down the Hessian is singular along them; adding c·11ᵀ over each group makes
 * it regular without moving the step off the gradient's span (the gradient sums to 0 over a group).
 */
export async function glmNewton(f: Objective, start: Float64Array, o: SolverOptions, flat: readonly (readonly number[])[] = []): Promise<SolverResult> {
  const q = f.q;
  let beta = start.slice();
  let prev: { beta: Float64Array; loss: number } | null = null;
  let step = new Float64Array(q);
  for (let it = 0; it <= o.maxIter; it++) {
    const e = await f.evaluate(beta, true);
    if (prev && !(e.loss <= prev.loss * (1 + 1e-12) + 1e-300) && it < o.maxIter) {
      step = step.map((s) => s / 2);
      beta = prev.beta.map((b, j) => b + step[j]);
      continue;
    }
    if (maxAbs(e.grad) <= o.tol) return { beta, nIter: it, converged: true, loss: e.loss };
    if (it === o.maxIter) return { beta, nIter: it, converged: false, loss: e.loss };
    const h = e.hess!;
    let tr = 0;
    for (let j = 0; j < q; j++) tr += h[j * q + j];
    const c = tr / q || 1;
    for (const g of flat) for (const a of g) for (const b of g) h[a * q + b] += c;
    let delta = choleskySolve(h, e.grad, q);
    if (!delta) {
      // Separable classes without a penalty: a tiny ridge keeps the step finite.
      for (let j = 0; j < q; j++) h[j * q + j] += 1e-10 * c;
      delta = choleskySolve(h, e.grad, q);
      if (!delta) throw new RangeError('the Hessian is singular (constant or duplicated features with no penalty?)');
    }
    step = delta.map((v) => -v);
    prev = { beta, loss: e.loss };
    beta = beta.map((b, j) => b + step[j]);
  }
  return { beta, nIter: o.maxIter, converged: false, loss: NaN };
}
