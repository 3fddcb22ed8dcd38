/**
 * QR of a short-and-fat array (Dask's sfqr): one block of rows, any column blocks. The leading
 * column blocks that hold min(m, n) columns are factored together, which fixes Q (m x k); every
 * other column block's R is Q^T A_j, one task each, so no task holds more than the leading
 * blocks and one other.
 */
import { lit, ref, tokenize } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { blockLayer } from '../layer';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';

type A = ChunkedArray<unknown>;
type Out = ChunkedArray<NDArray>;

/** QR of an array with one block of rows (other row chunkings are rechunked to one block). */
export function sfqr(a0: A): [Out, Out] {
  if (a0.ndim !== 2) throw new RangeError(`sfqr needs a 2-d array, got ${a0.ndim}-d`);
  if (a0.shape.some(Number.isNaN)) throw new RangeError('sfqr: unknown chunk sizes; call computeChunkSizes() first');
  const [m, n] = a0.shape;
  if (m === 0 || n === 0) throw new RangeError(`sfqr: a is empty (shape [${m}, ${n}])`);
  const a = a0.numblocks[0] === 1 ? a0 : rechunk(a0, [[m], a0.chunks[1] as number[]]);
  const k = Math.min(m, n);
  const cols = a.chunks[1];
  const offsets = [0];
  for (const c of cols) offsets.push(offsets[offsets.length - 1] + c);
  // The fewest leading blocks with k columns: their Q spans every column of a (Dask instead
  // requires the first block alone to be at least as wide as a is tall).
  let nLead = 0;
  while (offsets[nLead] < k) nLead++;
  const tok = tokenize(a.name);
  const leadKey = `sfqr-lead-${tok}`;
  const lead = blockLayer(leadKey, 'sfqr-lead', [], () =>
    arrayOps.sfqrLead.task(leadKey, ...Array.from({ length: nLead }, (_, j) => ref(a.key([0, j])))), [a.layer]);
  const q = fromBlocks<NDArray>('sfqr-q', `sfqr-q-${tok}`, [m, k], [[m], [k]], 'float64', (_idx, key) =>
    arrayOps.pick.task(key, ref(leadKey), lit('q')), [], [lead]);
  const r = fromBlocks<NDArray>('sfqr-r', `sfqr-r-${tok}`, [k, n], [[k], [...cols]], 'float64', ([, j], key) =>
    j < nLead
      ? arrayOps.sfqrLeadR.task(key, ref(leadKey), lit(offsets[j]), lit(offsets[j + 1]))
      : arrayOps.sfqrRestR.task(key, ref(leadKey), ref(a.key([0, j]))), [a], [lead]);
  return [q, r];
}
