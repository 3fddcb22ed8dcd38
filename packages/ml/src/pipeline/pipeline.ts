/**
 * Pipeline: transformers then a final estimator, fitted in order, each on the previous step's
 * (lazy) output. Parameters use scikit-learn's `step__param` names. A step may be the string
 * 'passthrough' (scikit-learn's too), which leaves the data as it is.
 */
import type { ChunkedArray, NDArray } from '@pdask/array';
import { checkComputeOptions, checkOptions, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { clone, fitEstimator, hasScore, isEstimator, isPredictor, isTransformer, nameOf, withParams, type Estimator, type EstimatorType, type Params } from '../base/estimator';
import { scheduleFor } from '../graph/schedule';
import { rules, type Data } from '../validate';

export type PipelineStep = Estimator | 'passthrough';

export interface PipelineOptions {
  /** scikit-learn's transformer cache: not implemented (the searches share fitted prefixes instead); refused. */
  memory?: never;
  /** scikit-learn's timing printout: not implemented; refused. */
  verbose?: never;
}

const PIPELINE_OPTIONS: OptionSchema<PipelineOptions> = { memory: rules.notYet, verbose: rules.notYet };

/** Whether the second argument of `fit(X, y?, opts?)` is compute options rather than targets. */
export function isComputeOptions(v: unknown): v is ComputeOptions {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !('shape' in v);
}

/** Splits `fit(X, y, opts)` / `fit(X, opts)` arguments. */
export function targetsAndOptions(a: Data | ComputeOptions | undefined, b: ComputeOptions | undefined): [Data | undefined, ComputeOptions] {
  return isComputeOptions(a) ? [undefined, a] : [a, b ?? {}];
}

export class Pipeline {
  private stepList: [string, PipelineStep][];

  constructor(steps: readonly (readonly [string, PipelineStep])[], opts: PipelineOptions = {}) {
    checkOptions('Pipeline', opts, PIPELINE_OPTIONS);
    this.stepList = checkSteps(steps, 'Pipeline');
  }

  /** The steps as [name, estimator] pairs (a copy: change them with setParams). */
  get steps(): [string, PipelineStep][] {
    return this.stepList.map(([n, e]) => [n, e]);
  }
  get namedSteps(): Record<string, PipelineStep> {
    return Object.fromEntries(this.stepList);
  }
  /** The last step's estimator. */
  get finalEstimator(): PipelineStep {
    return this.stepList[this.stepList.length - 1][1];
  }
  /** The final estimator's type (a pipeline is what its last step is, as in scikit-learn). */
  get estimatorType(): EstimatorType | undefined {
    const f = this.finalEstimator;
    return f === 'passthrough' ? 'transformer' : f.estimatorType;
  }

  /** `steps`, each step by name, and every step's parameters as `name__param` (scikit-learn's deep get_params). */
  getParams(): Params {
    const out: Params = { steps: this.steps };
    for (const [name, e] of this.stepList) {
      out[name] = e;
      if (e === 'passthrough') continue;
      for (const [k, v] of Object.entries(e.getParams())) out[`${name}__${k}`] = v;
    }
    return out;
  }

  /**
   * Sets `steps`, a whole step (`name`), or a step's parameter (`name__param`; deeper names for
   * nested pipelines). A step whose parameter changes is replaced by an unfitted copy with it.
   */
  setParams(params: Params): this {
    if ('steps' in params) this.stepList = checkSteps(params.steps as readonly (readonly [string, PipelineStep])[], 'Pipeline.setParams');
    const names = this.stepList.map(([n]) => n);
    const perStep = new Map<number, Params>();
    for (const [key, value] of Object.entries(params)) {
      if (key === 'steps') continue;
      const cut = key.indexOf('__');
      const stepName = cut < 0 ? key : key.slice(0, cut);
      const i = names.indexOf(stepName);
      if (i < 0) throw new TypeError(`Pipeline.setParams: no step named '${stepName}' (steps: ${names.join(', ')}) for parameter '${key}'`);
      if (cut < 0) {
        this.stepList[i] = [stepName, checkStep(value, stepName, 'Pipeline.setParams')];
        continue;
      }
      const p = perStep.get(i) ?? {};
      p[key.slice(cut + 2)] = value;
      perStep.set(i, p);
    }
    for (const [i, p] of perStep) {
      const [name, e] = this.stepList[i];
      if (e === 'passthrough') throw new TypeError(`Pipeline.setParams: step '${name}' is 'passthrough' and has no parameters (${Object.keys(p).join(', ')})`);
      this.stepList[i] = [name, withParams(e, p)];
    }
    return this;
  }

  /** An unfitted copy, every step cloned. */
  clone(): Pipeline {
    return new Pipeline(this.stepList.map(([n, e]) => [n, e === 'passthrough' ? e : clone(e)] as const));
  }

  /** Fits the steps in order: each transformer on the previous output, then the final estimator. */
  async fit(X: Data, y?: Data | ComputeOptions, opts?: ComputeOptions): Promise<this> {
    const [t, o] = targetsAndOptions(y, opts);
    checkComputeOptions(o, 'Pipeline.fit');
    const xt = await this.fitTransformers(X, t, o, 'Pipeline.fit');
    const last = this.finalEstimator;
    if (last !== 'passthrough') await fitEstimator(last, await heldForFit(xt, X, o), t, o, 'Pipeline.fit');
    return this;
  }

  /** Fits, then transforms X through every step. */
  async fitTransform(X: Data, y?: Data | ComputeOptions, opts?: ComputeOptions): Promise<ChunkedArray<NDArray>> {
    const [t, o] = targetsAndOptions(y, opts);
    checkComputeOptions(o, 'Pipeline.fitTransform');
    await this.fit(X, t, o);
    return this.transform(X);
  }

  /** X through every step's transform (all steps must transform). */
  transform(X: Data): ChunkedArray<NDArray> {
    return this.through(X, this.stepList.length, 'transform');
  }

  predict(X: Data): ChunkedArray<NDArray> {
    return this.final('predict', X);
  }
  predictProba(X: Data): ChunkedArray<NDArray> {
    return this.final('predictProba', X);
  }
  decisionFunction(X: Data): ChunkedArray<NDArray> {
    return this.final('decisionFunction', X);
  }

  /** The final estimator's score of X transformed by the other steps. */
  score(X: Data, y: Data, opts: ComputeOptions = {}): Promise<number> {
    checkComputeOptions(opts, 'Pipeline.score');
    const last = this.finalEstimator;
    if (!hasScore(last)) throw new TypeError(`Pipeline.score: the final step (${nameOf(last)}) has no score()`);
    return last.score(this.through(X, this.stepList.length - 1, 'score'), y, opts);
  }

  private async fitTransformers(X: Data, y: Data | undefined, opts: ComputeOptions, who: string): Promise<Data> {
    let xt: Data = X;
    for (const [name, e] of this.stepList.slice(0, -1)) {
      if (e === 'passthrough') continue;
      if (!isTransformer(e)) throw new TypeError(`${who}: step '${name}' (${nameOf(e)}) is not a transformer (no transform()), so it can only be the last step`);
      await fitEstimator(e, xt, y, opts, who);
      xt = e.transform(xt);
    }
    return xt;
  }

  /** X through the first `k` steps. */
  private through(X: Data, k: number, method: string): ChunkedArray<NDArray> {
    let xt: Data = X;
    for (const [name, e] of this.stepList.slice(0, k)) {
      if (e === 'passthrough') continue;
      if (!isTransformer(e)) throw new TypeError(`Pipeline.${method}: step '${name}' (${nameOf(e)}) has no transform()`);
      xt = e.transform(xt);
    }
    return xt as ChunkedArray<NDArray>;
  }

  private final(method: 'predict' | 'predictProba' | 'decisionFunction', X: Data): ChunkedArray<NDArray> {
    const last = this.finalEstimator as unknown as Record<string, unknown>;
    if (typeof last[method] !== 'function' || (method === 'predict' && !isPredictor(last))) throw new TypeError(`Pipeline.${method}: the final step (${nameOf(last)}) has no ${method}()`);
    return (last[method] as (x: Data) => ChunkedArray<NDArray>).call(last, this.through(X, this.stepList.length - 1, method));
  }
}

function checkStep(e: unknown, name: string, who: string): PipelineStep {
  if (e === 'passthrough' || isEstimator(e)) return e;
  throw new TypeError(`${who}: step '${name}' must be an estimator (with fit and getParams) or 'passthrough', got ${nameOf(e)}`);
}

function checkSteps(steps: readonly (readonly [string, PipelineStep])[], who: string): [string, PipelineStep][] {
  if (!Array.isArray(steps) || steps.length === 0) throw new TypeError(`${who}: steps must be a non-empty list of [name, estimator] pairs`);
  const seen = new Set<string>();
  return steps.map((s, i) => {
    if (!Array.isArray(s) || s.length !== 2 || typeof s[0] !== 'string') throw new TypeError(`${who}: step ${i} must be a [name, estimator] pair`);
    const name = s[0];
    if (seen.has(name)) throw new TypeError(`${who}: step names must be unique; '${name}' is repeated`);
    if (name.includes('__')) throw new TypeError(`${who}: step name '${name}' must not contain '__' (it separates a step from its parameter)`);
    if (name === 'steps') throw new TypeError(`${who}: 'steps' cannot name a step (it is the pipeline's own parameter)`);
    seen.add(name);
    return [name, checkStep(s[1], name, who)];
  });
}

/**
 * A Pipeline whose step names are the lower-cased class names (scikit-learn's make_pipeline): a
 * name used more than once gets '-1', '-2', ... in order.
 */
export function makePipeline(...steps: PipelineStep[]): Pipeline {
  const base = steps.map((e) => (e === 'passthrough' ? 'passthrough' : nameOf(e).toLowerCase()));
  const count = new Map<string, number>();
  for (const b of base) count.set(b, (count.get(b) ?? 0) + 1);
  const used = new Map<string, number>();
  return new Pipeline(
    steps.map((e, i) => {
      const b = base[i];
      if (count.get(b)! === 1) return [b, e] as const;
      const k = (used.get(b) ?? 0) + 1;
      used.set(b, k);
      return [`${b}-${k}`, e] as const;
    }),
  );
}

/**
 * Transformed data up to this size are computed once before the final estimator's fit: an
 * iterative fit (L-BFGS, Newton, Lloyd) reads its input once per pass, and the lazy transform
 * would otherwise run again on every pass. Larger data stay lazy, so that they need not fit in memory.
 */
const HOLD_BYTES = 2 ** 30;

async function heldForFit(xt: Data, X: Data, opts: ComputeOptions): Promise<Data> {
  if (xt === X || typeof (xt as ChunkedArray<NDArray>).persist !== 'function') return xt;
  const a = xt as ChunkedArray<NDArray>;
  return a.nbytes <= HOLD_BYTES ? a.persist(scheduleFor([a], opts)) : a;
}
