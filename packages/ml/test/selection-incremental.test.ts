/**
 * Incremental, ParallelPostFit, SuccessiveHalvingSearchCV and HyperbandSearchCV over a small
 * partialFit estimator defined here (an exponential moving average of the targets' block means),
 * whose every state is computable by hand.
 */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { halvingSchedule, HyperbandSearchCV, Incremental, ParallelPostFit, StandardScaler, SuccessiveHalvingSearchCV, type Data } from '../src/index';
import { closePoolsAfterAll, flat, vec } from './helpers';

closePoolsAfterAll();

/** m ← m + lr · (mean of the block's y − m); predicts m; scores −MSE. */
class MovingMean {
  readonly estimatorType = 'regressor' as const;
  readonly lr: number;
  m = 0;
  calls: number[][] = [];
  static totalCalls = 0;
  constructor(opts: { lr?: number } = {}) {
    this.lr = opts.lr ?? 0.5;
  }
  getParams() {
    return { lr: this.lr };
  }
  async fit(X: Data, y: Data): Promise<this> {
    this.m = 0;
    return this.partialFit(X, y);
  }
  async partialFit(_X: Data, y?: Data | ComputeOptions): Promise<this> {
    const v = flat(await (y as da.ChunkedArray).compute({ scheduler: 'sync' }));
    this.calls.push(v);
    MovingMean.totalCalls++;
    this.m += this.lr * (v.reduce((a, b) => a + b, 0) / v.length - this.m);
    return this;
  }
  predict(X: Data): da.ChunkedArray<da.NDArray> {
    const x = X as da.ChunkedArray;
    return da.full([x.shape[0]], this.m, { chunks: [x.chunks[0] as number[]] }) as da.ChunkedArray<da.NDArray>;
  }
  async score(_X: Data, y: Data): Promise<number> {
    const v = flat(await (y as da.ChunkedArray).compute({ scheduler: 'sync' }));
    return -v.reduce((s, t) => s + (t - this.m) ** 2, 0) / v.length;
  }
}

const n = 60;
const X = da.fromArray(Float64Array.from({ length: n * 2 }, (_, i) => i), { shape: [n, 2], chunks: [10, 2] });
const yv = Array.from({ length: n }, (_, i) => 10 + (i % 3));
const y = vec(yv, 10);

describe('Incremental', () => {
  it('partialFit over every block once, in order without shuffle; from a fresh clone on fit', async () => {
    const inc = new Incremental(new MovingMean({ lr: 0.5 }), { shuffleBlocks: false });
    await inc.fit(X, y);
    const est = inc.estimator;
    expect(est.calls.map((c) => c.length)).toEqual([10, 10, 10, 10, 10, 10]);
    expect(est.calls.flat()).toEqual(yv);
    let m = 0;
    for (let b = 0; b < 6; b++) m += 0.5 * (yv.slice(b * 10, b * 10 + 10).reduce((a, c) => a + c, 0) / 10 - m);
    expect(est.m).toBeCloseTo(m, 14);
    expect(flat(await inc.predict(X).compute())).toEqual(new Array(n).fill(m));
    await inc.fit(X, y);
    expect(inc.estimator).not.toBe(est);
    expect(inc.estimator.calls).toHaveLength(6);
    await inc.partialFit(X, y);
    expect(inc.estimator.calls).toHaveLength(12);
  });

  it('shuffleBlocks: every block once, in a seeded order', async () => {
    const a = await new Incremental(new MovingMean(), { seed: 3 }).fit(X, y);
    const b = await new Incremental(new MovingMean(), { seed: 3 }).fit(X, y);
    expect(a.estimator.calls).toEqual(b.estimator.calls);
    expect(a.estimator.calls.flat().sort()).toEqual([...yv].sort());
    expect(new Incremental(new MovingMean(), { seed: 3 }).getParams()).toMatchObject({ estimator__lr: 0.5, shuffleBlocks: true, seed: 3 });
    expect(() => new Incremental(new StandardScaler() as never)).toThrow('Incremental: StandardScaler has no partialFit()');
  });

  it('ParallelPostFit delegates fit and predictions', async () => {
    const p = await new ParallelPostFit(new MovingMean({ lr: 1 })).fit(X, y);
    expect(p.estimator.m).toBeCloseTo(yv.reduce((a, b) => a + b, 0) / n, 12); // fit is one partialFit over all rows, lr 1
    expect(await p.score(X, y)).toBeCloseTo(-yv.reduce((s, t) => s + (t - p.estimator.m) ** 2, 0) / n, 12);
    p.setParams({ estimator__lr: 0.25 });
    expect(p.estimator.lr).toBe(0.25);
    expect(() => p.transform(X)).toThrow('ParallelPostFit.transform: MovingMean has no transform()');
  });
});

