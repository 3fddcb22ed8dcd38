/**
 * Regression metrics. They are async (they compute), like `score`: each is one graph over both
 * arrays, so y and the predictions are produced once even when several sums read them.
 */
import { absolute, mean, multiply, subtract, sum, variance as varOf, type ChunkedArray } from '@pdask/array';
import { checkComputeOptions, computeCollections, type ComputeOptions } from '@pdask/core';
import { scheduleFor } from '../graph/schedule';
import { asPair, type Data } from '../validate';

export async function meanSquaredError(yTrue: Data, yPred: Data, opts: ComputeOptions = {}): Promise<number> {
  checkComputeOptions(opts, 'meanSquaredError');
  const [t, p] = asPair(yTrue, yPred, 'meanSquaredError');
  const e = subtract(t, p);
  return (mean(multiply(e, e)) as ChunkedArray<number>).compute(scheduleFor([t, p], opts));
}

export async function meanAbsoluteError(yTrue: Data, yPred: Data, opts: ComputeOptions = {}): Promise<number> {
  checkComputeOptions(opts, 'meanAbsoluteError');
  const [t, p] = asPair(yTrue, yPred, 'meanAbsoluteError');
  return (mean(absolute(subtract(t, p))) as ChunkedArray<number>).compute(scheduleFor([t, p], opts));
}

/**
 * R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)². A constant yTrue gives 1 for perfect predictions and 0
 * otherwise (scikit-learn's `force_finite`).
 */
export async function r2Score(yTrue: Data, yPred: Data, opts: ComputeOptions = {}): Promise<number> {
  checkComputeOptions(opts, 'r2Score');
  const [t, p] = asPair(yTrue, yPred, 'r2Score');
  const e = subtract(t, p);
  const sse = sum(multiply(e, e)) as ChunkedArray<number>;
  // The variance's tree reduction (Chan's merge of {count, mean, M2}) avoids Σy² - (Σy)²/n cancellation.
  const v = varOf(t) as ChunkedArray<number>;
  const [res, variance] = (await computeCollections([sse, v], scheduleFor([t, p], opts))) as [number, number];
  const tot = variance * t.shape[0];
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}
