/** Creation functions. Constant and generated arrays are expressions: they fuse with what reads them. */
import { fnArg, lit, toOpRef, tokenize, type OpFunction } from '@pdask/core';
import { ChunkedArray, fromBlocks, USER_CODE } from '../array';
import { blockOffset, blockShape, normalizeChunks, type ChunksSpec } from '../chunks';
import { toDType, type DType } from '../dtype';
import { arrayOps } from '../ops/index';
import type { ExprNode, GenSpec } from '../runtime/expr';

export interface CreationOptions {
  chunks?: ChunksSpec;
  dtype?: DType | string;
}

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

export function full(shape: number | readonly number[], value: number | boolean, opts: CreationOptions = {}): ChunkedArray {
  const s = checkShape(shape, 'full');
  const v = Number(value);
  const dtype = opts.dtype ? toDType(opts.dtype) : typeof value === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int32' : 'float64';
  return exprArray('full', s, opts.chunks, { t: 'const', v, dtype });
}

export function zeros(shape: number | readonly number[], opts: CreationOptions = {}): ChunkedArray {
  return exprArray('zeros', checkShape(shape, 'zeros'), opts.chunks, { t: 'const', v: 0, dtype: opts.dtype ? toDType(opts.dtype) : 'float64' });
}

export function ones(shape: number | readonly number[], opts: CreationOptions = {}): ChunkedArray {
  return exprArray('ones', checkShape(shape, 'ones'), opts.chunks, { t: 'const', v: 1, dtype: opts.dtype ? toDType(opts.dtype) : 'float64' });
}

/** Dask's `empty` gives uninitialised memory; pdask gives zeros (typed arrays are always zeroed). */
export function empty(shape: number | readonly number[], opts: CreationOptions = {}): ChunkedArray {
  return zeros(shape, opts);
}

type Like = { shape: readonly number[]; chunks: readonly (readonly number[])[]; dtype: DType };
export const zerosLike = (a: Like, opts: CreationOptions = {}): ChunkedArray => zeros(a.shape, { chunks: opts.chunks ?? a.chunks, dtype: opts.dtype ?? a.dtype });
export const onesLike = (a: Like, opts: CreationOptions = {}): ChunkedArray => ones(a.shape, { chunks: opts.chunks ?? a.chunks, dtype: opts.dtype ?? a.dtype });
export const fullLike = (a: Like, v: number, opts: CreationOptions = {}): ChunkedArray => full(a.shape, v, { chunks: opts.chunks ?? a.chunks, dtype: opts.dtype ?? a.dtype });

/**
 * `arange(stop)`, `arange(start, stop, step?)`: NumPy's length ceil((stop - start) / step);
 * int32 when every argument is an integer, else float64.
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
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  const end = stop as number;
  const st = step ?? 1;
  if (st === 0) throw new RangeError('arange: step must not be zero');
  const n = Math.max(0, Math.ceil((end - start) / st));
  const ints = [start, end, st].every(Number.isInteger);
  const dtype = opts.dtype ? toDType(opts.dtype) : ints ? 'int32' : 'float64';
  return exprArray('arange', [n], opts.chunks, { t: 'gen', g: { k: 'arange', start, step: st }, dtype });
}

export function linspace(start: number, stop: number, num = 50, opts: CreationOptions & { endpoint?: boolean } = {}): ChunkedArray {
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`linspace: num must be a non-negative integer, got ${num}`);
  const endpoint = opts.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const g: GenSpec = endpoint && num > 1 ? { k: 'arange', start, step, stop, n: num } : { k: 'arange', start, step };
  return exprArray('linspace', [num], opts.chunks, { t: 'gen', g, dtype: opts.dtype ? toDType(opts.dtype) : 'float64' });
}

export function eye(n: number, opts: CreationOptions & { m?: number; k?: number } = {}): ChunkedArray {
  const shape = checkShape([n, opts.m ?? n], 'eye');
  return exprArray('eye', shape, opts.chunks, { t: 'gen', g: { k: 'eye', diag: opts.k ?? 0 }, dtype: opts.dtype ? toDType(opts.dtype) : 'float64' });
}

/**
 * `fromFunction(fn, shape)`: element (i, j, ...) is `fn(i, j, ...)` (NumPy calls fn once with index
 * arrays; here it is called per element). `fn` runs on workers, so it must be self-contained.
 */
export function fromFunction(fn: (...index: number[]) => number, shape: readonly number[], opts: CreationOptions = {}): ChunkedArray {
  const s = checkShape(shape, 'fromFunction');
  const dtype = opts.dtype ? toDType(opts.dtype) : 'float64';
  const chunks = normalizeChunks(opts.chunks, s, dtype);
  const op = toOpRef(fn as OpFunction);
  const name = `fromfunction-${tokenize(op, s, chunks, dtype)}`;
  const out = fromBlocks('fromfunction', name, s, chunks, dtype, (idx, key) =>
    arrayOps.fromFunctionBlock.task(key, fnArg(op), lit(dtype), lit(blockShape(chunks, idx)), lit(blockOffset(chunks, idx))), [], [], USER_CODE);
  return out;
}
