/**
 * The per-block steps of randomized PCA (randomized.ts). Each reads its block of X once, centring
 * it a tile of rows at a time (so no centred copy of X is ever made), and runs its products in the
 * WebAssembly matmul of @pdask/kernels.
 */
import { values, dims, type BlockValue } from '../runtime/block';
import { kernelsFor } from '../runtime/kernels';
import type { Kernels } from '@pdask/kernels';
import type { NumericArray } from '@pdask/array';

/** Rows centred at a time: a tile of 100 features (1.6 MB) stays in cache for its two products. */
const TILE_BYTES = 2 ** 21;

const tileRows = (d: number): number => Math.max(16, Math.floor(TILE_BYTES / 8 / Math.max(1, d)));

/**
 * The block's values as float64 (a copy only for other dtypes), so that the loops below see one
 * array type and stay monomorphic.
 */
function floats(xb: BlockValue): Float64Array {
  const x: NumericArray = values(xb);
  return x instanceof Float64Array ? x : Float64Array.from(x as ArrayLike<number>);
}

/** Rows [r0, r0 + rows) of x minus the column means, into `tile` (row-major). */
function centre(x: Float64Array, d: number, mean: Float64Array, r0: number, rows: number, tile: Float64Array): Float64Array {
  const t = tile.subarray(0, rows * d);
  for (let i = 0; i < rows; i++) {
    const src = (r0 + i) * d;
    const dst = i * d;
    for (let j = 0; j < d; j++) t[dst + j] = x[src + j] - mean[j];
  }
  return t;
}

export interface ColumnSums {
  readonly n: number;
  readonly sums: Float64Array;
}

/** Row count and column sums of a block (the means' first pass). */
export function columnSums(xb: BlockValue): ColumnSums {
  const [n, d] = dims(xb);
  const x = floats(xb);
  const sums = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0, o = i * d; j < d; j++) sums[j] += x[o + j];
  return { n, sums };
}

export function combineColumnSums(...parts: ColumnSums[]): ColumnSums {
  const sums = new Float64Array(parts[0].sums.length);
  let n = 0;
  for (const p of parts) {
    n += p.n;
    for (let j = 0; j < sums.length; j++) sums[j] += p.sums[j];
  }
  return { n, sums };
}

/**
 * One power iteration's share of a block: Cᵀ (C V) (d x l), C the centred block and V (d x l)
 * the current orthonormal basis, tile by tile so that each row of X is read once.
 */
export function gramTimes(mean: Float64Array, v: Float64Array, l: number, xb: BlockValue): Float64Array {
  const [n, d] = dims(xb);
  const x = floats(xb);
  const kern = kernelsFor(xb.mem);
  const acc = new Float64Array(d * l);
  const tr = Math.min(n, tileRows(d));
  const tile = new Float64Array(tr * d);
  for (let r0 = 0; r0 < n; r0 += tr) {
    const rows = Math.min(tr, n - r0);
    const c = centre(x, d, mean, r0, rows, tile);
    const y = kern.matmul(c, v, rows, d, l);
    kern.matmul(c, y, d, rows, l, { transposeA: true, accumulate: acc });
  }
  return acc;
}

/** A block's row count, column means and Gram of its rows centred on those means (d x d). */
export interface GramPart {
  readonly n: number;
  readonly mean: Float64Array;
  readonly gram: Float64Array;
}

/**
 * The means and the centred Gram in one pass over X: each block is centred on its own means
 * (read twice, here), and mergeGram moves the parts to the common mean exactly (Chan et al.'s
 * pairwise update), so the power iterations then need no pass over X.
 */
export function gramPart(xb: BlockValue): GramPart {
  const [n, d] = dims(xb);
  const { sums } = columnSums(xb);
  const mean = sums.map((v) => (n > 0 ? v / n : 0));
  const x = floats(xb);
  const kern = kernelsFor(xb.mem);
  const gram = new Float64Array(d * d);
  if (n === 0 || d === 0) return { n, mean, gram };
  // G is symmetric: its column panels [c0, c1) x [c0', c1') are computed for c0 <= c0' only
  // (about half the products when there are several panels), each from the centred tile's column
  // panels, stored one after the other in kernel memory so that the products read them in place.
  const panels: [number, number][] = [];
  const width = Math.ceil(d / Math.max(1, Math.round(d / GRAM_PANEL)));
  for (let c = 0; c < d; c += width) panels.push([c, Math.min(d, c + width)]);
  const tr = Math.min(n, tileRows(d));
  const tile = kern.alloc(Float64Array, tr * d);
  const parts = panels.map(([a], p) => panels.slice(p).map(([b, e]) => new Float64Array((panels[p][1] - a) * (e - b))));
  try {
    for (let r0 = 0; r0 < n; r0 += tr) {
      const rows = Math.min(tr, n - r0);
      centrePanels(x, d, mean, r0, rows, panels, tile.array);
      for (let p = 0; p < panels.length; p++) {
        const [a0, a1] = panels[p];
        for (let q = p; q < panels.length; q++) {
          const [b0, b1] = panels[q];
          // Views are taken after every product: an allocation inside matmul may move the buffer.
          const t = tile.array;
          const ta = t.subarray(rows * a0, rows * a1);
          const tb = t.subarray(rows * b0, rows * b1);
          kern.matmul(ta, tb, a1 - a0, rows, b1 - b0, { transposeA: true, accumulate: parts[p][q - p] });
        }
      }
    }
  } finally {
    tile.free();
  }
  for (let p = 0; p < panels.length; p++) {
    const [a0, a1] = panels[p];
    for (let q = p; q < panels.length; q++) {
      const [b0, b1] = panels[q];
      const part = parts[p][q - p];
      const w = b1 - b0;
      for (let i = a0; i < a1; i++) {
        for (let j = b0; j < b1; j++) {
          const v = part[(i - a0) * w + (j - b0)];
          gram[i * d + j] = v;
          gram[j * d + i] = v;
        }
      }
    }
  }
  return { n, mean, gram };
}

