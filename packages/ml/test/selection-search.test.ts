/** GridSearchCV / RandomizedSearchCV / crossValScore against scikit-learn 1.2, and the sharing of pipeline prefixes. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crossValScore, GridSearchCV, KFold, LogisticRegression, makePipeline, MinMaxScaler, Pipeline, RandomizedSearchCV, StandardScaler, logUniform } from '../src/index';
import { closePoolsAfterAll, expectClose, mat, vec } from './helpers';
import { sx } from './selection-helpers';

closePoolsAfterAll();
const G = sx.grid;
const X = mat(G.X, 100);
const y = vec(G.y, 100);
const pipe = () => makePipeline(new StandardScaler(), new LogisticRegression({ tol: 1e-8 }));

afterEach(() => vi.restoreAllMocks());

describe('GridSearchCV of StandardScaler + LogisticRegression on breast cancer (KFold(5), as scikit-learn)', () => {
  it.each([{ scheduler: 'sync' as const }, { scheduler: 'threads' as const }])('same scores, ranks and best C on $scheduler', async (opts) => {
    const scalerFits = vi.spyOn(StandardScaler.prototype, 'fit');
    const gs = await new GridSearchCV(pipe(), { logisticregression__C: G.Cs }, { cv: new KFold({ nSplits: 5 }) }).fit(X, y, opts);
    expect(gs.bestParams).toEqual({ logisticregression__C: G.bestC });
    expect(gs.bestIndex).toBe(G.Cs.indexOf(G.bestC));
    expect(gs.bestScore).toBeCloseTo(G.bestScore, 12);
    expectClose(gs.cvResults.meanTestScore, G.meanTestScore, 1e-6, 'meanTestScore');
    expectClose(gs.cvResults.stdTestScore, G.stdTestScore, 1e-6, 'stdTestScore');
    expect(Array.from(gs.cvResults.rankTestScore)).toEqual(G.rankTestScore);
    for (let f = 0; f < 5; f++) expectClose(gs.cvResults[`split${f}TestScore`], G.Cs.map((_, c) => G.splitTestScores[f][c]), 1e-12, `split${f}`);
    expect(gs.cvResults.params.map((p) => p.logisticregression__C)).toEqual(G.Cs);
    expect(gs.cvResults.paramValues.logisticregression__C).toEqual(G.Cs);
    // The scaler step has the same parameters in every candidate: fitted once per fold (5), plus the refit.
    expect(scalerFits).toHaveBeenCalledTimes(6);
    expect(gs.nFits).toBe(5 + 5 * G.Cs.length);
    const best = gs.bestEstimator as Pipeline;
    expectClose((best.finalEstimator as LogisticRegression).coef, G.bestCoef, 1e-5, 'refit coef');
  });

  it.each([{ rows: 100 }, { rows: 37 }])('crossValScore matches cross_val_score (row blocks of $rows)', async ({ rows }) => {
    const X = mat(G.X, rows);
    const y = vec(G.y, rows);
    const s = await crossValScore(makePipeline(new StandardScaler(), new LogisticRegression({ C: 0.1, tol: 1e-8 })), X, y, { cv: new KFold({ nSplits: 5 }), scheduler: 'sync' });
    expectClose(s, G.crossValScore, 1e-12, 'crossValScore');
  });
});

describe('shared prefixes', () => {
  it('a prefix is fitted once per fold and distinct prefixes separately', async () => {
    const std = vi.spyOn(StandardScaler.prototype, 'fit');
    const mm = vi.spyOn(MinMaxScaler.prototype, 'fit');
    const lr = vi.spyOn(LogisticRegression.prototype, 'fit');
    const p = new Pipeline([
      ['scale', new StandardScaler()],
      ['mm', new MinMaxScaler()],
      ['clf', new LogisticRegression()],
    ]);
    // 2 x 2 candidates for the scaler and 3 for C: 12 candidates over 3 folds.
    const grid = { scale__withMean: [true, false], mm__featureRange: [[0, 1], [-1, 1]], clf__C: [0.1, 1, 10] };
    const gs = await new GridSearchCV(p, grid, { cv: 3, refit: false }).fit(X, y, { scheduler: 'sync' });
    expect(std).toHaveBeenCalledTimes(2 * 3);
    expect(mm).toHaveBeenCalledTimes(4 * 3);
    expect(lr).toHaveBeenCalledTimes(12 * 3);
    expect(gs.nFits).toBe(6 + 12 + 36);
    expect(() => gs.bestEstimator).toThrow('no bestEstimator with refit: false');
    // Without sharing every candidate would refit both scalers: 36 + 36 + 36.
    const noShare = 3 * 12 * 3;
    expect(gs.nFits).toBeLessThan(noShare);
  });

  it('each candidate scores as its own pipeline fitted alone would', async () => {
    const p = makePipeline(new StandardScaler(), new LogisticRegression({ tol: 1e-8 }));
    const gs = await new GridSearchCV(p, { standardscaler__withStd: [true, false], logisticregression__C: [0.01, 1] }, { cv: new KFold({ nSplits: 3 }), refit: false }).fit(X, y, { scheduler: 'sync' });
    const folds = [...new KFold({ nSplits: 3 }).split(G.X.length)];
    for (const [c, params] of gs.cvResults.params.entries()) {
      for (const [f, { train, test }] of folds.entries()) {
        const alone = makePipeline(new StandardScaler({ withStd: params.standardscaler__withStd as boolean }), new LogisticRegression({ tol: 1e-8, C: params.logisticregression__C as number }));
        await alone.fit(X.slice(train, ':'), y.slice(train), { scheduler: 'sync' });
        expect(gs.cvResults[`split${f}TestScore`][c]).toBe(await alone.score(X.slice(test, ':'), y.slice(test)));
      }
    }
  });
});

describe('RandomizedSearchCV', () => {
  it('lists only: draws without replacement from the grid, seeded', async () => {
    const a = new RandomizedSearchCV(pipe(), { logisticregression__C: G.Cs }, { nIter: 3, seed: 4, cv: new KFold({ nSplits: 5 }) });
    const b = new RandomizedSearchCV(pipe(), { logisticregression__C: G.Cs }, { nIter: 3, seed: 4 });
    const cs = (await a.fit(X, y, { scheduler: 'sync' })).cvResults.params.map((p) => p.logisticregression__C as number);
    expect(new Set(cs).size).toBe(3);
    for (const c of cs) expect(G.Cs).toContain(c);
    const sel = G.Cs.map((c, i) => [c, G.meanTestScore[i]] as const).filter(([c]) => cs.includes(c));
    expectClose(a.cvResults.meanTestScore, cs.map((c) => sel.find(([d]) => d === c)![1]), 1e-6, 'meanTestScore');
    expect((b as unknown as { drawn: unknown }).drawn).toEqual(a.cvResults.params);
    // nIter beyond the grid's size is capped (scikit-learn does so too).
    const all = new RandomizedSearchCV(pipe(), { logisticregression__C: G.Cs }, { nIter: 50, seed: 1 });
    expect((all as unknown as { drawn: unknown[] }).drawn).toHaveLength(G.Cs.length);
  });

  it('distributions draw within their range', () => {
    const r = new RandomizedSearchCV(pipe(), { logisticregression__C: logUniform(1e-3, 1e2), standardscaler__withMean: [true, false] }, { nIter: 20, seed: 7 });
    const drawn = (r as unknown as { drawn: { logisticregression__C: number }[] }).drawn;
    expect(drawn).toHaveLength(20);
    for (const d of drawn) expect(d.logisticregression__C).toBeGreaterThanOrEqual(1e-3), expect(d.logisticregression__C).toBeLessThanOrEqual(1e2);
  });
});

describe('search errors', () => {
  it('misspelt parameters are refused when the search is built', () => {
    expect(() => new GridSearchCV(pipe(), { logisticregression__c: [1] })).toThrow(/LogisticRegression: unknown option 'c'/);
    expect(() => new GridSearchCV(pipe(), { logistic__C: [1] })).toThrow("Pipeline.setParams: no step named 'logistic' (steps: standardscaler, logisticregression) for parameter 'logistic__C'");
    expect(() => new GridSearchCV(pipe(), { logisticregression__C: [] })).toThrow("parameter 'logisticregression__C' must have a non-empty list of values");
    expect(() => new GridSearchCV(pipe(), {}, { cv: 1 })).toThrow("GridSearchCV: option 'cv' must be an integer >= 2 or a splitter");
  });
  it('results before fit name the method', () => {
    expect(() => new GridSearchCV(pipe(), { logisticregression__C: [1] }).bestParams).toThrow("GridSearchCV is not fitted yet: call 'await model.fit(X, y)' before 'bestParams'");
  });
});
