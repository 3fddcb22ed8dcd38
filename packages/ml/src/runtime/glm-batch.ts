/**
 * Several GLM evaluations on one block (linear-model/glm-batch.ts): the block's loss, gradient
 * (and Hessian) at each requested coefficient vector, by glm.ts's `glmPartial`, as alone. A
 * block that does not live in kernel memory would be streamed through the kernels' scratch area
 * once per evaluation; it is copied into this thread's own kernel memory once instead and read
 * there in place by each (y, small, then streams through that instance too).
 */
import { dims, type BlockValue } from './block';
import { combineGlm, glmPartial, type GlmPartial, type GlmSpec } from './glm';
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
