/**
 * Hash partitioning (the split step of Dask's task-based shuffle): each input partition is cut into
 * `n` pieces by the hash of its key columns; piece b of every input goes to output partition b.
 */
import { findColumn } from './frame';
import { bucketsOf, rowKeys } from './hash';
import { isNumberKey, numberBuckets } from './hash-buckets';
import { batchOf, decodePart, encodeBatch, type Batch, type Part } from './part';
import { takeRows } from './values';

export const hashSplit = (part: Part, keys: readonly string[], n: number): Part[] => {
  const b = decodePart(part);
  const cols = keys.map((k) => findColumn(b, k));
  const buckets = cols.length === 1 && isNumberKey(cols[0]) ? numberBuckets(cols[0], n) : bucketsOf(rowKeys(cols), n);
  const counts = new Int32Array(n);
  for (const x of buckets) counts[x]++;
  const rows = Array.from(counts, (c) => new Int32Array(c));
  const at = new Int32Array(n);
  for (let i = 0; i < buckets.length; i++) rows[buckets[i]][at[buckets[i]]++] = i;
  return rows.map((idx) => encodeBatch(batchOf(b.names, b.vectors.map((v) => takeRows(v, idx)))));
};

/** Piece b of a split partition. */
export const pickPiece = (pieces: readonly Part[], b: number): Part => pieces[b];

/** Pieces of one column layout as one batch, in order. */
export function concatPieces(parts: readonly Part[]): Batch {
  const batches = parts.map(decodePart);
  const names = batches[0].names;
  return batchOf(names, names.map((_, j) => batches.map((x) => x.vectors[j]).reduce((a, v) => a.concat(v))));
}
