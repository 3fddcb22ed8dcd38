/**
 * trainTestSplit, blockwise as Dask-ML's: each row block is split on its own (its own seeded
 * stream permutes its rows), so the result keeps the row blocks (smaller) and no data moves
 * between blocks. The positions depend only on the block sizes and the seed, so they are chosen
 * on the calling thread and the split is a lazy positional slice: every output block reads one
 * input block.
 */
import type { ChunkedArray, NDArray } from '@pdask/array';
import { Stream } from '../random';
import { checkOptions, type OptionSchema } from '@pdask/core';
import { asMatrix, asTarget, rules, seedOf, type Data } from '../validate';

export interface TrainTestSplitOptions {
  /** Fraction of each block's rows in the test set, in (0, 1) (default 0.25, or 1 - trainSize). */
  testSize?: number;
  /** Fraction of each block's rows in the training set (default: the rest). */
  trainSize?: number;
  /** Seed of the per-block permutations (default: random). */
  seed?: number;
  /** Permute each block's rows before splitting (default true); false keeps their order, training rows first. */
  shuffle?: boolean;
  /** scikit-learn's stratified split: not implemented; refused. */
  stratify?: never;
}

const SPLIT_OPTIONS: OptionSchema<TrainTestSplitOptions> = {
  testSize: rules.fraction,
  trainSize: rules.fraction,
  seed: rules.seed,
  shuffle: 'boolean',
  stratify: rules.notYet,
};

type Out = ChunkedArray<NDArray>;
const WHO = 'trainTestSplit';

/** Global row positions of the training and test rows, grouped by block in block order. */
export function splitPositions(rows: readonly number[], opts: TrainTestSplitOptions): { train: number[]; test: number[] } {
  checkOptions(WHO, opts, SPLIT_OPTIONS);
  const testF = opts.testSize;
  const trainF = opts.trainSize;
  if (trainF !== undefined && testF !== undefined && trainF + testF > 1) throw new RangeError(`${WHO}: testSize + trainSize = ${testF + trainF} exceeds 1`);
  const shuffle = opts.shuffle ?? true;
  const seed = shuffle ? seedOf(opts.seed) : 0;
  const trainOut: number[] = [];
  const testOut: number[] = [];
  let start = 0;
  rows.forEach((n, b) => {
    // scikit-learn's rounding, per block: a test fraction rounds up, a training fraction down,
    // and a size not given is the rest.
    const nTest = testF !== undefined ? Math.min(n, Math.ceil(testF * n)) : trainF !== undefined ? n - Math.floor(trainF * n) : Math.ceil(0.25 * n);
    const nTrain = trainF !== undefined ? Math.min(n - nTest, Math.floor(trainF * n)) : n - nTest;
    const order = Array.from({ length: n }, (_, i) => start + i);
    if (shuffle) {
      const rng = new Stream(seed, b);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.below(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let i = 0; i < nTest; i++) testOut.push(order[i]);
      for (let i = nTest; i < nTest + nTrain; i++) trainOut.push(order[i]);
    } else {
      for (let i = 0; i < nTrain; i++) trainOut.push(order[i]);
      for (let i = nTrain; i < nTrain + nTest; i++) testOut.push(order[i]);
    }
    start += n;
  });
  return { train: trainOut, test: testOut };
}

/** Splits X into [XTrain, XTest]. */
export function trainTestSplit(X: Data, opts?: TrainTestSplitOptions): [Out, Out];
/** Splits X and y alike into [XTrain, XTest, yTrain, yTest]. */
export function trainTestSplit(X: Data, y: Data, opts?: TrainTestSplitOptions): [Out, Out, Out, Out];
export function trainTestSplit(X: Data, a?: Data | TrainTestSplitOptions, b?: TrainTestSplitOptions): [Out, Out] | [Out, Out, Out, Out] {
  const isOptions = (v: unknown): v is TrainTestSplitOptions => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !('shape' in v);
  const hasY = a !== undefined && !isOptions(a);
  const opts = (hasY ? b : (a as TrainTestSplitOptions | undefined)) ?? {};
  const x = asMatrix(X, WHO);
  const { train, test } = splitPositions(x.chunks[0], opts);
  if (train.length === 0 || test.length === 0) throw new RangeError(`${WHO}: the split leaves the ${train.length === 0 ? 'training' : 'test'} set empty (blocks of [${x.chunks[0].join(', ')}] rows, split each on its own)`);
  const xs: [Out, Out] = [x.slice(train, ':'), x.slice(test, ':')];
  if (!hasY) return xs;
  const t = asTarget(a as Data, x, WHO);
  return [...xs, t.slice(train), t.slice(test)];
}
