/**
 * The smooth part of a penalised GLM objective, evaluated over the blocks: Σ wᵢ lossᵢ from one
 * block reduction (runtime/glm.ts), plus the L2 part of the penalty on the calling thread. The L1
 * part is left to the solvers that handle it (proximal gradient, ADMM). The intercepts are never
 * penalised.
 */
import { astype, concatenate, rechunk, reshape, type ChunkedArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { coefRows, type GlmSpec } from '../runtime/glm';
import { evaluateGlm } from './glm-batch';

export interface GlmData {
  /** X, with the sample weights as a last column when the spec is `weighted` (`withWeights`). */
  readonly x: ChunkedArray<unknown>;
  /** 1-d targets with x's row blocks. */
  readonly y: ChunkedArray<unknown>;
}

export interface Evaluation {
  readonly loss: number;
  readonly grad: Float64Array;
  /** The full symmetric Hessian (q x q), when asked for. */
  readonly hess: Float64Array | null;
}

export interface Objective {
  /** Number of coefficients: rows x p. */
  readonly q: number;
  readonly rows: number;
  readonly p: number;
  /** 1 where the coefficient is penalised (not an intercept). */
  readonly penalised: Uint8Array;
  /** One pass over the blocks. */
  evaluate(beta: Float64Array, hess: boolean): Promise<Evaluation>;
  /** Passes over the data so far. */
  passes: number;
}

export function glmObjective(data: GlmData, spec: Omit<GlmSpec, 'hess'>, l2: number, opts: ComputeOptions): Objective {
  const d = data.x.shape[1] - (spec.weighted ? 1 : 0);
  const p = d + (spec.fitIntercept ? 1 : 0);
  const rows = coefRows(spec);
  const q = rows * p;
  const penalised = new Uint8Array(q);
  for (let k = 0; k < rows; k++) for (let j = 0; j < d; j++) penalised[k * p + j] = 1;
  const obj: Objective = {
    q,
    rows,
    p,
    penalised,
    passes: 0,
    async evaluate(beta, withHess) {
      const s: GlmSpec = { ...spec, hess: withHess };
      const coef = beta.slice();
      obj.passes++;
      // Shared with other fits evaluating on the same data at the same time (a search's candidates).
      const part = await evaluateGlm(data, s, coef, opts);
      let loss = part.loss;
      const grad = part.grad;
      let hess: Float64Array | null = null;
      if (withHess) {
        hess = part.hess;
        for (let i = 0; i < q; i++) for (let j = 0; j < i; j++) hess[i * q + j] = hess[j * q + i];
      }
      if (l2 > 0) {
        for (let j = 0; j < q; j++) {
          if (!penalised[j]) continue;
          loss += 0.5 * l2 * beta[j] * beta[j];
          grad[j] += l2 * beta[j];
          if (hess) hess[j * q + j] += l2;
        }
      }
      return { loss, grad, hess };
    },
  };
  return obj;
}

/** The largest absolute value. */
export function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** X with the sample weights appended as its last column, in one block of columns (what `weighted` GLM blocks read). */
export function withWeights(x: ChunkedArray<unknown>, w: ChunkedArray<unknown>): ChunkedArray<unknown> {
  const rows = x.chunks[0] as number[];
  return rechunk(concatenate([astype(x, 'float64'), reshape(astype(w, 'float64'), [x.shape[0], 1])], 1), [rows, [x.shape[1] + 1]]);
}
