/**
 * Damped Newton's method for L2-penalised logistic regression (dask-glm's `newton`): each
 * iteration is one pass over the blocks that returns the loss, gradient and Hessian at the
 * current coefficients; the p x p step is solved on the calling thread. A step that raised the
 * loss is halved (the pass that found out is then the next trial), which keeps Newton safe far
 * from the optimum without extra passes for a line search.
 */
import type { ChunkedArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { choleskySolve } from '../dense';
import { runBlockReduce } from '../graph/block-reduce';
import { mlOps } from '../ops/index';
import type { NewtonPartial } from '../runtime/logistic';

export interface NewtonProblem {
  readonly x: ChunkedArray<unknown>;
  readonly y: ChunkedArray<unknown>;
  readonly fitIntercept: boolean;
  /** 1 / C; 0 for no penalty. The intercept is never penalised. */
  readonly alpha: number;
  readonly maxIter: number;
  readonly tol: number;
}

export interface NewtonResult {
  readonly beta: Float64Array;
  readonly nIter: number;
  readonly converged: boolean;
  readonly loss: number;
}

export async function newton(pb: NewtonProblem, opts: ComputeOptions): Promise<NewtonResult> {
  const d = pb.x.shape[1];
  const p = d + (pb.fitIntercept ? 1 : 0);
  let beta = new Float64Array(p);
  let prev: { beta: Float64Array; loss: number } | null = null;
  let step = new Float64Array(p);
  let loss = Infinity;
  for (let it = 0; it <= pb.maxIter; it++) {
    const coef = beta;
    const part = await runBlockReduce<NewtonPartial>(
      { label: 'logistic-newton', x: pb.x, y: pb.y, partial: mlOps.newtonPartial, partialArgs: () => [coef, pb.fitIntercept], combine: mlOps.combineNewton },
      opts,
    );
    let penalty = 0;
    for (let j = 0; j < d; j++) penalty += beta[j] * beta[j];
    loss = part.loss + 0.5 * pb.alpha * penalty;
    if (prev && loss > prev.loss * (1 + 1e-12) && it < pb.maxIter) {
      step = step.map((s) => s / 2);
      beta = prev.beta.map((b, j) => b + step[j]);
      continue;
    }
    const g = part.grad;
    const h = part.hess;
    for (let j = 0; j < d; j++) {
      g[j] += pb.alpha * beta[j];
      h[j * p + j] += pb.alpha;
    }
    let gmax = 0;
    for (const v of g) gmax = Math.max(gmax, Math.abs(v));
    if (gmax <= pb.tol) return { beta, nIter: it, converged: true, loss };
    if (it === pb.maxIter) break;
    let delta = choleskySolve(h, g, p);
    if (!delta) {
      // Separable data without a penalty make the Hessian singular at large coefficients: a tiny
      // ridge keeps the step finite (the loss keeps falling; scikit-learn's solvers diverge too).
      let tr = 0;
      for (let j = 0; j < p; j++) tr += h[j * p + j];
      for (let j = 0; j < p; j++) h[j * p + j] += 1e-10 * (tr / p || 1);
      delta = choleskySolve(h, g, p);
      if (!delta) throw new RangeError('LogisticRegression.fit: the Hessian is singular (constant or duplicated features with no penalty?)');
    }
    step = delta.map((v) => -v);
    prev = { beta, loss };
    beta = beta.map((b, j) => b + step[j]);
  }
  return { beta, nIter: pb.maxIter, converged: false, loss };
}
