/**
 * Chunk specifications (Dask's normalize_chunks): block sizes per dimension, from a number, a
 * per-dimension list, explicit sizes, or 'auto' (a byte target from config 'array.chunk-size').
 */
import { config, parseBytes } from '@pdask/core';
import { itemsize, type DType } from './dtype';

export type Chunks = readonly (readonly number[])[];
/** One dimension: a block size, explicit sizes, -1 or 'auto'/null for the whole/automatic size. */
export type DimChunks = number | readonly number[] | 'auto' | null;
export type ChunksSpec = number | 'auto' | readonly DimChunks[];

config.addDefaults({ 'array.chunk-size': '128MiB' });

function regular(n: number, size: number): number[] {
  if (n === 0) return [0];
  const out: number[] = [];
  for (let s = 0; s < n; s += size) out.push(Math.min(size, n - s));
  return out;
}

export function normalizeChunks(spec: ChunksSpec | undefined, shape: readonly number[], dtype: DType): number[][] {
  const nd = shape.length;
  const dims: DimChunks[] =
    spec === undefined || spec === 'auto' ? new Array(nd).fill('auto') : typeof spec === 'number' ? new Array(nd).fill(spec) : [...spec];
  if (!Array.isArray(dims) || dims.length !== nd) {
    throw new RangeError(`chunks ${JSON.stringify(spec)} do not match the ${nd} dimensions of shape [${shape.join(', ')}]`);
  }
  const out: (number[] | undefined)[] = dims.map((c, d) => {
    if (c === 'auto' || c === null) return undefined;
    if (typeof c === 'number') {
      if (c === -1) return [shape[d]];
      if (!Number.isInteger(c) || c <= 0) throw new RangeError(`Bad chunk size ${c} for dimension ${d}: expected a positive integer, -1 or 'auto'`);
      return regular(shape[d], c);
    }
    const sizes = [...c];
    if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new RangeError(`Bad chunk sizes [${sizes.join(', ')}] for dimension ${d}`);
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== shape[d]) throw new RangeError(`Chunks [${sizes.join(', ')}] of dimension ${d} add up to ${total}, not its length ${shape[d]}`);
    return sizes.length ? sizes : [0];
  });
  const auto = out.map((c, d) => (c ? -1 : d)).filter((d) => d >= 0);
  if (auto.length) {
    const target = parseBytes(config.get<string | number>('array.chunk-size'), "config 'array.chunk-size'") / itemsize(dtype);
    let fixed = 1;
    for (let d = 0; d < nd; d++) if (out[d]) fixed *= Math.max(...out[d]!);
    // Equal-sided automatic blocks, as Dask's auto_chunks does for dimensions without preference.
    let remaining = Math.max(1, target / Math.max(1, fixed));
    const todo = [...auto].sort((a, b) => shape[a] - shape[b]);
    for (let i = 0; i < todo.length; i++) {
      const d = todo[i];
      const side = Math.max(1, Math.floor(remaining ** (1 / (todo.length - i))));
      const size = Math.min(shape[d], side);
      out[d] = regular(shape[d], Math.max(1, size));
      remaining = Math.max(1, remaining / Math.max(1, size));
    }
  }
  return out as number[][];
}

export const numBlocks = (chunks: Chunks): number[] => chunks.map((c) => c.length);

/** Start offsets of the blocks of one dimension, plus the total at the end. */
export function boundaries(sizes: readonly number[]): number[] {
  const out = [0];
  for (const s of sizes) out.push(out[out.length - 1] + s);
  return out;
}

/** The block of one dimension holding position `g`, given its `boundaries` (binary search). */
export function blockContaining(starts: readonly number[], g: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= g) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function blockKey(name: string, idx: readonly number[]): string {
  return `${name}-${idx.length ? idx.join(',') : '0'}`;
}

/** Every block index of a grid, in C order. */
export function* blockIndices(grid: readonly number[]): Generator<number[]> {
  const nd = grid.length;
  if (grid.some((g) => g === 0)) return;
  const idx = new Array<number>(nd).fill(0);
  for (;;) {
    yield [...idx];
    let d = nd - 1;
    while (d >= 0 && ++idx[d] === grid[d]) idx[d--] = 0;
    if (d < 0) return;
  }
}

export function blockShape(chunks: Chunks, idx: readonly number[]): number[] {
  return idx.map((i, d) => chunks[d][i]);
}

export function blockOffset(chunks: Chunks, idx: readonly number[]): number[] {
  return idx.map((i, d) => {
    let s = 0;
    for (let j = 0; j < i; j++) s += chunks[d][j];
    return s;
  });
}

/** C-order linear number of a block in its grid (random streams are keyed by it). */
export function linearIndex(grid: readonly number[], idx: readonly number[]): number {
  let n = 0;
  for (let d = 0; d < grid.length; d++) n = n * grid[d] + idx[d];
  return n;
}

/** The common refinement of two chunkings of one dimension (Dask's unify_chunks). */
export function commonChunks(a: readonly number[], b: readonly number[]): number[] {
  const ba = boundaries(a);
  const bb = boundaries(b);
  if (ba[ba.length - 1] !== bb[bb.length - 1]) throw new RangeError('commonChunks: dimensions differ');
  const cuts = [...new Set([...ba, ...bb])].sort((x, y) => x - y);
  const out: number[] = [];
  for (let i = 1; i < cuts.length; i++) out.push(cuts[i] - cuts[i - 1]);
  return out.length ? out : [0];
}

/** Equal chunkings (unknown sizes, NaN, match each other: the blocks come from the same mask). */
export const sameChunks = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i] || (Number.isNaN(x) && Number.isNaN(b[i])));
