/**
 * Ridge regression, scikit-learn's objective ‖y − Xw − b‖² + alpha ‖w‖² (weighted by the sample
 * weights; the intercept not penalised): one pass for the centred normal equations, then a
 * Cholesky solve of (XcᵀWXc + alpha I) w = XcᵀWyc on the calling thread (scikit-learn's
 * 'cholesky' solver, which its 'auto' picks for dense X).
 */
import { checkOptions, type OptionSchema } from '@pdask/core';
import type { Params } from '../base/estimator';
import { choleskySolve } from '../dense';
import { rules, type Data } from '../validate';
import { normalEquations } from './gram';
import { fitInputs, LinearRegressor, type RegressorFitOptions } from './regressor';

export interface RidgeOptions {
  /** Penalty strength (default 1). */
  alpha?: number;
  fitIntercept?: boolean;
  /** scikit-learn's other solvers: not implemented (the normal equations are exact); refused. */
  solver?: never;
  /** scikit-learn's non-negative coefficients: not implemented; refused. */
  positive?: never;
}

const RIDGE_OPTIONS: OptionSchema<RidgeOptions> = { alpha: rules.nonNegative, fitIntercept: 'boolean', solver: rules.notYet, positive: rules.notYet };

export class Ridge extends LinearRegressor {
  protected readonly name = 'Ridge';
  readonly alpha: number;
  readonly fitIntercept: boolean;

  constructor(opts: RidgeOptions = {}) {
    super();
    checkOptions('Ridge', opts, RIDGE_OPTIONS);
    this.alpha = opts.alpha ?? 1;
    this.fitIntercept = opts.fitIntercept ?? true;
  }

  async fit(X: Data, y: Data, opts: RegressorFitOptions = {}): Promise<this> {
    const inp = fitInputs(X, y, opts, 'Ridge.fit');
    const ne = await normalEquations(inp.xw, inp.y, inp.weighted, this.fitIntercept, inp.opts);
    const { d, gram } = ne;
    for (let j = 0; j < d; j++) gram[j * d + j] += this.alpha;
    const coef = choleskySolve(gram, ne.xty, d);
    if (!coef) throw new RangeError('Ridge.fit: XᵀX + alpha·I is singular (alpha 0 with dependent columns?); use alpha > 0');
    let b = ne.yMean;
    for (let j = 0; j < d; j++) b -= ne.xMean[j] * coef[j];
    this.fitted = { coef, intercept: this.fitIntercept ? b : 0, nIter: 0 };
    return this;
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'regressor' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { alpha: this.alpha, fitIntercept: this.fitIntercept };
  }
}
