/** Shared test helpers: schedulers, the pandas fixture, and approximate comparison. */
import { readFileSync } from 'node:fs';
import type { ComputeOptions } from '@pdask/core';
import { expect } from 'vitest';
import type { LocalSeries } from '../src/index';

export const SCHEDULERS: [string, ComputeOptions][] = [
  ['sync', { scheduler: 'sync' }],
  ['threads', { scheduler: 'threads', numWorkers: 2 }],
];

export interface PandasSeries {
  index: (number | string | null)[];
  values: (number | null)[];
  name: string | null;
  dtype: string;
}

export interface Fixture {
  data: { x: number[]; y: number[]; z: (number | null)[]; k: (string | null)[]; fkey: (number | null)[]; w: number[] };
  groupby_x_y: Record<string, PandasSeries>;
  groupby_x_z: Record<string, PandasSeries>;
  groupby_k_z: Record<string, PandasSeries>;
  groupby_fkey_y: Record<string, PandasSeries>;
  groupby_w_y_mean: PandasSeries;
  groupby_k_agg: Record<string, PandasSeries>;
  groupby_x_ddof0_var: PandasSeries;
  reductions_z: Record<string, number>;
  reductions_y: Record<string, number>;
  frame_mean: PandasSeries;
  frame_count: PandasSeries;
  filter_y_gt_half_groupby_x_sum: PandasSeries;
  filter_len: number;
  assign_t_mean: number;
  value_counts_k: PandasSeries;
  value_counts_x: PandasSeries;
  seed_repr: string;
}

/** Written by fixtures/make_fixtures.py (pandas 1.5): inputs and pandas' results. */
export const fixture = JSON.parse(readFileSync(new URL('./fixtures/pandas.json', import.meta.url), 'utf8')) as Fixture;

/** Equal up to a relative 1e-12 (null = NaN). */
export function expectClose(actual: number | null | undefined, expected: number | null, what = ''): void {
  if (expected === null) {
    expect(actual === null || Number.isNaN(actual), `${what}: expected NaN/null, got ${actual}`).toBe(true);
    return;
  }
  expect(typeof actual, what).toBe('number');
  const a = actual as number;
  const tol = 1e-12 * Math.max(1, Math.abs(expected));
  expect(Math.abs(a - expected), `${what}: ${a} vs pandas ${expected}`).toBeLessThanOrEqual(tol);
}

/** Index and values of a computed series equal pandas' (values to 1e-12). */
export function expectSeries(s: LocalSeries, p: PandasSeries, what = ''): void {
  expect(s.indexArray().map((v) => (typeof v === 'bigint' ? Number(v) : v)), `${what} index`).toEqual(p.index);
  const vals = Array.from(s.toArray() as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : (v as number | null)));
  expect(vals.length, `${what} length`).toBe(p.values.length);
  p.values.forEach((v, i) => expectClose(vals[i], v, `${what}[${String(p.index[i])}]`));
}
