/**
 * SGDClassifier and SGDRegressor (scikit-learn's plain SGD), fitted block by block: an epoch runs
 * one task per row block, in order (or in a seeded order with `shuffle`), each continuing from the
 * state the previous block returned, so the data stay where they are and only the coefficients
 * travel. `partialFit` runs one epoch over the data it is given and keeps the step counter, as
 * scikit-learn's partial_fit.
 */
import type { ChunkedArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, COMPUTE_OPTION_NAMES, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { definedParams, type Params } from '../base/estimator';
import { runBlockReduce } from '../graph/block-reduce';
import { mlOps } from '../ops/index';
import { Stream } from '../random';
import { dloss, type SgdConfig, type SgdLoss, type SgdSchedule, type SgdState } from '../runtime/sgd';
import { asMatrix, asTarget, checkFeatures, NotFittedError, rules, seedOf, type Data } from '../validate';
import { accuracyScore } from '../metrics/classification';
import { r2Score } from '../metrics/regression';
import { findTargets, type Label, type LabelData } from './labels';
import { linearPredictor, linearScores } from './linear';
import { withWeights } from './objective';
import { argmax, astype, greater, equal, where, type NDArray } from '@pdask/array';

export interface SgdOptions {
  /** 'l2' (default), 'l1', 'elasticnet' or 'none'. */
  penalty?: 'l2' | 'l1' | 'elasticnet' | 'none';
  /** Penalty strength (default 1e-4). */
  alpha?: number;
  /** Elastic-net mixing (default 0.15). */
  l1Ratio?: number;
  fitIntercept?: boolean;
  /** Epochs at most (default 1000). */
  maxIter?: number;
  /** Stop when an epoch's summed loss has not fallen below best − tol · n for nIterNoChange epochs (default 1e-3; null: run maxIter epochs). */
  tol?: number | null;
  nIterNoChange?: number;
  /** Visit the blocks, and the rows within each block, in a seeded random order every epoch (default true). */
  shuffle?: boolean;
  seed?: number;
  /** 'optimal' (classifier default), 'invscaling' (regressor default) or 'constant'. */
  learningRate?: SgdSchedule;
  eta0?: number;
  powerT?: number;
  /** scikit-learn's options not implemented: refused. */
  earlyStopping?: never;
  average?: never;
  warmStart?: never;
  validationFraction?: never;
}

export interface SgdClassifierOptions extends SgdOptions {
  /** 'hinge' (default), 'logLoss', 'modifiedHuber', 'squaredHinge' or 'perceptron'. */
  loss?: 'hinge' | 'logLoss' | 'modifiedHuber' | 'squaredHinge' | 'perceptron';
  classWeight?: 'balanced' | Readonly<Record<string, number>>;
}
export interface SgdRegressorOptions extends SgdOptions {
  /** 'squaredError' (default). */
  loss?: 'squaredError';
}

export interface SgdFitOptions extends ComputeOptions {
  sampleWeight?: Data;
}
export interface SgdPartialFitOptions extends SgdFitOptions {
  /** Every label the model will see (required on the first call of a classifier, as scikit-learn's). */
  classes?: readonly Label[];
}

const COMMON: OptionSchema<SgdOptions> = {
  penalty: { oneOf: ['l2', 'l1', 'elasticnet', 'none'] },
  alpha: rules.nonNegative,
  l1Ratio: (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a number in [0, 1]'),
  fitIntercept: 'boolean',
  maxIter: rules.positiveInt,
  tol: (v) => (v === null || (typeof v === 'number' && v >= 0) ? undefined : 'a number >= 0 or null'),
  nIterNoChange: rules.positiveInt,
  shuffle: 'boolean',
  seed: rules.seed,
  learningRate: { oneOf: ['optimal', 'invscaling', 'constant'] },
  eta0: rules.nonNegative,
  powerT: 'number',
  earlyStopping: rules.notYet,
  average: rules.notYet,
  warmStart: rules.notYet,
  validationFraction: rules.notYet,
};
const CLF: OptionSchema<SgdClassifierOptions> = {
  ...COMMON,
  loss: { oneOf: ['hinge', 'logLoss', 'modifiedHuber', 'squaredHinge', 'perceptron'] },
  classWeight: (v) => (v === 'balanced' || (typeof v === 'object' && v !== null && !Array.isArray(v)) ? undefined : "'balanced' or an object of weights by label"),
};
const REG: OptionSchema<SgdRegressorOptions> = { ...COMMON, loss: { oneOf: ['squaredError'] } };
const FIT: OptionSchema<SgdFitOptions> = { ...COMPUTE_OPTION_NAMES, sampleWeight: 'object' };
const PARTIAL: OptionSchema<SgdPartialFitOptions> = { ...FIT, classes: 'array' };

interface Model {
  state: SgdState;
  d: number;
  nIter: number;
  classes: Label[];
  values: number[];
}

abstract class BaseSgd {
  protected model: Model | null = null;
  protected abstract readonly name: string;
  protected abstract readonly loss: SgdLoss;
  readonly penalty: 'l2' | 'l1' | 'elasticnet' | 'none';
  readonly alpha: number;
  readonly l1Ratio: number;
  readonly fitIntercept: boolean;
  readonly maxIter: number;
  readonly tol: number | null;
  readonly nIterNoChange: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly learningRate: SgdSchedule;
  readonly eta0: number;
  readonly powerT: number;

  constructor(o: SgdOptions, defaults: { learningRate: SgdSchedule; eta0: number; powerT: number }) {
    this.penalty = o.penalty ?? 'l2';
    this.alpha = o.alpha ?? 1e-4;
    this.l1Ratio = o.l1Ratio ?? 0.15;
    this.fitIntercept = o.fitIntercept ?? true;
    this.maxIter = o.maxIter ?? 1000;
    this.tol = o.tol === undefined ? 1e-3 : o.tol;
    this.nIterNoChange = o.nIterNoChange ?? 5;
    this.shuffle = o.shuffle ?? true;
    this.seed = seedOf(o.seed);
    this.learningRate = o.learningRate ?? defaults.learningRate;
    this.eta0 = o.eta0 ?? defaults.eta0;
    this.powerT = o.powerT ?? defaults.powerT;
    if (this.learningRate !== 'optimal' && !(this.eta0 > 0)) throw new TypeError(`${new.target.name}: learningRate '${this.learningRate}' needs eta0 > 0`);
  }

  protected state(method: string): Model {
    if (!this.model) throw new NotFittedError(this.name, method, true);
    return this.model;
  }

  get coef(): Float64Array {
    const m = this.state('coef');
    const out = new Float64Array(m.state.w.length * m.d);
    m.state.w.forEach((w, k) => out.set(w, k * m.d));
    return out;
  }
  get intercepts(): Float64Array {
    return this.state('intercepts').state.b.slice();
  }
  /** Epochs run by the last fit (partialFit: 1). */
  get nIter(): number {
    return this.state('nIter').nIter;
  }
  /** scikit-learn's t_: 1 + samples seen (times epochs). */
  get t(): number {
    return this.state('t').state.t;
  }

  protected config(classes: number[], classWeight: number[], weighted: boolean): SgdConfig {
    const penalty = { none: 0, l2: 1, l1: 2, elasticnet: 3 }[this.penalty];
    const l1Ratio = this.penalty === 'l1' ? 1 : this.penalty === 'l2' ? 0 : this.l1Ratio;
    // scikit-learn's heuristic start of the 'optimal' schedule (from Bottou's sgd).
    const typw = Math.sqrt(1 / Math.sqrt(this.alpha));
    const eta = typw / Math.max(1, dloss(this.loss, -typw, 1));
    return { loss: this.loss, schedule: this.learningRate, alpha: this.alpha, l1Ratio, penalty, eta0: this.eta0, powerT: this.powerT, optimalInit: 1 / (eta * this.alpha), fitIntercept: this.fitIntercept, classes, classWeight, weighted };
  }

  /** One epoch: one task per non-empty block, each from the previous state. */
  protected async epoch(x: ChunkedArray<unknown>, y: ChunkedArray<unknown>, cfg: SgdConfig, state: SgdState, epoch: number, opts: ComputeOptions): Promise<SgdState> {
    const sizes = x.chunks[0] as number[];
    const starts: number[] = [];
    sizes.reduce((s, c) => (starts.push(s), s + c), 0);
    let blocks = sizes.map((_, i) => i).filter((i) => sizes[i] > 0);
    const rng = this.shuffle ? new Stream(this.seed, epoch) : null;
    if (rng) blocks = permute(blocks, rng);
    let s: SgdState = { ...state, sumLoss: new Float64Array(state.w.length) };
    for (const i of blocks) {
      const rows = `${starts[i]}:${starts[i] + sizes[i]}`;
      const order = rng ? Int32Array.from(permute(Array.from({ length: sizes[i] }, (_, r) => r), rng)) : new Int32Array(0);
      const prev = s;
      s = await runBlockReduce<SgdState>({ label: 'sgd', x: x.slice(rows, ':'), y: y.slice(rows), partial: mlOps.sgdBlock, partialArgs: () => [cfg, prev, order], combine: mlOps.keepState }, opts);
    }
    return s;
  }

  /** Epochs until the summed loss stops falling by tol · n for nIterNoChange epochs (scikit-learn's rule), or maxIter. */
  protected async epochs(x: ChunkedArray<unknown>, y: ChunkedArray<unknown>, cfg: SgdConfig, state: SgdState, opts: ComputeOptions, maxIter: number): Promise<{ state: SgdState; nIter: number }> {
    const n = x.shape[0];
    const P = state.w.length;
    // One-vs-rest problems stop on their own in scikit-learn; they run together here, so each
    // keeps its own counter and the loop ends when every problem has stopped (a stopped problem's
    // state is kept as it was when it stopped).
    const best = new Float64Array(P).fill(Infinity);
    const stale = new Int32Array(P);
    const done: (SgdState | null)[] = new Array(P).fill(null);
    const epochsRun = new Int32Array(P);
    let s = state;
    let it = 0;
    for (; it < maxIter; it++) {
      s = await this.epoch(x, y, cfg, s, it, opts);
      for (let k = 0; k < P; k++) {
        if (done[k]) continue;
        epochsRun[k] = it + 1;
        const loss = s.sumLoss[k];
        if (this.tol !== null && loss > best[k] - this.tol * n) stale[k]++;
        else stale[k] = 0;
        if (loss < best[k]) best[k] = loss;
        if (this.tol !== null && stale[k] >= this.nIterNoChange) done[k] = s;
      }
      if (done.every((v) => v)) break;
    }
    if (P === 1 || done.every((v) => !v)) return { state: s, nIter: Math.min(it + 1, maxIter) };
    const merged: SgdState = { ...s, w: s.w.map((w, k) => (done[k] ? done[k]!.w[k] : w)), b: s.b.map((b, k) => (done[k] ? done[k]!.b[k] : b)) };
    return { state: merged, nIter: Math.max(...epochsRun) };
  }

  protected inputs(X: Data, opts: SgdFitOptions | SgdPartialFitOptions, who: string, schema: OptionSchema<SgdPartialFitOptions>) {
    const { sampleWeight, classes, ...copts } = checkOptions(who, opts as SgdPartialFitOptions, schema);
    checkComputeOptions(copts, who);
    const x = asMatrix(X, who);
    const w = sampleWeight === undefined ? null : asTarget(sampleWeight, x, who, 'sampleWeight');
    return { x, xw: w ? withWeights(x, w) : x, weighted: w !== null, copts, classes };
  }

  /** The constructor options (scikit-learn's get_params): `new Ctor(getParams())` is an unfitted copy. */
  getParams(): Params {
    return { loss: this.loss, penalty: this.penalty, alpha: this.alpha, l1Ratio: this.l1Ratio, fitIntercept: this.fitIntercept, maxIter: this.maxIter, tol: this.tol, nIterNoChange: this.nIterNoChange, shuffle: this.shuffle, seed: this.seed, learningRate: this.learningRate, eta0: this.eta0, powerT: this.powerT };
  }
}

function permute<T>(a: T[], rng: Stream): T[] {
  const out = a.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function fresh(P: number, d: number, positive: number[]): SgdState {
  return {
    w: Array.from({ length: P }, () => new Float64Array(d)),
    b: new Float64Array(P),
    q: Array.from({ length: P }, () => new Float64Array(d)),
    u: new Float64Array(P),
    t: 1,
    sumLoss: new Float64Array(P),
    positive,
  };
}

export class SGDRegressor extends BaseSgd {
  protected readonly name = 'SGDRegressor';
  protected readonly loss = 'squaredError' as const;

  constructor(opts: SgdRegressorOptions = {}) {
    checkOptions('SGDRegressor', opts, REG);
    super(opts, { learningRate: 'invscaling', eta0: 0.01, powerT: 0.25 });
  }

  get intercept(): number {
    return this.state('intercept').state.b[0];
  }

  async fit(X: Data, y: Data, opts: SgdFitOptions = {}): Promise<this> {
    const inp = this.inputs(X, opts, 'SGDRegressor.fit', FIT as OptionSchema<SgdPartialFitOptions>);
    const t = asTarget(y, inp.x, 'SGDRegressor.fit');
    const cfg = this.config([], [], inp.weighted);
    const r = await this.epochs(inp.xw, t, cfg, fresh(1, inp.x.shape[1], [0]), inp.copts, this.maxIter);
    this.model = { state: r.state, d: inp.x.shape[1], nIter: r.nIter, classes: [], values: [] };
    return this;
  }

  /** One epoch over X, continuing from the current model (a fresh one on the first call). */
  async partialFit(X: Data, y: Data, opts: SgdFitOptions = {}): Promise<this> {
    const inp = this.inputs(X, opts, 'SGDRegressor.partialFit', FIT as OptionSchema<SgdPartialFitOptions>);
    const t = asTarget(y, inp.x, 'SGDRegressor.partialFit');
    if (this.model) checkFeatures(inp.x, this.model.d, 'SGDRegressor.partialFit');
    const start = this.model?.state ?? fresh(1, inp.x.shape[1], [0]);
    const epochNo = this.model ? this.model.state.t : 0;
    const s = await this.epoch(inp.xw, t, this.config([], [], inp.weighted), start, epochNo, inp.copts);
    this.model = { state: s, d: inp.x.shape[1], nIter: 1, classes: [], values: [] };
    return this;
  }

  predict(X: Data): ChunkedArray<NDArray> {
    const m = this.state('predict');
    const x = asMatrix(X, 'SGDRegressor.predict');
    checkFeatures(x, m.d, 'SGDRegressor.predict');
    return linearPredictor(x, m.state.w[0], m.state.b[0]);
  }

  score(X: Data, y: Data, opts: ComputeOptions = {}): Promise<number> {
    checkComputeOptions(opts, 'SGDRegressor.score');
    const x = asMatrix(X, 'SGDRegressor.score');
    return r2Score(asTarget(y, x, 'SGDRegressor.score'), this.predict(x), opts);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'regressor' as const;
}

export class SGDClassifier extends BaseSgd {
  protected readonly name = 'SGDClassifier';
  protected readonly loss: SgdLoss;
  readonly classWeight: 'balanced' | Readonly<Record<string, number>> | null;

  constructor(opts: SgdClassifierOptions = {}) {
    checkOptions('SGDClassifier', opts, CLF);
    super(opts, { learningRate: 'optimal', eta0: 0, powerT: 0.5 });
    this.loss = opts.loss ?? 'hinge';
    this.classWeight = opts.classWeight ?? null;
  }

  get classes(): readonly Label[] {
    return this.state('classes').classes;
  }

  async fit(X: Data, y: LabelData, opts: SgdFitOptions = {}): Promise<this> {
    const who = 'SGDClassifier.fit';
    const inp = this.inputs(X, opts, who, FIT as OptionSchema<SgdPartialFitOptions>);
    const t = await findTargets(y, inp.x, who, inp.copts);
    const K = t.classes.length;
    const positive = K === 2 ? [1] : t.classes.map((_, k) => k);
    const cfg = this.config(t.values, classWeights(this.classWeight, t.classes, t.counts, inp.x.shape[0], who), inp.weighted);
    const r = await this.epochs(inp.xw, t.y, cfg, fresh(positive.length, inp.x.shape[1], positive), inp.copts, this.maxIter);
    this.model = { state: r.state, d: inp.x.shape[1], nIter: r.nIter, classes: t.classes, values: t.values };
    return this;
  }

  /** One epoch over X, continuing from the current model; `classes` (every label) is required on the first call. */
  async partialFit(X: Data, y: Data, opts: SgdPartialFitOptions = {}): Promise<this> {
    const who = 'SGDClassifier.partialFit';
    const inp = this.inputs(X, opts, who, PARTIAL);
    const t = asTarget(y, inp.x, who);
    if (!this.model) {
      if (!inp.classes) throw new TypeError(`${who}: pass every label as the option 'classes' on the first call (as scikit-learn's partial_fit)`);
      const classes = [...inp.classes].sort((a, b) => Number(a) - Number(b));
      if (classes.some((c) => typeof c !== 'number' && typeof c !== 'boolean')) throw new TypeError(`${who}: partialFit takes numeric or boolean labels`);
      const values = classes.map(Number);
      const positive = classes.length === 2 ? [1] : classes.map((_, k) => k);
      this.model = { state: fresh(positive.length, inp.x.shape[1], positive), d: inp.x.shape[1], nIter: 0, classes, values };
    }
    const m = this.model;
    checkFeatures(inp.x, m.d, who);
    const cfg = this.config(m.values, classWeights(this.classWeight, m.classes, null, inp.x.shape[0], who), inp.weighted);
    const s = await this.epoch(inp.xw, t, cfg, m.state, m.state.t, inp.copts);
    this.model = { ...m, state: s, nIter: 1 };
    return this;
  }

  decisionFunction(X: Data): ChunkedArray<NDArray> {
    const m = this.state('decisionFunction');
    const x = asMatrix(X, 'SGDClassifier.decisionFunction');
    checkFeatures(x, m.d, 'SGDClassifier.decisionFunction');
    const z = linearScores(x, this.coef, m.state.b);
    return m.state.w.length === 1 ? (z.reshape([x.shape[0]]) as ChunkedArray<NDArray>) : z;
  }

  predictCodes(X: Data): ChunkedArray<NDArray> {
    const m = this.state('predictCodes');
    const z = this.decisionFunction(X);
    return (m.state.w.length === 1 ? astype(greater(z, 0), 'int32') : astype(argmax(z, { axis: 1 }), 'int32')) as ChunkedArray<NDArray>;
  }

  /** Predicted labels, lazily (numeric or boolean classes). */
  predict(X: Data): ChunkedArray<NDArray> {
    const m = this.state('predict');
    if (m.classes.some((c) => typeof c === 'string')) throw new TypeError("SGDClassifier.predict: the classes are strings, which chunked arrays cannot hold; use 'predictCodes'");
    const codes = this.predictCodes(X);
    if (typeof m.classes[0] === 'boolean') return astype(codes, 'bool') as ChunkedArray<NDArray>;
    if (m.classes.every((c, i) => c === i)) return codes;
    let out: ChunkedArray<NDArray> = where(equal(codes, 0), m.classes[0] as number, m.classes[1] as number);
    for (let k = 2; k < m.classes.length; k++) out = where(equal(codes, k), m.classes[k] as number, out);
    return out;
  }

  score(X: Data, y: Data, opts: ComputeOptions = {}): Promise<number> {
    checkComputeOptions(opts, 'SGDClassifier.score');
    const x = asMatrix(X, 'SGDClassifier.score');
    return accuracyScore(asTarget(y, x, 'SGDClassifier.score'), this.predict(x), opts);
  }

  /** Tag read by Pipeline and the searches (base/estimator.ts). */
  readonly estimatorType = 'classifier' as const;
  /** The shared options, loss, and classWeight when given (the option takes no null). */
  override getParams(): Params {
    return definedParams({ ...super.getParams(), classWeight: this.classWeight ?? undefined });
  }
}

function classWeights(cw: SGDClassifier['classWeight'], classes: Label[], counts: number[] | null, n: number, who: string): number[] {
  if (cw === null) return [];
  if (cw === 'balanced') {
    if (!counts) throw new TypeError(`${who}: classWeight 'balanced' needs the class counts of a whole fit; scikit-learn refuses it in partial_fit too`);
    return counts.map((c) => n / (classes.length * c));
  }
  return classes.map((c) => cw[String(c)] ?? 1);
}
