/**
 * Input and option checks shared by the estimators: every message names the method and the
 * argument at fault, as scikit-learn's do.
 */
import { asArray, ChunkedArray, rechunk, type ArrayLike } from '@pdask/array';
import type { OptionRule } from '@pdask/core';

/** What estimators accept as data: a chunked array, or eager data (made one block). */
export type Data = ChunkedArray<unknown> | ArrayLike;

export class NotFittedError extends Error {
  /** `supervised`: the estimator's fit takes targets (`fit(X, y)`). */
  constructor(estimator: string, method: string, supervised = false) {
    super(`${estimator} is not fitted yet: call 'await model.fit(${supervised ? 'X, y' : 'X'})' before '${method}'`);
    this.name = 'NotFittedError';
  }
}

function toChunked(v: Data | undefined, who: string, arg: string): ChunkedArray<unknown> {
  if (v === undefined || v === null) throw new TypeError(`${who}: ${arg} is required`);
  if (v instanceof ChunkedArray) return v;
  try {
    return asArray(v);
  } catch (e) {
    throw new TypeError(`${who}: ${arg} must be a ChunkedArray, an NDArray, a typed array or nested arrays of numbers (${(e as Error).message})`);
  }
}

function knownShape(a: ChunkedArray<unknown>, who: string, arg: string): void {
  if (a.shape.some(Number.isNaN)) throw new RangeError(`${who}: ${arg} has unknown chunk sizes (after a lazy boolean mask); call 'await ${arg}.computeChunkSizes()' first`);
}

/** X as a 2-d array with every column in one block (the row blocks are the samples' partition). */
export function asMatrix(v: Data | undefined, who: string, arg = 'X'): ChunkedArray<unknown> {
  const a = toChunked(v, who, arg);
  if (a.ndim !== 2) throw new RangeError(`${who}: ${arg} must be 2-d (samples x features), got ${a.ndim}-d shape [${a.shape.join(', ')}]${a.ndim === 1 ? `; for one feature use ${arg}.reshape([-1, 1])` : ''}`);
  knownShape(a, who, arg);
  if (a.shape[0] < 1) throw new RangeError(`${who}: ${arg} has no samples (shape [${a.shape.join(', ')}])`);
  if (a.shape[1] < 1) throw new RangeError(`${who}: ${arg} has no features (shape [${a.shape.join(', ')}])`);
  return a.numblocks[1] === 1 ? a : rechunk(a, [a.chunks[0] as number[], [a.shape[1]]]);
}

/** y as a 1-d array of X's length, with X's row blocks. */
export function asTarget(v: Data | undefined, x: ChunkedArray<unknown>, who: string, arg = 'y'): ChunkedArray<unknown> {
  const a = toChunked(v, who, arg);
  if (a.ndim !== 1) throw new RangeError(`${who}: ${arg} must be 1-d (one value per sample), got ${a.ndim}-d shape [${a.shape.join(', ')}]`);
  knownShape(a, who, arg);
  if (a.shape[0] !== x.shape[0]) throw new RangeError(`${who}: X has ${x.shape[0]} samples but ${arg} has ${a.shape[0]}`);
  const rows = x.chunks[0];
  const same = a.chunks[0].length === rows.length && a.chunks[0].every((c, i) => c === rows[i]);
  return same ? a : rechunk(a, [rows as number[]]);
}

/** Two 1-d arrays of one length (metrics). */
export function asPair(a: Data | undefined, b: Data | undefined, who: string): [ChunkedArray<unknown>, ChunkedArray<unknown>] {
  const t = toChunked(a, who, 'yTrue');
  const p = toChunked(b, who, 'yPred');
  for (const [arr, name] of [[t, 'yTrue'], [p, 'yPred']] as const) {
    if (arr.ndim !== 1) throw new RangeError(`${who}: ${name} must be 1-d, got ${arr.ndim}-d shape [${arr.shape.join(', ')}]`);
    knownShape(arr, who, name);
  }
  if (t.shape[0] !== p.shape[0]) throw new RangeError(`${who}: yTrue has ${t.shape[0]} values but yPred has ${p.shape[0]}`);
  if (t.shape[0] === 0) throw new RangeError(`${who}: yTrue and yPred are empty`);
  return [t, p];
}

export function checkFeatures(x: ChunkedArray<unknown>, expected: number, who: string, arg = 'X'): void {
  if (x.shape[1] !== expected) throw new RangeError(`${who}: ${arg} has ${x.shape[1]} features, but the model was fitted on ${expected}`);
}

/** Option rules shared by the estimators (core's checkOptions reports `<who>: option 'x' must be <rule>, got …`). */
export const rules = {
  positiveInt: ((v) => (Number.isInteger(v) && (v as number) >= 1 ? undefined : 'a positive integer')) as OptionRule,
  nonNegative: ((v) => (typeof v === 'number' && v >= 0 && Number.isFinite(v) ? undefined : 'a finite number >= 0')) as OptionRule,
  positive: ((v) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? undefined : 'a finite number > 0')) as OptionRule,
  seed: ((v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 32 ? undefined : 'an integer in [0, 2^32)')) as OptionRule,
  fraction: ((v) => (typeof v === 'number' && v > 0 && v < 1 ? undefined : 'a fraction in (0, 1)')) as OptionRule,
  /** An option of scikit-learn / Dask-ML that pdask does not implement: refused by name. */
  notYet: { unsupported: 'not implemented yet' } as OptionRule,
};

/** The seed given (checked as an option), or a random one. */
export function seedOf(v: number | undefined): number {
  return v ?? Math.floor(Math.random() * 2 ** 32);
}
