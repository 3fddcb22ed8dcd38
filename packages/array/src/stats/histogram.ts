/**
 * histogram, histogram2d, histogramdd, bincount, digitize and searchsorted: per-block counts
 * (runtime/histogram.ts) summed by core's treeReduce, or per-block maps. Bins are eager, as
 * Dask requires for a lazily sized result (counts of a number of bins need a range).
 */
import { checkOptions, lit, optional, ref, SPLIT_EVERY, tokenize, treeReduce, type OptionSchema } from '@pdask/core';
import { ChunkedArray, fromBlocks } from '../array';
import { blockIndices, blockKey, blockShape } from '../chunks';
import { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { NOT_YET } from '../options';
import { rechunk } from '../rechunk/rechunk';
import { reductionInfo } from '../reductions/reductions';
import type { HistSpec } from '../runtime/histogram';
import { INDEX_DTYPE } from '../runtime/numeric';
import { ravel } from '../shape/shape';
import { eagerNumbers, operand, type A, type StatOperand } from './common';

type Numbers = readonly number[] | ArrayBufferView | NDArray;
const INTEGRAL = ['int32', 'uint8', 'bool', 'int64'];

/** np.linspace(start, stop, num + 1): i * step + start, the last edge exactly stop. */
function linspaceEdges(lo: number, hi: number, n: number): number[] {
  const step = (hi - lo) / n;
  const e = Array.from({ length: n + 1 }, (_, i) => i * step + lo);
  e[n] = hi;
  return e;
}

/** One dimension's edges from a count and range (NumPy's widening of an empty range) or a list. */
function edgesOf(bins: number | Numbers, range: readonly number[] | undefined, who: string): { edges: number[]; uniform: boolean } {
  if (typeof bins === 'number') {
    if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`${who}: \`bins\` must be positive, when an integer (got ${bins})`);
    if (!range) throw new RangeError(`${who}: give bins as edges, or a number of bins and a range (as Dask: the data's range would need a pass over it first)`);
    if (range.length !== 2) throw new RangeError(`${who}: range must be [min, max]`);
    let [lo, hi] = range;
    if (lo > hi) throw new RangeError(`${who}: max must be larger than min in range parameter.`);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`${who}: supplied range of [${lo}, ${hi}] is not finite`);
    if (lo === hi) {
      lo -= 0.5;
      hi += 0.5;
    }
    return { edges: linspaceEdges(lo, hi, bins), uniform: true };
  }
  const edges = eagerNumbers(bins as readonly number[], who, 'bins');
  if (edges.length < 2) throw new RangeError(`${who}: bins need at least two edges`);
  for (let i = 1; i < edges.length; i++) if (!(edges[i] >= edges[i - 1])) throw new RangeError(`${who}: \`bins\` must increase monotonically, when an array`);
  return { edges, uniform: false };
}

/** Arrays with the chunks of the first (1-d, same length), for per-block counting. */
function aligned(arrays: readonly A[], who: string): A[] {
  const first = arrays[0];
  return arrays.map((a) => {
    if (a.ndim !== 1 || a.shape[0] !== first.shape[0]) throw new RangeError(`${who}: the samples and weights must have the same length (${a.shape[0]} vs ${first.shape[0]})`);
    const same = a.chunks[0].length === first.chunks[0].length && a.chunks[0].every((c, i) => c === first.chunks[0][i]);
    return same ? a : rechunk(a, [first.chunks[0]]);
  });
}

/** Counts over D aligned 1-d arrays (+ weights): one block of shape `shape`. */
function countTree(name: string, cols: readonly A[], w: A | null, spec: HistSpec, shape: number[], splitEvery: number | undefined): ChunkedArray<NDArray> {
  const all = w ? [...cols, w] : [...cols];
  const tree = treeReduce(
    {
      name,
      grid: cols[0].numblocks,
      splitEvery: splitEvery ?? SPLIT_EVERY.array,
      partial: (index) => arrayOps.histChunk.call(lit(spec), ...all.map((a) => ref(a.key(index)))),
      combine: (parts) => arrayOps.countsAdd.call(...parts),
      aggregate: (parts) => arrayOps.countsBlock.call(lit(shape), lit(!w), ...parts),
      outputKey: () => blockKey(name, shape.map(() => 0)),
      info: reductionInfo(cols[0]),
    },
    [...new Set(all.map((a) => a.layer))],
  );
  return new ChunkedArray<NDArray>(name, shape, shape.map((s) => [s]), w ? 'float64' : INDEX_DTYPE, { k: 'layer', node: tree.node });
}

