/**
 * A group-by of in-memory partitions that runs in the calling thread calls its operations
 * directly, without core's graph and executor (Partitioned.direct, inline.ts' runsDirect), and
 * reads int32/float columns straight from the partitions' buffers (ops/plain-columns.ts).
 * References are computed here from the input, by plain loops.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { closeThreadPools, progress, SyncExecutor } from '@pdask/core';
import * as dd from '../src/index';

afterAll(() => closeThreadPools());

const n = 2003;
const x = Int32Array.from({ length: n }, (_, i) => ((i * 7919) % 11) - 3);
const y = Float64Array.from({ length: n }, (_, i) => (i % 17 === 5 ? NaN : Math.sin(i) * 100));

/** Per key (ascending): count of non-NaN values, sum, mean, min, max; from first principles. */
function stats(keys: ArrayLike<number>, vals: ArrayLike<number>) {
  const by = new Map<number, number[]>();
  for (let i = 0; i < keys.length; i++) {
    if (!by.has(keys[i])) by.set(keys[i], []);
    if (!Number.isNaN(vals[i])) by.get(keys[i])!.push(vals[i]);
  }
  const ks = [...by.keys()].sort((a, b) => a - b);
  return ks.map((k) => {
    const v = by.get(k)!;
    const sum = v.reduce((a, b) => a + b, 0);
    return { key: k, count: v.length, sum, mean: sum / v.length, min: Math.min(...v), max: Math.max(...v) };
  });
}

describe('group-by of in-memory frames, called directly', () => {
  it('gives the group means on the default and sync schedulers without the executor', async () => {
    const spy = vi.spyOn(SyncExecutor.prototype, 'execute');
    try {
      const df = dd.fromColumns({ x, y }, { npartitions: 4 });
      const want = stats(x, y);
      for (const opts of [{}, { scheduler: 'sync' }]) {
        const r = await df.groupby('x').col('y').mean().compute(opts);
        expect(r.indexArray()).toEqual(want.map((s) => s.key));
        Array.from(r.toArray() as Float64Array).forEach((m, g) => expect(m).toBeCloseTo(want[g].mean, 10));
      }
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('gives every statistic of several columns, float32 values included', async () => {
    const z = Float32Array.from(y, (v) => v / 7);
    const df = dd.fromColumns({ x, y, z }, { npartitions: 3 });
    const r = await df.groupby('x').agg({ y: ['sum', 'count', 'min', 'max'], z: 'mean' }).compute();
    const wy = stats(x, y);
    const wz = stats(x, z);
    expect(r.col('y_sum').indexArray()).toEqual(wy.map((s) => s.key));
    const col = (c: string) => Array.from(r.col(c).toArray() as ArrayLike<number>);
    col('y_sum').forEach((v, g) => expect(v).toBeCloseTo(wy[g].sum, 8));
    expect(col('y_count')).toEqual(wy.map((s) => s.count));
    expect(col('y_min')).toEqual(wy.map((s) => s.min));
    expect(col('y_max')).toEqual(wy.map((s) => s.max));
    col('z').forEach((v, g) => expect(v).toBeCloseTo(wz[g].mean, 4));
  });

  it('more partitions than one merge takes (the graph), and keys that are not plain int32 (read through Arrow), give the same results', async () => {
    const spy = vi.spyOn(SyncExecutor.prototype, 'execute');
    try {
      const want = stats(x, y);
      const many = await dd.fromColumns({ x, y }, { npartitions: 10 }).groupby('x').col('y').mean().compute();
      expect(spy).toHaveBeenCalled();
      Array.from(many.toArray() as Float64Array).forEach((m, g) => expect(m).toBeCloseTo(want[g].mean, 10));
      // Keys with a missing value: an int column with a null becomes float64 keys; the null row is dropped.
      const keys = Array.from(x, (k, i) => (i === 3 ? null : k));
      const kept = stats(x.filter((_, i) => i !== 3), y.filter((_, i) => i !== 3));
      const r = await dd.fromColumns({ x: keys, y }, { npartitions: 4 }).groupby('x').col('y').mean().compute();
      expect(r.indexArray()).toEqual(kept.map((s) => s.key));
      Array.from(r.toArray() as Float64Array).forEach((m, g) => expect(m).toBeCloseTo(kept[g].mean, 10));
    } finally {
      spy.mockRestore();
    }
  });

  it('an option that only the executor honours (progress, retries) takes the executor', async () => {
    const spy = vi.spyOn(SyncExecutor.prototype, 'execute');
    try {
      const df = dd.fromColumns({ x, y }, { npartitions: 4 });
      const updates: { done: number; total: number }[] = [];
      const r = await df.groupby('x').col('y').mean().compute({ progress: progress({ onUpdate: (u) => updates.push({ done: u.done, total: u.total }) }) });
      expect(spy).toHaveBeenCalledTimes(1);
      // At least the four partials and the final task were reported, all of them done at the end.
      const last = updates[updates.length - 1];
      expect(last.total).toBeGreaterThanOrEqual(5);
      expect(last.done).toBe(last.total);
      const want = stats(x, y);
      Array.from(r.toArray() as Float64Array).forEach((m, g) => expect(m).toBeCloseTo(want[g].mean, 10));
      await df.groupby('x').col('y').mean().compute({ scheduler: 'sync', retries: 1 });
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('a bad option still fails by name', async () => {
    const df = dd.fromColumns({ x, y }, { npartitions: 4 });
    await expect(df.groupby('x').col('y').mean().compute({ schedular: 'sync' } as never)).rejects.toThrow(/schedular/);
  });
});
