/**
 * Poisson regression with a log link, scikit-learn's PoissonRegressor objective
 *   1 / (2 Σw) · Σ wᵢ deviance(yᵢ, exp(xᵢ·w + b)) + alpha / 2 · ‖w‖²
 * minimised over the blocks by L-BFGS (default, as scikit-learn) or Newton (Dask-GLM's
 * PoissonRegression solvers work too: 'proximalGrad', 'admm'). The solvers see the objective
 * times Σw (Σ w (μ − y log μ) + Σw · alpha / 2 ‖w‖²), so `tol` is scaled by Σw to match
 * scikit-learn's gradient test. Starts, as scikit-learn, from the intercept log(ȳ).
 */
import { multiply, sum } from '@pdask/array';
import { checkComputeOptions, checkOptions, compute, type ComputeOptions, type OptionSchema } from '@pdask/core';
import type { Params } from '../base/estimator';
import { scheduleFor } from '../graph/schedule';
import { asMatrix, asTarget, rules, type Data } from '../validate';
import { solveGlm, type GlmSolver } from './glm-solve';
import { d2PoissonScore } from './poisson-score';
import { fitInputs, LinearRegressor, type RegressorFitOptions } from './regressor';

export interface PoissonRegressionOptions {
  /** L2 penalty strength (default 1, as scikit-learn's PoissonRegressor). */
  alpha?: number;
  fitIntercept?: boolean;
  /** 'lbfgs' (default), 'newton', 'proximalGrad' or 'admm'. */
  solver?: GlmSolver;
  /** Iterations at most (default 100). */
  maxIter?: number;
  /** Gradient tolerance on scikit-learn's scale (default 1e-4). */
  tol?: number;
  /** scikit-learn's warm start: not implemented; refused. */
  warmStart?: never;
}

const POISSON_OPTIONS: OptionSchema<PoissonRegressionOptions> = {
  alpha: rules.nonNegative,
  fitIntercept: 'boolean',
  solver: { oneOf: ['lbfgs', 'newton', 'proximalGrad', 'admm'] },
  maxIter: rules.positiveInt,
  tol: rules.nonNegative,
  warmStart: rules.notYet,
};

export class PoissonRegression extends LinearRegressor {
  protected readonly name = 'PoissonRegression';
  protected override readonly link = 'log' as const;
  readonly alpha: number;
  readonly fitIntercept: boolean;
  readonly solver: GlmSolver;
  readonly maxIter: number;
  readonly tol: number;
  private conv = false;

  constructor(opts: PoissonRegressionOptions = {}) {
    super();
    checkOptions('PoissonRegression', opts, POISSON_OPTIONS);
    this.alpha = opts.alpha ?? 1;
    this.fitIntercept = opts.fitIntercept ?? true;
    this.solver = opts.solver ?? 'lbfgs';
    this.maxIter = opts.maxIter ?? 100;
    this.tol = opts.tol ?? 1e-4;
  }

  get converged(): boolean {
    this.state('converged');
    return this.conv;
  }

  async fit(X: Data, y: Data, opts: RegressorFitOptions = {}): Promise<this> {
    const who = 'PoissonRegression.fit';
    const inp = fitInputs(X, y, opts, who);
    const d = inp.x.shape[1];
    const yv = inp.y;
    const wv = opts.sampleWeight === undefined ? null : asTarget(opts.sampleWeight, inp.x, who, 'sampleWeight');
    const [sy, sw] = wv ? ((await compute(sum(multiply(yv, wv)), sum(wv), scheduleFor([inp.x], inp.opts))) as [number, number]) : [(await sum(yv).compute(scheduleFor([inp.x], inp.opts))) as number, inp.x.shape[0]];
    if (!(sy > 0)) throw new RangeError(`${who}: the (weighted) mean of y must be positive for a log link, got ${sy / sw}`);
    const r = await solveGlm(
      {
        data: { x: inp.xw, y: inp.y },
        spec: { family: 'poisson', fitIntercept: this.fitIntercept, classes: [], positive: 0, classWeight: [], sideWeight: [], weighted: inp.weighted },
        l2: this.alpha * sw,
        l1: 0,
        solver: this.solver,
        maxIter: this.maxIter,
        tol: this.tol * sw,
        start: this.fitIntercept ? startAt(d, Math.log(sy / sw)) : undefined,
      },
      inp.opts,
    );
    this.fitted = { coef: r.beta.slice(0, d), intercept: this.fitIntercept ? r.beta[d] : 0, nIter: r.nIter };
    this.conv = r.converged;
    return this;
  }

  /** D² (the share of Poisson deviance explained), scikit-learn's PoissonRegressor.score. */
  override score(X: Data, y: Data, opts: ComputeOptions = {}): Promise<number> {
    const who = 'PoissonRegression.score';
    checkComputeOptions(opts, who);
    const x = asMatrix(X, who);
    const t = asTarget(y, x, who);
    return d2PoissonScore(t, this.predict(x), opts);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'regressor' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { alpha: this.alpha, fitIntercept: this.fitIntercept, solver: this.solver, maxIter: this.maxIter, tol: this.tol };
  }
}

function startAt(d: number, intercept: number): Float64Array {
  const s = new Float64Array(d + 1);
  s[d] = intercept;
  return s;
}
