/**
 * The per-block step of Newton's method for logistic regression (kernels/assembly/logistic.ts):
 * the summed log-loss, its gradient and Hessian at given coefficients.
 */
import { forRowBlocks, placeRows, rowsPerBlock } from './rows.js';
import { optionKeys } from './options.js';
import type { Runtime } from './runtime.js';
import type { RealArray } from './types.js';

/** Loss, gradient and Hessian of Σ log-loss over a block of rows. */
export interface NewtonPartial {
  /** Σ_i log(1 + e^{z_i}) - y_i z_i, with z = X·coef (+ intercept). */
  readonly loss: number;
  /** Length p: the features, then the intercept when fitted. */
  readonly grad: Float64Array;
  /** p x p row-major: the upper triangle (diagonal included) of XᵀWX; entries below the diagonal are 0. */
  readonly hess: Float64Array;
}

export interface NewtonOptions {
  /** Columns of X (X is rows x features, row-major). */
  features: number;
  /**
   * Whether X has an implicit column of ones last (the intercept): `coef` then holds features + 1
   * values, the intercept last, and so do the gradient and Hessian. Default false.
   */
  intercept?: boolean;
}

export const NEWTON_KEYS = optionKeys<NewtonOptions>({ features: true, intercept: true });

export function logisticPartial(rt: Runtime, x: RealArray, y: RealArray, coef: Float64Array, options: NewtonOptions): NewtonPartial {
  const d = options.features;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`logisticPartial: features must be a positive integer, got ${d}`);
  if (x.length % d !== 0) throw new RangeError(`logisticPartial: X has ${x.length} values, not a multiple of ${d} features`);
  const n = x.length / d;
  if (y.length !== n) throw new RangeError(`logisticPartial: X has ${n} rows but y has ${y.length} values`);
  const intercept = options.intercept ?? false;
  const p = d + (intercept ? 1 : 0);
  if (coef.length !== p) throw new RangeError(`logisticPartial: coef has ${coef.length} values, expected ${p} (features${intercept ? ' + intercept' : ''})`);
  const placed = placeRows(rt, [{ data: x, width: d }, { data: y, width: 1 }]);
  const work = rt.mem.alloc((d + p + p * p + rt.x.newton_work(p)) * 8);
  try {
    const mem = rt.mem;
    const pBeta = work;
    const pGrad = pBeta + d * 8;
    const pHess = pGrad + p * 8;
    const pWork = pHess + p * p * 8;
    mem.f64(pBeta, d).set(coef.subarray(0, d));
    mem.f64(pGrad, p + p * p).fill(0);
    const b0 = intercept ? coef[d] : 0;
    const st = mem.state;
    mem.f64(st, 1)[0] = 0;
    forRowBlocks(rt, placed, n, rowsPerBlock(rt, placed), (ptrs, rows, start) => {
      const bad = rt.x.newton_f64(ptrs[0], ptrs[1], rows, d, intercept ? 1 : 0, pBeta, b0, pWork, pGrad, pHess, st);
      if (bad >= 0) throw new LabelError(start + bad, mem.f64(ptrs[1] + bad * 8, 1)[0]);
    });
    return { loss: mem.f64(st, 1)[0], grad: mem.f64(pGrad, p).slice(), hess: mem.f64(pHess, p * p).slice() };
  } finally {
    rt.mem.release(work);
  }
}

/** A label that is neither 0 nor 1 (booleans are 0/1). `row` counts from the first row of y. */
export class LabelError extends RangeError {
  constructor(readonly row: number, readonly value: number) {
    super(`logisticPartial: y must hold 0 or 1, found ${value} at row ${row}`);
    this.name = 'LabelError';
  }
}

/** Adds two partials (of disjoint rows, the same coefficients). */
export function mergeNewton(a: NewtonPartial, b: NewtonPartial): NewtonPartial {
  return { loss: a.loss + b.loss, grad: a.grad.map((v, i) => v + b.grad[i]), hess: a.hess.map((v, i) => v + b.hess[i]) };
}
