/**
 * StratifiedKFold: folds that keep each class's share. Without shuffle, a class's samples go to
 * folds exactly as scikit-learn 1.2 puts them: classes numbered in order of first appearance,
 * the sorted class codes dealt round-robin to the folds give each fold's count of each class,
 * and a class's samples fill its folds in order. With shuffle, each class's fold list is
 * permuted by a seeded stream (not NumPy's).
 */
import { checkOptions, type OptionSchema } from '@pdask/core';
import { Stream } from '../random';
import { rules, seedOf } from '../validate';
import type { Fold } from './kfold';
import type { Labels, Splitter } from './splitter';

export interface StratifiedKFoldOptions {
  nSplits?: number;
  shuffle?: boolean;
  seed?: number;
}

const OPTIONS: OptionSchema<StratifiedKFoldOptions> = {
  nSplits: (v) => (!Number.isInteger(v) ? 'a positive integer' : (v as number) < 2 ? 'at least 2' : undefined),
  shuffle: 'boolean',
  seed: rules.seed,
};

export class StratifiedKFold implements Splitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number | undefined;
  readonly needsLabels = true;

  constructor(opts: StratifiedKFoldOptions = {}) {
    checkOptions('StratifiedKFold', opts, OPTIONS);
    this.nSplits = opts.nSplits ?? 5;
    this.shuffle = opts.shuffle ?? false;
    this.seed = opts.seed;
  }

  getNSplits(): number {
    return this.nSplits;
  }

  /** Fold of every sample (scikit-learn's `test_folds`). */
  testFolds(y: Labels): Int32Array {
    if (!y || typeof y.length !== 'number') throw new TypeError('StratifiedKFold.split: y (the labels) is required');
    const n = y.length;
    const k = this.nSplits;
    const code = new Map<unknown, number>();
    const enc = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = y[i];
      if (typeof v === 'number' && Number.isNaN(v)) throw new RangeError(`StratifiedKFold.split: y[${i}] is NaN`);
      let c = code.get(v);
      if (c === undefined) code.set(v, (c = code.size));
      enc[i] = c;
    }
    const nClasses = code.size;
    const counts = new Int32Array(nClasses);
    for (const c of enc) counts[c]++;
    if (counts.every((c) => c < k)) throw new RangeError(`StratifiedKFold.split: nSplits = ${k} is more than the number of members of every class (largest ${Math.max(...counts)})`);
    // Dealing the sorted codes round-robin: fold f gets y_order[f], y_order[f + k], ...
    const sorted = Int32Array.from(enc).sort();
    const alloc = Array.from({ length: k }, () => new Int32Array(nClasses));
    for (let i = 0; i < n; i++) alloc[i % k][sorted[i]]++;
    const rng = this.shuffle ? new Stream(seedOf(this.seed), 0x73746b66) : null;
    const folds = new Int32Array(n);
    for (let c = 0; c < nClasses; c++) {
      const list: number[] = [];
      for (let f = 0; f < k; f++) for (let r = 0; r < alloc[f][c]; r++) list.push(f);
      if (rng) {
        for (let i = list.length - 1; i > 0; i--) {
          const j = rng.below(i + 1);
          [list[i], list[j]] = [list[j], list[i]];
        }
      }
      let next = 0;
      for (let i = 0; i < n; i++) if (enc[i] === c) folds[i] = list[next++];
    }
    return folds;
  }

  *split(n: number | Labels, y?: Labels): Generator<Fold> {
    const labels = y ?? (typeof n === 'number' ? undefined : n);
    if (labels === undefined) throw new TypeError('StratifiedKFold.split: y (the labels) is required');
    if (typeof n === 'number' && n !== labels.length) throw new RangeError(`StratifiedKFold.split: ${n} samples but ${labels.length} labels`);
    const folds = this.testFolds(labels);
    for (let f = 0; f < this.nSplits; f++) {
      const test: number[] = [];
      const train: number[] = [];
      folds.forEach((g, i) => (g === f ? test : train).push(i));
      yield { train: Int32Array.from(train), test: Int32Array.from(test) };
    }
  }
}
