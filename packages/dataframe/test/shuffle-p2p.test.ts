/**
 * The peer-to-peer shuffle (core's shuffle runtime) under setIndex, merge, groupby({ splitOut }),
 * dropDuplicates({ splitOut }) and DataFrame.shuffle: exact results on 1e6 rows with skewed keys
 * (references computed here from first principles), on 2 worker threads. Faults, spilling and
 * graph sizes: shuffle-p2p-faults.test.ts.
 */
import { closeThreadPools, config } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { N, k, v, base, THREADS, column, tagged, checkShuffled, groups, reference } from './shuffle-fixtures';

afterAll(() => closeThreadPools());


describe('p2p shuffle: exact results on 1e6 rows with skewed keys (threads, 2 workers)', () => {
  it('DataFrame.shuffle puts every key in one partition, rows in input order, all rows kept', async () => {
    const s = tagged(base().shuffle('k', { method: 'p2p', npartitions: 8 }));
    const r = await s.compute(THREADS);
    checkShuffled(column(r, 'k'), column(r, 'v'), column(r, 'pid'));
    expect(r.length).toBe(N);
    expect(new Set(column(r, 'k')).size).toBe(reference.size);
  }, 60_000);

  it('groupby(k).v.sum/count with splitOut: 4', async () => {
    const scope = config.set({ 'dataframe.shuffle.method': 'p2p' });
    try {
      const df = base();
      const g = df.groupby('k', { splitOut: 4 });
      const [sums, counts] = await Promise.all([g.col('v').sum().compute(THREADS), g.col('v').count().compute(THREADS)]);
      expect(sums.length).toBe(reference.size);
      for (const [key, [n, s]] of reference) {
        expect(sums.get(key)).toBe(s);
        expect(counts.get(key)).toBe(n);
      }
    } finally {
      scope.restore();
    }
  }, 60_000);

  it('merge (hash join, both sides shuffled) of 1e6 rows with 4,000 unique keys in 5 partitions', async () => {
    const rk = Float64Array.from({ length: 4000 }, (_, j) => 3999 - j);
    const w = Float64Array.from(rk, (x) => 3 * x + 1);
    const right = dd.fromColumns({ k: rk, w }, { npartitions: 5 });
    const m = base().merge(right, { on: 'k', shuffleMethod: 'p2p', npartitions: 12 });
    const r = await m.compute(THREADS);
    const mk = column(r, 'k');
    const mv = column(r, 'v');
    const mw = column(r, 'w');
    let expected = 0;
    for (let i = 0; i < N; i++) if (k[i] < 4000) expected++;
    expect(mk.length).toBe(expected);
    for (let i = 0; i < mk.length; i++) if (mw[i] !== 3 * mk[i] + 1) throw new Error(`row ${i}: key ${mk[i]} joined with w ${mw[i]}`);
    const got = groups(mk, mv);
    for (const [key, [n, s]] of reference) {
      if (key >= 4000) expect(got.has(key)).toBe(false);
      else expect(got.get(key)).toEqual([n, s]);
    }
  }, 60_000);

  it('setIndex(k): sorted index, divisions respected, every row kept', async () => {
    const df = await base().setIndex('k', { shuffle: 'p2p' });
    const r = await df.compute(THREADS);
    const idx = Float64Array.from(r.col('v').indexArray() as number[]);
    expect(idx.length).toBe(N);
    for (let i = 1; i < idx.length; i++) if (idx[i] < idx[i - 1]) throw new Error(`index not sorted at ${i}`);
    const got = groups(idx, column(r, 'v'));
    expect(got).toEqual(reference);
    const divisions = df.divisions!;
    expect(divisions[0]).toBe(idx[0]);
    expect(divisions[divisions.length - 1]).toBe(idx[idx.length - 1]);
  }, 60_000);

  it('dropDuplicates(subset k, splitOut: 6): the first row of each key, keep last too', async () => {
    const first = new Map<number, number>();
    const last = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      if (!first.has(k[i])) first.set(k[i], v[i]);
      last.set(k[i], v[i]);
    }
    for (const [keep, want] of [['first', first], ['last', last]] as const) {
      const d = base().dropDuplicates({ subset: ['k'], keep, splitOut: 6, shuffle: 'p2p' });
      expect(d.npartitions).toBe(6);
      const r = await d.compute(THREADS);
      const dk = column(r, 'k');
      const dv = column(r, 'v');
      expect(dk.length).toBe(want.size);
      for (let i = 0; i < dk.length; i++) if (want.get(dk[i]) !== dv[i]) throw new Error(`keep ${keep}: key ${dk[i]} kept v ${dv[i]}, want ${want.get(dk[i])}`);
    }
  }, 60_000);
});

