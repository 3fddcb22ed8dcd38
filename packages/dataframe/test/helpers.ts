/** Shared test helpers: schedulers, the pandas fixture, and approximate comparison. */
import { readFileSync } from 'node:fs';
import type { ComputeOptions } from '@pdask/core';
import { expect } from 'vitest';
import type { LocalSeries } from '../src/index';

export const SCHEDULERS: [string, ComputeOptions][] = [
  ['sync', { scheduler: 'sync' }],
  ['threads', { scheduler: 'threads', numWorkers: 2 }],
];

/** An index label: a value, or a list of values for a MultiIndex (tuples become lists in JSON). */
export type PandasLabel = number | string | null | (number | string | null)[];

export interface PandasSeries {
  index: PandasLabel[];
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
  groupby_xk_z: Record<string, PandasSeries>;
  groupby_kfkey_y: Record<string, PandasSeries>;
  groupby_wxk_y_sum: PandasSeries;
  groupby_fkeyk_agg: Record<string, PandasSeries>;
  groupby_fkeyk_repr: string;
  groupby_fkeyk_y_repr: string;
  isna_sum: PandasSeries;
  notna_sum: PandasSeries;
  fillna_z_sum: number;
  fillna_k_counts: PandasSeries;
  fillna_z_mean: number;
  dropna_len: number;
  dropna_k_len: number;
  dropna_all_len: number;
  dropna_zk_groupby_k_z_mean: PandasSeries;
  astype_fkey2_int_sum: number;
  merge_right_x: { x: number[]; label: string[]; bonus: number[] };
  merge_right_k: { name: string[]; y: number[] };
  merge_x_inner: Record<string, (number | string | null)[]>;
  merge_x_left: Record<string, (number | string | null)[]>;
  merge_k_inner: Record<string, (number | string | null)[]>;
  merge_k_left: Record<string, (number | string | null)[]>;
  merge_x_right: Record<string, (number | string | null)[]>;
  merge_x_outer: Record<string, (number | string | null)[]>;
  merge_k_right: Record<string, (number | string | null)[]>;
  merge_k_outer: Record<string, (number | string | null)[]>;
  sort_y_ids: number[];
  sort_z_desc_ids: number[];
  sort_k_ids: number[];
  sort_x_desc_ids: number[];
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
