/**
 * Lasso and ElasticNet with scikit-learn's objective
 *   1 / (2 Σw) · Σ wᵢ (yᵢ − xᵢ·w − b)² + alpha · l1Ratio · ‖w‖₁ + alpha · (1 − l1Ratio) / 2 · ‖w‖²
 * by cyclic coordinate descent on the centred normal equations (one pass over the data, then
 * sweeps over the d x d Gram matrix on the calling thread: scikit-learn's "precompute" path).
 * Stops as scikit-learn does: when the largest coefficient update is below tol times the largest
 * coefficient, the duality gap is checked against tol · Σw(y − ȳ)².
 */
import { checkOptions, type OptionSchema } from '@pdask/core';
import type { Params } from '../base/estimator';
import { rules, type Data } from '../validate';
import { normalEquations, type Normal } from './gram';
import { fitInputs, LinearRegressor, type RegressorFitOptions } from './regressor';

export interface ElasticNetOptions {
  /** Penalty strength (default 1). */
  alpha?: number;
  /** Share of L1 in the penalty, in [0, 1] (default 0.5). */
  l1Ratio?: number;
  fitIntercept?: boolean;
  /** Coordinate-descent sweeps at most (default 1000). */
  maxIter?: number;
  /** Duality-gap tolerance, relative to Σw(y − ȳ)² (default 1e-4). */
  tol?: number;
  /** scikit-learn's options not implemented: refused. */
  positive?: never;
  selection?: never;
  warmStart?: never;
  precompute?: never;
}
export type LassoOptions = Omit<ElasticNetOptions, 'l1Ratio'>;

const ENET_OPTIONS: OptionSchema<ElasticNetOptions> = {
  alpha: rules.nonNegative,
  l1Ratio: (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a number in [0, 1]'),
  fitIntercept: 'boolean',
  maxIter: rules.positiveInt,
  tol: rules.nonNegative,
  positive: rules.notYet,
  selection: rules.notYet,
  warmStart: rules.notYet,
  precompute: { unsupported: 'the normal equations are always used (one pass over the data)' },
};
const { l1Ratio: _omit, ...LASSO_OPTIONS } = ENET_OPTIONS;

/** Coordinate descent on 0.5 wᵀGw − bᵀw + l1 ‖w‖₁ + l2 / 2 ‖w‖²; returns the coefficients and sweeps. */
export function coordinateDescent(ne: Normal, l1: number, l2: number, maxIter: number, tol: number): { coef: Float64Array; nIter: number; converged: boolean } {
  const { d, gram: G, xty: q } = ne;
  const w = new Float64Array(d);
  const H = new Float64Array(d); // G w
  const gapTol = tol * ne.yy;
  for (let it = 1; it <= maxIter; it++) {
    let wMax = 0;
    let dMax = 0;
    for (let j = 0; j < d; j++) {
      const gjj = G[j * d + j];
      if (gjj === 0) continue;
      const old = w[j];
      const tmp = q[j] - H[j] + gjj * old;
      const nw = (Math.sign(tmp) * Math.max(Math.abs(tmp) - l1, 0)) / (gjj + l2);
      const dw = nw - old;
      if (dw !== 0) {
        w[j] = nw;
        for (let k = 0; k < d; k++) H[k] += dw * G[k * d + j];
      }
      dMax = Math.max(dMax, Math.abs(dw));
      wMax = Math.max(wMax, Math.abs(nw));
    }
    if (wMax === 0 || dMax / wMax < tol || it === maxIter) {
      // The duality gap of the Gram formulation (scikit-learn's cd_fast).
      let dual = 0;
      let qw = 0;
      let wHw = 0;
      let ww = 0;
      let l1n = 0;
      for (let j = 0; j < d; j++) {
        dual = Math.max(dual, Math.abs(q[j] - H[j] - l2 * w[j]));
        qw += q[j] * w[j];
        wHw += w[j] * H[j];
        ww += w[j] * w[j];
        l1n += Math.abs(w[j]);
      }
      const r2 = Math.max(ne.yy + wHw - 2 * qw, 0);
      const c = dual > l1 ? l1 / dual : 1;
      const gap = (dual > l1 ? 0.5 * (r2 + r2 * c * c) : r2) + l1 * l1n - c * (ne.yy - qw) + 0.5 * l2 * (1 + c * c) * ww;
      if (gap < gapTol) return { coef: w, nIter: it, converged: true };
    }
  }
  return { coef: w, nIter: maxIter, converged: false };
}

export class ElasticNet extends LinearRegressor {
  protected readonly name: string = 'ElasticNet';
  readonly alpha: number;
  readonly l1Ratio: number;
  readonly fitIntercept: boolean;
  readonly maxIter: number;
  readonly tol: number;
  private conv = false;

  constructor(opts: ElasticNetOptions = {}, who = 'ElasticNet') {
    super();
    checkOptions(who, opts, who === 'Lasso' ? (LASSO_OPTIONS as OptionSchema<ElasticNetOptions>) : ENET_OPTIONS);
    this.alpha = opts.alpha ?? 1;
    this.l1Ratio = opts.l1Ratio ?? (who === 'Lasso' ? 1 : 0.5);
    this.fitIntercept = opts.fitIntercept ?? true;
    this.maxIter = opts.maxIter ?? 1000;
    this.tol = opts.tol ?? 1e-4;
  }

  /** Whether the duality gap fell below tol before maxIter sweeps. */
  get converged(): boolean {
    this.state('converged');
    return this.conv;
  }

  async fit(X: Data, y: Data, opts: RegressorFitOptions = {}): Promise<this> {
    const inp = fitInputs(X, y, opts, `${this.name}.fit`);
    const ne = await normalEquations(inp.xw, inp.y, inp.weighted, this.fitIntercept, inp.opts);
    const n = ne.wsum;
    const r = coordinateDescent(ne, this.alpha * this.l1Ratio * n, this.alpha * (1 - this.l1Ratio) * n, this.maxIter, this.tol);
    let b = ne.yMean;
    for (let j = 0; j < ne.d; j++) b -= ne.xMean[j] * r.coef[j];
    this.fitted = { coef: r.coef, intercept: this.fitIntercept ? b : 0, nIter: r.nIter };
    this.conv = r.converged;
    return this;
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'regressor' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { alpha: this.alpha, l1Ratio: this.l1Ratio, fitIntercept: this.fitIntercept, maxIter: this.maxIter, tol: this.tol };
  }
}

/** ElasticNet with l1Ratio 1 (scikit-learn's Lasso). */
export class Lasso extends ElasticNet {
  protected override readonly name: string = 'Lasso';
  constructor(opts: LassoOptions = {}) {
    super(opts, 'Lasso');
  }

  /** ElasticNet's options without l1Ratio, which Lasso does not take (it is 1). */
  override getParams(): Params {
    const { l1Ratio: _l1, ...rest } = super.getParams();
    return rest;
  }
}
