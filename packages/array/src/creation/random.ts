/**
 * `da.random`: seeded arrays with one independent stream per block (see runtime/random.ts), so a
 * given seed and chunking give the same values on every executor and thread count. Without a
 * seed, one is drawn when the array is built (the graph stays deterministic from then on).
 */
import { checkOptions, type OptionSchema } from '@pdask/core';
import type { ChunkedArray } from '../array';
import { CHUNKS, NOT_YET } from '../options';
import type { ChunksSpec } from '../chunks';
import type { GenSpec } from '../runtime/expr';
import { exprArray } from './creation';

export interface RandomOptions {
  chunks?: ChunksSpec;
  seed?: number;
}

type Shape = number | readonly number[];
const shapeOf = (s: Shape): number[] => {
  const out = typeof s === 'number' ? [s] : [...s];
  for (const n of out) if (!Number.isInteger(n) || n < 0) throw new RangeError(`random: bad shape [${out.join(', ')}]`);
  return out;
};

function seedOf(opts: RandomOptions): number {
  const s = opts.seed ?? Math.floor(Math.random() * 2 ** 52);
  if (!Number.isInteger(s) || s < 0) throw new RangeError(`random: seed must be a non-negative integer, got ${s}`);
  return s;
}

const SCHEMA: OptionSchema<RandomOptions & { dtype?: unknown }> = {
  chunks: CHUNKS,
  seed: 'integer',
  dtype: { unsupported: 'not implemented yet (cast with astype)' },
};

function gen(label: string, shape: Shape, options: RandomOptions | undefined, dist: 'random' | 'uniform' | 'normal' | 'integers', a: number, b: number): ChunkedArray {
  const opts = checkOptions(`da.random.${label}`, options, SCHEMA);
  const g: GenSpec = { k: 'random', dist, seed: seedOf(opts), a, b };
  // NumPy's integers/randint give int64 (its default integer).
  return exprArray(label, shapeOf(shape), opts.chunks, { t: 'gen', g, dtype: dist === 'integers' ? 'int64' : 'float64' });
}

/** Uniform floats in [0, 1). */
export function random(shape: Shape, opts?: RandomOptions): ChunkedArray {
  return gen('random', shape, opts, 'random', 0, 1);
}

export function uniform(low: number, high: number, shape: Shape, opts?: RandomOptions): ChunkedArray {
  return gen('uniform', shape, opts, 'uniform', low, high);
}

export function normal(loc: number, scale: number, shape: Shape, opts?: RandomOptions): ChunkedArray {
  if (scale < 0) throw new RangeError(`normal: scale must be non-negative, got ${scale}`);
  return gen('normal', shape, opts, 'normal', loc, scale);
}

/** Integers in [low, high) (NumPy's Generator.integers), int32. */
export function integers(low: number, high: number, shape: Shape, opts?: RandomOptions): ChunkedArray {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) throw new RangeError(`integers: need integers low < high, got ${low}, ${high}`);
  return gen('integers', shape, opts, 'integers', low, high);
}
