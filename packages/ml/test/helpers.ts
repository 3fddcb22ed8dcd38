/** Fixtures (scikit-learn reference values), chunkings and comparison helpers for the ml tests. */
import { readFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';
import * as da from '@pdask/array';
import { closeThreadPools, type ComputeOptions } from '@pdask/core';

type M = number[][];
type V = number[];

export interface Fixtures {
  versions: { sklearn: string; numpy: string };
  regression: { X: M; y: V; coef: V; intercept: number; score: number; predict: V; coefNoIntercept: V };
  classification: { X: M; y: V } & Record<'C1' | 'C01' | 'none' | 'noIntercept', { coef: V; intercept: number; proba: M; predict: V; score: number }>;
  kmeans: {
    lloydX: M;
    X: M;
    init: M;
    tol: { tol: number; centers: M; inertia: number; nIter: number };
    steps: Record<'1' | '2' | '3', { centers: M; inertia: number; nIter: number; labels: V }>;
    converged: { centers: M; inertia: number; nIter: number; labels: V };
    plusplus: { centersSorted: M; inertia: number };
    predictPoints: M;
    predictLabels: V;
  };
  pca: { X: M; components: M; explainedVariance: V; explainedVarianceRatio: V; singularValues: V; mean: V; noiseVariance: number; transform: M; fullSingularValues: V };
  scalers: {
    X: M;
    standard: { mean: V; var: V; scale: V; transform: M };
    minmax: { dataMin: V; dataMax: V; scale: V; min: V; transform: M };
  };
  metrics: { yTrue: V; yPred: V; accuracy: number; rTrue: V; rPred: V; mse: number; mae: number; r2: number };
}

export const fx = JSON.parse(readFileSync(new URL('./fixtures/sklearn.json', import.meta.url), 'utf8')) as Fixtures;

/** Row chunkings every estimator is checked on: uneven last block, one-row blocks, one block. */
export const CHUNKINGS: { name: string; rows: number }[] = [
  { name: 'uneven last block', rows: 40 },
  { name: 'one-row blocks', rows: 1 },
  { name: 'a single block', rows: -1 },
];

export const SCHEDULERS: ComputeOptions[] = [{ scheduler: 'sync' }, { scheduler: 'threads' }];

/** A 2-d chunked array of the rows, cut into row blocks of `rows` (all columns in one block). */
export function mat(m: M, rows: number): da.ChunkedArray {
  const n = m.length;
  const d = m[0].length;
  return da.fromArray(Float64Array.from(m.flat()), { shape: [n, d], chunks: [rows, -1] });
}

export function vec(v: V, rows: number): da.ChunkedArray {
  return da.fromArray(Float64Array.from(v), { chunks: rows });
}

/** Every value within `rel` (relative to max(1, |expected|)) of the reference. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-8, what = 'value'): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const w = expected[i];
    const g = actual[i];
    expect(Math.abs(g - w), `${what}[${i}]: got ${g}, expected ${w}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(w)));
  }
}

export function flat(x: da.ArrayResult): number[] {
  return x instanceof da.NDArray ? Array.from(x.data as ArrayLike<number>) : [Number(x)];
}

/** Close the worker threads once a file's tests are done (the fork would otherwise linger). */
export function closePoolsAfterAll(): void {
  afterAll(async () => {
    await closeThreadPools();
  });
}
