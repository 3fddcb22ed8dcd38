/**
 * ADMM over the row blocks (dask-glm's `admm`, the default solver of Dask-ML's
 * LogisticRegression): consensus form min Σ_i f_i(b_i) + g(z) subject to b_i = z, f_i the loss of
 * block i and g the penalty. Each iteration is one pass in which every block solves its local
 * problem on its own worker (runtime/admm.ts); the calling thread then takes the proximal step
 * for z (soft thresholding and L2 shrinkage of the penalised coefficients) and updates the
 * per-block duals u_i. Stops on the primal and dual residuals, with absolute and relative
 * tolerances both `tol` (dask-glm: abstol 1e-4, reltol 1e-2).
 */
import type { ComputeOptions } from '@pdask/core';
import { runBlockReduce } from '../graph/block-reduce';
import { mlOps } from '../ops/index';
import type { AdmmPart } from '../runtime/admm';
import { coefRows, type GlmSpec } from '../runtime/glm';
import type { SolverOptions, SolverResult } from './lbfgs';
import type { GlmData } from './objective';
import { softThreshold } from './proximal-grad';

export async function admm(data: GlmData, spec: Omit<GlmSpec, 'hess'>, l2: number, l1: number, rho: number, o: SolverOptions, opts: ComputeOptions): Promise<SolverResult> {
  const d = data.x.shape[1] - (spec.weighted ? 1 : 0);
  const p = d + (spec.fitIntercept ? 1 : 0);
  const q = coefRows(spec) * p;
  const nb = data.x.numblocks[0];
  const penalised = (j: number) => j % p < d;
  let z = new Float64Array(q);
  const u = Array.from({ length: nb }, () => new Float64Array(q));
  const s: GlmSpec = { ...spec, hess: true };
  const scale = Math.sqrt(q * nb);
  for (let it = 0; it < o.maxIter; it++) {
    const zNow = z;
    const us = u.map((v) => v.slice());
    const part = await runBlockReduce<AdmmPart>(
      { label: 'glm-admm', x: data.x, y: data.y, partial: mlOps.admmLocal, partialArgs: (i) => [s, i, zNow, us[i], rho], combine: mlOps.combineAdmm },
      opts,
    );
    const betas = new Array<Float64Array>(nb);
    for (const item of part.items) betas[item.block] = item.beta;
    const mean = new Float64Array(q);
    for (let i = 0; i < nb; i++) for (let j = 0; j < q; j++) mean[j] += (betas[i][j] + u[i][j]) / nb;
    const nr = nb * rho;
    const zOld = z;
    z = mean.map((v, j) => (penalised(j) ? softThreshold(v, l1 / nr) / (1 + l2 / nr) : v));
    let primal = 0;
    let bNorm = 0;
    let uNorm = 0;
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j < q; j++) {
        const r = betas[i][j] - z[j];
        u[i][j] += r;
        primal += r * r;
        bNorm += betas[i][j] * betas[i][j];
        uNorm += rho * rho * u[i][j] * u[i][j];
      }
    }
    let dual = 0;
    let zNorm = 0;
    for (let j = 0; j < q; j++) {
      dual += nb * rho * rho * (z[j] - zOld[j]) ** 2;
      zNorm += nb * z[j] * z[j];
    }
    const epsPri = scale * o.tol + o.tol * Math.max(Math.sqrt(bNorm), Math.sqrt(zNorm));
    const epsDual = scale * o.tol + o.tol * Math.sqrt(uNorm);
    if (Math.sqrt(primal) <= epsPri && Math.sqrt(dual) <= epsDual) return { beta: z, nIter: it + 1, converged: true, loss: NaN };
  }
  return { beta: z, nIter: o.maxIter, converged: false, loss: NaN };
}