describe('successive halving', () => {
  it('schedules: survivors and calls per round (Dask-ML semantics)', () => {
    expect(halvingSchedule(9, 1, 3, 9)).toEqual([{ models: 9, calls: 1 }, { models: 3, calls: 3 }, { models: 1, calls: 9 }]);
    expect(halvingSchedule(10, 2, 3, 1000)).toEqual([{ models: 10, calls: 2 }, { models: 3, calls: 6 }, { models: 1, calls: 18 }]);
    expect(halvingSchedule(5, 3, 3, 9)).toEqual([{ models: 5, calls: 3 }, { models: 1, calls: 9 }]);
    // floor(2 / 3) = 0 candidates would go on: the run ends after the first round (Dask-ML's _simulate_sha).
    expect(halvingSchedule(2, 4, 3, 100)).toEqual([{ models: 2, calls: 4 }]);
    expect(halvingSchedule(10, 1, 2, 100).map((r) => r.models)).toEqual([10, 5, 2, 1]);
  });

  it('trains every candidate to the round\'s calls and keeps the best scored', async () => {
    MovingMean.totalCalls = 0;
    const lrs = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1];
    const s = new SuccessiveHalvingSearchCV(new MovingMean(), { lr: lrs }, { nInitialParameters: 9, nInitialIter: 1, aggressiveness: 3, maxIter: 9, seed: 1 });
    expect(s.metadata).toEqual({ nModels: 9, partialFitCalls: 9 + 3 * 2 + 6, brackets: [{ bracket: 0, nModels: 9, partialFitCalls: 21 }] });
    await s.fit(X, y);
    expect(MovingMean.totalCalls).toBe(21);
    expect([...s.cvResults.params.map((p) => p.lr as number)].sort((a, b) => a - b)).toEqual(lrs);
    expect([...s.cvResults.partialFitCalls].sort((a, b) => a - b)).toEqual([1, 1, 1, 1, 1, 1, 3, 3, 9]);
    // After round 0 the three best scores go on; after round 1 the best one.
    const round0 = s.history.filter((h) => h.partialFitCalls === 1);
    const top3 = [...round0].sort((a, b) => b.score - a.score).slice(0, 3).map((h) => h.model).sort();
    expect(s.history.filter((h) => h.partialFitCalls === 3).map((h) => h.model).sort()).toEqual(top3);
    const round1 = s.history.filter((h) => h.partialFitCalls === 3);
    const best = [...round1].sort((a, b) => b.score - a.score)[0].model;
    expect(s.history.filter((h) => h.partialFitCalls === 9).map((h) => h.model)).toEqual([best]);
    expect(s.bestIndex).toBe(best);
    // A moving mean with a larger rate gets nearer the targets' mean sooner: the largest rates win.
    expect(s.bestParams.lr).toBeGreaterThanOrEqual(0.5);
    const again = await new SuccessiveHalvingSearchCV(new MovingMean(), { lr: lrs }, { nInitialParameters: 9, nInitialIter: 1, maxIter: 9, seed: 1 }).fit(X, y);
    expect(again.cvResults.params).toEqual(s.cvResults.params);
  });
});

describe('HyperbandSearchCV', () => {
  it("brackets as Dask-ML's: maxIter 9, aggressiveness 3", async () => {
    const h = new HyperbandSearchCV(new MovingMean(), { lr: [0.1, 0.2, 0.4, 0.8] }, { maxIter: 9, seed: 2 });
    // sMax = 2: brackets of 9 models from 1 call, 5 from 3, 3 from 9.
    expect(h.metadata.brackets).toEqual([
      { bracket: 2, nModels: 9, partialFitCalls: 21 },
      { bracket: 1, nModels: 5, partialFitCalls: 5 * 3 + 6 },
      { bracket: 0, nModels: 3, partialFitCalls: 27 },
    ]);
    MovingMean.totalCalls = 0;
    await h.fit(X, y);
    expect(MovingMean.totalCalls).toBe(h.metadata.partialFitCalls);
    expect(h.cvResults.params).toHaveLength(17);
    expect(Array.from(h.cvResults.bracket)).toEqual([...new Array(9).fill(2), ...new Array(5).fill(1), ...new Array(3).fill(0)]);
    expect(Math.max(...h.cvResults.partialFitCalls)).toBe(9);
    expect(h.bestScore).toBe(Math.max(...h.cvResults.testScore));
    expect(new HyperbandSearchCV(new MovingMean(), { lr: [1] }, { maxIter: 27 }).metadata.brackets.map((b) => b.bracket)).toEqual([3, 2, 1, 0]);
  });

  it('errors', () => {
    expect(() => new HyperbandSearchCV(new MovingMean(), { lr: [1] }, {})).toThrow('HyperbandSearchCV: option maxIter is required');
    expect(() => new SuccessiveHalvingSearchCV(new MovingMean(), { lr: [1] }, {})).toThrow('SuccessiveHalvingSearchCV: option nInitialIter is required');
    expect(() => new HyperbandSearchCV(new MovingMean(), { lr: [1] }, { maxIter: 9, aggressiveness: 1 })).toThrow("HyperbandSearchCV: option 'aggressiveness' must be a number > 1, got 1");
    expect(() => new HyperbandSearchCV(new MovingMean(), { lr: [1] }, { maxIter: 9, patience: 3 } as never)).toThrow("HyperbandSearchCV: option 'patience' is not supported");
    expect(() => new HyperbandSearchCV(new StandardScaler() as never, { lr: [1] }, { maxIter: 9 })).toThrow('HyperbandSearchCV: the estimator must have partialFit()');
    // A misspelt option is named against every option of the class, its own and the shared ones.
    expect(() => new SuccessiveHalvingSearchCV(new MovingMean(), { lr: [1] }, { nInitialIters: 3 } as never)).toThrow(/unknown option 'nInitialIters' \(known: .*nInitialIter.*\); did you mean 'nInitialIter'\?/);
    expect(() => new Incremental(new MovingMean(), { shuffle: true } as never)).toThrow(/Incremental: unknown option 'shuffle' \(known: .*shuffleBlocks/);
  });
});
