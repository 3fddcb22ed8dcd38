import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { NDArray } from '../src/ndarray';

export interface Enc {
  shape: number[];
  dtype: string;
  data: (number | boolean | string)[];
}

type Table = Record<string, Enc>;
export interface Fixtures {
  inputs: Table;
  elementwise: Table;
  reductions: Table;
  cumulative: Table;
  slicing: Table;
  shape: Table;
  linalg: Table;
  creation: Table;
  masks: { rows: boolean[]; gt1: Enc };
  overlap: Table;
  dask?: { seed_sum: number };
}

export const fixtures = JSON.parse(readFileSync(new URL('./fixtures/numpy.json', import.meta.url), 'utf8')) as Fixtures;

export function decode(e: Enc): number[] {
  return e.data.map((v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : typeof v === 'boolean' ? (v ? 1 : 0) : (v as number)));
}

/** Integer fixture values exactly (JSON carries those beyond 2^53 as strings). */
export const bigs = (e: Enc): bigint[] => e.data.map((v) => (typeof v === 'boolean' ? BigInt(v) : BigInt(v as number | string)));

/** The fixture as an NDArray (float64, int32 or bool). */
export function input(name: string): NDArray {
  const e = fixtures.inputs[name];
  const dt = e.dtype === 'int32' ? 'int32' : e.dtype === 'float32' ? 'float32' : 'float64';
  const C = dt === 'int32' ? Int32Array : dt === 'float32' ? Float32Array : Float64Array;
  return new NDArray(C.from(decode(e)), e.shape, dt);
}

/** Asserts a computed result equals a NumPy reference (shape and values; NaN equals NaN). */
export function expectClose(actual: unknown, expected: Enc, rel = 1e-9): void {
  const want = decode(expected);
  let shape: readonly number[];
  let got: number[];
  if (actual instanceof NDArray) {
    shape = actual.shape;
    got = Array.from(actual.data);
  } else {
    shape = [];
    got = [Number(actual)];
  }
  expect(shape).toEqual(expected.shape);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (Number.isNaN(w)) {
      expect(g, `element ${i}`).toBeNaN();
    } else if (!Number.isFinite(w)) {
      expect(g, `element ${i}`).toBe(w);
    } else {
      const tol = Math.max(1e-12, rel * Math.abs(w));
      if (Math.abs(g - w) > tol) expect(g, `element ${i} of ${got.length}: got ${g}, want ${w}`).toBe(w);
    }
  }
}

/** Chunkings of the 7x5 inputs: uneven last blocks, one-element blocks, one block, explicit sizes. */
export const CHUNKINGS: { label: string; chunks: (number | number[])[] | number }[] = [
  { label: 'uneven 3x2', chunks: [3, 2] },
  { label: 'one-element blocks', chunks: 1 },
  { label: 'single block', chunks: -1 },
  { label: 'explicit [2,4,1]x[5]', chunks: [[2, 4, 1], [5]] },
];
