/**
 * Binomial GLM partials at several coefficient vectors in one pass over a block, by
 * @pdask/kernels' `glmBinomialMany` (the candidates side by side in SIMD lanes): loss and gradient
 * without the Hessian, sample weights or class weights, which is what L-BFGS asks for on every
 * step. A lone evaluation goes through the same kernel, so a fit gets the same bits alone as
 * among a search's candidates. Specs the kernel does not take, or a block it refuses (a label
 * outside the classes, NaN in X), get null: the JS loop then computes (and reports) them.
 */
import { glmBinomialMany, GlmRowError } from '@pdask/kernels';
import { dims, values, type BlockValue } from './block';
import type { GlmPartial, GlmSpec } from './glm';
import { kernelsFor } from './kernels';

const EMPTY = new Float64Array(0);

/** Whether the many-vector kernel evaluates this spec. */
export function binomialKernelTakes(spec: GlmSpec): boolean {
  return spec.family === 'binomial' && !spec.hess && !spec.weighted && !spec.classWeight.length && !spec.sideWeight.length;
}

/** Specs the kernel evaluates in one call: the same intercept, classes and positive class. */
export function binomialGroupKey(spec: GlmSpec): string {
  return `${spec.fitIntercept ? 1 : 0}|${spec.positive}|${spec.classes.join(',')}`;
}

/** The partials of one group of specs (binomialKernelTakes, one binomialGroupKey) at their betas, or null when the kernel refuses the block. */
export function binomialKernelPartials(spec: GlmSpec, betas: readonly Float64Array[], xb: BlockValue, yb: BlockValue): GlmPartial[] | null {
  const [n, d] = dims(xb);
  if (d < 1 || yb.shape[0] !== n) return null;
  try {
    const r = glmBinomialMany(kernelsFor(xb.mem ?? yb.mem), values(xb), values(yb), betas, { features: d, intercept: spec.fitIntercept, classes: Float64Array.from(spec.classes), positive: spec.positive });
    return r.map(({ loss, grad }) => ({ loss, grad, hess: EMPTY }));
  } catch (e) {
    if (e instanceof GlmRowError) return null;
    throw e;
  }
}
