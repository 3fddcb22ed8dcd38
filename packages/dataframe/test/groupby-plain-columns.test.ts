/**
 * Group-bys of frames made from plain typed arrays: partitions built without Arrow vectors
 * (creation.ts), int32/float columns read straight from the partitions' buffers and plain-number
 * results written without Arrow (ops/plain-columns.ts). References are computed here from the
 * input, by plain loops.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
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

describe('group-by of frames made from plain typed arrays', () => {
  it('gives the group means on the default, sync and threads schedulers', async () => {
    const df = dd.fromColumns({ x, y }, { npartitions: 4 });
    const want = stats(x, y);
    for (const opts of [{}, { scheduler: 'sync' }, { scheduler: 'threads' }] as const) {
      const r = await df.groupby('x').col('y').mean().compute(opts);
      expect(r.indexArray()).toEqual(want.map((s) => s.key));
      Array.from(r.toArray() as Float64Array).forEach((m, g) => expect(m).toBeCloseTo(want[g].mean, 10));
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

  it('more partitions than one merge takes, and keys that are not plain int32 (read through Arrow), give the same results', async () => {
    const want = stats(x, y);
    const many = await dd.fromColumns({ x, y }, { npartitions: 10 }).groupby('x').col('y').mean().compute();
    Array.from(many.toArray() as Float64Array).forEach((m, g) => expect(m).toBeCloseTo(want[g].mean, 10));
    // Keys with a missing value: an int column with a null becomes float64 keys; the null row is dropped.
    const keys = Array.from(x, (k, i) => (i === 3 ? null : k));
    const kept = stats(x.filter((_, i) => i !== 3), y.filter((_, i) => i !== 3));
    const r = await dd.fromColumns({ x: keys, y }, { npartitions: 4 }).groupby('x').col('y').mean().compute();
    expect(r.indexArray()).toEqual(kept.map((s) => s.key));
    Array.from(r.toArray() as Float64Array).forEach((m, g) => expect(m).toBeCloseTo(kept[g].mean, 10));
  });
});