export interface HistogramOptions {
  /** A number of bins (with `range`) or the bin edges (default 10 bins). */
  bins?: number | Numbers;
  range?: readonly [number, number];
  weights?: StatOperand;
  density?: boolean;
  splitEvery?: number;
}

const HIST_SCHEMA: OptionSchema<HistogramOptions & { normed?: unknown }> = {
  bins: { anyOf: ['integer', 'object', 'array'] },
  range: 'array',
  weights: 'object',
  density: optional('boolean'),
  splitEvery: 'integer',
  normed: { unsupported: 'removed in NumPy 1.24; use density' },
};

/** NumPy's histogram of the flattened array: [counts (a chunked array, one block), bin edges]. */
export function histogram(x0: StatOperand, opts?: HistogramOptions): [ChunkedArray<NDArray>, NDArray] {
  const who = 'da.histogram';
  const o = checkOptions(who, opts, HIST_SCHEMA);
  const x = operand(x0, who);
  const { edges, uniform } = edgesOf(o.bins ?? 10, o.range, who);
  let w: A | null = null;
  let xr = x;
  if (o.weights !== undefined) {
    const w0 = operand(o.weights, who, 'weights');
    if (w0.shape.length !== x.shape.length || w0.shape.some((s, d) => s !== x.shape[d])) throw new RangeError(`${who}: weights should have the same shape as a`);
    xr = ravel(x);
    [xr, w] = aligned([xr, ravel(w0)], who);
  } else xr = x.ndim === 1 ? x : ravel(x);
  const spec: HistSpec = { edges: [edges], uniform: [uniform], weighted: w !== null };
  const name = `histogram-${tokenize(xr.name, w?.name ?? null, edges)}`;
  let h: ChunkedArray<NDArray> = countTree(name, [xr], w, spec, [edges.length - 1], o.splitEvery);
  if (o.density) {
    const db = new NDArray(Float64Array.from(edges.slice(1), (e, i) => e - edges[i]), [edges.length - 1]);
    h = h.div(db).div(h.sum() as unknown as A) as ChunkedArray<NDArray>;
  }
  return [h, new NDArray(Float64Array.from(edges), [edges.length])];
}

export interface HistogramddOptions {
  /** A number of bins for all dimensions, one per dimension, or edges per dimension. */
  bins?: number | readonly (number | Numbers)[];
  /** [min, max] per dimension (needed with numbers of bins). */
  range?: readonly (readonly [number, number])[];
  weights?: StatOperand;
  density?: boolean;
  splitEvery?: number;
}

const DD_SCHEMA: OptionSchema<HistogramddOptions & { normed?: unknown }> = {
  bins: { anyOf: ['integer', 'array'] },
  range: 'array',
  weights: 'object',
  density: optional('boolean'),
  splitEvery: 'integer',
  normed: { unsupported: 'removed in NumPy 1.24; use density' },
};

function histdd(who: string, cols0: A[], o: HistogramddOptions): [ChunkedArray<NDArray>, NDArray[]] {
  const D = cols0.length;
  const binsPer = typeof o.bins === 'number' || o.bins === undefined ? new Array(D).fill(o.bins ?? 10) : [...o.bins];
  if (binsPer.length !== D) throw new RangeError(`${who}: The dimension of bins must be equal to the dimension of the sample x.`);
  if (o.range && o.range.length !== D) throw new RangeError(`${who}: range needs one [min, max] per dimension (${D})`);
  const dims = binsPer.map((b, d) => edgesOf(b as number | Numbers, o.range?.[d], who));
  const w0 = o.weights === undefined ? null : ravel(operand(o.weights, who, 'weights'));
  const cols = aligned(w0 ? [...cols0, w0] : cols0, who);
  const w = w0 ? (cols.pop() as A) : null;
  const spec: HistSpec = { edges: dims.map((e) => e.edges), uniform: dims.map((e) => e.uniform), weighted: w !== null };
  const shape = dims.map((e) => e.edges.length - 1);
  const name = `histogramdd-${tokenize(cols.map((c) => c.name), w?.name ?? null, spec.edges)}`;
  let h: ChunkedArray<NDArray> = countTree(name, cols, w, spec, shape, o.splitEvery);
  if (o.density) {
    const s = h.sum() as unknown as A;
    dims.forEach((e, d) => {
      const de = Float64Array.from(e.edges.slice(1), (v, i) => v - e.edges[i]);
      h = h.div(new NDArray(de, shape.map((n, k) => (k === d ? n : 1)))) as ChunkedArray<NDArray>;
    });
    h = h.div(s) as ChunkedArray<NDArray>;
  }
  return [h, dims.map((e) => new NDArray(Float64Array.from(e.edges), [e.edges.length]))];
}

