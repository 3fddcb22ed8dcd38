/**
 * Dask-ML's meta-estimators. ParallelPostFit: fit as the wrapped estimator does, predict and
 * transform block by block (pdask's estimators already predict lazily per row block, so this
 * mostly gives Dask-ML code its names). Incremental: fit by partialFit on one row block at a time,
 * in a seeded random order, so the estimator never holds more than a block.
 */
import type { ChunkedArray, NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { clone, fitEstimator, nameOf, withParams, type Estimator, type Params, type PartialFitEstimator } from '../base/estimator';
import type { Scoring } from '../model-selection/scoring';
import { scoreWith, scoringRule } from '../model-selection/scoring';
import { Stream } from '../random';
import type { Label } from '../linear-model/labels';
import { asMatrix, asTarget, rules, seedOf, type Data } from '../validate';
import { targetsAndOptions } from './pipeline';

export interface ParallelPostFitOptions {
  /** How `score` scores (default: the estimator's own score). */
  scoring?: Scoring;
  /** Dask-ML's meta for predictions: not needed (dtypes are known); refused. */
  predictMeta?: never;
  predictProbaMeta?: never;
  transformMeta?: never;
}

const PPF_OPTIONS: OptionSchema<ParallelPostFitOptions> = { scoring: scoringRule, predictMeta: rules.notYet, predictProbaMeta: rules.notYet, transformMeta: rules.notYet };

type Method = 'predict' | 'predictProba' | 'decisionFunction' | 'transform';

export class ParallelPostFit<E extends Estimator = Estimator> {
  readonly estimator: E;
  readonly scoring: Scoring | undefined;
  protected readonly who: string;

  constructor(estimator: E, opts: ParallelPostFitOptions = {}, who = 'ParallelPostFit') {
    checkOptions(who, opts, PPF_OPTIONS);
    if (typeof estimator !== 'object' || estimator === null || typeof estimator.getParams !== 'function') throw new TypeError(`${who}: estimator must be an estimator (with fit and getParams), got ${nameOf(estimator)}`);
    this.estimator = estimator;
    this.scoring = opts.scoring;
    this.who = who;
  }

  get estimatorType() {
    return this.estimator.estimatorType;
  }

  getParams(): Params {
    const out: Params = { estimator: this.estimator };
    if (this.scoring !== undefined) out.scoring = this.scoring;
    for (const [k, v] of Object.entries(this.estimator.getParams())) out[`estimator__${k}`] = v;
    return out;
  }

  setParams(params: Params): this {
    const inner: Params = {};
    for (const [k, v] of Object.entries(params)) {
      if (k === 'estimator') (this as { estimator: E }).estimator = v as E;
      else if (k === 'scoring') (this as { scoring: Scoring | undefined }).scoring = v as Scoring;
      else if (k.startsWith('estimator__')) inner[k.slice(11)] = v;
      else throw new TypeError(`${this.who}.setParams: unknown parameter '${k}' (estimator, scoring, estimator__<param>)`);
    }
    if (Object.keys(inner).length) (this as { estimator: E }).estimator = withParams(this.estimator, inner);
    return this;
  }

  clone(): this {
    const Ctor = this.constructor as new (e: E, o: Params) => this;
    const { estimator, ...rest } = this.getParams();
    return new Ctor(clone(estimator as E), Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('estimator__'))));
  }

  async fit(X: Data, y?: Data | ComputeOptions, opts?: ComputeOptions): Promise<this> {
    const [t, o] = targetsAndOptions(y, opts);
    checkComputeOptions(o, `${this.who}.fit`);
    await fitEstimator(this.estimator, X, t, o, `${this.who}.fit`);
    return this;
  }

  predict(X: Data): ChunkedArray<NDArray> {
    return this.call('predict', X);
  }
  predictProba(X: Data): ChunkedArray<NDArray> {
    return this.call('predictProba', X);
  }
  decisionFunction(X: Data): ChunkedArray<NDArray> {
    return this.call('decisionFunction', X);
  }
  transform(X: Data): ChunkedArray<NDArray> {
    return this.call('transform', X);
  }

  score(X: Data, y: Data, opts: ComputeOptions = {}): Promise<number> {
    checkComputeOptions(opts, `${this.who}.score`);
    const x = asMatrix(X, `${this.who}.score`);
    return scoreWith(this.scoring, this.estimator, x as ChunkedArray<NDArray>, asTarget(y, x, `${this.who}.score`), opts, `${this.who}.score`);
  }

  private call(method: Method, X: Data): ChunkedArray<NDArray> {
    const e = this.estimator as unknown as Record<string, unknown>;
    if (typeof e[method] !== 'function') throw new TypeError(`${this.who}.${method}: ${nameOf(e)} has no ${method}()`);
    return (e[method] as (x: Data) => ChunkedArray<NDArray>).call(e, X);
  }
}

