/**
 * Rows of one block at given positions, as float64: MiniBatchKMeans' draws (its initialisation
 * sample, fit's mini-batches, reassignment rows) read each block once with one task, instead of an
 * array fancy-index graph, whose building cost more than the copy for a few thousand rows.
 */
import { dims, type BlockValue } from './block';

/** `rows` are positions within the block, ascending; the result is rows.length x columns, row-major. */
export function takeRows(rows: Int32Array, xb: BlockValue): Float64Array {
  const [n, d] = dims(xb);
  const out = new Float64Array(rows.length * d);
  const data = xb.data;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!(r >= 0 && r < n)) throw new RangeError(`takeRows: row ${r} is outside the block's ${n} rows`);
    const from = r * d;
    for (let t = 0; t < d; t++) out[i * d + t] = Number(data[from + t]);
  }
  return out;
}
