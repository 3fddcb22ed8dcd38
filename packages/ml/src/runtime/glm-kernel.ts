/**
 * The common case of glm.ts's per-block partial in @pdask/kernels' SIMD kernel (`glmGradient`):
 * binomial or multinomial loss and gradient without the Hessian, sample weights or class weights
 * (what L-BFGS evaluates on every pass). Anything else, or a row the kernel refuses (a label
 * outside the classes, NaN in X), is left to the JS loop, which then reports the problem.
 */
import { GlmRowError } from '@pdask/kernels';
import { dims, values, type BlockValue } from './block';
import { binomialKernelPartials, binomialKernelTakes } from './glm-binomial';
import type { GlmPartial, GlmSpec } from './glm';
import { kernelsFor } from './kernels';

const EMPTY = new Float64Array(0);

export function glmKernelPartial(spec: GlmSpec, beta: Float64Array, xb: BlockValue, yb: BlockValue): GlmPartial | null {
  if (binomialKernelTakes(spec)) return binomialKernelPartials(spec, [beta], xb, yb)?.[0] ?? null;
  if (spec.hess || spec.weighted || spec.family === 'poisson' || spec.classWeight.length || spec.sideWeight.length) return null;
  const [n, d] = dims(xb);
  if (d < 1 || yb.shape[0] !== n) return null;
  try {
    const r = kernelsFor(xb.mem ?? yb.mem).glmGradient(values(xb), values(yb), beta, {
      features: d,
      intercept: spec.fitIntercept,
      classes: Float64Array.from(spec.classes),
      multinomial: spec.family === 'multinomial',
      positive: spec.positive,
    });
    return { loss: r.loss, grad: r.grad, hess: EMPTY };
  } catch (e) {
    if (e instanceof GlmRowError) return null;
    throw e;
  }
}
