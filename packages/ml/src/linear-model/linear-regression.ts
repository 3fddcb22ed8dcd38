/**
 * Ordinary least squares through `@pdask/array`'s TSQR `lstsq`: the QR of each row block, then
 * of the stacked R factors, so X is read once and no task holds more than a block and p x p
 * factors. The intercept is a column of ones appended to X.
 */
import { astype, concatenate, linalg, ones, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { toFloat64 } from '../eager';
import { scheduleFor } from '../graph/schedule';
import { r2Score } from '../metrics/regression';
import { asMatrix, asTarget, checkFeatures, NotFittedError, rules, type Data } from '../validate';
import { linearPredictor } from './linear';
import type { Params } from '../base/estimator';

export interface LinearRegressionOptions {
  /** Fit an intercept (default true); false fits through the origin. */
  fitIntercept?: boolean;
  /** scikit-learn's non-negative least squares: not implemented; refused. */
  positive?: never;
}

const LINEAR_OPTIONS: OptionSchema<LinearRegressionOptions> = { fitIntercept: 'boolean', positive: rules.notYet };

interface Fitted {
  coef: Float64Array;
  intercept: number;
}

export class LinearRegression {
  readonly fitIntercept: boolean;
  private fitted: Fitted | null = null;

  constructor(opts: LinearRegressionOptions = {}) {
    checkOptions('LinearRegression', opts, LINEAR_OPTIONS);
    this.fitIntercept = opts.fitIntercept ?? true;
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('LinearRegression', method, true);
    return this.fitted;
  }

  get coef(): Float64Array {
    return this.state('coef').coef;
  }
  get intercept(): number {
    return this.state('intercept').intercept;
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').coef.length;
  }

  async fit(X: Data, y: Data, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'LinearRegression.fit');
    const x = asMatrix(X, 'LinearRegression.fit');
    const t = asTarget(y, x, 'LinearRegression.fit');
    const [n, d] = x.shape;
    if (n < d + (this.fitIntercept ? 1 : 0)) throw new RangeError(`LinearRegression.fit: X has ${n} samples and ${d} features; least squares by TSQR needs at least as many samples as coefficients`);
    const a = this.fitIntercept ? concatenate([astype(x, 'float64'), ones([n, 1], { chunks: [x.chunks[0] as number[], [1]] })], 1) : x;
    const [sol] = linalg.lstsq(a, t);
    const beta = toFloat64(await sol.compute(scheduleFor([x, t], opts)));
    if (!beta.every(Number.isFinite)) throw new RangeError('LinearRegression.fit: X (with the intercept column) is rank deficient; least squares by TSQR needs independent columns');
    this.fitted = { coef: beta.slice(0, d), intercept: this.fitIntercept ? beta[d] : 0 };
    return this;
  }

  /** X · coef + intercept, lazily (one task per row block). */
  predict(X: Data): ChunkedArray<NDArray> {
    const f = this.state('predict');
    const x = asMatrix(X, 'LinearRegression.predict');
    checkFeatures(x, f.coef.length, 'LinearRegression.predict');
    return linearPredictor(x, f.coef, f.intercept);
  }

  /** The coefficient of determination R² of the predictions for X against y. */
  score(X: Data, y: Data, opts: ComputeOptions = {}): Promise<number> {
    checkComputeOptions(opts, 'LinearRegression.score');
    const x = asMatrix(X, 'LinearRegression.score');
    const t = asTarget(y, x, 'LinearRegression.score');
    return r2Score(t, this.predict(x), opts);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'regressor' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { fitIntercept: this.fitIntercept };
  }
}