/**
 * NumPy's histogramdd: `sample` is an (N, D) array (its columns are the coordinates) or a list of
 * D 1-d arrays. Returns [counts, edges per dimension].
 */
export function histogramdd(sample: StatOperand | readonly StatOperand[], opts?: HistogramddOptions): [ChunkedArray<NDArray>, NDArray[]] {
  const who = 'da.histogramdd';
  const o = checkOptions(who, opts, DD_SCHEMA);
  let cols: A[];
  if (Array.isArray(sample) && sample.length && sample.every((s) => s instanceof ChunkedArray)) cols = (sample as StatOperand[]).map((s) => operand(s, who, 'a sample'));
  else {
    const s = operand(sample as StatOperand, who, 'the sample');
    if (s.ndim === 1) cols = [s];
    else if (s.ndim === 2) cols = Array.from({ length: s.shape[1] }, (_, d) => s.slice(':', d) as A);
    else throw new RangeError(`${who}: the sample must be an (N, D) array or a list of D 1-d arrays`);
  }
  return histdd(who, cols, o);
}

/** NumPy's histogram2d: [counts, xedges, yedges]. `bins`: a number, [nx, ny], edges, or [xedges, yedges]. */
export function histogram2d(x: StatOperand, y: StatOperand, opts?: HistogramddOptions | (Omit<HistogramddOptions, 'bins'> & { bins?: Numbers })): [ChunkedArray<NDArray>, NDArray, NDArray] {
  const who = 'da.histogram2d';
  const o = checkOptions(who, opts as HistogramddOptions, DD_SCHEMA);
  let bins = o.bins;
  // One list of numbers (not of lists) is the edges of both dimensions, as NumPy reads it.
  if (bins !== undefined && typeof bins !== 'number' && (ArrayBuffer.isView(bins) || bins instanceof NDArray || (bins.length !== 2 && bins.every((b) => typeof b === 'number')))) bins = [bins as Numbers, bins as Numbers];
  const [h, e] = histdd(who, [operand(x, who, 'x'), operand(y, who, 'y')].map((a) => (a.ndim === 1 ? a : ravel(a))), { ...o, bins });
  return [h, e[0], e[1]];
}

export interface BincountOptions {
  weights?: StatOperand;
  /** At least this many bins; with it the result's length is known (Dask's rule; without, it is NaN until computed). */
  minlength?: number;
  splitEvery?: number;
}

const BINCOUNT_SCHEMA: OptionSchema<BincountOptions> = { weights: 'object', minlength: 'integer', splitEvery: 'integer' };

