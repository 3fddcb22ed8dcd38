/**
 * GridSearchCV and RandomizedSearchCV: every candidate scored on every fold through one shared
 * plan (search-engine.ts), then the best candidate refitted on all the data.
 */
import { type ChunkedArray, type NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { clone, definedParams, fitEstimator, withParams, type Estimator, type EstimatorType, type Params } from '../base/estimator';
import { metaParams, splitMetaParams } from '../base/meta-params';
import { splitComputeOptions } from '../base/options';
import { targetsAndOptions } from '../pipeline/pipeline';
import { Pipeline } from '../pipeline/pipeline';
import { Stream } from '../random';
import { asMatrix, asTarget, NotFittedError, rules, seedOf, type Data } from '../validate';
import { KFold, type Fold } from './kfold';
import { runSearch } from './search-engine';
import { scoringRule, type Scoring } from './scoring';
import type { Labels, Splitter } from './splitter';
import { StratifiedKFold } from './stratified-kfold';

export type SearchEstimator = Estimator | Pipeline;

export interface SearchOptions {
  /** Folds: a number of folds (StratifiedKFold for classifiers, KFold otherwise, as scikit-learn; default 5) or a splitter. */
  cv?: number | Splitter;
  /** A scorer name or function (default: the estimator's own score). */
  scoring?: Scoring;
  /** Refit the best candidate on all of X (default true): gives bestEstimator. */
  refit?: boolean;
  /** Score on the training folds too (cvResults meanTrainScore, ...; default false). */
  returnTrainScore?: boolean;
  /** scikit-learn's options not implemented: refused. */
  nJobs?: never;
  preDispatch?: never;
  errorScore?: never;
  verbose?: never;
}

const cvRule = (v: unknown) => ((Number.isInteger(v) && (v as number) >= 2) || (typeof v === 'object' && v !== null && typeof (v as Splitter).split === 'function') ? undefined : 'an integer >= 2 or a splitter (KFold, StratifiedKFold, ShuffleSplit)');
const SEARCH_OPTIONS: OptionSchema<SearchOptions> = {
  cv: cvRule,
  scoring: scoringRule,
  refit: 'boolean',
  returnTrainScore: 'boolean',
  nJobs: { unsupported: 'the scheduler decides the parallelism (compute options of fit)' },
  preDispatch: { unsupported: 'the scheduler decides the parallelism' },
  errorScore: rules.notYet,
  verbose: rules.notYet,
};

/** scikit-learn's cv_results_ in camelCase; `split<k>TestScore` per fold. */
export interface CvResults {
  params: Params[];
  meanTestScore: Float64Array;
  stdTestScore: Float64Array;
  rankTestScore: Int32Array;
  meanTrainScore?: Float64Array;
  stdTrainScore?: Float64Array;
  /** Each searched parameter's value per candidate (scikit-learn's `param_<name>` columns). */
  paramValues: Record<string, unknown[]>;
  [fold: `split${number}TestScore`]: Float64Array;
  [foldTrain: `split${number}TrainScore`]: Float64Array;
}

/** Resolves `cv` to folds of X's rows (computing y's labels when the splitter stratifies). */
export async function foldsFor(cv: number | Splitter | undefined, est: SearchEstimator, x: ChunkedArray<unknown>, y: ChunkedArray<unknown> | undefined, opts: ComputeOptions): Promise<Fold[]> {
  const k = cv ?? 5;
  const splitter: Splitter = typeof k === 'number' ? (est.estimatorType === 'classifier' && y ? new StratifiedKFold({ nSplits: k }) : new KFold({ nSplits: k })) : k;
  let labels: Labels | undefined;
  if (splitter.needsLabels) {
    if (!y) throw new TypeError(`${splitter.constructor.name} needs y`);
    const v = (await y.compute(opts)) as NDArray;
    labels = v.data as Labels;
  }
  return [...splitter.split(x.shape[0], labels)];
}

const std = (v: readonly number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
};

abstract class BaseSearchCV {
  readonly estimator: SearchEstimator;
  readonly cv: number | Splitter | undefined;
  readonly scoring: Scoring | undefined;
  readonly refit: boolean;
  readonly returnTrainScore: boolean;
  private result: { cvResults: CvResults; bestIndex: number; best: SearchEstimator | null; nSplits: number; fits: number } | null = null;

  protected constructor(
    protected readonly who: string,
    estimator: SearchEstimator,
    opts: SearchOptions,
  ) {
    checkOptions(who, opts, SEARCH_OPTIONS);
    if (typeof estimator !== 'object' || estimator === null || typeof estimator.getParams !== 'function') throw new TypeError(`${who}: estimator must be an estimator or a Pipeline`);
    this.estimator = estimator;
    this.cv = opts.cv;
    this.scoring = opts.scoring;
    this.refit = opts.refit ?? true;
    this.returnTrainScore = opts.returnTrainScore ?? false;
  }

  /** The estimator's type (scikit-learn's searches take their estimator's): a search of a classifier is a classifier. */
  get estimatorType(): EstimatorType | undefined {
    return this.estimator.estimatorType;
  }

  /** The candidates' parameters (each checked by building the estimator with them). */
  protected abstract candidates(): Params[];

  /** The search's own constructor parameters (the grid or distributions, then the options). */
  protected abstract ownParams(): Params;
  /** A new, unfitted search of this kind (its constructor checks everything). */
  protected abstract make(estimator: SearchEstimator, own: Params): this;

  protected searchOptions(): Params {
    return definedParams({ cv: this.cv, scoring: this.scoring, refit: this.refit, returnTrainScore: this.returnTrainScore });
  }

  /**
   * scikit-learn's deep get_params: the search's own parameters, `estimator`, and the estimator's
   * parameters as `estimator__<name>` (a pipeline's as `estimator__<step>__<name>`).
   */
  getParams(): Params {
    return metaParams(this.ownParams(), this.estimator);
  }

  /**
   * Sets the search's own parameters, `estimator`, or the estimator's as `estimator__<name>` (the
   * estimator is then replaced by an unfitted copy with them). Checked as the constructor checks
   * them; an unknown name is refused by name. A fitted search keeps its results until it is refitted.
   */
  setParams(params: Params): this {
    const who = `${this.who}.setParams`;
    const own = this.ownParams();
    // The options the searches refuse (nJobs, ...) pass through so that the constructor names them.
    const upd = splitMetaParams(params, [...new Set([...Object.keys(own), ...Object.keys(SEARCH_OPTIONS)])], who);
    let est = (upd.estimator as SearchEstimator | undefined) ?? this.estimator;
    if (Object.keys(upd.inner).length) est = withParams(est, upd.inner);
    const next = this.make(est, { ...own, ...upd.own });
    for (const [k, v] of Object.entries(next)) if (k !== 'result') (this as Record<string, unknown>)[k] = v;
    return this;
  }

  /** An unfitted copy with the same parameters (the estimator cloned). */
  clone(): this {
    return this.make(clone(this.estimator), this.ownParams());
  }

  private state(what: string) {
    if (!this.result) throw new NotFittedError(this.who, what, true);
    return this.result;
  }
  get cvResults(): CvResults {
    return this.state('cvResults').cvResults;
  }
  get bestIndex(): number {
    return this.state('bestIndex').bestIndex;
  }
  get bestParams(): Params {
    const r = this.state('bestParams');
    return r.cvResults.params[r.bestIndex];
  }
  get bestScore(): number {
    const r = this.state('bestScore');
    return r.cvResults.meanTestScore[r.bestIndex];
  }
  /** The best candidate refitted on all the data (refit: true). */
  get bestEstimator(): SearchEstimator {
    const r = this.state('bestEstimator');
    if (!r.best) throw new TypeError(`${this.who}: no bestEstimator with refit: false`);
    return r.best;
  }
  get nSplits(): number {
    return this.state('nSplits').nSplits;
  }
  /** Estimator fits the search ran on the folds (a pipeline prefix shared by candidates counts once per fold). */
  get nFits(): number {
    return this.state('nFits').fits;
  }

  async fit(X: Data, y?: Data | ComputeOptions, opts?: ComputeOptions): Promise<this> {
    const [yy, o] = targetsAndOptions(y, opts);
    checkComputeOptions(o, `${this.who}.fit`);
    const x = asMatrix(X, `${this.who}.fit`);
    const t = yy === undefined ? undefined : asTarget(yy, x, `${this.who}.fit`);
    const cands = this.candidates();
    const folds = await foldsFor(this.cv, this.estimator, x, t, o);
    const r = await runSearch(this.estimator, cands, { x, y: t, folds, scoring: this.scoring, returnTrainScore: this.returnTrainScore, opts: o, who: `${this.who}.fit` });
    const mean = Float64Array.from(r.test, (s) => s.reduce((a, b) => a + b, 0) / s.length);
    // scikit-learn's rank: 1 for the best, ties share the lowest rank ('min').
    const rank = Int32Array.from(mean, (m) => 1 + mean.filter((o2) => o2 > m).length);
    const cvResults: CvResults = {
      params: cands,
      meanTestScore: mean,
      stdTestScore: Float64Array.from(r.test, std),
      rankTestScore: rank,
      paramValues: {},
    };
    for (const c of cands) for (const k of Object.keys(c)) cvResults.paramValues[k] = cands.map((p) => p[k]);
    folds.forEach((_, f) => (cvResults[`split${f}TestScore`] = Float64Array.from(r.test, (s) => s[f])));
    if (r.train) {
      cvResults.meanTrainScore = Float64Array.from(r.train, (s) => s.reduce((a, b) => a + b, 0) / s.length);
      cvResults.stdTrainScore = Float64Array.from(r.train, std);
      folds.forEach((_, f) => (cvResults[`split${f}TrainScore`] = Float64Array.from(r.train!, (s) => s[f])));
    }
    let bestIndex = 0;
    mean.forEach((m, i) => {
      if (m > mean[bestIndex]) bestIndex = i;
    });
    let best: SearchEstimator | null = null;
    if (this.refit) {
      best = withParams(clone(this.estimator), cands[bestIndex]);
      await fitEstimator(best, x, t, o, `${this.who}.fit`);
    }
    this.result = { cvResults, bestIndex, best, nSplits: folds.length, fits: r.fits };
    return this;
  }

  /** bestEstimator's predictions. */
  predict(X: Data): ChunkedArray<NDArray> {
    return this.delegate('predict', X);
  }
  predictProba(X: Data): ChunkedArray<NDArray> {
    return this.delegate('predictProba', X);
  }
  transform(X: Data): ChunkedArray<NDArray> {
    return this.delegate('transform', X);
  }
  score(X: Data, y: Data, opts: ComputeOptions = {}): Promise<number> {
    checkComputeOptions(opts, `${this.who}.score`);
    const b = this.bestEstimator as unknown as { score?: (x: Data, y: Data, o: ComputeOptions) => Promise<number> };
    if (typeof b.score !== 'function') throw new TypeError(`${this.who}.score: the best estimator has no score()`);
    return b.score(X, y, opts);
  }

  private delegate(method: 'predict' | 'predictProba' | 'transform', X: Data): ChunkedArray<NDArray> {
    const b = this.bestEstimator as unknown as Record<string, unknown>;
    if (typeof b[method] !== 'function') throw new TypeError(`${this.who}.${method}: the best estimator has no ${method}()`);
    return (b[method] as (x: Data) => ChunkedArray<NDArray>).call(b, X);
  }
}

export type ParamGrid = Record<string, readonly unknown[]>;

/** scikit-learn's ParameterGrid: names sorted, the last name varying fastest; a list of grids one after the other. */
export function parameterGrid(grid: ParamGrid | readonly ParamGrid[], who = 'ParameterGrid'): Params[] {
  const grids = Array.isArray(grid) ? grid : [grid as ParamGrid];
  const out: Params[] = [];
  for (const g of grids) {
    if (typeof g !== 'object' || g === null) throw new TypeError(`${who}: a parameter grid must be an object of name -> list of values`);
    const keys = Object.keys(g).sort();
    for (const k of keys) if (!Array.isArray(g[k]) || g[k].length === 0) throw new TypeError(`${who}: parameter '${k}' must have a non-empty list of values`);
    let acc: Params[] = [{}];
    for (const k of keys) acc = acc.flatMap((p) => (g[k] as readonly unknown[]).map((v: unknown) => ({ ...p, [k]: v })));
    out.push(...acc);
  }
  return out;
}

export class GridSearchCV extends BaseSearchCV {
  readonly paramGrid: ParamGrid | readonly ParamGrid[];

  constructor(estimator: SearchEstimator, paramGrid: ParamGrid | readonly ParamGrid[], opts: SearchOptions = {}) {
    super('GridSearchCV', estimator, opts);
    this.paramGrid = paramGrid;
    for (const c of this.candidates()) withParams(clone(estimator), c);
  }

  protected candidates(): Params[] {
    return parameterGrid(this.paramGrid, 'GridSearchCV');
  }

  protected ownParams(): Params {
    return { paramGrid: this.paramGrid, ...this.searchOptions() };
  }

  protected make(estimator: SearchEstimator, own: Params): this {
    const { paramGrid, ...opts } = own;
    return new GridSearchCV(estimator, paramGrid as ParamGrid | readonly ParamGrid[], opts as SearchOptions) as this;
  }
}

/** A distribution to draw a parameter from: `rvs(random)` with `random()` uniform in [0, 1). */
export interface Distribution {
  rvs(random: () => number): unknown;
}

export type ParamDistributions = Record<string, readonly unknown[] | Distribution>;

/** Uniform on [loc, loc + scale] (SciPy's `uniform`). */
export const uniform = (loc = 0, scale = 1): Distribution => ({ rvs: (r) => loc + scale * r() });
/** Log-uniform on [a, b] (SciPy's `loguniform`). */
export const logUniform = (a: number, b: number): Distribution => ({ rvs: (r) => Math.exp(Math.log(a) + (Math.log(b) - Math.log(a)) * r()) });
/** Integers in [low, high) (SciPy's `randint`). */
export const randInt = (low: number, high: number): Distribution => ({ rvs: (r) => low + Math.floor(r() * (high - low)) });

export interface RandomizedSearchOptions extends SearchOptions {
  /** Candidates drawn (default 10); at most the grid's size when every parameter is a list, as scikit-learn. */
  nIter?: number;
  /** Seed of the draws (default random). */
  seed?: number;
}

export class RandomizedSearchCV extends BaseSearchCV {
  readonly paramDistributions: ParamDistributions;
  readonly nIter: number;
  readonly seed: number;
  private drawn: Params[];

  constructor(estimator: SearchEstimator, paramDistributions: ParamDistributions, opts: RandomizedSearchOptions = {}) {
    const { nIter, seed, ...rest } = opts;
    checkOptions('RandomizedSearchCV', opts, { ...SEARCH_OPTIONS, nIter: rules.positiveInt, seed: rules.seed });
    super('RandomizedSearchCV', estimator, rest);
    this.paramDistributions = paramDistributions;
    this.nIter = nIter ?? 10;
    this.seed = seedOf(seed);
    this.drawn = this.draw();
    for (const c of this.drawn) withParams(clone(estimator), c);
  }

  private draw(): Params[] {
    const d = this.paramDistributions;
    const keys = Object.keys(d).sort();
    const rng = new Stream(this.seed, 0x72736376);
    const random = () => rng.next();
    for (const k of keys) if (!(Array.isArray(d[k]) ? (d[k] as unknown[]).length > 0 : typeof (d[k] as Distribution)?.rvs === 'function')) throw new TypeError(`RandomizedSearchCV: parameter '${k}' must be a non-empty list or a distribution with rvs()`);
    if (keys.every((k) => Array.isArray(d[k]))) {
      // Without replacement from the grid, as scikit-learn's ParameterSampler.
      const grid = parameterGrid(d as ParamGrid, 'RandomizedSearchCV');
      const idx = grid.map((_, i) => i);
      const n = Math.min(this.nIter, grid.length);
      for (let i = 0; i < n; i++) {
        const j = i + rng.below(idx.length - i);
        [idx[i], idx[j]] = [idx[j], idx[i]];
      }
      return idx.slice(0, n).map((i) => grid[i]);
    }
    return Array.from({ length: this.nIter }, () => Object.fromEntries(keys.map((k) => [k, Array.isArray(d[k]) ? (d[k] as unknown[])[rng.below((d[k] as unknown[]).length)] : (d[k] as Distribution).rvs(random)])));
  }

  protected candidates(): Params[] {
    return this.drawn;
  }

  protected ownParams(): Params {
    return { paramDistributions: this.paramDistributions, nIter: this.nIter, seed: this.seed, ...this.searchOptions() };
  }

  protected make(estimator: SearchEstimator, own: Params): this {
    const { paramDistributions, ...opts } = own;
    return new RandomizedSearchCV(estimator, paramDistributions as ParamDistributions, opts as RandomizedSearchOptions) as this;
  }
}

export interface CrossValScoreOptions extends ComputeOptions {
  cv?: number | Splitter;
  scoring?: Scoring;
}

/** Scores of the estimator on each fold (scikit-learn's cross_val_score). */
export async function crossValScore(estimator: SearchEstimator, X: Data, y?: Data, opts: CrossValScoreOptions = {}): Promise<Float64Array> {
  const [{ cv, scoring }, compute] = splitComputeOptions<Omit<CrossValScoreOptions, keyof ComputeOptions>>('crossValScore', opts, { cv: cvRule, scoring: scoringRule });
  const x = asMatrix(X, 'crossValScore');
  const t = y === undefined ? undefined : asTarget(y, x, 'crossValScore');
  const folds = await foldsFor(cv, estimator, x, t, compute);
  const r = await runSearch(estimator, [{}], { x, y: t, folds, scoring, returnTrainScore: false, opts: compute, who: 'crossValScore' });
  return Float64Array.from(r.test[0]);
}
