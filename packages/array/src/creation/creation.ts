/** Creation functions. Constant and generated arrays are expressions: they fuse with what reads them. */
import { checkOptions, fnArg, lit, toOpRef, tokenize, type OpFunction, type OptionSchema } from '@pdask/core';
import { CHUNKS, DTYPE, NOT_YET } from '../options';
import { ChunkedArray, fromBlocks, USER_CODE } from '../array';
import { blockOffset, blockShape, normalizeChunks, type ChunksSpec } from '../chunks';
import { toDType, type DType } from '../dtype';
import { arrayOps } from '../ops/index';
import type { ExprNode, GenSpec } from '../runtime/expr';

export interface CreationOptions {
  chunks?: ChunksSpec;
  dtype?: DType | string;
}

export interface LinspaceOptions extends CreationOptions {
  /** Whether `stop` is the last value (default true). */
  endpoint?: boolean;
}

export interface EyeOptions extends CreationOptions {
  /** Columns (default n). */
  m?: number;
  /** Diagonal offset (default 0). */
  k?: number;
}

type Refused = { order?: unknown; like?: unknown; meta?: unknown; name?: unknown };
const REFUSED = { order: NOT_YET, like: NOT_YET, meta: NOT_YET, name: NOT_YET } as const;
const CREATION: OptionSchema<CreationOptions & Refused> = { chunks: CHUNKS, dtype: DTYPE, ...REFUSED };
const LINSPACE: OptionSchema<LinspaceOptions & Refused & { retstep?: unknown }> = { ...CREATION, endpoint: 'boolean', retstep: NOT_YET };
const EYE: OptionSchema<EyeOptions & Refused> = { ...CREATION, m: 'integer', k: 'integer' };

const check = (fn: string, opts: CreationOptions | undefined): CreationOptions => checkOptions(`da.${fn}`, opts, CREATION);

function checkShape(shape: number | readonly number[], fn: string): number[] {
  const s = typeof shape === 'number' ? [shape] : [...shape];
  for (const n of s) if (!Number.isInteger(n) || n < 0) throw new RangeError(`${fn}: bad shape [${s.join(', ')}]: dimensions must be non-negative integers`);
  return s;
}

export function exprArray(label: string, shape: readonly number[], chunksSpec: ChunksSpec | undefined, expr: ExprNode): ChunkedArray {
  const chunks = normalizeChunks(chunksSpec, shape, expr.dtype);
  const name = `${label}-${tokenize(expr, shape, chunks)}`;
  return new ChunkedArray(name, shape, chunks, expr.dtype, { k: 'expr', expr, inputs: [], label });
}

export function full(shape: number | readonly number[], value: number | boolean, options?: CreationOptions): ChunkedArray {
  const opts = check('full', options);
  const s = checkShape(shape, 'full');
  const v = Number(value);
  const dtype = opts.dtype ? toDType(opts.dtype) : typeof value === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int64' : 'float64';
  return exprArray('full', s, opts.chunks, { t: 'const', v, dtype });
}

export function zeros(shape: number | readonly number[], options?: CreationOptions): ChunkedArray {
  const opts = check('zeros', options);
  return exprArray('zeros', checkShape(shape, 'zeros'), opts.chunks, { t: 'const', v: 0, dtype: opts.dtype ? toDType(opts.dtype) : 'float64' });
}

export function ones(shape: number | readonly number[], options?: CreationOptions): ChunkedArray {
  const opts = check('ones', options);
  return exprArray('ones', checkShape(shape, 'ones'), opts.chunks, { t: 'const', v: 1, dtype: opts.dtype ? toDType(opts.dtype) : 'float64' });
}

/** Dask's `empty` gives uninitialised memory; pdask gives zeros (typed arrays are always zeroed). */
export function empty(shape: number | readonly number[], opts?: CreationOptions): ChunkedArray {
  return zeros(shape, check('empty', opts));
}

type Like = { shape: readonly number[]; chunks: readonly (readonly number[])[]; dtype: DType };
const likeOf = (a: Like, fn: string, opts: CreationOptions | undefined): CreationOptions => {
  const o = check(fn, opts);
  return { chunks: o.chunks ?? a.chunks, dtype: o.dtype ?? a.dtype };
};
export const zerosLike = (a: Like, opts?: CreationOptions): ChunkedArray => zeros(a.shape, likeOf(a, 'zerosLike', opts));
export const onesLike = (a: Like, opts?: CreationOptions): ChunkedArray => ones(a.shape, likeOf(a, 'onesLike', opts));
export const fullLike = (a: Like, v: number, opts?: CreationOptions): ChunkedArray => full(a.shape, v, likeOf(a, 'fullLike', opts));

/**
 * `arange(stop)`, `arange(start, stop, step?)`: NumPy's length ceil((stop - start) / step);
 * int64 (NumPy's default integer) when every argument is an integer, else float64.
 */
export function arange(start: number, stop?: number | CreationOptions, step?: number | CreationOptions, opts: CreationOptions = {}): ChunkedArray {
  if (typeof stop === 'object') {
    opts = stop;
    stop = undefined;
  }
  if (typeof step === 'object') {
    opts = step;
    step = undefined;
  }
  opts = check('arange', opts);
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  const end = stop as number;
  const st = step ?? 1;
  if (st === 0) throw new RangeError('arange: step must not be zero');
  const n = Math.max(0, Math.ceil((end - start) / st));
  const ints = [start, end, st].every(Number.isInteger);
  const dtype = opts.dtype ? toDType(opts.dtype) : ints ? 'int64' : 'float64';
  return exprArray('arange', [n], opts.chunks, { t: 'gen', g: { k: 'arange', start, step: st }, dtype });
}

export function linspace(start: number, stop: number, num = 50, options?: LinspaceOptions): ChunkedArray {
  const opts = checkOptions('da.linspace', options, LINSPACE);
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`linspace: num must be a non-negative integer, got ${num}`);
  const endpoint = opts.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const g: GenSpec = endpoint && num > 1 ? { k: 'arange', start, step, stop, n: num } : { k: 'arange', start, step };
  return exprArray('linspace', [num], opts.chunks, { t: 'gen', g, dtype: opts.dtype ? toDType(opts.dtype) : 'float64' });
}

export function eye(n: number, options?: EyeOptions): ChunkedArray {
  const opts = checkOptions('da.eye', options, EYE);
  const shape = checkShape([n, opts.m ?? n], 'eye');
  return exprArray('eye', shape, opts.chunks, { t: 'gen', g: { k: 'eye', diag: opts.k ?? 0 }, dtype: opts.dtype ? toDType(opts.dtype) : 'float64' });
}

/**
 * `fromFunction(fn, shape)`: element (i, j, ...) is `fn(i, j, ...)` (NumPy calls fn once with index
 * arrays; here it is called per element). `fn` runs on workers, so it must be self-contained.
 */
export function fromFunction(fn: (...index: number[]) => number, shape: readonly number[], options?: CreationOptions): ChunkedArray {
  const opts = check('fromFunction', options);
  const s = checkShape(shape, 'fromFunction');
  const dtype = opts.dtype ? toDType(opts.dtype) : 'float64';
  const chunks = normalizeChunks(opts.chunks, s, dtype);
  const op = toOpRef(fn as OpFunction);
  const name = `fromfunction-${tokenize(op, s, chunks, dtype)}`;
  const out = fromBlocks('fromfunction', name, s, chunks, dtype, (idx, key) =>
    arrayOps.fromFunctionBlock.task(key, fnArg(op), lit(dtype), lit(blockShape(chunks, idx)), lit(blockOffset(chunks, idx))), [], [], USER_CODE);
  return out;
}
