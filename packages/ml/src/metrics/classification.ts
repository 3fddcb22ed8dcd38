/** Classification metrics (async: they compute). Labels compare as numbers (booleans as 0/1). */
import { equal, mean, type ChunkedArray } from '@pdask/array';
import { checkComputeOptions, type ComputeOptions } from '@pdask/core';
import { scheduleFor } from '../graph/schedule';
import { asPair, type Data } from '../validate';

/** The fraction of samples whose predicted label equals the true one. */
export async function accuracyScore(yTrue: Data, yPred: Data, opts: ComputeOptions = {}): Promise<number> {
  checkComputeOptions(opts, 'accuracyScore');
  const [t, p] = asPair(yTrue, yPred, 'accuracyScore');
  return (mean(equal(t, p)) as ChunkedArray<number>).compute(scheduleFor([t, p], opts));
}
