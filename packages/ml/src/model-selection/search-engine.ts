/**
 * The work of a cross-validated search as one plan: a node per (fold, pipeline prefix with its
 * parameters). Candidates whose first steps have the same parameters share those nodes in each
 * fold, so a prefix is fitted once per fold however many candidates continue from it (Dask-ML's
 * "avoid repeated work"). Nodes are promises in one table keyed by (fold, prefix): whichever
 * candidate reaches a node first fits it, the others await the same fit. A fitted transformer's
 * output on the training rows is persisted, since the steps after it read it on every pass.
 */
import { type ChunkedArray, type NDArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { clone, fitEstimator, isTransformer, nameOf, withParams, type BaseEstimator, type Estimator, type Params } from '../base/estimator';
import { scheduleFor } from '../graph/schedule';
import { Pipeline, type PipelineStep } from '../pipeline/pipeline';
import type { Fold } from './kfold';
import { scoreWith, type Scoring } from './scoring';

export interface EngineInput {
  readonly x: ChunkedArray<unknown>;
  readonly y: ChunkedArray<unknown> | undefined;
  readonly folds: readonly Fold[];
  readonly scoring: Scoring | undefined;
  readonly returnTrainScore: boolean;
  readonly opts: ComputeOptions;
  readonly who: string;
}

export interface EngineResult {
  /** test[c][f]: candidate c's score on fold f. */
  readonly test: number[][];
  readonly train: number[][] | null;
  /** Estimator fits run (a shared prefix counts once per fold). */
  readonly fits: number;
}

interface NodeOut {
  readonly est: BaseEstimator | null;
  readonly xTrain: ChunkedArray<unknown>;
  readonly xTest: ChunkedArray<unknown>;
}

/** The configured steps of a candidate: a pipeline's steps, or the estimator as one step. */
export function candidateSteps(base: Estimator | Pipeline, params: Params): [string, PipelineStep][] {
  if (base instanceof Pipeline) return (withParams(base, params) as Pipeline).steps;
  return [['estimator', withParams(base, params)]];
}

/** The same estimator wherever its parameters are equal: the key of a step (by value; objects without a value form by identity). */
function stepKey([name, e]: [string, PipelineStep]): string {
  if (e === 'passthrough') return `${name}=passthrough`;
  return `${name}=${nameOf(e)}${stable(e.getParams())}`;
}

const ids = new WeakMap<object, number>();
let nextId = 0;
function stable(v: unknown): string {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? `${v}n` : String(v);
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (Object.getPrototypeOf(v) === Object.prototype) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  if (ArrayBuffer.isView(v)) return `${nameOf(v)}[${Array.from(v as unknown as ArrayLike<number>).join(',')}]`;
  let id = ids.get(v);
  if (id === undefined) ids.set(v, (id = ++nextId));
  return `#${nameOf(v)}${id}`;
}

export async function runSearch(base: Estimator | Pipeline, candidates: readonly Params[], inp: EngineInput): Promise<EngineResult> {
  const nodes = new Map<string, Promise<NodeOut>>();
  let fits = 0;
  const { x, y, opts, who } = inp;
  const sched = scheduleFor(y ? [x, y] : [x], opts);
  const foldData = inp.folds.map((f) => ({
    xTrain: x.slice(f.train, ':') as ChunkedArray<unknown>,
    xTest: x.slice(f.test, ':') as ChunkedArray<unknown>,
    yTrain: y?.slice(f.train) as ChunkedArray<unknown> | undefined,
    yTest: y?.slice(f.test) as ChunkedArray<unknown> | undefined,
  }));

  const node = (fold: number, steps: [string, PipelineStep][], i: number): Promise<NodeOut> => {
    const key = `${fold}|${steps.slice(0, i + 1).map(stepKey).join('|')}`;
    let p = nodes.get(key);
    if (!p) {
      p = (async () => {
        const prev: NodeOut = i === 0 ? { est: null, xTrain: foldData[fold].xTrain, xTest: foldData[fold].xTest } : await node(fold, steps, i - 1);
        const [name, step] = steps[i];
        if (step === 'passthrough') return { ...prev, est: null };
        const est = clone(step);
        fits++;
        await fitEstimator(est, prev.xTrain, foldData[fold].yTrain, opts, who);
        if (i === steps.length - 1) return { est, xTrain: prev.xTrain, xTest: prev.xTest };
        if (!isTransformer(est)) throw new TypeError(`${who}: step '${name}' (${nameOf(est)}) is not a transformer (no transform()), so it can only be the last step`);
        const xTrain = await (est.transform(prev.xTrain) as ChunkedArray<NDArray>).persist(sched);
        return { est, xTrain, xTest: est.transform(prev.xTest) };
      })();
      nodes.set(key, p);
    }
    return p;
  };

  const score = async (c: Params, fold: number, onTrain: boolean): Promise<number> => {
    const steps = candidateSteps(base, c);
    const out = await node(fold, steps, steps.length - 1);
    if (!out.est) throw new TypeError(`${who}: the last step is 'passthrough', which cannot be scored`);
    const d = foldData[fold];
    return scoreWith(inp.scoring, out.est, (onTrain ? out.xTrain : out.xTest) as ChunkedArray<NDArray>, (onTrain ? d.yTrain : d.yTest) as ChunkedArray<unknown>, sched, who);
  };

  const test = await Promise.all(candidates.map((c) => Promise.all(inp.folds.map((_, f) => score(c, f, false)))));
  const train = inp.returnTrainScore ? await Promise.all(candidates.map((c) => Promise.all(inp.folds.map((_, f) => score(c, f, true))))) : null;
  return { test, train, fits };
}
