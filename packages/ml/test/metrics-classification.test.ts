/** Classification metrics, log-loss, ROC AUC, MAE and pairwise distances against scikit-learn 1.2 on fixed inputs. */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { confusionMatrix, euclideanDistances, f1Score, logLoss, meanAbsoluteError, pairwiseDistances, precisionScore, recallScore, rocAucScore } from '../src/index';
import { closePoolsAfterAll, expectClose, flat, mat, SCHEDULERS, vec } from './helpers';
import { sx } from './selection-helpers';

closePoolsAfterAll();
const m = sx.metrics as Record<string, number & number[] & number[][]>;
const near = (got: number, want: number, what: string) => expect(Math.abs(got - want), `${what}: got ${got}, expected ${want}`).toBeLessThanOrEqual(1e-12);

describe.each(SCHEDULERS)('metrics on $scheduler', (opts) => {
  it.each([1, 7, -1])('precision / recall / F1 / confusion matrix, blocks of %i', async (rows) => {
    const [bt, bp, mt, mp] = [vec(m.bt, rows), vec(m.bp, rows), vec(m.mt, rows), vec(m.mp, rows)];
    for (const average of ['binary', 'micro', 'macro', 'weighted'] as const) {
      near(await precisionScore(bt, bp, { average, ...opts }), m[`precisionB_${average}`], `precision ${average}`);
      near(await recallScore(bt, bp, { average, ...opts }), m[`recallB_${average}`], `recall ${average}`);
      near(await f1Score(bt, bp, { average, ...opts }), m[`f1B_${average}`], `f1 ${average}`);
      if (average === 'binary') continue;
      near(await precisionScore(mt, mp, { average, ...opts }), m[`precisionM_${average}`], `multiclass precision ${average}`);
      near(await recallScore(mt, mp, { average, ...opts }), m[`recallM_${average}`], `multiclass recall ${average}`);
      near(await f1Score(mt, mp, { average, ...opts }), m[`f1M_${average}`], `multiclass f1 ${average}`);
    }
    near(await precisionScore(bt, bp, { posLabel: 0, ...opts }), m.precisionB_pos0, 'precision posLabel 0');
    const cb = await confusionMatrix(bt, bp, opts);
    expect(cb.shape).toEqual([2, 2]);
    expect(flat(cb)).toEqual(m.confusionB.flat());
    expect(flat(await confusionMatrix(mt, mp, opts))).toEqual(m.confusionM.flat());
    expect(flat(await confusionMatrix(mt, mp, { labels: [3, 1], ...opts }))).toEqual(m.confusionMLabels.flat());
  });

  it.each([1, 7, -1])('ROC AUC (with ties), log-loss, MAE, blocks of %i', async (rows) => {
    near(await rocAucScore(vec(m.bt, rows), vec(m.score, rows), opts), m.rocAuc, 'roc auc with ties');
    near(await rocAucScore(vec(m.bt, rows), vec(m.probaB, rows), opts), m.rocAucProba, 'roc auc');
    near(await logLoss(vec(m.bt, rows), vec(m.probaB, rows), opts), m.logLossB, 'binary log-loss');
    near(await logLoss(vec(m.mt, rows), mat(m.probaM, rows), opts), m.logLossM, 'multiclass log-loss');
    expect(Math.abs((await logLoss(vec(m.mt, rows), mat(m.probaM, rows), { normalize: false, ...opts })) - m.logLossMSum)).toBeLessThanOrEqual(1e-10);
    near(await meanAbsoluteError(vec(m.rt, rows), vec(m.rp, rows), opts), m.mae, 'mae');
  });

  it.each([1, 5, -1])('pairwise distances, lazy, X blocks of %i', async (rows) => {
    const X = mat(m.PX, rows);
    const Y = mat(m.PY, 4);
    for (const metric of ['euclidean', 'manhattan', 'cosine'] as const) {
      const d = pairwiseDistances(X, Y, { metric });
      expect(d.shape).toEqual([m.PX.length, m.PY.length]);
      expect(d.chunks[0]).toEqual(X.chunks[0]);
      expectClose(flat(await d.compute(opts)), m[`pairwise_${metric}`].flat(), 1e-12, metric);
    }
    // X against itself: scikit-learn zeroes the diagonal, which the direct sums give exactly.
    expectClose(flat(await pairwiseDistances(X).compute(opts)), m.pairwiseSelf_euclidean.flat(), 1e-12, 'X with itself');
    expectClose(flat(await euclideanDistances(X, Y, { squared: true }).compute(opts)), m.euclideanSquared.flat(), 1e-12, 'squared');
  });
});

