/** Scorers: how the searches and crossValScore turn a fitted model and held-out data into a number (higher is better). */
import type { ChunkedArray, NDArray } from '@pdask/array';
import type { ComputeOptions } from '@pdask/core';
import { hasScore, isPredictor, nameOf, type BaseEstimator } from '../base/estimator';
import { accuracyScore } from '../metrics/classification';
import { meanAbsoluteError, meanSquaredError, r2Score } from '../metrics/regression';
import type { Data } from '../validate';

/** A scorer function: the fitted model, held-out X (already through a pipeline's transformers when `final`) and y. */
export type ScorerFn = (estimator: BaseEstimator, X: ChunkedArray<NDArray>, y: ChunkedArray<unknown>, opts: ComputeOptions) => Promise<number>;

/** scikit-learn's scorer names in camelCase ('neg_mean_squared_error' is 'negMeanSquaredError'). */
export type ScoringName = 'accuracy' | 'r2' | 'negMeanSquaredError' | 'negMeanAbsoluteError';
export type Scoring = ScoringName | ScorerFn;

const SCORERS: Record<ScoringName, (yTrue: Data, yPred: Data, opts: ComputeOptions) => Promise<number>> = {
  accuracy: accuracyScore,
  r2: r2Score,
  negMeanSquaredError: async (t, p, o) => -(await meanSquaredError(t, p, o)),
  negMeanAbsoluteError: async (t, p, o) => -(await meanAbsoluteError(t, p, o)),
};

export const SCORING_NAMES = Object.keys(SCORERS) as ScoringName[];

export const scoringRule = (v: unknown): string | undefined => (typeof v === 'function' || SCORING_NAMES.includes(v as ScoringName) ? undefined : `a function or one of ${SCORING_NAMES.map((s) => `'${s}'`).join(', ')}`);

/** The score of a fitted model (its own `score` when no scoring is given, as scikit-learn). */
export async function scoreWith(scoring: Scoring | undefined, est: BaseEstimator, X: ChunkedArray<NDArray>, y: ChunkedArray<unknown>, opts: ComputeOptions, who: string): Promise<number> {
  if (typeof scoring === 'function') return scoring(est, X, y, opts);
  if (scoring === undefined) {
    if (!hasScore(est)) throw new TypeError(`${who}: ${nameOf(est)} has no score(); give a scoring`);
    return est.score(X, y, opts);
  }
  if (!isPredictor(est)) throw new TypeError(`${who}: scoring '${scoring}' needs predict(), which ${nameOf(est)} does not have`);
  return SCORERS[scoring](y, est.predict(X), opts);
}
