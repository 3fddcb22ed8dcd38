/** Fold indices against scikit-learn 1.2 (KFold, StratifiedKFold without shuffle), and the seeded splitters' invariants. */
import { describe, expect, it } from 'vitest';
import { KFold, ShuffleSplit, StratifiedKFold } from '../src/index';
import { sx } from './selection-helpers';

const F = sx.folds;
const plain = (folds: Iterable<{ train: Int32Array; test: Int32Array }>) => [...folds].map((f) => ({ train: Array.from(f.train), test: Array.from(f.test) }));

describe('fold indices equal to scikit-learn', () => {
  it.each(F.kfold)('KFold($k) of $n samples', ({ n, k, folds }) => {
    expect(plain(new KFold({ nSplits: k }).split(n))).toEqual(folds);
  });
  it.each(F.stratified.map((s, i) => ({ ...s, i })))('StratifiedKFold($k) of labels set $i', ({ y, k, folds }) => {
    expect(plain(new StratifiedKFold({ nSplits: k }).split(y.length, y))).toEqual(folds);
    expect(plain(new StratifiedKFold({ nSplits: k }).split(Int32Array.from(y)))).toEqual(folds);
  });
  it('StratifiedKFold of string labels', () => {
    const s = F.stratifiedStrings;
    expect(plain(new StratifiedKFold({ nSplits: s.k }).split(s.y.length, s.y))).toEqual(s.folds);
  });
});

describe('seeded splitters', () => {
  const y = F.stratified[0].y;
  it('StratifiedKFold with shuffle: a partition, each class spread as without shuffle, same seed same folds', () => {
    const a = plain(new StratifiedKFold({ nSplits: 4, shuffle: true, seed: 3 }).split(y.length, y));
    const b = plain(new StratifiedKFold({ nSplits: 4, shuffle: true, seed: 3 }).split(y.length, y));
    const unshuffled = plain(new StratifiedKFold({ nSplits: 4 }).split(y.length, y));
    expect(a).toEqual(b);
    expect(a).not.toEqual(unshuffled);
    expect(a.flatMap((f) => f.test).sort((p, q) => p - q)).toEqual(y.map((_, i) => i));
    const perClass = (folds: typeof a) => folds.map((f) => [0, 1, 2].map((c) => f.test.filter((i) => y[i] === c).length));
    expect(perClass(a)).toEqual(perClass(unshuffled));
  });
  it('ShuffleSplit: scikit-learn sizes, disjoint sets, seeded', () => {
    const s = plain(new ShuffleSplit({ nSplits: 4, testSize: 0.25, seed: 1 }).split(10));
    expect(s).toHaveLength(4);
    for (const f of s) {
      expect(f.test).toHaveLength(3); // ceil(0.25 * 10)
      expect(f.train).toHaveLength(7);
      expect(new Set([...f.train, ...f.test]).size).toBe(10);
    }
    expect(plain(new ShuffleSplit({ nSplits: 4, testSize: 0.25, seed: 1 }).split(10))).toEqual(s);
    expect(new Set(s.map((f) => f.test.join())).size).toBeGreaterThan(1);
    const t = plain(new ShuffleSplit({ nSplits: 1, testSize: 2, trainSize: 0.5, seed: 1 }).split(10));
    expect([t[0].test.length, t[0].train.length]).toEqual([2, 5]);
    expect(() => [...new ShuffleSplit({ testSize: 0.6, trainSize: 0.6 }).split(10)]).toThrow('ShuffleSplit.split: 6 training and 6 test samples do not fit in 10 samples');
  });
  it('errors', () => {
    expect(() => [...new StratifiedKFold({ nSplits: 5 }).split([0, 0, 1, 1])]).toThrow('nSplits = 5 is more than the number of members of every class');
    expect(() => [...new StratifiedKFold().split(4)]).toThrow('StratifiedKFold.split: y (the labels) is required');
    expect(() => new StratifiedKFold({ nSplits: 1 })).toThrow("StratifiedKFold: option 'nSplits' must be at least 2, got 1");
  });
});
