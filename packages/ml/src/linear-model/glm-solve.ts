/**
 * Runs one of the GLM solvers on an objective: 'lbfgs' and 'newton' for smooth (L2 or no)
 * penalties, 'proximalGrad' and 'admm' for any (they handle the L1 part themselves).
 */
import type { ComputeOptions } from '@pdask/core';
import { admm } from './admm';
import { glmNewton } from './glm-newton';
import { lbfgs, type SolverResult } from './lbfgs';
import { glmObjective, type GlmData } from './objective';
import { proximalGrad } from './proximal-grad';
import type { GlmSpec } from '../runtime/glm';

export type GlmSolver = 'lbfgs' | 'newton' | 'admm' | 'proximalGrad';

export interface GlmFit {
  readonly data: GlmData;
  readonly spec: Omit<GlmSpec, 'hess'>;
  /** Penalty strengths: l2 · ‖w‖² / 2 + l1 · ‖w‖₁ on the non-intercept coefficients. */
  readonly l2: number;
  readonly l1: number;
  readonly solver: GlmSolver;
  readonly maxIter: number;
  readonly tol: number;
  /** Coefficient groups the loss is flat along (multinomial), for Newton. */
  readonly flat?: readonly (readonly number[])[];
  /** ADMM's augmented-Lagrangian parameter. */
  readonly rho?: number;
  /** Starting coefficients (default 0). */
  readonly start?: Float64Array;
}

export async function solveGlm(f: GlmFit, opts: ComputeOptions): Promise<SolverResult & { passes: number }> {
  const obj = glmObjective(f.data, f.spec, f.l2, opts);
  const start = f.start ?? new Float64Array(obj.q);
  const o = { maxIter: f.maxIter, tol: f.tol };
  let r: SolverResult;
  if (f.solver === 'lbfgs') r = await lbfgs(obj, start, o);
  else if (f.solver === 'newton') r = await glmNewton(obj, start, o, f.flat);
  else if (f.solver === 'proximalGrad') r = await proximalGrad(obj, start, f.l1, o);
  else r = await admm(f.data, f.spec, f.l2, f.l1, f.rho ?? 1, o, opts);
  return { ...r, passes: obj.passes };
}
