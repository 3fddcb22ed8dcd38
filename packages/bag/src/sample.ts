/** randomSample: Dask's random_sample, drawing what Dask draws for the same seed. */
import { checkOptions, lit, ref, type OptionSchema } from '@pdask/core';
import type { Bag } from './bag';
import { bagOps } from './ops';
import { partitionStates, PythonRandom } from './ops/python-random';
import { partitionwise } from './partitionwise';

export interface RandomSampleOptions {
  /**
   * An integer (number or bigint) seeding Python's `random.Random`, as Dask's `random_state`: the
   * same seed keeps the same elements as Dask. Default: a seed from the system's random source.
   */
  randomState?: number | bigint;
}

const RANDOM_SAMPLE_OPTIONS: OptionSchema<RandomSampleOptions> = {
  randomState: (v) => (typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v)) ? undefined : 'an integer (a safe-integer number or a bigint)'),
};

function freshSeed(): bigint {
  const words = crypto.getRandomValues(new Uint32Array(4));
  return words.reduce((acc, w) => (acc << 32n) | BigInt(w), 0n);
}

export function randomSample<T>(bag: Bag<T>, prob: number, options: RandomSampleOptions | undefined): Bag<T> {
  const opts = checkOptions('Bag.randomSample', options, RANDOM_SAMPLE_OPTIONS);
  if (typeof prob !== 'number' || !(prob >= 0 && prob <= 1)) throw new RangeError(`Bag.randomSample: prob must be a number in the interval [0, 1], got ${String(prob)}`);
  const seed = opts.randomState === undefined ? freshSeed() : BigInt(opts.randomState);
  const states = partitionStates(PythonRandom.seeded(seed), bag.npartitions);
  return partitionwise<T>([bag], {
    kind: 'random-sample',
    token: [prob, String(seed)],
    npartitions: bag.npartitions,
    task: (key, i) => bagOps.randomSamplePartition.task(key, ref(bag.key(i)), lit(states[i]), lit(prob)),
  });
}
