/** What the linear regressors (Ridge, Lasso, ElasticNet, PoissonRegression) share: inputs, fitted state, predict and score. */
import { exp, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, COMPUTE_OPTION_NAMES, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { r2Score } from '../metrics/regression';
import { asMatrix, asTarget, checkFeatures, NotFittedError, type Data } from '../validate';
import { linearPredictor } from './linear';
import { withWeights } from './objective';

export interface RegressorFitOptions extends ComputeOptions {
  /** A weight per sample (1-d, X's length). */
  sampleWeight?: Data;
}

const FIT_OPTIONS: OptionSchema<RegressorFitOptions> = { ...COMPUTE_OPTION_NAMES, sampleWeight: 'object' };

export interface RegressorFit {
  coef: Float64Array;
  intercept: number;
  nIter: number;
}

/** The checked inputs of a fit: X (with the weights appended when given), y and the compute options. */
export interface FitInputs {
  /** X as given (2-d, one block of columns). */
  readonly x: ChunkedArray<unknown>;
  /** X with the sample weights as a last column when `weighted`. */
  readonly xw: ChunkedArray<unknown>;
  readonly y: ChunkedArray<unknown>;
  readonly weighted: boolean;
  readonly opts: ComputeOptions;
}

export function fitInputs(X: Data, y: Data, opts: RegressorFitOptions, who: string): FitInputs {
  const { sampleWeight, ...copts } = checkOptions(who, opts, FIT_OPTIONS);
  checkComputeOptions(copts, who);
  const x = asMatrix(X, who);
  const t = asTarget(y, x, who);
  const w = sampleWeight === undefined ? null : asTarget(sampleWeight, x, who, 'sampleWeight');
  return { x, xw: w ? withWeights(x, w) : x, y: t, weighted: w !== null, opts: copts };
}

export abstract class LinearRegressor {
  protected fitted: RegressorFit | null = null;
  protected abstract readonly name: string;
  /** The inverse link applied to X · coef + intercept ('identity', or 'exp' for a log link). */
  protected readonly link: 'identity' | 'log' = 'identity';

  protected state(method: string): RegressorFit {
    if (!this.fitted) throw new NotFittedError(this.name, method, true);
    return this.fitted;
  }

  get coef(): Float64Array {
    return this.state('coef').coef;
  }
  get intercept(): number {
    return this.state('intercept').intercept;
  }
  /** Iterations (coordinate-descent sweeps or solver iterations) run; 0 for a closed form. */
  get nIter(): number {
    return this.state('nIter').nIter;
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').coef.length;
  }

  /** The predictions for X, lazily (one task per row block). */
  predict(X: Data): ChunkedArray<NDArray> {
    const f = this.state('predict');
    const x = asMatrix(X, `${this.name}.predict`);
    checkFeatures(x, f.coef.length, `${this.name}.predict`);
    const z = linearPredictor(x, f.coef, f.intercept);
    return this.link === 'log' ? exp(z) : z;
  }

  /** R² of predict(X) against y (scikit-learn's score for these models except PoissonRegression). */
  score(X: Data, y: Data, opts: ComputeOptions = {}): Promise<number> {
    const who = `${this.name}.score`;
    checkComputeOptions(opts, who);
    const x = asMatrix(X, who);
    const t = asTarget(y, x, who);
    return r2Score(t, this.predict(x), opts);
  }
}
