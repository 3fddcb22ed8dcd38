/**
 * The public surface of @pdask/array keeps its promises: every reduction of the table is both a
 * function and a method (and nothing else is), and every options object is strict (a misspelt
 * option fails by name). New exports must be classified below, so none escapes the check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools, delayed, OptionError } from '@pdask/core';
import * as da from '../src/index';
import { REDUCTION_NAMES, REDUCTIONS } from '../src/runtime/reduce-table';
import type { NDArray } from '../src/ndarray';

afterAll(() => closeThreadPools());

const x = da.fromArray(Float64Array.from({ length: 24 }, (_, i) => i), { shape: [4, 6], chunks: [2, 3] });
const proto = da.ChunkedArray.prototype as unknown as Record<string, unknown>;
const exports = da as unknown as Record<string, unknown>;
const reducerOf = (v: unknown): string | undefined => (typeof v === 'function' && 'reduction' in v ? String((v as { reduction: string }).reduction) : undefined);

describe('reductions: the table, the functions and the methods agree', () => {
  it('every row of the table is a function da.<name> and a method x.<name>, building the same graph', () => {
    expect(REDUCTION_NAMES.length).toBeGreaterThanOrEqual(20);
    for (const name of REDUCTION_NAMES) {
      expect(reducerOf(exports[name]), `da.${name}`).toBe(name);
      expect(typeof proto[name], `ChunkedArray.prototype.${name}`).toBe('function');
      const viaFn = (exports[name] as (a: da.ChunkedArray, o?: object) => da.ChunkedArray<unknown>)(x, { axis: 0 });
      const viaMethod = (x as unknown as Record<string, (o?: object) => da.ChunkedArray<unknown>>)[name]({ axis: 0 });
      expect(viaMethod.name).toBe(viaFn.name);
    }
  });

  it('every reduction function exported is a row of the table and a method (the reverse)', () => {
    const found = Object.entries(exports).filter(([, v]) => reducerOf(v) !== undefined);
    // 'variance' is 'var' under a name JavaScript allows for a binding.
    expect(found.map(([k]) => k).sort()).toEqual([...REDUCTION_NAMES, 'variance'].sort());
    for (const [, v] of found) {
      expect(REDUCTIONS).toHaveProperty(reducerOf(v)!);
      expect(typeof proto[reducerOf(v)!]).toBe('function');
    }
  });

  it('the new methods compute what NumPy gives (nanstd, nanvar, nanprod, nanargmin, nanargmax)', async () => {
    const v = [1, NaN, 4, 2, NaN, 8];
    const y = da.fromArray(Float64Array.from(v), { chunks: 4 });
    const kept = v.filter((a) => !Number.isNaN(a));
    const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
    const ss = kept.reduce((a, b) => a + (b - mean) ** 2, 0);
    const sync = { scheduler: 'sync' } as const;
    expect(await y.nanvar().compute(sync)).toBeCloseTo(ss / kept.length, 12);
    expect(await y.nanstd({ ddof: 1 }).compute(sync)).toBeCloseTo(Math.sqrt(ss / (kept.length - 1)), 12);
    expect(await y.nanprod().compute(sync)).toBe(64);
    expect(await y.nanargmin().compute(sync)).toBe(0);
    expect(await y.nanargmax().compute(sync)).toBe(5);
  });
});

/** A call of an options-taking export or method with the options given. */
type Call = (opts: Record<string, unknown>) => unknown;