describe('metric details', () => {
  it('normalized confusion matrix, per-label scores, zeroDivision', async () => {
    const t = [0, 0, 1, 1, 2];
    const p = [0, 1, 1, 1, 0];
    // Rows: true 0 -> [1, 1, 0], true 1 -> [0, 2, 0], true 2 -> [1, 0, 0].
    expect(flat(await confusionMatrix(t, p, { normalize: 'true' }))).toEqual([0.5, 0.5, 0, 0, 1, 0, 1, 0, 0]);
    expect(flat(await confusionMatrix(t, p, { normalize: 'all' }))).toEqual([0.2, 0.2, 0, 0, 0.4, 0, 0.2, 0, 0]);
    // Label 2 is never predicted: precision 0/0 is zeroDivision.
    expect(Array.from(await precisionScore(t, p, { average: null }))).toEqual([0.5, 2 / 3, 0]);
    expect(Array.from(await precisionScore(t, p, { average: null, zeroDivision: 1 }))).toEqual([0.5, 2 / 3, 1]);
    expect(Array.from(await recallScore(t, p, { average: null }))).toEqual([0.5, 1, 0]);
  });

  it('empty blocks, int and bool labels, NaN refused', async () => {
    const withEmpty = (v: number[]) => da.fromArray(Float64Array.from(v), { chunks: [[0, 15, 0, v.length - 15]] });
    near(await f1Score(withEmpty(m.mt), withEmpty(m.mp), { average: 'macro' }), m.f1M_macro, 'f1 macro with empty blocks');
    expect(flat(await confusionMatrix(withEmpty(m.bt), withEmpty(m.bp)))).toEqual(m.confusionB.flat());
    near(await rocAucScore(withEmpty(m.bt), withEmpty(m.score)), m.rocAuc, 'roc auc with empty blocks');
    const X = da.fromArray(Float64Array.from(m.PX.flat()), { shape: [m.PX.length, 4], chunks: [[0, 6, 0, 7], [4]] });
    expectClose(flat(await pairwiseDistances(X, mat(m.PY, 4), { metric: 'manhattan' }).compute()), m.pairwise_manhattan.flat(), 1e-12, 'manhattan with empty blocks');
    const asInt = (v: number[]) => da.fromArray(Int32Array.from(v), { chunks: 9 });
    const asBool = (v: number[]) => da.fromArray(Uint8Array.from(v), { chunks: 9 }).astype('bool');
    near(await precisionScore(asInt(m.bt), asInt(m.bp)), m.precisionB_binary, 'int32 labels');
    near(await recallScore(asBool(m.bt), asBool(m.bp)), m.recallB_binary, 'bool labels');
    await expect(precisionScore([0, NaN, 1], [0, 1, 1])).rejects.toThrow('precisionScore: yTrue contains NaN (at 1)');
    await expect(rocAucScore([0, 1, 1], [0.1, NaN, 0.3])).rejects.toThrow('rocAucScore: yScore contains NaN (at 1)');
    await expect(logLoss([0, 1], [0.2, NaN])).rejects.toThrow('logLoss: yPred contains NaN (at 1)');
  });

  it('errors', async () => {
    await expect(precisionScore([0, 1, 2], [0, 1, 2])).rejects.toThrow("precisionScore: the targets have 3 labels (multiclass) but average is 'binary'");
    await expect(f1Score([0, 1], [0, 1], { posLabel: 5 })).rejects.toThrow('f1Score: posLabel 5 is not a valid label');
    await expect(rocAucScore([0, 1, 2], [0.1, 0.2, 0.3])).rejects.toThrow('rocAucScore: yTrue must hold exactly two labels (binary), got 3');
    await expect(logLoss([0, 1, 2], [0.1, 0.2, 0.3])).rejects.toThrow('logLoss: a 1-d yPred needs two labels, yTrue has 3');
    await expect(logLoss([0, 1], [[0.5, 0.5, 0]])).rejects.toThrow('logLoss: yTrue has 2 samples but yPred has 1');
    expect(() => pairwiseDistances(da.zeros([3, 2]), da.zeros([3, 4]))).toThrow('pairwiseDistances: X has 2 features but Y has 4');
    expect(() => pairwiseDistances(da.zeros([3, 2]), undefined, { metric: 'chebyshev' as never })).toThrow("pairwiseDistances: option 'metric' must be");
    await expect(confusionMatrix([0, 1], [0, 1], { sampleWeight: [1, 1] } as never)).rejects.toThrow("confusionMatrix: option 'sampleWeight' is not supported");
  });
});
