/**
 * A partition's numeric columns as one C-ordered block of an @pdask/array array (`toArray`):
 * a plain `{ values, shape }` that @pdask/array's public `fromDelayedBlocks` takes, so this
 * package imports nothing of that one. Rows are the first axis; a frame's columns the second.
 */
import type { Vector } from 'apache-arrow';
import { findColumn } from './frame';
import { decodePart, type Part } from './part';
import { toFloat64 } from './values';

/** The @pdask/array dtypes a block can have (see to-array.ts for how columns promote). */
export type ArrayDtype = 'float64' | 'float32' | 'int64' | 'int32' | 'uint8' | 'bool';

type Out = Float64Array | Float32Array | BigInt64Array | Int32Array | Uint8Array;

function alloc(dtype: ArrayDtype, n: number): Out {
  switch (dtype) {
    case 'float64':
      return new Float64Array(n);
    case 'float32':
      return new Float32Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    default:
      return new Uint8Array(n);
  }
}

/** Column values as the block's element type; integers with a missing value cannot be held. */
function columnValues(v: Vector, dtype: ArrayDtype, column: string): ArrayLike<number | bigint | boolean> {
  if (dtype === 'float64' || dtype === 'float32') return toFloat64(v);
  if (v.nullCount > 0) throw new TypeError(`toArray: column '${column}' has missing values, which a ${dtype} array cannot hold; fill them (fillna) or astype('float64') first`);
  return v.toArray() as ArrayLike<number | bigint | boolean>;
}

export function partToBlock(part: Part, columns: readonly string[], dtype: ArrayDtype, oneDim: boolean): { values: Out; shape: number[] } {
  const b = decodePart(part);
  const n = b.numRows;
  const k = columns.length;
  const vectors = columns.map((c) => findColumn(b, c));
  // One column already stored as the block's type, in one chunk with no nulls: its buffer as it is.
  if (k === 1 && vectors[0].data.length === 1 && vectors[0].nullCount === 0 && dtype !== 'bool') {
    const own = vectors[0].data[0].values as unknown;
    if (own instanceof alloc(dtype, 0).constructor && (own as Out).length >= n) return { values: (own as Out).subarray(0, n) as Out, shape: oneDim ? [n] : [n, 1] };
  }
  const out = alloc(dtype, n * k);
  const big = dtype === 'int64';
  vectors.forEach((v, j) => {
    const xs = columnValues(v, dtype, columns[j]);
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      (out as { [i: number]: number | bigint })[i * k + j] = big ? (typeof x === 'bigint' ? x : BigInt(x as number)) : typeof x === 'bigint' ? Number(x) : +(x as number);
    }
  });
  return { values: out, shape: oneDim ? [n] : [n, k] };
}
