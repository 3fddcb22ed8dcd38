/**
 * The default shuffle method follows the scheduler the graph is built for, as Dask's
 * get_default_shuffle_method: 'p2p' on the threads scheduler and a distributed client, 'tasks' on
 * the sync scheduler and unknown executors; config 'dataframe.shuffle.method' and the per-call
 * option win over it.
 */
import { collectionSymbol, config, materialize } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { defaultShuffleMethod } from '../src/shuffle-method';

const keysOf = (c: dd.DataFrame): string[] => [...materialize(c[collectionSymbol]().roots).keys()];
const isP2P = (c: dd.DataFrame): boolean => keysOf(c).some((k) => /-transfer-\d+$/.test(k));

describe("the default 'dataframe.shuffle.method'", () => {
  const df = dd.fromColumns({ k: [1, 2, 3, 1, 2, 3, 4, 5], v: [0, 1, 2, 3, 4, 5, 6, 7] }, { npartitions: 4 });

  it('follows config scheduler when unset', () => {
    expect(config.get('dataframe.shuffle.method')).toBe(null);
    for (const [scheduler, method] of [
      ['threads', 'p2p'],
      ['threading', 'p2p'],
      ['distributed', 'p2p'],
      ['pdask-client-1a2b3c4d', 'p2p'],
      ['sync', 'tasks'],
      ['synchronous', 'tasks'],
      ['single-threaded', 'tasks'],
      ['some-other-executor', 'tasks'],
    ] as const) {
      const scope = config.set({ scheduler });
      try {
        expect(defaultShuffleMethod()).toBe(method);
        expect(isP2P(df.shuffle('k'))).toBe(method === 'p2p');
        expect(isP2P(df.merge(df, { on: 'k', npartitions: 3 }))).toBe(method === 'p2p');
      } finally {
        scope.restore();
      }
    }
  });

  it('config and the per-call option win over it; a sync compute of a p2p graph is exact', async () => {
    const tasks = config.set({ scheduler: 'threads', 'dataframe.shuffle.method': 'tasks' });
    try {
      expect(isP2P(df.shuffle('k'))).toBe(false);
      expect(isP2P(df.shuffle('k', { method: 'p2p' }))).toBe(true);
    } finally {
      tasks.restore();
    }
    const sync = config.set({ scheduler: 'sync' });
    let p2p: dd.DataFrame;
    try {
      p2p = df.shuffle('k', { method: 'p2p' });
      expect(isP2P(p2p)).toBe(true);
    } finally {
      sync.restore();
    }
    const r = await p2p.compute({ scheduler: 'sync' });
    expect(Array.from(r.col('v').toArray() as ArrayLike<number>).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
