/**
 * Limited-memory BFGS on an objective evaluated over the blocks: each evaluation (loss and
 * gradient together) is one pass over the data, so the line search tries the full quasi-Newton
 * step first and backtracks only when the Armijo condition fails. Stops as scipy's L-BFGS-B
 * (which scikit-learn calls with gtol = tol): when the largest gradient component is at most
 * `tol`, or when a step lowers the loss by less than ftol relative to it (scipy's 2.2e-9, or
 * tol² when smaller).
 */
import { dot, maxAbs, type Objective } from './objective';

export interface SolverOptions {
  readonly maxIter: number;
  readonly tol: number;
}

export interface SolverResult {
  readonly beta: Float64Array;
  readonly nIter: number;
  readonly converged: boolean;
  readonly loss: number;
}

/** scipy's default memory (maxcor) and relative-reduction tolerance (factr 1e7 · eps). */
const MEMORY = 10;
const FTOL = 1e7 * 2.220446049250313e-16;

export async function lbfgs(f: Objective, start: Float64Array, o: SolverOptions): Promise<SolverResult> {
  const q = f.q;
  // scipy's ftol at scikit-learn's default tol (1e-4), tightened with tol so that a tight tol
  // is not cut short by the relative-reduction test.
  const ftol = Math.min(FTOL, o.tol * o.tol);
  let beta = start.slice();
  let cur = await f.evaluate(beta, false);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  for (let it = 0; it < o.maxIter; it++) {
    if (maxAbs(cur.grad) <= o.tol) return { beta, nIter: it, converged: true, loss: cur.loss };
    // Two-loop recursion: direction = −H g.
    const dir = Float64Array.from(cur.grad, (v) => -v);
    const alpha = new Float64Array(S.length);
    for (let i = S.length - 1; i >= 0; i--) {
      alpha[i] = dot(S[i], dir) / dot(Y[i], S[i]);
      for (let j = 0; j < q; j++) dir[j] -= alpha[i] * Y[i][j];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, Math.sqrt(dot(cur.grad, cur.grad)));
    for (let j = 0; j < q; j++) dir[j] *= gamma;
    for (let i = 0; i < S.length; i++) {
      const b = dot(Y[i], dir) / dot(Y[i], S[i]);
      for (let j = 0; j < q; j++) dir[j] += S[i][j] * (alpha[i] - b);
    }
    let slope = dot(cur.grad, dir);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      for (let j = 0; j < q; j++) dir[j] = -cur.grad[j] / Math.max(1, maxAbs(cur.grad));
      slope = dot(cur.grad, dir);
    }
    let t = 1;
    let next = null;
    let trial = beta;
    for (let ls = 0; ls < 40; ls++) {
      trial = beta.map((b, j) => b + t * dir[j]);
      const e = await f.evaluate(trial, false);
      if (Number.isFinite(e.loss) && e.loss <= cur.loss + 1e-4 * t * slope) {
        next = e;
        break;
      }
      t *= ls === 0 ? 0.1 : 0.5;
    }
    if (!next) return { beta, nIter: it, converged: maxAbs(cur.grad) <= o.tol, loss: cur.loss };
    const s = trial.map((v, j) => v - beta[j]);
    const y = next.grad.map((v, j) => v - cur.grad[j]);
    if (dot(s, y) > 1e-12 * dot(y, y)) {
      S.push(s);
      Y.push(y);
      if (S.length > MEMORY) {
        S.shift();
        Y.shift();
      }
    }
    const reduction = (cur.loss - next.loss) / Math.max(Math.abs(cur.loss), Math.abs(next.loss), 1);
    beta = trial;
    cur = next;
    if (reduction <= ftol) {
      // scipy's "REL_REDUCTION_OF_F", which it (and scikit-learn) counts as convergence.
      return { beta, nIter: it + 1, converged: true, loss: cur.loss };
    }
  }
  return { beta, nIter: o.maxIter, converged: maxAbs(cur.grad) <= o.tol, loss: cur.loss };
}
