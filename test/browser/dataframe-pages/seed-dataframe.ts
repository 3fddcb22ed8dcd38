/**
 * The seed tutorial's dataframe example (examples/seed/03-dataframe.ts) with its inputs drawn by
 * the kernels' seeded generator, StandardScaler of @pdask/ml on its frame, and a group-by of a
 * Parquet file read from a Blob: run in the page (on Web Workers, or the sync scheduler) and in
 * the test process, which compares the answers.
 */
import type { ComputeOptions } from '@pdask/core';
import * as dd from '@pdask/dataframe';
import { loadKernels } from '@pdask/kernels';
import { StandardScaler } from '@pdask/ml';

function seedState(seed: number): Int32Array {
  const state = new Int32Array(32);
  let s = seed >>> 0;
  for (let i = 0; i < state.length; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    state[i] = (z ^ (z >>> 16)) | 1;
  }
  return state;
}

export interface SeedFrame {
  ddf: dd.DataFrame;
  result: dd.Series;
  text: string;
  index: unknown[];
  values: unknown[];
}

/** ddf.groupby('x').y.mean() over 10000 rows in 4 partitions. */
export async function seedExample(opts: ComputeOptions = {}): Promise<SeedFrame> {
  const n = 10000;
  const k = await loadKernels();
  const state = seedState(2026);
  const u = new Float64Array(n);
  k.fillUniform(state, u, { lo: 0, span: 10 });
  const x = Int32Array.from(u, Math.floor);
  const y = new Float64Array(n);
  k.fillUniform(state, y);
  const ddf = dd.fromColumns({ x, y }, { npartitions: 4 });
  const result = ddf.groupby('x').col('y').mean();
  const s = await result.compute(opts);
  return { ddf, result, text: String(s), index: Array.from({ length: s.length }, (_, i) => s.index?.at(i)), values: Array.from({ length: s.length }, (_, i) => s.at(i)) };
}

/** StandardScaler's column means of the seed frame. */
export async function mlExample(ddf: dd.DataFrame, opts: ComputeOptions = {}): Promise<number[]> {
  const sc = await new StandardScaler().fit(ddf, opts);
  return Array.from(sc.mean);
}

/** The group-by sum of y by x of a Parquet file given as a Blob, and its row count. */
export async function blobGroupBy(blob: Blob, opts: ComputeOptions = {}): Promise<{ index: unknown[]; values: unknown[]; n: number }> {
  const fx = await dd.readParquet(blob);
  const g = await fx.groupby('x').col('y').sum().compute(opts);
  const n = (await fx.compute(opts)).numRows;
  return { index: Array.from({ length: g.length }, (_, i) => g.index?.at(i)), values: Array.from({ length: g.length }, (_, i) => g.at(i)), n };
}
