/**
 * What the p2p shuffle tests share: 1e6 rows with skewed keys, partitions tagged so they stay told
 * apart once concatenated, the check that a result is shuffled, and the per-key reference computed
 * from first principles.
 */
import type { ComputeOptions } from '@pdask/core';
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
