/**
 * trainTestSplit: checked from first principles. Each row of X holds its own index, so where
 * every row went can be read back from the values.
 */
import { describe, expect, it } from 'vitest';
import * as da from '@pdask/array';
import { KFold, trainTestSplit } from '../src/index';
import { closePoolsAfterAll, flat, SCHEDULERS } from './helpers';

closePoolsAfterAll();

/** X[i] = [i, 2i] and y[i] = 10 i, in row blocks of `rows`. */
function data(n: number, rows: number) {
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = 2 * i;
  }
  const y = Float64Array.from({ length: n }, (_, i) => 10 * i);
  return { X: da.fromArray(x, { shape: [n, 2], chunks: [rows, -1] }), y: da.fromArray(y, { chunks: rows }) };
}

/** Block b's rows: [starts[b], starts[b] + sizes[b]). */
function blockOf(i: number, sizes: readonly number[]): number {
  let s = 0;
  for (let b = 0; b < sizes.length; b++) {
    s += sizes[b];
    if (i < s) return b;
  }
  return -1;
}

describe.each(SCHEDULERS)('trainTestSplit on $scheduler', (opts) => {
  it.each([
    [103, 40, 0.25],
    [103, -1, 0.25],
    [50, 7, 0.3],
  ])('%i rows in blocks of %i, testSize %f: each block split on its own, every row once', async (n, rows, testSize) => {
    const { X, y } = data(n, rows);
    const [xtr, xte, ytr, yte] = trainTestSplit(X, y, { testSize, seed: 42 });
    const sizes = X.chunks[0];
    const wantTest = sizes.map((s) => Math.ceil(testSize * s));
    // Blocks left with no rows are dropped by the slice.
    expect(xte.chunks[0]).toEqual(wantTest.filter((s) => s > 0));
    expect(xtr.chunks[0]).toEqual(sizes.map((s, b) => s - wantTest[b]).filter((s) => s > 0));
    const [a, b, c, d] = await Promise.all([xtr.compute(opts), xte.compute(opts), ytr.compute(opts), yte.compute(opts)]);
    const trainIdx = flat(a).filter((_, k) => k % 2 === 0);
    const testIdx = flat(b).filter((_, k) => k % 2 === 0);
    // Rows stay whole, and y follows X.
    expect(flat(a).filter((_, k) => k % 2 === 1)).toEqual(trainIdx.map((i) => 2 * i));
    expect(flat(c)).toEqual(trainIdx.map((i) => 10 * i));
    expect(flat(d)).toEqual(testIdx.map((i) => 10 * i));
    // Every row exactly once.
    expect([...trainIdx, ...testIdx].sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
    // The k-th output block holds rows of input block k only.
    let at = 0;
    wantTest.forEach((size, blk) => {
      for (let r = at; r < at + size; r++) expect(blockOf(testIdx[r], sizes)).toBe(blk);
      at += size;
    });
    // Shuffled: the test rows are not simply the last rows of each block.
    let end = 0;
    const unshuffled = sizes.flatMap((s, blk) => {
      end += s;
      return Array.from({ length: wantTest[blk] }, (_, k) => end - wantTest[blk] + k);
    });
    expect(testIdx).not.toEqual(unshuffled);
  });
});

describe('trainTestSplit', () => {
  it('the same seed gives the same split; another seed another', () => {
    const { X } = data(60, 20);
    const key = (s: number) => JSON.stringify((trainTestSplit(X, { seed: s })[1] as da.ChunkedArray).chunks);
    expect(key(1)).toBe(key(1));
    const a = trainTestSplit(X, { seed: 1 });
    const b = trainTestSplit(X, { seed: 1 });
    const c = trainTestSplit(X, { seed: 2 });
    return Promise.all([a[1].compute(), b[1].compute(), c[1].compute()]).then(([p, q, r]) => {
      expect(flat(q)).toEqual(flat(p));
      expect(flat(r)).not.toEqual(flat(p));
    });
  });

  it('shuffle: false keeps the order, training rows first in each block', async () => {
    const { X } = data(10, 5);
    const [tr, te] = trainTestSplit(X, { testSize: 0.4, shuffle: false });
    expect(flat(await tr.compute()).filter((_, k) => k % 2 === 0)).toEqual([0, 1, 2, 5, 6, 7]);
    expect(flat(await te.compute()).filter((_, k) => k % 2 === 0)).toEqual([3, 4, 8, 9]);
  });

  it('trainSize alone sets the test size to the rest', async () => {
    const { X } = data(20, 10);
    const [tr, te] = trainTestSplit(X, { trainSize: 0.7, seed: 0 });
    expect(tr.chunks[0]).toEqual([7, 7]);
    expect(te.chunks[0]).toEqual([3, 3]);
  });

  it('one-row blocks put every row in the test set: an error saying why', () => {
    const { X } = data(8, 1);
    expect(() => trainTestSplit(X, { seed: 0 })).toThrow(/training set empty.*split each on its own/);
  });
});

describe('KFold', () => {
  it('consecutive folds of scikit-learn sizes (the first n % k one larger), each the test set once', () => {
    const folds = [...new KFold({ nSplits: 3 }).split(10)];
    expect(folds.map((f) => Array.from(f.test))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(Array.from(folds[1].train)).toEqual([0, 1, 2, 3, 7, 8, 9]);
  });

  it('shuffle: a seeded permutation; folds partition the rows and are ascending', () => {
    const a = [...new KFold({ nSplits: 4, shuffle: true, seed: 5 }).split(23)];
    const b = [...new KFold({ nSplits: 4, shuffle: true, seed: 5 }).split(23)];
    expect(a.map((f) => Array.from(f.test))).toEqual(b.map((f) => Array.from(f.test)));
    const all = a.flatMap((f) => Array.from(f.test)).sort((p, q) => p - q);
    expect(all).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(a.map((f) => f.test.length)).toEqual([6, 6, 6, 5]);
    for (const f of a) {
      expect(Array.from(f.test)).toEqual(Array.from(f.test).sort((p, q) => p - q));
      expect(f.train.length + f.test.length).toBe(23);
    }
    // Not the unshuffled folds.
    expect(Array.from(a[0].test)).not.toEqual([0, 1, 2, 3, 4, 5]);
  });

  it.each(SCHEDULERS)('splitArrays gives the rows of each fold ($scheduler)', async (opts) => {
    const { X, y } = data(11, 4);
    let fold = 0;
    for (const [xtr, xte, ytr, yte] of new KFold({ nSplits: 2 }).splitArrays(X, y) as Generator<da.ChunkedArray[]>) {
      const test = fold === 0 ? [0, 1, 2, 3, 4, 5] : [6, 7, 8, 9, 10];
      const train = Array.from({ length: 11 }, (_, i) => i).filter((i) => !test.includes(i));
      expect(flat(await xte.compute(opts)).filter((_, k) => k % 2 === 0)).toEqual(test);
      expect(flat(await xtr.compute(opts)).filter((_, k) => k % 2 === 0)).toEqual(train);
      expect(flat(await ytr.compute(opts))).toEqual(train.map((i) => 10 * i));
      expect(flat(await yte.compute(opts))).toEqual(test.map((i) => 10 * i));
      fold++;
    }
    expect(fold).toBe(2);
  });

  it('errors name the option', () => {
    expect(() => new KFold({ nSplits: 1 })).toThrow("KFold: option 'nSplits' must be at least 2, got 1");
    expect(() => [...new KFold({ nSplits: 5 }).split(3)]).toThrow('KFold.split: cannot cut 3 samples into nSplits = 5 folds');
  });
});
