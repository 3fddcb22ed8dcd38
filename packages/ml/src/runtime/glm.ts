/**
 * What the generalised linear models run per block: the loss of one block at the current
 * coefficients, its gradient and (for Newton) its Hessian, summed over the block's rows with
 * their weights. The calling thread adds the penalty and takes the step; only these small sums
 * travel (dask-glm's design: one pass over the blocks per function evaluation).
 *
 * Coefficients are `rows` vectors of p = features (+ 1 for the intercept, last) values, row-major.
 * Targets arrive as a 1-d block; with `weighted`, the last column of X's block is the sample
 * weight (the estimators append it, which keeps X's row blocks, empty ones included).
 */
import { dims, values, type BlockValue } from './block';
import { glmKernelPartial } from './glm-kernel';

export type GlmFamily = 'binomial' | 'multinomial' | 'poisson';

export interface GlmSpec {
  readonly family: GlmFamily;
  readonly fitIntercept: boolean;
  /**
   * Classification: the sorted label values; a target is replaced by its index in this list (its
   * class code). Empty for regression.
   */
  readonly classes: readonly number[];
  /** Binomial: the class code that counts as 1 (the others as 0). */
  readonly positive: number;
  /** Weight of each class code (scikit-learn's class_weight by label); empty: 1. */
  readonly classWeight: readonly number[];
  /** Binomial: weights of [negative, positive] samples (one-vs-rest 'balanced'); empty: 1. */
  readonly sideWeight: readonly number[];
  /** The last column of X is the sample weight. */
  readonly weighted: boolean;
  /** Return the Hessian (upper triangle, row-major) as well. */
  readonly hess: boolean;
}

export interface GlmPartial {
  loss: number;
  grad: Float64Array;
  /** Upper triangle of the (rows · p)² Hessian, row-major; empty when not asked for. */
  hess: Float64Array;
}

function codeOf(classes: readonly number[], v: number): number {
  let lo = 0;
  let hi = classes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = classes[mid];
    if (c === v) return mid;
    if (c < v) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new RangeError(`y holds the label ${v}, which is not among the classes found when the fit started`);
}

/** Number of coefficient rows for a family and its classes. */
export function coefRows(spec: Pick<GlmSpec, 'family' | 'classes'>): number {
  return spec.family === 'multinomial' ? spec.classes.length : 1;
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

export function glmPartial(spec: GlmSpec, beta: Float64Array, xb: BlockValue, yb: BlockValue): GlmPartial {
  const fast = glmKernelPartial(spec, beta, xb, yb);
  if (fast) return fast;
  const [n, cols] = dims(xb);
  const weighted = spec.weighted;
  const d = weighted ? cols - 1 : cols;
  if (yb.shape[0] !== n) throw new RangeError(`a block of X has ${n} rows but its block of y has ${yb.shape[0]}`);
  const x = values(xb);
  const yv = values(yb);
  const p = d + (spec.fitIntercept ? 1 : 0);
  const rows = coefRows(spec);
  const q = rows * p;
  const grad = new Float64Array(q);
  const hess = spec.hess ? new Float64Array(q * q) : new Float64Array(0);
  const z = new Float64Array(rows);
  const r = new Float64Array(rows);
  const cw = spec.classWeight;
  const classify = spec.family !== 'poisson';
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = i * cols;
    let w = weighted ? x[row + d] : 1;
    if (!(w >= 0 && w < Infinity)) throw new RangeError(`sampleWeight must be finite and >= 0, found ${w}`);
    const target = yv[i];
    if (Number.isNaN(target)) throw new RangeError('y holds NaN');
    const code = classify ? codeOf(spec.classes, target) : 0;
    if (classify && cw.length) w *= cw[code];
    for (let k = 0; k < rows; k++) {
      const b = k * p;
      let s = spec.fitIntercept ? beta[b + d] : 0;
      for (let j = 0; j < d; j++) s += beta[b + j] * x[row + j];
      if (Number.isNaN(s)) throw new RangeError('X holds NaN (or infinite values)');
      z[k] = s;
    }
    // r: d loss / d z per row; h: the curvature (for the Hessian).
    let h = 0;
    if (spec.family === 'binomial') {
      const yy = code === spec.positive ? 1 : 0;
      if (spec.sideWeight.length) w *= spec.sideWeight[yy];
      if (w === 0) continue;
      const s = z[0];
      loss += w * (softplus(s) - yy * s);
      const pr = 1 / (1 + Math.exp(-s));
      r[0] = w * (pr - yy);
      h = w * pr * (1 - pr);
    } else if (spec.family === 'poisson') {
      if (target < 0) throw new RangeError(`y must be non-negative for a Poisson model, found ${target}`);
      if (w === 0) continue;
      const mu = Math.exp(z[0]);
      loss += w * (mu - target * z[0]);
      r[0] = w * (mu - target);
      h = w * mu;
    } else {
      if (w === 0) continue;
      let m = -Infinity;
      for (let k = 0; k < rows; k++) m = Math.max(m, z[k]);
      let sum = 0;
      for (let k = 0; k < rows; k++) {
        const e = Math.exp(z[k] - m);
        r[k] = e;
        sum += e;
      }
      loss += w * (m + Math.log(sum) - z[code]);
      for (let k = 0; k < rows; k++) r[k] /= sum; // probabilities, turned into residuals below
    }
    if (spec.family === 'multinomial') {
      if (spec.hess) {
        // d²/dz_k dz_l = p_k (δ_kl − p_l), times x xᵀ.
        for (let k = 0; k < rows; k++) {
          for (let l = k; l < rows; l++) {
            const c = w * r[k] * ((k === l ? 1 : 0) - r[l]);
            if (c === 0) continue;
            addOuter(hess, q, k * p, l * p, c, x, row, d, spec.fitIntercept, k === l);
          }
        }
      }
      for (let k = 0; k < rows; k++) r[k] = w * (r[k] - (k === code ? 1 : 0));
    } else if (spec.hess && h !== 0) {
      addOuter(hess, q, 0, 0, h, x, row, d, spec.fitIntercept, true);
    }
    for (let k = 0; k < rows; k++) {
      const g = r[k];
      if (g === 0) continue;
      const b = k * p;
      for (let j = 0; j < d; j++) grad[b + j] += g * x[row + j];
      if (spec.fitIntercept) grad[b + d] += g;
    }
  }
  return { loss, grad, hess };
}

/** hess[r0 + a, c0 + b] += c · u_a u_b for the row u = (x, 1?); only the upper triangle when on the diagonal. */
function addOuter(hess: Float64Array, q: number, r0: number, c0: number, c: number, x: ArrayLike<number>, row: number, d: number, icpt: boolean, diag: boolean): void {
  const p = d + (icpt ? 1 : 0);
  for (let a = 0; a < p; a++) {
    const ua = c * (a < d ? x[row + a] : 1);
    if (ua === 0) continue;
    const base = (r0 + a) * q + c0;
    for (let b = diag ? a : 0; b < p; b++) hess[base + b] += ua * (b < d ? x[row + b] : 1);
  }
}

export function combineGlm(...parts: GlmPartial[]): GlmPartial {
  const out: GlmPartial = { loss: 0, grad: new Float64Array(parts[0].grad.length), hess: new Float64Array(parts[0].hess.length) };
  for (const part of parts) {
    out.loss += part.loss;
    for (let i = 0; i < out.grad.length; i++) out.grad[i] += part.grad[i];
    for (let i = 0; i < out.hess.length; i++) out.hess[i] += part.hess[i];
  }
  return out;
}
