/**
 * Counting per block: histograms (1-d and d-d), bincount, digitize and searchsorted. Partials are
 * float64 count arrays added up a tree; the last step casts to NumPy's result dtype.
 */
import type { Block } from './block';
import { asFloat64, floatBlock, indexBlock, searchSorted } from './numeric';

export interface HistSpec {
  /** Bin edges per dimension (ascending). */
  readonly edges: readonly (readonly number[])[];
  /** Per dimension: whether the edges are evenly spaced (np.linspace), for a direct first guess. */
  readonly uniform: readonly boolean[];
  readonly weighted: boolean;
}

/**
 * The bin of x: bin i holds edges[i] <= x < edges[i + 1], the last bin also its right edge
 * (NumPy's histogram and histogramdd); -1 outside the edges or NaN.
 */
function binOf(e: readonly number[], n: number, lo: number, norm: number, uniform: boolean, x: number): number {
  if (!(x >= e[0] && x <= e[n])) return -1;
  let i: number;
  if (uniform) {
    i = Math.floor((x - lo) * norm);
    if (i > n - 1) i = n - 1;
    if (i < 0) i = 0;
    while (i > 0 && x < e[i]) i--;
    while (i < n - 1 && x >= e[i + 1]) i++;
  } else {
    let a = 0;
    let b = n + 1;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (e[m] <= x) a = m + 1;
      else b = m;
    }
    i = a - 1;
  }
  return i > n - 1 ? n - 1 : i;
}

/** Counts (or weight sums) of one block; blocks: one per dimension, then the weights. */
export function histChunk(spec: HistSpec, ...blocks: Block[]): Float64Array {
  const D = spec.edges.length;
  const nb = spec.edges.map((e) => e.length - 1);
  const size = nb.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  const xs = blocks.slice(0, D).map((b) => asFloat64(b.data));
  const w = spec.weighted ? asFloat64(blocks[D].data) : null;
  const len = xs[0].length;
  const lo = spec.edges.map((e) => e[0]);
  const norm = spec.edges.map((e, d) => nb[d] / (e[nb[d]] - e[0]));
  if (D === 1) {
    const e = spec.edges[0];
    const n = nb[0];
    const x = xs[0];
    const u = spec.uniform[0];
    const l = lo[0];
    const z = norm[0];
    for (let i = 0; i < len; i++) {
      const k = binOf(e, n, l, z, u, x[i]);
      if (k >= 0) out[k] += w ? w[i] : 1;
    }
    return out;
  }
  for (let i = 0; i < len; i++) {
    let flat = 0;
    let d = 0;
    for (; d < D; d++) {
      const k = binOf(spec.edges[d], nb[d], lo[d], norm[d], spec.uniform[d], xs[d][i]);
      if (k < 0) break;
      flat = flat * nb[d] + k;
    }
    if (d === D) out[flat] += w ? w[i] : 1;
  }
  return out;
}

/** Adds count arrays, the shorter ones padded with zeros (bincount's partials differ in length). */
export function countsAdd(...parts: Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0];
  const out = new Float64Array(Math.max(...parts.map((p) => p.length)));
  for (const p of parts) for (let i = 0; i < p.length; i++) out[i] += p[i];
  return out;
}

/** The result block of counts: integer counts, or float64 (weights, density). */
export function countsBlock(shape: readonly number[], integer: boolean, ...parts: Float64Array[]): Block {
  const c = countsAdd(...parts);
  return integer ? indexBlock(shape, c) : floatBlock('float64', shape, c);
}

/** bincount of one block (non-negative integers), at least `minlength` long. */
export function bincountChunk(minlength: number, x: Block, w: Block | null): Float64Array {
  const v = asFloat64(x.data);
  let max = -1;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0) throw new RangeError(`bincount: the array must have no negative elements (found ${v[i]})`);
    if (v[i] > max) max = v[i];
  }
  const out = new Float64Array(Math.max(minlength, max + 1));
  const ws = w ? asFloat64(w.data) : null;
  if (ws) for (let i = 0; i < v.length; i++) out[v[i]] += ws[i];
  else for (let i = 0; i < v.length; i++) out[v[i]]++;
  return out;
}

/** bincount's result: `length` (minlength given) is checked, NaN (unknown) takes what comes. */
export function bincountFinal(length: number, weighted: boolean, ...parts: Float64Array[]): Block {
  const c = countsAdd(...parts);
  if (!Number.isNaN(length) && c.length !== length) {
    throw new RangeError(`bincount: the largest value is ${c.length - 1}, beyond minlength ${length} (the result was declared of length minlength, as Dask does; pass a larger minlength)`);
  }
  return weighted ? floatBlock('float64', [c.length], c) : indexBlock([c.length], c);
}

/** NumPy's digitize for monotonic bins (ascending or descending). */
export function digitizeBlock(bins: readonly number[], right: boolean, b: Block): Block {
  const v = asFloat64(b.data);
  const out = new Float64Array(v.length);
  const n = bins.length;
  const desc = n > 1 && bins[0] > bins[n - 1];
  const asc = desc ? [...bins].reverse() : bins;
  for (let i = 0; i < v.length; i++) {
    // increasing: searchsorted(bins, x, side = right ? 'left' : 'right'); decreasing: n - the same on the reversed bins.
    const k = searchSorted(asc, v[i], !right);
    out[i] = desc ? n - k : k;
  }
  return indexBlock(b.shape, out);
}

/** How many elements of one block of the sorted array go before each value (summed over blocks). */
export function searchChunk(right: boolean, a: Block, v: Block): Float64Array {
  const s = asFloat64(a.data);
  const x = asFloat64(v.data);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = searchSorted(s, x[i], right);
  return out;
}

