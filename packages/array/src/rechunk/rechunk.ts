/**
 * Rechunking: each output block is assembled from the regions of the input blocks it overlaps.
 * Memory per task is one output block plus the input blocks it reads. When a change of layout would
 * make output blocks read very many input blocks (rows to columns), an intermediate chunking is
 * planned first (as Dask's plan_rechunk does, in a simplified form: one intermediate stage).
 */
import { lit, ref, tokenize } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { boundaries, normalizeChunks, sameChunks, type Chunks, type ChunksSpec } from '../chunks';
import { itemsize } from '../dtype';
import { arrayOps } from '../ops/index';
import type { Piece } from '../runtime/layout';

/** For one dimension: the input blocks overlapping output block j, with the overlap. */
interface Overlap {
  readonly inBlock: number;
  readonly src: number;
  readonly dst: number;
  readonly count: number;
}

export function overlaps(from: readonly number[], to: readonly number[]): Overlap[][] {
  const bf = boundaries(from);
  const bt = boundaries(to);
  const out: Overlap[][] = [];
  let i = 0;
  for (let j = 0; j < to.length; j++) {
    const lo = bt[j];
    const hi = bt[j + 1];
    const list: Overlap[] = [];
    while (i < from.length && bf[i + 1] <= lo && !(bf[i] === lo && from[i] === 0)) i++;
    for (let k = i; k < from.length && bf[k] < hi; k++) {
      const s = Math.max(lo, bf[k]);
      const e = Math.min(hi, bf[k + 1]);
      if (e > s) list.push({ inBlock: k, src: s - bf[k], dst: s - lo, count: e - s });
    }
    if (!list.length) list.push({ inBlock: Math.min(i, from.length - 1), src: 0, dst: 0, count: 0 });
    out.push(list);
  }
  return out;
}

function product<T>(lists: readonly (readonly T[])[]): T[][] {
  let acc: T[][] = [[]];
  for (const l of lists) acc = acc.flatMap((p) => l.map((x) => [...p, x]));
  return acc;
}

function oneStage<R>(x: ChunkedArray<R>, chunks: Chunks): ChunkedArray<R> {
  const ov = chunks.map((c, d) => overlaps(x.chunks[d], c));
  const name = `rechunk-${tokenize(x.name, chunks)}`;
  return fromBlocks<R>(
    'rechunk',
    name,
    x.shape,
    chunks,
    x.dtype,
    (idx, key) => {
      const combos = product(idx.map((j, d) => ov[d][j]));
      const pieces: Piece[] = combos.map((c) => ({ src: c.map((o) => o.src), count: c.map((o) => o.count), dst: c.map((o) => o.dst) }));
      const shape = idx.map((j, d) => chunks[d][j]);
      return arrayOps.gatherPieces.task(key, lit(x.dtype), lit(shape), lit(pieces), ...combos.map((c) => ref(x.key(c.map((o) => o.inBlock)))));
    },
    [x],
  );
}

/** Rechunks to new chunks (any ChunksSpec; -1 keeps a whole dimension, 'auto' uses the byte target). */
export function rechunk<R>(x: ChunkedArray<R>, spec: ChunksSpec | Chunks): ChunkedArray<R> {
  if (x.shape.some((s) => Number.isNaN(s))) throw new RangeError('rechunk: the array has unknown chunk sizes (after a lazy boolean mask): call computeChunkSizes() first');
  const chunks = normalizeChunks(spec as ChunksSpec, x.shape, x.dtype);
  if (chunks.every((c, d) => sameChunks(c, x.chunks[d]))) return x;
  // Fan-in of the direct plan: input blocks read per output block.
  const fanIn = chunks.reduce((acc, c, d) => acc * Math.ceil(overlaps(x.chunks[d], c).reduce((s, l) => s + l.length, 0) / c.length), 1);
  if (fanIn > 16 && x.ndim >= 2) {
    // Rows to columns: go through blocks that are the finer of the two chunkings in every dimension,
    // limited in bytes by the larger of the input and output block sizes.
    const limit = Math.max(blockBytes(x.chunks, itemsize(x.dtype)), blockBytes(chunks, itemsize(x.dtype)));
    const mid = x.chunks.map((c, d) => (Math.max(...c) <= Math.max(...chunks[d]) ? [...c] : [...chunks[d]]));
    if (blockBytes(mid, itemsize(x.dtype)) <= limit && !mid.every((c, d) => sameChunks(c, x.chunks[d]))) {
      return oneStage(oneStage(x, mid), chunks);
    }
  }
  return oneStage(x, chunks);
}

function blockBytes(chunks: Chunks, item: number): number {
  return chunks.reduce((a, c) => a * Math.max(1, ...c), item);
}