const fn = <F>(f: F) => f as unknown as (...args: unknown[]) => unknown;
const dir = mkdtempSync(join(tmpdir(), 'pdask-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const block = (b: NDArray) => b;

/** Every options-taking function of the package, by public name, called with an options object. */
const FUNCTIONS: Record<string, Call> = {
  ...Object.fromEntries(REDUCTION_NAMES.map((n) => [`da.${n}`, (o: object) => fn(exports[n])(x, o)])),
  'da.variance': (o) => da.variance(x, o),
  'da.arange': (o) => da.arange(0, 10, 1, o),
  'da.blockwise': (o) => da.blockwise(block, 'ij', x, 'ij', o),
  'da.empty': (o) => da.empty([3], o),
  'da.eye': (o) => da.eye(3, o),
  'da.fromArray': (o) => da.fromArray([1, 2, 3], o),
  'da.fromFunction': (o) => da.fromFunction((i: number) => i, [3], o),
  'da.fromZarr': (o) => da.fromZarr(join(dir, 'none'), o),
  'da.fromDelayed': (o) => da.fromDelayed(delayed(() => [1])(), { shape: [1], dtype: 'float64', ...o }),
  'da.fromDelayedBlocks': (o) => da.fromDelayedBlocks([delayed(() => [1])()], { chunks: [[1]], dtype: 'float64', ...o }),
  'da.full': (o) => da.full([3], 1, o),
  'da.fullLike': (o) => da.fullLike(x, 1, o),
  'da.linspace': (o) => da.linspace(0, 1, 5, o),
  'da.mapBlocks': (o) => fn(da.mapBlocks)(block, [x], o),
  'da.mapOverlap': (o) => da.mapOverlap(block, x, { depth: 1, ...o }),
  'da.ones': (o) => da.ones([3], o),
  'da.onesLike': (o) => da.onesLike(x, o),
  'da.reduction': (o) => da.reduction(x, block, block, o),
  'da.toZarr': (o) => da.toZarr(x, join(dir, 'out.zarr'), o),
  'da.zeros': (o) => da.zeros([3], o),
  'da.zerosLike': (o) => da.zerosLike(x, o),
  'da.random.random': (o) => da.random.random([3], o),
  'da.random.uniform': (o) => da.random.uniform(0, 1, [3], o),
  'da.random.normal': (o) => da.random.normal(0, 1, [3], o),
  'da.random.integers': (o) => da.random.integers(0, 5, [3], o),
  'da.linalg.norm': (o) => da.linalg.norm(x, o),
  'da.linalg.svd': (o) => da.linalg.svd(x, o),
  'da.linalg.svdCompressed': (o) => da.linalg.svdCompressed(x, 2, o),
  'da.broadcastTo': (o) => da.broadcastTo(x, x.shape, o),
  'da.pad': (o) => da.pad(x, 1, o),
  'da.diff': (o) => da.diff(x, 1, -1, o),
  'da.gradient': (o) => da.gradient(x, o),
  'da.meshgrid': (o) => da.meshgrid([x], o),
  'da.indices': (o) => da.indices([3], o),
  'da.emptyLike': (o) => da.emptyLike(x, o),
  'da.countNonzero': (o) => da.countNonzero(x, o),
  // statistics (stats/)
  'da.topk': (o) => da.topk(x, 2, o),
  'da.argtopk': (o) => da.argtopk(x, 2, o),
  'da.percentile': (o) => da.percentile(x, 50, o),
  'da.nanpercentile': (o) => da.nanpercentile(x, 50, o),
  'da.quantile': (o) => da.quantile(x, 0.5, o),
  'da.nanquantile': (o) => da.nanquantile(x, 0.5, o),
  'da.median': (o) => da.median(x, o),
  'da.nanmedian': (o) => da.nanmedian(x, o),
  'da.moment': (o) => da.moment(x, 2, o),
  'da.average': (o) => da.average(x, o),
  'da.cov': (o) => da.cov(x, o),
  'da.corrcoef': (o) => da.corrcoef(x, o),
  'da.unique': (o) => da.unique(x, o),
  'da.isin': (o) => da.isin(x, [1], o),
  'da.histogram': (o) => da.histogram(x, { bins: [0, 1], ...o }),
  'da.histogram2d': (o) => da.histogram2d(x, x, { bins: [0, 1], ...o }),
  'da.histogramdd': (o) => da.histogramdd(x, { bins: [[0, 1], [0, 1]], ...o }),
  'da.bincount': (o) => da.bincount(x.ravel().astype('int32'), o),
  'da.digitize': (o) => da.digitize(x, [0, 1], o),
  'da.searchsorted': (o) => da.searchsorted(x.ravel(), x, o),
  'da.linalg.cholesky': (o) => da.linalg.cholesky(x, o),
  'da.linalg.solveTriangular': (o) => da.linalg.solveTriangular(x, x, o),
  'da.coarsen': (o) => da.coarsen('sum', x, { 0: 2 }, o),
  'da.isclose': (o) => da.isclose(x, x, o),
  'da.allclose': (o) => da.allclose(x, x, o),
  'da.store': (o) => da.store([x], [join(dir, 'store.zarr')], o),
  'da.toNpyStack': (o) => da.toNpyStack(join(dir, 'npy'), x, o),
  'da.fromNpyStack': (o) => da.fromNpyStack(join(dir, 'npy'), o),
};

/** Every options-taking method of ChunkedArray (and ZarrWrite), by public name. */
const METHODS: Record<string, Call> = {
  ...Object.fromEntries(REDUCTION_NAMES.map((n) => [`ChunkedArray.${n}`, (o: object) => fn((x as unknown as Record<string, unknown>)[n]).call(x, o)])),
  ...Object.fromEntries(['cumsum', 'cumprod', 'nancumsum', 'nancumprod'].map((n) => [`ChunkedArray.${n}`, (o: object) => fn((x as unknown as Record<string, unknown>)[n]).call(x, o)])),
  'ChunkedArray.mapBlocks': (o) => x.mapBlocks(block, o),
  'ChunkedArray.mapOverlap': (o) => x.mapOverlap(block, { depth: 1, ...o }),
  'ChunkedArray.toZarr': (o) => x.toZarr(join(dir, 'out2.zarr'), o),
  'ChunkedArray.computeChunkSizes': (o) => x.computeChunkSizes(o),
  'ChunkedArray.topk': (o) => x.topk(2, o),
  'ChunkedArray.argtopk': (o) => x.argtopk(2, o),
  'ChunkedArray.moment': (o) => x.moment(2, o),
  compute: (o) => x.compute(o),
  persist: (o) => x.persist(o),
};

/** Exports that take no options object (positional arguments only), checked to stay that way. */
const NO_OPTIONS = new Set([
  'Array', 'ChunkedArray', 'NDArray', 'ZarrWrite', 'asArray', 'astype', 'broadcastShapes', 'clip', 'concatenate', 'cumprod', 'cumsum', 'cumulative',
  'dot', 'expandDims', 'matmul', 'moveaxis', 'nancumprod', 'nancumsum', 'normalizeAxes', 'normalizeChunks', 'ravel', 'rechunk', 'reshape', 's',
  'squeeze', 'stack', 'tensordot', 'toDType', 'transpose', 'where',
  // int64 data as numbers (dtype.ts).
  'asFloat64', 'asNumbers', 'fillNumber', 'numberAt', 'setNumber',
  // elementwise ufuncs
  'abs', 'absolute', 'add', 'arccos', 'arccosh', 'arcsin', 'arcsinh', 'arctan', 'arctan2', 'arctanh', 'ceil', 'cos', 'cosh', 'divide', 'equal', 'exp',
  'expm1', 'floor', 'floorDivide', 'fmax', 'fmin', 'greater', 'greaterEqual', 'hypot', 'isfinite', 'isinf', 'isnan', 'less', 'lessEqual', 'log',
  'log10', 'log1p', 'log2', 'logicalAnd', 'logicalNot', 'logicalOr', 'logicalXor', 'maximum', 'minimum', 'mod', 'multiply', 'negative', 'notEqual',
  'power', 'reciprocal', 'rint', 'round', 'sign', 'sin', 'sinh', 'sqrt', 'square', 'subtract', 'tan', 'tanh', 'trunc',
  'around', 'bitwiseAnd', 'bitwiseOr', 'bitwiseXor', 'bitwiseNot', 'invert', 'leftShift', 'rightShift', 'logaddexp', 'logaddexp2', 'fmod', 'copysign',
  'signbit', 'ldexp', 'fix', 'deg2rad', 'rad2deg', 'radians', 'degrees',
  'linalg.lstsq', 'linalg.qr', 'linalg.sfqr', 'linalg.solve', 'linalg.tsqr',
  'einsum',
  'ComplexArray', 'ComplexNDArray', 'StoreWrite', 'outer', 'linalg.inv', 'linalg.lu',
]);
// Shape, indexing and layout routines with positional arguments only.
for (const n of ['broadcastArrays', 'diag', 'diagonal', 'trace', 'tril', 'triu', 'tile', 'repeat', 'flip', 'fliplr', 'flipud', 'roll', 'atleast1d', 'atleast2d',
  'atleast3d', 'block', 'dstack', 'hstack', 'vstack', 'rollaxis', 'swapaxes', 'take', 'argwhere', 'nonzero', 'vindex', 'setitem']) NO_OPTIONS.add(n);

describe('strict options', () => {
  it('every exported function is either checked below or known to take no options', () => {
    const names = [
      ...Object.entries(exports).filter(([, v]) => typeof v === 'function').map(([k]) => k),
      ...Object.keys(da.random).map((k) => `random.${k}`),
      ...Object.keys(da.linalg).map((k) => `linalg.${k}`),
    ];
    const unclassified = names.filter((k) => !NO_OPTIONS.has(k) && !(`da.${k}` in FUNCTIONS));
    expect(unclassified).toEqual([]);
  });

  it('every method of ChunkedArray is either checked below or takes no options', () => {
    const methods = Object.getOwnPropertyNames(da.ChunkedArray.prototype).filter((k) => typeof Object.getOwnPropertyDescriptor(da.ChunkedArray.prototype, k)?.value === 'function');
    const positional = new Set(['constructor', 'key', 'keys', 'tokenKey', 'computeOptions', 'toString', 'reduceBy', 'add', 'sub', 'mul', 'div', 'floorDiv', 'mod', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'neg', 'abs', 'sqrt', 'exp', 'log', 'round', 'clip', 'astype', 'slice', 'reshape', 'transpose', 'rechunk', 'squeeze', 'ravel', 'matmul', 'dot', 'repeat', 'swapaxes', 'take', 'diagonal', 'trace', 'nonzero', 'vindex', 'set']);
    expect(methods.filter((k) => !positional.has(k) && !(`ChunkedArray.${k}` in METHODS))).toEqual([]);
  });

  const misspelt = async (call: Call, opts: Record<string, unknown>): Promise<unknown> => {
    try {
      await call(opts);
    } catch (e) {
      return e;
    }
    return undefined;
  };

  for (const [name, call] of Object.entries({ ...FUNCTIONS, ...METHODS })) {
    it(`${name} refuses an unknown option by name`, async () => {
      const err = await misspelt(call, { chunk: 5 });
      expect(err).toBeInstanceOf(OptionError);
      // da.variance is da.var under another binding name: its errors say da.var.
      const shown = name === 'da.variance' ? 'da.var' : name;
      expect((err as Error).message).toMatch(new RegExp(`^${shown.replace(/\./g, '\\.')}: unknown option 'chunk'`));
    });
  }

  it("{ chunk: 5 } for { chunks } fails with the right name and a suggestion", () => {
    expect(() => da.ones([10], { chunk: 5 } as never)).toThrow("da.ones: unknown option 'chunk' (known: chunks, dtype); did you mean 'chunks'?");
    expect(() => da.fromArray([1, 2, 3], { chunk: 1 } as never)).toThrow(/did you mean 'chunks'\?/);
    expect(() => x.sum({ axes: 0 } as never)).toThrow("ChunkedArray.sum: unknown option 'axes' (known: axis, keepdims, splitEvery); did you mean 'axis'?");
  });

  it('wrong types and options pdask does not implement are refused by name', () => {
    expect(() => x.sum({ axis: 'rows' } as never)).toThrow(/ChunkedArray\.sum: option 'axis' must be/);
    expect(() => x.sum({ ddof: 1 } as never)).toThrow(/ChunkedArray\.sum: unknown option 'ddof'/);
    expect(() => x.sum({ dtype: 'float32' } as never)).toThrow(/ChunkedArray\.sum: option 'dtype' is not supported/);
    expect(() => da.ones([3], { order: 'F' } as never)).toThrow(/da\.ones: option 'order' is not supported/);
    expect(() => da.random.random([3], { seed: 'abc' } as never)).toThrow("da.random.random: option 'seed' must be an integer, got 'abc' (string)");
  });
});
