/**
 * What the p2p shuffle tests share: 1e6 rows with skewed keys, partitions tagged so they stay told
 * apart once concatenated, the check that a result is shuffled, the per-key reference computed
 * from first principles, and the exact-result checks that the threads tests and the 2-process
 * cluster tests (packages/distributed) both run, each under its own compute options.
 */
import { config, type ComputeOptions } from '@pdask/core';
import { expect } from 'vitest';
import * as dd from '../src/index';

export const N = 1_000_000;
export const NPARTS = 16;
/** Skewed keys: a quarter of the rows have key 0, the rest spread over 4,999 keys unevenly. */
const keyOf = (i: number): number => (i % 4 === 0 ? 0 : 1 + ((Math.imul(i, 2654435761) >>> 0) % 4999) % (1 + (i % 4999)));
export const k = Float64Array.from({ length: N }, (_, i) => keyOf(i));
export const v = Float64Array.from({ length: N }, (_, i) => i);
export const base = (): dd.DataFrame => dd.fromColumns({ k, v }, { npartitions: NPARTS });
export const THREADS: ComputeOptions = { scheduler: 'threads', numWorkers: 2 };

export const column = (f: dd.LocalFrame, name: string): Float64Array => Float64Array.from(f.col(name).toArray() as ArrayLike<number>);

/** Each row tagged with its partition's identity (its smallest v): partitions stay told apart once concatenated. */
export function tagPartition(p: dd.LocalFrame): Record<string, Float64Array> {
  const v = Float64Array.from(p.col('v').toArray() as ArrayLike<number>);
  let m = Infinity;
  for (const x of v) if (x < m) m = x;
  return { k: Float64Array.from(p.col('k').toArray() as ArrayLike<number>), v, pid: new Float64Array(v.length).fill(m) };
}
export const tagged = (df: dd.DataFrame): dd.DataFrame => df.mapPartitions(tagPartition, { meta: { k: 'float64', v: 'float64', pid: 'float64' } }) as dd.DataFrame;

/** Every key in one partition; within a partition, rows of a key in input order (v increasing). */
export function checkShuffled(keys: Float64Array, vals: Float64Array, pids: Float64Array): void {
  const owner = new Map<string, number>();
  const lastV = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    const key = String(keys[i]);
    const o = owner.get(key);
    if (o !== undefined && o !== pids[i]) throw new Error(`key ${key} in two partitions`);
    owner.set(key, pids[i]);
    const prev = lastV.get(key);
    if (prev !== undefined && !(vals[i] > prev)) throw new Error(`key ${key}: rows out of input order`);
    lastV.set(key, vals[i]);
  }
}

/** Per key: count and sum of v. */
export function groups(keys: ArrayLike<number>, vals: ArrayLike<number>): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (let i = 0; i < keys.length; i++) {
    const g = m.get(keys[i]);
    if (g) {
      g[0]++;
      g[1] += vals[i];
    } else m.set(keys[i], [1, vals[i]]);
  }
  return m;
}
export const reference = groups(k, v);

/** groupby(k).v.sum/count with splitOut 4 through the p2p shuffle: per key, the reference. */
export async function checkSplitOutGroupby(opts: ComputeOptions): Promise<void> {
  const scope = config.set({ 'dataframe.shuffle.method': 'p2p' });
  try {
    const g = base().groupby('k', { splitOut: 4 });
    const [sums, counts] = await Promise.all([g.col('v').sum().compute(opts), g.col('v').count().compute(opts)]);
    expect(sums.length).toBe(reference.size);
    for (const [key, [n, s]] of reference) {
      expect(sums.get(key)).toBe(s);
      expect(counts.get(key)).toBe(n);
    }
  } finally {
    scope.restore();
  }
}

/** A hash merge (both sides shuffled) with 4,000 unique right keys in 5 partitions: every match, nothing else. */
export async function checkHashMerge(opts: ComputeOptions): Promise<void> {
  const rk = Float64Array.from({ length: 4000 }, (_, j) => 3999 - j);
  const w = Float64Array.from(rk, (x) => 3 * x + 1);
  const right = dd.fromColumns({ k: rk, w }, { npartitions: 5 });
  const r = await base().merge(right, { on: 'k', shuffleMethod: 'p2p', npartitions: 12 }).compute(opts);
  const mk = column(r, 'k');
  const mw = column(r, 'w');
  let expected = 0;
  for (let i = 0; i < N; i++) if (k[i] < 4000) expected++;
  expect(mk.length).toBe(expected);
  for (let i = 0; i < mk.length; i++) if (mw[i] !== 3 * mk[i] + 1) throw new Error(`row ${i}: key ${mk[i]} joined with w ${mw[i]}`);
  const got = groups(mk, column(r, 'v'));
  for (const [key, [n, s]] of reference) {
    if (key >= 4000) expect(got.has(key)).toBe(false);
    else expect(got.get(key)).toEqual([n, s]);
  }
}

/** setIndex(k) through the p2p shuffle: a sorted index within its divisions, every row kept. */
export async function checkSetIndex(opts: ComputeOptions): Promise<void> {
  const df = await base().setIndex('k', { shuffle: 'p2p' });
  const r = await df.compute(opts);
  const idx = Float64Array.from(r.col('v').indexArray() as number[]);
  expect(idx.length).toBe(N);
  for (let i = 1; i < idx.length; i++) if (idx[i] < idx[i - 1]) throw new Error(`index not sorted at ${i}`);
  expect(groups(idx, column(r, 'v'))).toEqual(reference);
  const divisions = df.divisions!;
  expect(divisions[0]).toBe(idx[0]);
  expect(divisions[divisions.length - 1]).toBe(idx[idx.length - 1]);
}

/** dropDuplicates(subset k, splitOut 6) through the p2p shuffle: the first (and the last) row of each key. */
export async function checkDropDuplicates(opts: ComputeOptions): Promise<void> {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  for (let i = 0; i < N; i++) {
    if (!first.has(k[i])) first.set(k[i], v[i]);
    last.set(k[i], v[i]);
  }
  for (const [keep, want] of [['first', first], ['last', last]] as const) {
    const d = base().dropDuplicates({ subset: ['k'], keep, splitOut: 6, shuffle: 'p2p' });
    expect(d.npartitions).toBe(6);
    const r = await d.compute(opts);
    const dk = column(r, 'k');
    const dv = column(r, 'v');
    expect(dk.length).toBe(want.size);
    for (let i = 0; i < dk.length; i++) if (want.get(dk[i]) !== dv[i]) throw new Error(`keep ${keep}: key ${dk[i]} kept v ${dv[i]}, want ${want.get(dk[i])}`);
  }
}