export interface IncrementalOptions extends ParallelPostFitOptions {
  /** Visit the row blocks in a seeded random order (default true, as Dask-ML). */
  shuffleBlocks?: boolean;
  seed?: number;
}

export class Incremental<E extends PartialFitEstimator & Estimator = PartialFitEstimator & Estimator> extends ParallelPostFit<E> {
  readonly shuffleBlocks: boolean;
  readonly seed: number | undefined;

  constructor(estimator: E, opts: IncrementalOptions = {}) {
    const { shuffleBlocks, seed, ...rest } = opts;
    checkOptions('Incremental', opts, { ...PPF_OPTIONS, shuffleBlocks: 'boolean', seed: rules.seed });
    super(estimator, rest, 'Incremental');
    if (typeof estimator.partialFit !== 'function') throw new TypeError(`Incremental: ${nameOf(estimator)} has no partialFit()`);
    this.shuffleBlocks = shuffleBlocks ?? true;
    this.seed = seed;
  }

  override getParams(): Params {
    return { ...super.getParams(), shuffleBlocks: this.shuffleBlocks, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }

  /** A fresh estimator (a clone) trained by partialFit over X's row blocks once. */
  override async fit(X: Data, y?: Data | IncrementalFitOptions, opts?: IncrementalFitOptions): Promise<this> {
    const [t, o] = targetsAndOptions(y, opts);
    const po = partialFitOptions(o, 'Incremental.fit');
    (this as { estimator: E }).estimator = clone(this.estimator);
    return this.blocks(X, t, po, 'Incremental.fit');
  }

  /** partialFit of the current estimator over X's row blocks once (keeps what it learnt). */
  async partialFit(X: Data, y?: Data | IncrementalFitOptions, opts?: IncrementalFitOptions): Promise<this> {
    const [t, o] = targetsAndOptions(y, opts);
    return this.blocks(X, t, partialFitOptions(o, 'Incremental.partialFit'), 'Incremental.partialFit');
  }

  private async blocks(X: Data, y: Data | undefined, opts: ComputeOptions, who: string): Promise<this> {
    const x = asMatrix(X, who);
    const t = y === undefined ? undefined : asTarget(y, x, who);
    const rows = x.chunks[0];
    const starts = rows.map((_, b) => rows.slice(0, b).reduce((s, r) => s + r, 0));
    const order = rows.map((_, b) => b).filter((b) => rows[b] > 0);
    if (this.shuffleBlocks) {
      const rng = new Stream(seedOf(this.seed), 0x696e6372);
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.below(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    for (const b of order) {
      const range = `${starts[b]}:${starts[b] + rows[b]}`;
      if (t) await this.estimator.partialFit(x.slice(range, ':'), t.slice(range), opts);
      else await this.estimator.partialFit(x.slice(range, ':'), opts);
    }
    return this;
  }
}

/** Options of Incremental.fit / partialFit and the incremental searches' fit: compute options and what partialFit needs. */
export interface IncrementalFitOptions extends ComputeOptions {
  /** Every label, passed to each partialFit call (scikit-learn's classifiers need them on the first call; Dask-ML forwards them as fit params). */
  classes?: readonly Label[];
}

/** The compute options checked, with `classes` kept for partialFit (which refuses it by name if it takes none). */
export function partialFitOptions(opts: IncrementalFitOptions, who: string): ComputeOptions {
  const { classes, ...rest } = opts;
  checkComputeOptions(rest, who);
  if (classes !== undefined && !Array.isArray(classes)) throw new TypeError(`${who}: option 'classes' must be an array of labels`);
  return classes === undefined ? rest : ({ ...rest, classes } as ComputeOptions);
}
