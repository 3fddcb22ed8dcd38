/**
 * Several GLM evaluations on one block (linear-model/glm-batch.ts): the block's loss, gradient
 * (and Hessian) at each requested coefficient vector, each as alone. Binomial evaluations that
 * differ only in their coefficients (a search's candidates) go through one call of the
 * many-vector kernel (glm-binomial.ts), which reads the block once for all of them. For the rest,
 * by glm.ts's `glmPartial`, a block that does not live in kernel memory would be streamed through
 * the kernels' scratch area once per evaluation; it is copied into this thread's own kernel
 * memory once instead and read there in place by each (y, small, then streams through that
 * instance too).
 */
import { dims, type BlockValue } from './block';
import { combineGlm, glmPartial, type GlmPartial, type GlmSpec } from './glm';
import { binomialGroupKey, binomialKernelPartials, binomialKernelTakes } from './glm-binomial';
import { kernelsFor } from './kernels';

/** Blocks smaller than this stream as they are (the copy would not pay for itself). */
const MIN_COPY_VALUES = 4096;

export function glmPartialMany(specs: readonly GlmSpec[], betas: readonly Float64Array[], xb: BlockValue, yb: BlockValue): GlmPartial[] {
  return evaluateAll(specs, betas, xb, yb).map(owned);
}

/**
 * A partial whose arrays are its own: the kernel path shares one empty Hessian among its results,
 * whose buffer a worker transfers (detaches) when a lone partial is sent; cloned inside a list, a
 * detached view fails the worker's message.
 */
function owned(p: GlmPartial): GlmPartial {
  return p.hess.length ? p : { loss: p.loss, grad: p.grad, hess: new Float64Array(0) };
}

function evaluateAll(specs: readonly GlmSpec[], betas: readonly Float64Array[], xb: BlockValue, yb: BlockValue): GlmPartial[] {
  const out = new Array<GlmPartial | undefined>(specs.length);
  const groups = new Map<string, number[]>();
  specs.forEach((s, i) => {
    if (!binomialKernelTakes(s)) return;
    const key = binomialGroupKey(s);
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  for (const idx of groups.values()) {
    if (idx.length < 2) continue;
    const parts = binomialKernelPartials(specs[idx[0]], idx.map((i) => betas[i]), xb, yb);
    if (parts) idx.forEach((i, t) => (out[i] = parts[t]));
  }
  const rest = specs.map((_, i) => i).filter((i) => out[i] === undefined);
  if (rest.length) evaluateEach(rest.map((i) => specs[i]), rest.map((i) => betas[i]), xb, yb).forEach((p, t) => (out[rest[t]] = p));
  return out as GlmPartial[];
}

function evaluateEach(specs: readonly GlmSpec[], betas: readonly Float64Array[], xb: BlockValue, yb: BlockValue): GlmPartial[] {
  const [n, d] = dims(xb);
  const viaKernel = specs.filter((s) => !s.hess && !s.weighted && s.family !== 'poisson' && !s.classWeight.length && !s.sideWeight.length).length;
  if (xb.mem || viaKernel < 2 || n * d < MIN_COPY_VALUES || !(xb.data instanceof Float64Array) || xb.data.length < n * d) return specs.map((s, i) => glmPartial(s, betas[i], xb, yb));
  const k = kernelsFor(undefined);
  const held = k.alloc(Float64Array, n * d);
  try {
    held.array.set(xb.data.subarray(0, n * d));
    // The view is taken again for each call: a kernel call may grow the memory, which detaches views.
    const y: BlockValue = { shape: yb.shape, data: yb.data };
    return specs.map((s, i) => glmPartial(s, betas[i], { shape: xb.shape, data: held.array }, y));
  } finally {
    held.free();
  }
}

/** Sums the partials of each evaluation over the blocks. */
export function combineGlmMany(...parts: GlmPartial[][]): GlmPartial[] {
  return parts[0].map((_, i) => combineGlm(...parts.map((p) => p[i])));
}
