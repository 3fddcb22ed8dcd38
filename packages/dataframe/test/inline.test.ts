/**
 * Small in-memory frames computed without a scheduler run in the calling thread (inline.ts), with
 * the same results as on threads. References are computed here from the input.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { closeThreadPools, config, SyncExecutor, ThreadsExecutor } from '@pdask/core';
import * as dd from '../src/index';
import { runsInline } from '../src/inline';

afterAll(() => closeThreadPools());

const n = 1000;
const x = Int32Array.from({ length: n }, (_, i) => (i * 7) % 5);
const y = Float64Array.from({ length: n }, (_, i) => (i % 13) / 4);

/** Group means of y by x, from first principles. */
function means(): number[] {
  const s = [0, 0, 0, 0, 0];
  const c = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) (s[x[i]] += y[i], c[x[i]]++);
  return s.map((v, g) => v / c[g]);
}

describe('dataframe.inline-threshold', () => {
  it('holds for graphs over small in-memory frames only, and only when enabled', async () => {
    const df = dd.fromColumns({ x, y }, { npartitions: 4 });
    expect(runsInline([df.groupby('x').col('y').mean().layer])).toBe(true);
    expect(runsInline([df.col('x').add(df.col('y')).sum().layer])).toBe(true);
    // Above the threshold (8 MB of float64).
    const big = dd.fromColumns({ y: new Float64Array(1 << 20) }, { npartitions: 2 });
    expect(runsInline([big.col('y').sum().layer])).toBe(false);
    // Persisted partitions are a source of unknown cost.
    const kept = await df.persist({ scheduler: 'sync' });
    expect(runsInline([kept.groupby('x').col('y').mean().layer])).toBe(false);
    // A custom aggregation runs user code.
    const agg = new dd.Aggregation({ name: 'mysum', chunk: (g) => g.sum(), agg: (g) => g.sum() });
    expect(runsInline([df.groupby('x').col('y').agg(agg).layer])).toBe(false);
    const s = config.set({ 'dataframe.inline-threshold': 0 });
    try {
      expect(runsInline([df.groupby('x').col('y').mean().layer])).toBe(false);
    } finally {
      s.restore();
    }
    const t = config.set({ scheduler: 'sync' });
    try {
      // Only the default threads scheduler is replaced.
      expect(runsInline([df.groupby('x').col('y').mean().layer])).toBe(false);
    } finally {
      t.restore();
    }
  });

  it('compute() without options runs in the calling thread and gives the group means', async () => {
    const spy = vi.spyOn(SyncExecutor.prototype, 'execute');
    const threads = vi.spyOn(ThreadsExecutor.prototype, 'execute');
    try {
      const df = dd.fromColumns({ x, y }, { npartitions: 4 });
      const r = await df.groupby('x').col('y').mean().compute();
      // A group-by of in-memory partitions calls its operations directly (groupby-direct.test.ts).
      expect(threads).not.toHaveBeenCalled();
      const want = means();
      const got = r.toArray() as Float64Array;
      expect(r.indexArray()).toEqual([0, 1, 2, 3, 4]);
      got.forEach((v, g) => expect(v).toBeCloseTo(want[g], 12));
      spy.mockClear();
      // An explicit scheduler is obeyed: the same means on threads, not through the sync executor.
      const th = await df.groupby('x').col('y').mean().compute({ scheduler: 'threads', numWorkers: 2 });
      expect(spy).not.toHaveBeenCalled();
      expect(threads).toHaveBeenCalled();
      expect(Array.from(th.toArray() as Float64Array)).toEqual(Array.from(got));
    } finally {
      spy.mockRestore();
      threads.mockRestore();
    }
  });

  it('a scalar reduction without options runs on the sync scheduler too', async () => {
    const spy = vi.spyOn(SyncExecutor.prototype, 'execute');
    try {
      const df = dd.fromColumns({ x, y }, { npartitions: 3 });
      const total = await df.col('y').sum().compute();
      expect(spy).toHaveBeenCalled();
      expect(total).toBeCloseTo(y.reduce((a, b) => a + b, 0), 9);
    } finally {
      spy.mockRestore();
    }
  });

  it('persist() without options keeps the configured scheduler', async () => {
    const spy = vi.spyOn(SyncExecutor.prototype, 'execute');
    try {
      const df = dd.fromColumns({ x, y }, { npartitions: 2 });
      const kept = await df.persist();
      expect(spy).not.toHaveBeenCalled();
      expect(await kept.col('y').sum().compute({ scheduler: 'sync' })).toBeCloseTo(y.reduce((a, b) => a + b, 0), 9);
    } finally {
      spy.mockRestore();
    }
  });
});
