/**
 * KFold: k consecutive folds of the samples (after a seeded global permutation with `shuffle`),
 * each the test set once. Folds are positions (Int32Array, ascending), which `slice` turns into
 * lazy arrays block by block: `splitArrays` does it for X (and y).
 */
import type { ChunkedArray, NDArray } from '@pdask/array';
import { Stream } from '../random';
import { checkOptions, type OptionSchema } from '@pdask/core';
import { asMatrix, asTarget, rules, seedOf, type Data } from '../validate';

export interface KFoldOptions {
  /** Number of folds, ≥ 2 (default 5). */
  nSplits?: number;
  /** Permute the samples before cutting the folds (default false). */
  shuffle?: boolean;
  /** Seed of the permutation (with shuffle; default random). */
  seed?: number;
}

const KFOLD_OPTIONS: OptionSchema<KFoldOptions> = {
  nSplits: (v) => (!Number.isInteger(v) ? 'a positive integer' : (v as number) < 2 ? 'at least 2' : undefined),
  shuffle: 'boolean',
  seed: rules.seed,
};

export interface Fold {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

type Out = ChunkedArray<NDArray>;

export class KFold {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number | undefined;

  constructor(opts: KFoldOptions = {}) {
    checkOptions('KFold', opts, KFOLD_OPTIONS);
    this.nSplits = opts.nSplits ?? 5;
    this.shuffle = opts.shuffle ?? false;
    this.seed = opts.seed;
  }

  getNSplits(): number {
    return this.nSplits;
  }

  /** The folds of `n` samples (or of X's rows): scikit-learn's sizes, the first n % k folds one larger. */
  *split(X: Data | number): Generator<Fold> {
    const n = typeof X === 'number' ? X : asMatrix(X, 'KFold.split').shape[0];
    const k = this.nSplits;
    if (!Number.isInteger(n) || n < k) throw new RangeError(`KFold.split: cannot cut ${n} samples into nSplits = ${k} folds`);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    if (this.shuffle) {
      const rng = new Stream(seedOf(this.seed), 0x6b666f6c);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.below(i + 1);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    let start = 0;
    for (let f = 0; f < k; f++) {
      const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
      const inTest = new Uint8Array(n);
      for (let i = start; i < start + size; i++) inTest[order[i]] = 1;
      const test = new Int32Array(size);
      const train = new Int32Array(n - size);
      for (let i = 0, a = 0, b = 0; i < n; i++) {
        if (inTest[i]) test[a++] = i;
        else train[b++] = i;
      }
      yield { train, test };
      start += size;
    }
  }

  /** The folds applied: `[XTrain, XTest, yTrain, yTest]` per fold (lazy; `[XTrain, XTest]` without y). */
  *splitArrays(X: Data, y?: Data): Generator<[Out, Out] | [Out, Out, Out, Out]> {
    const x = asMatrix(X, 'KFold.splitArrays');
    const t = y === undefined ? null : asTarget(y, x, 'KFold.splitArrays');
    for (const { train, test } of this.split(x.shape[0])) {
      const xs: [Out, Out] = [x.slice(train, ':'), x.slice(test, ':')];
      yield t ? [...xs, t.slice(train), t.slice(test)] : xs;
    }
  }
}
