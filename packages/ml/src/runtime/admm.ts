/**
 * ADMM's per-block step (dask-glm's `admm`): each block solves its own local problem
 * min_b f_i(b) + ρ/2 ‖b − z + u_i‖² (f_i its weighted loss) and returns b. The ρ term makes the
 * local problem strongly convex, so a few Newton steps on the block solve it to rounding.
 */
import { choleskySolve } from '../dense';
import type { BlockValue } from './block';
import { glmPartial, type GlmSpec } from './glm';

export interface AdmmPart {
  /** Block number and its local solution, in block order after combining. */
  readonly items: { block: number; beta: Float64Array }[];
}

export function admmLocal(spec: GlmSpec, block: number, z: Float64Array, u: Float64Array, rho: number, xb: BlockValue, yb: BlockValue): AdmmPart {
  const q = z.length;
  const v = z.map((zj, j) => zj - u[j]);
  let b = v.slice();
  const s: GlmSpec = { ...spec, hess: true };
  const local = (beta: Float64Array) => {
    const e = glmPartial(s, beta, xb, yb);
    let loss = e.loss;
    for (let j = 0; j < q; j++) {
      const dj = beta[j] - v[j];
      loss += 0.5 * rho * dj * dj;
      e.grad[j] += rho * dj;
      e.hess[j * q + j] += rho;
    }
    return { ...e, loss };
  };
  let cur = local(b);
  for (let it = 0; it < 50; it++) {
    let g = 0;
    for (const x of cur.grad) g = Math.max(g, Math.abs(x));
    if (g <= 1e-10 * Math.max(1, rho)) break;
    const delta = choleskySolve(cur.hess, cur.grad, q);
    if (!delta) break;
    // Newton decrement: the loss cannot fall by more than this; stop at rounding level.
    let dec = 0;
    for (let j = 0; j < q; j++) dec += delta[j] * cur.grad[j];
    if (dec <= 1e-13 * (1 + Math.abs(cur.loss))) break;
    let t = 1;
    let next = null;
    let trial = b;
    for (let ls = 0; ls < 30; ls++) {
      trial = b.map((x, j) => x - t * delta[j]);
      const e = local(trial);
      if (e.loss <= cur.loss) {
        next = e;
        break;
      }
      t /= 2;
    }
    if (!next) break;
    b = trial;
    cur = next;
  }
  return { items: [{ block, beta: b }] };
}

export function combineAdmm(...parts: AdmmPart[]): AdmmPart {
  return { items: parts.flatMap((p) => p.items) };
}
