/**
 * The work of a cross-validated search as one plan: a node per (fold, pipeline prefix with its
 * parameters). Candidates whose first steps have the same parameters share those nodes in each
 * fold, so a prefix is fitted once per fold however many candidates continue from it (Dask-ML's
 * "avoid repeated work"). Nodes are promises in one table keyed by (fold, prefix): whichever
 * candidate reaches a node first fits it, the others await the same fit. A fitted transformer's
 * output on the training and test rows is persisted, since the steps after it read the one on
 * every pass and the other for every candidate's score.
 */
import { type ChunkedArray, type NDArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { clone, fitEstimator, isTransformer, nameOf, withParams, type BaseEstimator, type Estimator, type Params } from '../base/estimator';
import { scheduleFor } from '../graph/schedule';
import { Pipeline, type PipelineStep } from '../pipeline/pipeline';
import type { Fold } from './kfold';
import { scoreWith, type Scoring } from './scoring';
import { foldRows } from './fold-rows';

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
  // Built once per fold. y's rows are read on every pass of every fit and score, so they are
  // persisted; X's rows are persisted after the first transformer (below), or here when the
  // estimator reads them directly, on every pass.
  const foldData = inp.folds.map((f) => ({
    xTrain: foldRows(x, f.train),
    xTest: foldRows(x, f.test),
    yTrain: y && persisted(foldRows(y, f.train)),
    yTest: y && persisted(foldRows(y, f.test)),
  }));
  function persisted(a: ChunkedArray<unknown>): Promise<ChunkedArray<unknown>> {
    return (a as ChunkedArray<NDArray>).persist(sched);
  }
  const rawTrain = new Map<number, Promise<ChunkedArray<unknown>>>();
  const trainRows = (fold: number): Promise<ChunkedArray<unknown>> => {
    let p = rawTrain.get(fold);
    if (!p) rawTrain.set(fold, (p = persisted(foldData[fold].xTrain)));
    return p;
  };

  const node = (fold: number, steps: [string, PipelineStep][], i: number): Promise<NodeOut> => {
    const key = `${fold}|${steps.slice(0, i + 1).map(stepKey).join('|')}`;
    let p = nodes.get(key);
    if (!p) {
      p = (async () => {
        const [name, step] = steps[i];
        const last = i === steps.length - 1;
        const prev: NodeOut =
          i > 0 ? await node(fold, steps, i - 1) : { est: null, xTrain: last && step !== 'passthrough' ? await trainRows(fold) : foldData[fold].xTrain, xTest: foldData[fold].xTest };
        if (step === 'passthrough') return { ...prev, est: null };
        const est = clone(step);
        fits++;
        await fitEstimator(est, prev.xTrain, await foldData[fold].yTrain, opts, who);
        if (last) return { est, xTrain: prev.xTrain, xTest: prev.xTest };
        if (!isTransformer(est)) throw new TypeError(`${who}: step '${name}' (${nameOf(est)}) is not a transformer (no transform()), so it can only be the last step`);
        // Every candidate continuing from here reads both on every pass (training) or score (test).
        const [xTrain, xTest] = await Promise.all([persisted(est.transform(prev.xTrain)), persisted(est.transform(prev.xTest))]);
        return { est, xTrain, xTest };
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
    return scoreWith(inp.scoring, out.est, (onTrain ? out.xTrain : out.xTest) as ChunkedArray<NDArray>, (await (onTrain ? d.yTrain : d.yTest)) as ChunkedArray<unknown>, sched, who);
  };

  const test = await Promise.all(candidates.map((c) => Promise.all(inp.folds.map((_, f) => score(c, f, false)))));
  const train = inp.returnTrainScore ? await Promise.all(candidates.map((c) => Promise.all(inp.folds.map((_, f) => score(c, f, true))))) : null;
  return { test, train, fits };
}
