/** broadcastTo and broadcastArrays (Dask's: new and length-1 dimensions become one block each). */
import { checkOptions, lit, ref, tokenize, type OptionSchema } from '@pdask/core';
import { broadcastIndex, fromBlocks, type ChunkedArray } from '../array';
import { commonChunks, normalizeChunks, sameChunks, type ChunksSpec } from '../chunks';
import { broadcastShapes } from '../elementwise/build';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { CHUNKS } from '../options';
import { rechunk } from '../rechunk/rechunk';

type A = ChunkedArray<unknown>;

export interface BroadcastToOptions {
  /** Chunks of the result; along dimensions x already has (length > 1), they must be x's. */
  chunks?: ChunksSpec;
}
const SCHEMA: OptionSchema<BroadcastToOptions> = { chunks: CHUNKS };

export function broadcastTo(x: A, shape: readonly number[], options?: BroadcastToOptions): ChunkedArray<NDArray> {
  const opts = checkOptions('da.broadcastTo', options, SCHEMA) ?? {};
  const nd = shape.length;
  const pad = nd - x.ndim;
  for (const s of shape) if (!Number.isInteger(s) || s < 0) throw new RangeError(`broadcastTo: bad shape [${shape.join(', ')}]`);
  if (pad < 0) throw new RangeError(`input operand has more dimensions than allowed by the axis remapping (${x.ndim} > ${nd})`);
  x.shape.forEach((s, k) => {
    if (s !== 1 && s !== shape[k + pad]) throw new RangeError(`operands could not be broadcast together with remapped shapes [original->remapped]: (${x.shape.join(',')}) and requested shape (${shape.join(',')})`);
  });
  const kept = (d: number): boolean => d >= pad && x.shape[d - pad] !== 1;
  const dflt = shape.map((s, d) => (kept(d) ? [...x.chunks[d - pad]] : [s]));
  const chunks = opts.chunks === undefined ? dflt : normalizeChunks(opts.chunks, shape, x.dtype);
  chunks.forEach((c, d) => {
    if (kept(d) && !sameChunks(c, dflt[d])) throw new RangeError(`broadcastTo: chunks [${c.join(', ')}] of dimension ${d} differ from the input's [${dflt[d].join(', ')}]; rechunk the input instead`);
  });
  if (nd === x.ndim && shape.every((s, d) => s === x.shape[d]) && chunks.every((c, d) => sameChunks(c, x.chunks[d]))) return x as ChunkedArray<NDArray>;
  const name = `broadcast-to-${tokenize(x.name, shape, chunks)}`;
  return fromBlocks('broadcast-to', name, shape, chunks, x.dtype, (idx, key) =>
    arrayOps.broadcastBlock.task(key, lit(idx.map((b, d) => chunks[d][b])), ref(x.key(broadcastIndex(x.shape, nd, idx)))), [x]);
}

/** The arrays broadcast against each other, with their chunks unified (Dask's broadcast_arrays). */
export function broadcastArrays(...arrays: A[]): ChunkedArray<NDArray>[] {
  const shape = broadcastShapes(arrays.map((a) => a.shape));
  const out = arrays.map((a) => broadcastTo(a, shape));
  // A broadcast dimension is one block, which refines to the others' chunks.
  const common = shape.map((_, d) => out.reduce((acc, a) => commonChunks(acc, a.chunks[d]), [...out[0].chunks[d]]));
  return out.map((a) => (a.chunks.every((c, d) => sameChunks(c, common[d])) ? a : (rechunk(a, common) as ChunkedArray<NDArray>)));
}
