/** Binary logistic regression with an L2 penalty, fitted by Newton's method over the blocks. */
import { add, astype, exp, greater, negative, reciprocal, stack, subtract, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { accuracyScore } from '../metrics/classification';
import { asMatrix, asTarget, checkFeatures, NotFittedError, rules, type Data } from '../validate';
import { linearPredictor } from './linear';
import { newton } from './newton';
import type { Params } from '../base/estimator';

export interface LogisticRegressionOptions {
  /** 'l2' (default) or 'none'. */
  penalty?: 'l2' | 'none';
  /** Inverse of the penalty strength, as in scikit-learn (default 1): the objective is Σ log-loss + ||coef||² / (2C). */
  C?: number;
  fitIntercept?: boolean;
  /** Newton iterations (passes over the data) at most (default 100). */
  maxIter?: number;
  /** Stop when the largest gradient component is at most this (default 1e-4, as scikit-learn's). */
  tol?: number;
  /** Only 'newton' (default). */
  solver?: 'newton';
  /** scikit-learn's class weights: not implemented; refused. */
  classWeight?: never;
  /** scikit-learn's elastic-net mixing: not implemented (only 'l2'); refused. */
  l1Ratio?: never;
  /** scikit-learn's warm start: not implemented; refused. */
  warmStart?: never;
}

const LOGISTIC_OPTIONS: OptionSchema<LogisticRegressionOptions> = {
  penalty: (v) => (v === 'l2' || v === 'none' ? undefined : "'l2' or 'none'"),
  C: rules.positive,
  fitIntercept: 'boolean',
  maxIter: rules.positiveInt,
  tol: rules.nonNegative,
  solver: (v) => (v === 'newton' ? undefined : "'newton' (the only solver so far)"),
  classWeight: rules.notYet,
  l1Ratio: rules.notYet,
  warmStart: rules.notYet,
};

interface Fitted {
  coef: Float64Array;
  intercept: number;
  nIter: number;
  converged: boolean;
}

export class LogisticRegression {
  readonly penalty: 'l2' | 'none';
  readonly C: number;
  readonly fitIntercept: boolean;
  readonly maxIter: number;
  readonly tol: number;
  readonly solver = 'newton' as const;
  /** The labels, in the order of predictProba's columns. */
  readonly classes: readonly [0, 1] = [0, 1];
  private fitted: Fitted | null = null;

  constructor(opts: LogisticRegressionOptions = {}) {
    checkOptions('LogisticRegression', opts, LOGISTIC_OPTIONS);
    this.penalty = opts.penalty ?? 'l2';
    this.C = opts.C ?? 1;
    this.fitIntercept = opts.fitIntercept ?? true;
    this.maxIter = opts.maxIter ?? 100;
    this.tol = opts.tol ?? 1e-4;
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('LogisticRegression', method, true);
    return this.fitted;
  }

  get coef(): Float64Array {
    return this.state('coef').coef;
  }
  get intercept(): number {
    return this.state('intercept').intercept;
  }
  /** Newton iterations run (each one pass over X). */
  get nIter(): number {
    return this.state('nIter').nIter;
  }
  get converged(): boolean {
    return this.state('converged').converged;
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').coef.length;
  }

  /** y holds 0/1 labels (or booleans). */
  async fit(X: Data, y: Data, opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'LogisticRegression.fit');
    const x = asMatrix(X, 'LogisticRegression.fit');
    const t = asTarget(y, x, 'LogisticRegression.fit');
    const d = x.shape[1];
    const r = await newton({ x, y: t, fitIntercept: this.fitIntercept, alpha: this.penalty === 'l2' ? 1 / this.C : 0, maxIter: this.maxIter, tol: this.tol }, opts);
    this.fitted = { coef: r.beta.slice(0, d), intercept: this.fitIntercept ? r.beta[d] : 0, nIter: r.nIter, converged: r.converged };
    return this;
  }

  /** X · coef + intercept (the log-odds of class 1), lazily. */
  decisionFunction(X: Data): ChunkedArray<NDArray> {
    const f = this.state('decisionFunction');
    const x = asMatrix(X, 'LogisticRegression.decisionFunction');
    checkFeatures(x, f.coef.length, 'LogisticRegression.decisionFunction');
    return linearPredictor(x, f.coef, f.intercept);
  }

  /** Class probabilities, shape (samples, 2): columns P(y = 0), P(y = 1), as scikit-learn's. */
  predictProba(X: Data): ChunkedArray<NDArray> {
    this.state('predictProba');
    const z = this.decisionFunction(X);
    const p1 = reciprocal(add(exp(negative(z)), 1));
    return stack([subtract(1, p1), p1], 1) as ChunkedArray<NDArray>;
  }

  /** Labels 0/1 (int32), lazily: 1 where the log-odds are positive. */
  predict(X: Data): ChunkedArray<NDArray> {
    this.state('predict');
    return astype(greater(this.decisionFunction(X), 0), 'int32') as ChunkedArray<NDArray>;
  }

  /** Accuracy of predict(X) against y. */
  score(X: Data, y: Data, opts: ComputeOptions = {}): Promise<number> {
    checkComputeOptions(opts, 'LogisticRegression.score');
    const x = asMatrix(X, 'LogisticRegression.score');
    const t = asTarget(y, x, 'LogisticRegression.score');
    return accuracyScore(t, this.predict(x), opts);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'classifier' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { penalty: this.penalty, C: this.C, fitIntercept: this.fitIntercept, maxIter: this.maxIter, tol: this.tol, solver: this.solver };
  }
}
