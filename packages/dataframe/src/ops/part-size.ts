/**
 * What repartition by size needs from each partition: its memory (the bytes of its Arrow buffers:
 * values, offsets, validity bitmaps, dictionaries; Dask measures pandas' deep memory_usage), and
 * a partition split into k row ranges as Dask's split_evenly cuts them.
 */
import { batchOf, decodePart, encodeBatch, type Part } from './part';

export const partBytes = (part: Part): number => part.bufs.reduce((s, b) => s + b.byteLength, 0);

/** k consecutive row ranges at `trunc(i * (rows / k))`, as Dask's split_evenly (np.linspace(0, rows, k + 1).astype(int)). */
export const splitEvenly = (part: Part, k: number): Part[] => {
  const b = decodePart(part);
  const n = b.numRows;
  const step = n / k;
  const at = Array.from({ length: k + 1 }, (_, i) => (i === k ? n : Math.trunc(i * step)));
  return Array.from({ length: k }, (_, i) => encodeBatch(batchOf(b.names, b.vectors.map((v) => v.slice(at[i], at[i + 1])))));
};