/** NumPy's bincount of non-negative integers (1-d): counts, or sums of weights. */
export function bincount(x0: StatOperand, opts?: BincountOptions): ChunkedArray<NDArray> {
  const who = 'da.bincount';
  const o = checkOptions(who, opts, BINCOUNT_SCHEMA);
  const x = operand(x0, who);
  if (x.ndim !== 1) throw new RangeError(`${who}: the input must be 1-d (got ${x.ndim} dimensions)`);
  if (!INTEGRAL.includes(x.dtype)) throw new TypeError(`${who}: Cannot cast array data from dtype('${x.dtype}') to dtype('int64') according to the rule 'safe'`);
  const minlength = o.minlength ?? 0;
  if (minlength < 0) throw new RangeError(`${who}: 'minlength' must not be negative`);
  const [xr, w] = o.weights === undefined ? [x, null] : aligned([x, operand(o.weights, who, 'weights')], who);
  const length = minlength > 0 ? minlength : NaN;
  const name = `bincount-${tokenize(xr.name, w?.name ?? null, minlength)}`;
  const tree = treeReduce(
    {
      name,
      grid: xr.numblocks,
      splitEvery: o.splitEvery ?? SPLIT_EVERY.array,
      partial: (index) => arrayOps.bincountChunk.call(lit(minlength), ref(xr.key(index)), w ? ref(w.key(index)) : lit(null)),
      combine: (parts) => arrayOps.countsAdd.call(...parts),
      aggregate: (parts) => arrayOps.bincountFinal.call(lit(length), lit(w !== null), ...parts),
      outputKey: () => blockKey(name, [0]),
      info: reductionInfo(xr),
    },
    [...new Set([xr.layer, ...(w ? [w.layer] : [])])],
  );
  return new ChunkedArray<NDArray>(name, [length], [[length]], w ? 'float64' : INDEX_DTYPE, { k: 'layer', node: tree.node });
}

export interface DigitizeOptions {
  /** Whether bins include their right edge (NumPy's `right`). */
  right?: boolean;
}

/** NumPy's digitize against eager monotonic bins; one task per block. */
export function digitize(x0: StatOperand, bins0: Numbers, opts?: DigitizeOptions): ChunkedArray<NDArray> {
  const who = 'da.digitize';
  const o = checkOptions(who, opts, { right: 'boolean' });
  const x = operand(x0, who);
  const bins = eagerNumbers(bins0 as readonly number[], who, 'bins');
  const inc = bins.every((b, i) => i === 0 || b >= bins[i - 1]);
  const dec = bins.every((b, i) => i === 0 || b <= bins[i - 1]);
  if (!inc && !dec) throw new RangeError(`${who}: bins must be monotonically increasing or decreasing`);
  const right = o.right ?? false;
  const name = `digitize-${tokenize(x.name, bins, right)}`;
  return fromBlocks('digitize', name, x.shape, x.chunks, INDEX_DTYPE, (idx, key) => arrayOps.digitizeBlock.task(key, lit(bins), lit(right), ref(x.key(idx))), [x]);
}

export interface SearchsortedOptions {
  side?: 'left' | 'right';
  splitEvery?: number;
}

const SEARCH_SCHEMA: OptionSchema<SearchsortedOptions & { sorter?: unknown }> = {
  side: { oneOf: ['left', 'right'] },
  splitEvery: 'integer',
  sorter: NOT_YET,
};

/**
 * NumPy's searchsorted of `v` in the sorted 1-d `a`: for sorted `a` the insertion point is the
 * number of elements before it, which adds up over a's blocks, so each block of `v` is a tree
 * over a's blocks and nothing is gathered.
 */
export function searchsorted(a0: StatOperand, v0: StatOperand, opts?: SearchsortedOptions): ChunkedArray<NDArray> {
  const who = 'da.searchsorted';
  const o = checkOptions(who, opts, SEARCH_SCHEMA);
  const a = operand(a0, who, 'a');
  const v = operand(v0, who, 'v');
  if (a.ndim !== 1) throw new RangeError(`${who}: Input array a must be one dimensional`);
  const right = o.side === 'right';
  const name = `searchsorted-${tokenize(a.name, v.name, right)}`;
  const vblocks = [...blockIndices(v.numblocks)];
  const tree = treeReduce(
    {
      name,
      grid: a.numblocks,
      groups: vblocks.length,
      splitEvery: o.splitEvery ?? SPLIT_EVERY.array,
      partial: (index, _i, g) => arrayOps.searchChunk.call(lit(right), ref(a.key(index)), ref(v.key(vblocks[g]))),
      combine: (parts) => arrayOps.countsAdd.call(...parts),
      aggregate: (parts, ctx) => arrayOps.countsBlock.call(lit(blockShape(v.chunks, vblocks[ctx.group])), lit(true), ...parts),
      outputKey: (g) => blockKey(name, vblocks[g]),
      info: reductionInfo(a),
    },
    [...new Set([a.layer, v.layer])],
  );
  return new ChunkedArray<NDArray>(name, v.shape, v.chunks, INDEX_DTYPE, { k: 'layer', node: tree.node });
}