/** Columns of the Gram computed per product (gramPart): narrower panels skip more of the symmetric half but multiply less efficiently. */
const GRAM_PANEL = 32;

/**
 * Rows [r0, r0 + rows) of x minus the column means into `out`, panel by panel: panel [c0, c1)
 * as a rows x (c1 - c0) row-major matrix starting at out[rows * c0].
 */
function centrePanels(x: Float64Array, d: number, mean: Float64Array, r0: number, rows: number, panels: [number, number][], out: Float64Array): void {
  for (const [c0, c1] of panels) {
    const w = c1 - c0;
    const base = rows * c0;
    for (let i = 0; i < rows; i++) {
      const src = (r0 + i) * d;
      const dst = base + i * w;
      for (let j = c0; j < c1; j++) out[dst + j - c0] = x[src + j] - mean[j];
    }
  }
}

export function mergeGram(...parts: GramPart[]): GramPart {
  let acc = parts[0];
  for (let p = 1; p < parts.length; p++) {
    const b = parts[p];
    if (b.n === 0) continue;
    if (acc.n === 0) {
      acc = b;
      continue;
    }
    const n = acc.n + b.n;
    const d = acc.mean.length;
    const delta = b.mean.map((m, j) => m - acc.mean[j]);
    const mean = acc.mean.map((m, j) => m + (delta[j] * b.n) / n);
    const f = (acc.n * b.n) / n;
    const gram = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) gram[i * d + j] = acc.gram[i * d + j] + b.gram[i * d + j] + f * delta[i] * delta[j];
    acc = { n, mean, gram };
  }
  return acc;
}

export function sumArrays(...parts: Float64Array[]): Float64Array {
  const out = Float64Array.from(parts[0]);
  for (let p = 1; p < parts.length; p++) for (let j = 0; j < out.length; j++) out[j] += parts[p][j];
  return out;
}

/**
 * The range step over some rows of X, as a TSQR factor pair: Y = C V = Q R (Q orthonormal,
 * m x k) kept only as R (k x l) and W = Qᵀ C (k x d), plus the sum of squares of C (the total
 * variance). Two pairs merge exactly (mergeRange), so the tree's root holds the R of the whole
 * Y and W = Qᵀ C for its Q: the SVD of that small W is the randomized SVD's.
 */
export interface RangePart {
  readonly k: number;
  readonly r: Float64Array;
  readonly w: Float64Array;
  readonly sumSquares: number;
}

export function rangePart(mean: Float64Array, v: Float64Array, l: number, xb: BlockValue): RangePart {
  const [n, d] = dims(xb);
  const x = floats(xb);
  const kern = kernelsFor(xb.mem);
  const tr = Math.min(n, tileRows(d));
  const tile = new Float64Array(Math.max(1, tr * d));
  const y = new Float64Array(n * l);
  let sumSquares = 0;
  for (let r0 = 0; r0 < n; r0 += tr) {
    const rows = Math.min(tr, n - r0);
    const c = centre(x, d, mean, r0, rows, tile);
    for (let t = 0; t < c.length; t++) sumSquares += c[t] * c[t];
    kern.matmul(c, v, rows, d, l, { accumulate: y.subarray(r0 * l, (r0 + rows) * l) });
  }
  if (n === 0) return { k: 0, r: new Float64Array(0), w: new Float64Array(0), sumSquares };
  const { q, r, k } = kern.householderQR(y, n, l);
  const qm = q!;
  const w = new Float64Array(k * d);
  for (let r0 = 0; r0 < n; r0 += tr) {
    const rows = Math.min(tr, n - r0);
    const c = centre(x, d, mean, r0, rows, tile);
    kern.matmul(qm.subarray(r0 * k, (r0 + rows) * k), c, k, rows, d, { transposeA: true, accumulate: w });
  }
  return { k, r, w, sumSquares };
}

/** [R_a; R_b] = Q R, and W = Qᵀ [W_a; W_b]: the pair of the rows of both. */
export function mergeRange(l: number, d: number, ...parts: RangePart[]): RangePart {
  const kern: Kernels = kernelsFor(undefined);
  const rows = parts.reduce((s, p) => s + p.k, 0);
  const sumSquares = parts.reduce((s, p) => s + p.sumSquares, 0);
  if (rows === 0) return { k: 0, r: new Float64Array(0), w: new Float64Array(0), sumSquares };
  const stackedR = new Float64Array(rows * l);
  const stackedW = new Float64Array(rows * d);
  let o = 0;
  for (const p of parts) {
    stackedR.set(p.r, o * l);
    stackedW.set(p.w, o * d);
    o += p.k;
  }
  const { q, r, k } = kern.householderQR(stackedR, rows, l);
  const w = kern.matmul(q!, stackedW, k, rows, d, { transposeA: true });
  return { k, r, w, sumSquares };
}
