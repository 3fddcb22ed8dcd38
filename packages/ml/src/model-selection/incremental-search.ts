/**
 * SuccessiveHalvingSearchCV and HyperbandSearchCV (Dask-ML's): candidates trained by partialFit
 * on the training blocks (one block per call, cycling), scored on a held-out split after each
 * round, and the worse ones dropped. Successive halving with n candidates, r first calls and
 * aggressiveness η: in round k every survivor is brought to round(r · η^k) calls, then the best
 * floor(n · η^-(k+1)) go on, until one is left, none would be, or the calls reach maxIter. Hyperband runs
 * brackets s = sMax … 0 (sMax = floor(log_η maxIter)) of successive halving with
 * ceil((sMax + 1) · η^s / (s + 1)) candidates and maxIter · η^-s first calls each.
 */
import type { ChunkedArray, NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { clone, nameOf, withParams, type Estimator, type Params, type PartialFitEstimator } from '../base/estimator';
import { targetsAndOptions } from '../pipeline/pipeline';
import { partialFitOptions, type IncrementalFitOptions } from '../pipeline/wrappers';
import { Stream } from '../random';
import { asMatrix, asTarget, NotFittedError, rules, seedOf, type Data } from '../validate';
import { parameterGrid, type Distribution, type ParamDistributions, type ParamGrid } from './search';
import { scoreWith, scoringRule, type Scoring } from './scoring';
import { trainTestSplit } from './train-test-split';

type PF = PartialFitEstimator & Estimator;

export interface IncrementalSearchOptions {
  /** Fraction of each block held out for scoring (default min(0.2, 1 / row blocks), as Dask-ML; trainTestSplit's blockwise split). */
  testSize?: number;
  scoring?: Scoring;
  /** Seed of the candidates drawn and of the split (default random). */
  seed?: number;
  /** Dask-ML's early stopping on plateaus: not implemented; refused. */
  patience?: never;
  tol?: never;
  verbose?: never;
  prefix?: never;
}

export interface ModelHistory {
  /** Candidate index (into cvResults.params). */
  model: number;
  bracket: number;
  partialFitCalls: number;
  score: number;
}

export interface IncrementalCvResults {
  params: Params[];
  /** Last score of each candidate on the held-out split. */
  testScore: Float64Array;
  rankTestScore: Int32Array;
  partialFitCalls: Int32Array;
  bracket: Int32Array;
}

export interface BracketMetadata {
  bracket: number;
  nModels: number;
  partialFitCalls: number;
}

export interface SearchMetadata {
  nModels: number;
  partialFitCalls: number;
  brackets: BracketMetadata[];
}

const COMMON: OptionSchema<IncrementalSearchOptions> = {
  testSize: rules.fraction,
  scoring: scoringRule,
  seed: rules.seed,
  patience: rules.notYet,
  tol: rules.notYet,
  verbose: rules.notYet,
  prefix: rules.notYet,
};

/** Draws n candidates: without replacement from a grid of lists (cycling it when n is larger), else from the distributions. */
function drawCandidates(d: ParamDistributions, n: number, rng: Stream): Params[] {
  const keys = Object.keys(d).sort();
  if (keys.every((k) => Array.isArray(d[k]))) {
    const grid = parameterGrid(d as ParamGrid, 'search');
    const idx = grid.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return Array.from({ length: n }, (_, i) => grid[idx[i % idx.length]]);
  }
  return Array.from({ length: n }, () => Object.fromEntries(keys.map((k) => [k, Array.isArray(d[k]) ? (d[k] as unknown[])[rng.below((d[k] as unknown[]).length)] : (d[k] as Distribution).rvs(() => rng.next())])));
}

/** One successive-halving run's schedule: survivors and calls per round (no data needed). */
export function halvingSchedule(n: number, r: number, eta: number, maxIter: number): { models: number; calls: number }[] {
  const out: { models: number; calls: number }[] = [];
  let alive = n;
  for (let k = 0; ; k++) {
    const calls = Math.min(maxIter, Math.round(r * eta ** k));
    out.push({ models: alive, calls });
    if (alive <= 1 || calls >= maxIter) return out;
    // Dask-ML: when floor(n·η^-(k+1)) is 0, no candidate goes on and the run ends here.
    alive = Math.floor(n * eta ** -(k + 1));
    if (alive === 0) return out;
  }
}

function scheduleCalls(s: { models: number; calls: number }[]): number {
  let total = 0;
  let prev = 0;
  for (const { models, calls } of s) {
    total += models * (calls - prev);
    prev = calls;
  }
  return total;
}

abstract class BaseIncrementalSearch {
  readonly estimator: PF;
  readonly paramDistributions: ParamDistributions;
  readonly testSize: number | undefined;
  readonly scoring: Scoring | undefined;
  readonly seed: number;
  private result: { cv: IncrementalCvResults; history: ModelHistory[]; best: PF; bestIndex: number } | null = null;

  protected constructor(
    protected readonly who: string,
    estimator: PF,
    paramDistributions: ParamDistributions,
    opts: IncrementalSearchOptions,
  ) {
    checkOptions(who, opts, COMMON);
    if (typeof estimator?.partialFit !== 'function' || typeof estimator.getParams !== 'function') throw new TypeError(`${who}: the estimator must have partialFit() and getParams(), ${nameOf(estimator)} has not`);
    this.estimator = estimator;
    this.paramDistributions = paramDistributions;
    this.testSize = opts.testSize;
    this.scoring = opts.scoring;
    this.seed = seedOf(opts.seed);
  }

  /** The brackets to run: [bracket id, candidates, first calls, aggressiveness, maxIter]. */
  protected abstract brackets(): { bracket: number; n: number; r: number; eta: number; maxIter: number }[];

  /** What the search will do, before fitting (Dask-ML's `metadata`). */
  get metadata(): SearchMetadata {
    const brackets = this.brackets().map((b) => ({ bracket: b.bracket, nModels: b.n, partialFitCalls: scheduleCalls(halvingSchedule(b.n, b.r, b.eta, b.maxIter)) }));
    return { nModels: brackets.reduce((s, b) => s + b.nModels, 0), partialFitCalls: brackets.reduce((s, b) => s + b.partialFitCalls, 0), brackets };
  }

  private state(what: string) {
    if (!this.result) throw new NotFittedError(this.who, what, true);
    return this.result;
  }
  get cvResults(): IncrementalCvResults {
    return this.state('cvResults').cv;
  }
  /** Every score reported, in order (Dask-ML's `history_`). */
  get history(): ModelHistory[] {
    return this.state('history').history;
  }
  get bestIndex(): number {
    return this.state('bestIndex').bestIndex;
  }
  get bestParams(): Params {
    const r = this.state('bestParams');
    return r.cv.params[r.bestIndex];
  }
  get bestScore(): number {
    const r = this.state('bestScore');
    return r.cv.testScore[r.bestIndex];
  }
  /** The best candidate as trained by the search (no refit: it has seen the training split only). */
  get bestEstimator(): PF {
    return this.state('bestEstimator').best;
  }

  async fit(X: Data, y?: Data | IncrementalFitOptions, opts?: IncrementalFitOptions): Promise<this> {
    const [yy, fo] = targetsAndOptions(y, opts);
    const o = partialFitOptions(fo, `${this.who}.fit`);
    const { classes: _classes, ...co } = o as IncrementalFitOptions;
    const who = `${this.who}.fit`;
    const x = asMatrix(X, who);
    const t = yy === undefined ? undefined : asTarget(yy, x, who);
    const testSize = this.testSize ?? Math.min(0.2, 1 / x.numblocks[0]);
    const split = t ? trainTestSplit(x, t, { testSize, seed: this.seed }) : trainTestSplit(x, { testSize, seed: this.seed });
    const [xTrain, xTest, yTrain, yTest] = split as ChunkedArray<NDArray>[];
    const rows = xTrain.chunks[0];
    const starts = rows.map((_, b) => rows.slice(0, b).reduce((s, q) => s + q, 0));
    const blocks = rows.map((_, b) => b).filter((b) => rows[b] > 0);
    const rng = new Stream(this.seed, 0x68797065);
    const params: Params[] = [];
    const bracketOf: number[] = [];
    const models: PF[] = [];
    const calls: number[] = [];
    const scores: number[] = [];
    const history: ModelHistory[] = [];

    const train = async (m: number, upTo: number) => {
      for (; calls[m] < upTo; calls[m]++) {
        const b = blocks[calls[m] % blocks.length];
        const range = `${starts[b]}:${starts[b] + rows[b]}`;
        if (yTrain) await models[m].partialFit(xTrain.slice(range, ':'), yTrain.slice(range), o);
        else await models[m].partialFit(xTrain.slice(range, ':'), o);
      }
      scores[m] = await scoreWith(this.scoring, models[m], xTest, yTest, co, who);
      history.push({ model: m, bracket: bracketOf[m], partialFitCalls: calls[m], score: scores[m] });
    };

    for (const br of this.brackets()) {
      const first = params.length;
      for (const p of drawCandidates(this.paramDistributions, br.n, rng)) {
        params.push(p);
        bracketOf.push(br.bracket);
        models.push(withParams(clone(this.estimator), p));
        calls.push(0);
        scores.push(-Infinity);
      }
      let alive = Array.from({ length: br.n }, (_, i) => first + i);
      const schedule = halvingSchedule(br.n, br.r, br.eta, br.maxIter);
      for (let k = 0; k < schedule.length; k++) {
        for (const m of alive) await train(m, schedule[k].calls);
        if (k + 1 < schedule.length) {
          // The best survive; ties go to the earlier candidate.
          alive = [...alive].sort((a, b) => scores[b] - scores[a] || a - b).slice(0, schedule[k + 1].models);
        }
      }
    }
    const testScore = Float64Array.from(scores);
    let bestIndex = 0;
    testScore.forEach((s, i) => {
      if (s > testScore[bestIndex]) bestIndex = i;
    });
    this.result = {
      cv: {
        params,
        testScore,
        rankTestScore: Int32Array.from(testScore, (s) => 1 + testScore.filter((o2) => o2 > s).length),
        partialFitCalls: Int32Array.from(calls),
        bracket: Int32Array.from(bracketOf),
      },
      history,
      best: models[bestIndex],
      bestIndex,
    };
    return this;
  }

  predict(X: Data): ChunkedArray<NDArray> {
    const b = this.bestEstimator as unknown as { predict?: (x: Data) => ChunkedArray<NDArray> };
    if (typeof b.predict !== 'function') throw new TypeError(`${this.who}.predict: the best estimator has no predict()`);
    return b.predict(X);
  }

  score(X: Data, y: Data, opts: ComputeOptions = {}): Promise<number> {
    checkComputeOptions(opts, `${this.who}.score`);
    const x = asMatrix(X, `${this.who}.score`);
    return scoreWith(this.scoring, this.bestEstimator, x as ChunkedArray<NDArray>, asTarget(y, x, `${this.who}.score`), opts, `${this.who}.score`);
  }
}

export interface SuccessiveHalvingOptions extends IncrementalSearchOptions {
  /** Candidates drawn (default 10). */
  nInitialParameters?: number;
  /** partialFit calls of every candidate in the first round (required, as Dask-ML). */
  nInitialIter?: number;
  /** partialFit calls at most (default: no limit but the halving). */
  maxIter?: number;
  /** η: each round keeps 1/η of the candidates and trains η times longer (default 3). */
  aggressiveness?: number;
}

const eta = (v: unknown) => (typeof v === 'number' && v > 1 && Number.isFinite(v) ? undefined : 'a number > 1');

export class SuccessiveHalvingSearchCV extends BaseIncrementalSearch {
  readonly nInitialParameters: number;
  readonly nInitialIter: number;
  readonly maxIter: number;
  readonly aggressiveness: number;

  constructor(estimator: PF, paramDistributions: ParamDistributions, opts: SuccessiveHalvingOptions) {
    const { nInitialParameters, nInitialIter, maxIter, aggressiveness, ...rest } = opts ?? {};
    checkOptions('SuccessiveHalvingSearchCV', opts, { ...COMMON, nInitialParameters: rules.positiveInt, nInitialIter: rules.positiveInt, maxIter: rules.positiveInt, aggressiveness: eta });
    super('SuccessiveHalvingSearchCV', estimator, paramDistributions, rest);
    if (nInitialIter === undefined) throw new TypeError('SuccessiveHalvingSearchCV: option nInitialIter is required (partialFit calls of every candidate in the first round)');
    this.nInitialParameters = nInitialParameters ?? 10;
    this.nInitialIter = nInitialIter;
    this.maxIter = maxIter ?? Number.MAX_SAFE_INTEGER;
    this.aggressiveness = aggressiveness ?? 3;
  }

  protected brackets() {
    return [{ bracket: 0, n: this.nInitialParameters, r: this.nInitialIter, eta: this.aggressiveness, maxIter: this.maxIter }];
  }
}

export interface HyperbandOptions extends IncrementalSearchOptions {
  /** partialFit calls of the longest-trained candidate (required; Dask-ML's max_iter). */
  maxIter?: number;
  /** η (default 3). */
  aggressiveness?: number;
}

export class HyperbandSearchCV extends BaseIncrementalSearch {
  readonly maxIter: number;
  readonly aggressiveness: number;

  constructor(estimator: PF, paramDistributions: ParamDistributions, opts: HyperbandOptions) {
    const { maxIter, aggressiveness, ...rest } = opts ?? {};
    checkOptions('HyperbandSearchCV', opts, { ...COMMON, maxIter: rules.positiveInt, aggressiveness: eta });
    super('HyperbandSearchCV', estimator, paramDistributions, rest);
    if (maxIter === undefined) throw new TypeError('HyperbandSearchCV: option maxIter is required (partialFit calls of the longest-trained candidate)');
    this.maxIter = maxIter;
    this.aggressiveness = aggressiveness ?? 3;
  }

  protected brackets() {
    const R = this.maxIter;
    const e = this.aggressiveness;
    // floor(log_e R), guarded against log rounding (log(27)/log(3) = 3.0000000000000004).
    let sMax = 0;
    while (e ** (sMax + 1) <= R) sMax++;
    const out = [];
    for (let s = sMax; s >= 0; s--) out.push({ bracket: s, n: Math.ceil(((sMax + 1) * e ** s) / (s + 1)), r: Math.floor(R * e ** -s), eta: e, maxIter: R });
    return out;
  }
}
