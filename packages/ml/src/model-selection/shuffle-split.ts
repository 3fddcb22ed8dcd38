/**
 * ShuffleSplit: nSplits independent random train/test splits (scikit-learn's sizes: the test
 * size rounds up, the training size down). Permutations come from seeded streams, not NumPy's.
 */
import { checkOptions, type OptionSchema } from '@pdask/core';
import { Stream } from '../random';
import { rules, seedOf } from '../validate';
import type { Fold } from './kfold';
import type { Splitter } from './splitter';

export interface ShuffleSplitOptions {
  /** Number of splits (default 10). */
  nSplits?: number;
  /** Fraction in (0, 1) or a count of test samples (default 0.1, or the rest of trainSize). */
  testSize?: number;
  /** Fraction in (0, 1) or a count of training samples (default: the rest). */
  trainSize?: number;
  seed?: number;
}

const size = (v: unknown) => (typeof v === 'number' && ((v > 0 && v < 1) || (Number.isInteger(v) && v >= 1)) ? undefined : 'a fraction in (0, 1) or a positive integer count');
const OPTIONS: OptionSchema<ShuffleSplitOptions> = { nSplits: rules.positiveInt, testSize: size, trainSize: size, seed: rules.seed };

export class ShuffleSplit implements Splitter {
  readonly nSplits: number;
  readonly testSize: number | undefined;
  readonly trainSize: number | undefined;
  readonly seed: number;

  constructor(opts: ShuffleSplitOptions = {}) {
    checkOptions('ShuffleSplit', opts, OPTIONS);
    this.nSplits = opts.nSplits ?? 10;
    this.testSize = opts.testSize;
    this.trainSize = opts.trainSize;
    // Fixed once, so split() gives the same folds every time it is called (the searches call it once per use).
    this.seed = seedOf(opts.seed);
  }

  getNSplits(): number {
    return this.nSplits;
  }

  /** scikit-learn's `_validate_shuffle_split`. */
  sizes(n: number): [number, number] {
    const count = (v: number, up: boolean) => (v < 1 ? (up ? Math.ceil(v * n) : Math.floor(v * n)) : v);
    const test = this.testSize === undefined ? (this.trainSize === undefined ? Math.ceil(0.1 * n) : n - count(this.trainSize, false)) : count(this.testSize, true);
    const train = this.trainSize === undefined ? n - test : count(this.trainSize, false);
    if (test < 1 || train < 1 || train + test > n) throw new RangeError(`ShuffleSplit.split: ${train} training and ${test} test samples do not fit in ${n} samples`);
    return [train, test];
  }

  *split(n: number): Generator<Fold> {
    const [nTrain, nTest] = this.sizes(n);
    for (let s = 0; s < this.nSplits; s++) {
      const rng = new Stream(this.seed, s);
      const order = Int32Array.from({ length: n }, (_, i) => i);
      // Only the first nTest + nTrain places of a Fisher-Yates shuffle are needed.
      for (let i = 0; i < nTest + nTrain; i++) {
        const j = i + rng.below(n - i);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      yield { test: order.slice(0, nTest).sort(), train: order.slice(nTest, nTest + nTrain).sort() };
    }
  }
}
