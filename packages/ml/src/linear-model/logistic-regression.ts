/**
 * Logistic regression, binary and multiclass (multinomial or one-vs-rest), with L2, L1,
 * elastic-net or no penalty, fitted over the row blocks by L-BFGS, Newton, proximal gradient or
 * ADMM. Labels may be numbers, booleans or strings; `classes` are sorted as NumPy's unique.
 */
import { add, argmax, astype, divide, exp, greater, max, negative, reciprocal, stack, subtract, sum, where, equal, type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, COMPUTE_OPTION_NAMES, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { matrix } from '../eager';
import { accuracyScore } from '../metrics/classification';
import type { GlmSpec } from '../runtime/glm';
import { asMatrix, asTarget, checkFeatures, NotFittedError, rules, type Data } from '../validate';
import { solveGlm, type GlmSolver } from './glm-solve';
import { withWeights } from './objective';
import { findTargets, type Label, type LabelData } from './labels';
import { linearScores } from './linear';
import { newton } from './newton';
import { definedParams, type Params } from '../base/estimator';
import { predictLabels as labelsOf } from './predict-labels';

export type LogisticPenalty = 'l2' | 'l1' | 'elasticnet' | 'none';

export interface LogisticRegressionOptions {
  /** 'l2' (default), 'l1', 'elasticnet' (with `l1Ratio`) or 'none'. L1 and elastic-net need solver 'proximalGrad' or 'admm'. */
  penalty?: LogisticPenalty;
  /** Inverse of the penalty strength, as in scikit-learn (default 1): Σ wᵢ log-lossᵢ + penalty(coef) / C. */
  C?: number;
  /** Elastic-net mixing in [0, 1]: penalty (1 − l1Ratio) ‖w‖² / 2 + l1Ratio ‖w‖₁. Only with penalty 'elasticnet' (required there). */
  l1Ratio?: number;
  fitIntercept?: boolean;
  /** Iterations at most (default 100); for each class of one-vs-rest. */
  maxIter?: number;
  /** Stop when the largest gradient component is at most this (default 1e-4, as scikit-learn's). */
  tol?: number;
  /** 'lbfgs' (default, as scikit-learn), 'newton', 'proximalGrad' or 'admm' (Dask-GLM's). */
  solver?: GlmSolver;
  /** 'auto' (default: multinomial for more than 2 classes, as scikit-learn 1.2), 'multinomial' or 'ovr'. */
  multiClass?: 'auto' | 'multinomial' | 'ovr';
  /** 'balanced' (n / (classes · count)) or a weight per label (keys are the labels as strings); scikit-learn's rules for one-vs-rest. */
  classWeight?: 'balanced' | Readonly<Record<string, number>>;
  /** ADMM's augmented-Lagrangian parameter ρ (default 1, as dask-glm). */
  rho?: number;
  /** scikit-learn's warm start: not implemented; refused. */
  warmStart?: never;
}

export interface LogisticFitOptions extends ComputeOptions {
  /** A weight per sample (1-d, X's length): the loss of sample i counts wᵢ times. */
  sampleWeight?: Data;
}

const SOLVERS: readonly GlmSolver[] = ['lbfgs', 'newton', 'proximalGrad', 'admm'];

const LOGISTIC_OPTIONS: OptionSchema<LogisticRegressionOptions> = {
  penalty: { oneOf: ['l2', 'l1', 'elasticnet', 'none'] },
  C: rules.positive,
  l1Ratio: (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a number in [0, 1]'),
  fitIntercept: 'boolean',
  maxIter: rules.positiveInt,
  tol: rules.nonNegative,
  solver: { oneOf: SOLVERS },
  multiClass: { oneOf: ['auto', 'multinomial', 'ovr'] },
  classWeight: (v) =>
    v === 'balanced' || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((w) => typeof w === 'number' && w >= 0 && Number.isFinite(w)))
      ? undefined
      : "'balanced' or an object of finite weights >= 0 by label",
  rho: rules.positive,
  warmStart: rules.notYet,
};

const FIT_OPTIONS: OptionSchema<LogisticFitOptions> = { ...COMPUTE_OPTION_NAMES, sampleWeight: 'object' };

interface Fitted {
  /** Row-major, rows x features (rows: 1 for two classes, else one per class). */
  coef: Float64Array;
  intercepts: Float64Array;
  classes: Label[];
  /** Sorted numeric values of the classes as y holds them (codes for plain string/boolean arrays). */
  values: number[];
  /** Two classes fitted multinomially: probabilities are a softmax over (−z, z), as scikit-learn's. */
  binaryMultinomial: boolean;
  multinomial: boolean;
  nIter: number[];
  converged: boolean;
  d: number;
}

export class LogisticRegression {
  readonly penalty: LogisticPenalty;
  readonly C: number;
  readonly l1Ratio: number | null;
  readonly fitIntercept: boolean;
  readonly maxIter: number;
  readonly tol: number;
  readonly solver: GlmSolver;
  readonly multiClass: 'auto' | 'multinomial' | 'ovr';
  readonly classWeight: 'balanced' | Readonly<Record<string, number>> | null;
  readonly rho: number;
  private fitted: Fitted | null = null;

  constructor(opts: LogisticRegressionOptions = {}) {
    checkOptions('LogisticRegression', opts, LOGISTIC_OPTIONS);
    this.penalty = opts.penalty ?? 'l2';
    this.C = opts.C ?? 1;
    this.fitIntercept = opts.fitIntercept ?? true;
    this.maxIter = opts.maxIter ?? 100;
    this.tol = opts.tol ?? 1e-4;
    this.solver = opts.solver ?? 'lbfgs';
    this.multiClass = opts.multiClass ?? 'auto';
    this.classWeight = opts.classWeight ?? null;
    this.rho = opts.rho ?? 1;
    if (this.penalty === 'elasticnet' && opts.l1Ratio === undefined) throw new TypeError("LogisticRegression: penalty 'elasticnet' needs the option 'l1Ratio'");
    if (this.penalty !== 'elasticnet' && opts.l1Ratio !== undefined) throw new TypeError(`LogisticRegression: option 'l1Ratio' is used only with penalty 'elasticnet' (penalty is '${this.penalty}')`);
    if ((this.penalty === 'l1' || this.penalty === 'elasticnet') && (this.solver === 'lbfgs' || this.solver === 'newton')) {
      throw new TypeError(`LogisticRegression: solver '${this.solver}' supports only penalties 'l2' and 'none', got '${this.penalty}'; use solver 'proximalGrad' or 'admm'`);
    }
    this.l1Ratio = opts.l1Ratio ?? null;
  }

  private state(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError('LogisticRegression', method, true);
    return this.fitted;
  }

  /** Coefficients, row-major (classes or 1) x features: scikit-learn's coef_ flattened. */
  get coef(): Float64Array {
    return this.state('coef').coef;
  }
  /** scikit-learn's coef_: an NDArray of shape (1, features) for two classes, (classes, features) otherwise. */
  get coefMatrix(): NDArray {
    const f = this.state('coefMatrix');
    return matrix(f.coef, f.intercepts.length, f.d);
  }
  /** The intercept of a two-class model (see `intercepts` for more classes). */
  get intercept(): number {
    const f = this.state('intercept');
    if (f.intercepts.length !== 1) throw new TypeError(`LogisticRegression.intercept: the model has ${f.classes.length} classes; read 'intercepts' (one per class)`);
    return f.intercepts[0];
  }
  /** scikit-learn's intercept_: one value for two classes, one per class otherwise. */
  get intercepts(): Float64Array {
    return this.state('intercepts').intercepts;
  }
  /** The labels, sorted; predictProba's columns are in this order. */
  get classes(): readonly Label[] {
    return this.state('classes').classes;
  }
  /** Iterations run: the largest over the classes of one-vs-rest (see `nIterPerClass`). */
  get nIter(): number {
    return Math.max(...this.state('nIter').nIter);
  }
  /** scikit-learn's n_iter_: one entry (multinomial and binary) or one per class (one-vs-rest). */
  get nIterPerClass(): readonly number[] {
    return this.state('nIterPerClass').nIter;
  }
  get converged(): boolean {
    return this.state('converged').converged;
  }
  get nFeaturesIn(): number {
    return this.state('nFeaturesIn').d;
  }

  /** y holds the labels: numbers or booleans (any data), or a plain array of strings or booleans. */
  async fit(X: Data, y: LabelData, opts: LogisticFitOptions = {}): Promise<this> {
    const who = 'LogisticRegression.fit';
    const { sampleWeight, ...copts } = checkOptions(who, opts, FIT_OPTIONS);
    checkComputeOptions(copts, who);
    const x = asMatrix(X, who);
    const d = x.shape[1];
    const t = await findTargets(y, x, who, copts);
    const K = t.classes.length;
    const n = x.shape[0];
    const multinomial = this.multiClass === 'multinomial' || (this.multiClass === 'auto' && K > 2);
    const sw = sampleWeight === undefined ? null : asTarget(sampleWeight, x, who, 'sampleWeight');
    const xData = sw ? withWeights(x, sw) : x;
    const yData = t.y;
    const cw = classWeightsByCode(this.classWeight, t.classes, t.counts, n, multinomial, who);
    const l2Share = this.penalty === 'none' ? 0 : this.penalty === 'l2' ? 1 : this.penalty === 'l1' ? 0 : 1 - (this.l1Ratio ?? 0);
    const l2 = l2Share / this.C;
    const l1 = this.penalty === 'none' ? 0 : (1 - l2Share) / this.C;
    const p = d + (this.fitIntercept ? 1 : 0);
    const base = { fitIntercept: this.fitIntercept, classes: t.values, sideWeight: [] as number[], weighted: sw !== null };
    const solve = (spec: Omit<GlmSpec, 'hess'>, flat?: number[][]) =>
      solveGlm({ data: { x: xData, y: yData }, spec, l2, l1, solver: this.solver, maxIter: this.maxIter, tol: this.tol, flat, rho: this.rho }, copts);

    let coef: Float64Array;
    let intercepts: Float64Array;
    const nIter: number[] = [];
    let converged = true;
    if (multinomial) {
      // The softmax is unchanged by adding one value to every class's intercept (and, unpenalised,
      // coefficient): keep those sums at 0, as scikit-learn's solvers do by starting from 0.
      const flat: number[][] = [];
      for (let j = 0; j < p; j++) if (j === d || l2 === 0) flat.push(Array.from({ length: K }, (_, k) => k * p + j));
      const r = await solve({ ...base, family: 'multinomial', positive: 0, classWeight: cw.byCode }, flat);
      nIter.push(r.nIter);
      converged = r.converged;
      const rows = K === 2 ? [1] : Array.from({ length: K }, (_, k) => k);
      coef = new Float64Array(rows.length * d);
      intercepts = new Float64Array(rows.length);
      rows.forEach((k, i) => {
        coef.set(r.beta.subarray(k * p, k * p + d), i * d);
        intercepts[i] = this.fitIntercept ? r.beta[k * p + d] : 0;
      });
    } else {
      const positives = K === 2 ? [1] : Array.from({ length: K }, (_, k) => k);
      coef = new Float64Array(positives.length * d);
      intercepts = new Float64Array(positives.length);
      for (const [i, pos] of positives.entries()) {
        const side = this.classWeight === 'balanced' ? [n / (2 * (n - t.counts[pos])), n / (2 * t.counts[pos])] : [];
        const r = await binary(this, x, yData, { ...base, family: 'binomial', positive: pos, classWeight: cw.byCode, sideWeight: side }, solve, t.values, sw !== null || cw.byCode.length > 0 || side.length > 0, l2, copts);
        nIter.push(r.nIter);
        converged &&= r.converged;
        coef.set(r.beta.subarray(0, d), i * d);
        intercepts[i] = this.fitIntercept ? r.beta[d] : 0;
      }
    }
    this.fitted = { coef, intercepts, classes: t.classes, values: t.values, binaryMultinomial: multinomial && K === 2, multinomial, nIter, converged, d };
    return this;
  }

  /** X · coefᵀ + intercepts, lazily: shape (n,) for two classes (the log-odds of classes[1]), (n, classes) otherwise. */
  decisionFunction(X: Data): ChunkedArray<NDArray> {
    const f = this.state('decisionFunction');
    const x = asMatrix(X, 'LogisticRegression.decisionFunction');
    checkFeatures(x, f.d, 'LogisticRegression.decisionFunction');
    const z = linearScores(x, f.coef, f.intercepts);
    return f.intercepts.length === 1 ? (z.reshape([x.shape[0]]) as ChunkedArray<NDArray>) : z;
  }

  /** Class probabilities, shape (samples, classes), columns in the order of `classes`. */
  predictProba(X: Data): ChunkedArray<NDArray> {
    const f = this.state('predictProba');
    const z = this.decisionFunction(X);
    if (f.intercepts.length === 1) {
      const p1 = reciprocal(add(exp(negative(f.binaryMultinomial ? add(z, z) : z)), 1));
      return stack([subtract(1, p1), p1], 1) as ChunkedArray<NDArray>;
    }
    if (f.multinomial) {
      const e = exp(subtract(z, max(z, { axis: 1, keepdims: true })));
      return divide(e, sum(e, { axis: 1, keepdims: true }));
    }
    // One-vs-rest: each class's sigmoid, normalised over the classes (scikit-learn's rule).
    const s = reciprocal(add(exp(negative(z)), 1));
    return divide(s, sum(s, { axis: 1, keepdims: true }));
  }

  /** The index in `classes` of each sample's predicted class (int32), lazily. */
  predictCodes(X: Data): ChunkedArray<NDArray> {
    const f = this.state('predictCodes');
    const z = this.decisionFunction(X);
    return (f.intercepts.length === 1 ? astype(greater(z, 0), 'int32') : astype(argmax(z, { axis: 1 }), 'int32')) as ChunkedArray<NDArray>;
  }

  /**
   * The predicted labels, lazily, for numeric or boolean classes (strings cannot live in a chunked
   * array: use `predictLabels`).
   */
  predict(X: Data): ChunkedArray<NDArray> {
    const f = this.state('predict');
    if (f.classes.some((c) => typeof c === 'string')) throw new TypeError("LogisticRegression.predict: the classes are strings, which chunked arrays cannot hold; use 'await model.predictLabels(X)' (or 'predictCodes')");
    const codes = this.predictCodes(X);
    if (typeof f.classes[0] === 'boolean') return astype(codes, 'bool') as ChunkedArray<NDArray>;
    if (f.classes.every((c, i) => c === i)) return codes;
    // Class k is where the code is k: a chain of selections (fused elementwise per block).
    let out: ChunkedArray<NDArray> = where(equal(codes, 0), f.classes[0] as number, f.classes[1] as number);
    for (let k = 2; k < f.classes.length; k++) out = where(equal(codes, k), f.classes[k] as number, out);
    return out;
  }

  /** The predicted labels as a plain array (computes): works for every label type. */
  async predictLabels(X: Data, opts: ComputeOptions = {}): Promise<Label[]> {
    checkComputeOptions(opts, 'LogisticRegression.predictLabels');
    const f = this.state('predictLabels');
    return labelsOf(this.predictCodes(X), f.classes, opts);
  }

  /** Accuracy of the predictions for X against y (labels of any type). */
  async score(X: Data, y: LabelData, opts: ComputeOptions = {}): Promise<number> {
    const who = 'LogisticRegression.score';
    checkComputeOptions(opts, who);
    const f = this.state('score');
    const x = asMatrix(X, who);
    if (Array.isArray(y) && y.length > 0 && (typeof y[0] === 'string' || typeof y[0] === 'boolean')) {
      if (y.length !== x.shape[0]) throw new RangeError(`${who}: X has ${x.shape[0]} samples but y has ${y.length}`);
      const pred = await this.predictLabels(x, opts);
      let hits = 0;
      pred.forEach((l, i) => (hits += l === y[i] ? 1 : 0));
      return hits / pred.length;
    }
    if (f.classes.some((c) => typeof c === 'string')) throw new TypeError(`${who}: the model's classes are strings; pass y as a plain array of strings`);
    const t = asTarget(y as Data, x, who);
    return accuracyScore(t, this.predict(x), opts);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'classifier' as const;
  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return definedParams({ penalty: this.penalty, C: this.C, l1Ratio: this.l1Ratio ?? undefined, fitIntercept: this.fitIntercept, maxIter: this.maxIter, tol: this.tol, solver: this.solver, multiClass: this.multiClass, classWeight: this.classWeight ?? undefined, rho: this.rho });
  }
}

/** Binary Newton on 0/1 labels without weights runs @pdask/kernels' SIMD Newton step; the rest goes through the GLM solvers. */
async function binary(
  self: LogisticRegression,
  x: ChunkedArray<unknown>,
  y: ChunkedArray<unknown>,
  spec: Omit<GlmSpec, 'hess'>,
  solve: (s: Omit<GlmSpec, 'hess'>) => Promise<{ beta: Float64Array; nIter: number; converged: boolean }>,
  values: number[],
  weighted: boolean,
  l2: number,
  opts: ComputeOptions,
): Promise<{ beta: Float64Array; nIter: number; converged: boolean }> {
  if (self.solver === 'newton' && !weighted && values.length === 2 && values[0] === 0 && values[1] === 1) {
    return newton({ x, y, fitIntercept: self.fitIntercept, alpha: l2, maxIter: self.maxIter, tol: self.tol }, opts);
  }
  return solve(spec);
}

function classWeightsByCode(cw: LogisticRegression['classWeight'], classes: Label[], counts: number[], n: number, multinomial: boolean, who: string): { byCode: number[] } {
  if (cw === null) return { byCode: [] };
  if (cw === 'balanced') return { byCode: multinomial ? counts.map((c) => n / (classes.length * c)) : [] };
  const names = new Set(classes.map(String));
  const unknown = Object.keys(cw).filter((k) => !names.has(k));
  if (unknown.length) throw new RangeError(`${who}: classWeight names labels that are not in y: ${unknown.join(', ')} (classes: ${classes.map(String).join(', ')})`);
  return { byCode: classes.map((c) => cw[String(c)] ?? 1) };
}
