/**
 * Vectors of aggregation results, of the dtype the lazy side announced before anything ran
 * (Dask's meta: the dtype rules are the rows of REDUCTIONS and GROUP_AGGS).
 */
import { type Bool, makeData, makeVector, type Data, type Vector } from 'apache-arrow';
import { arrowType, type TypeDesc } from './types';
import { stringVector } from './values';
import { NULL_STRING_KEY } from './null-keys';

/** Numbers (NaN = null) as a vector of a numeric type. */
export function numbersAs(x: Float64Array, t: TypeDesc): Vector {
  if (t.id === 'float' && t.bits === 64) return makeVector(x);
  if (t.id === 'bool') {
    const bits = new Uint8Array((x.length + 7) >> 3);
    for (let i = 0; i < x.length; i++) if (x[i]) bits[i >> 3] |= 1 << (i & 7);
    return makeVector(makeData({ type: arrowType(t) as Bool, length: x.length, nullCount: 0, data: bits }));
  }
  const type = arrowType(t);
  const Ctor = (type as unknown as { ArrayType: { new (n: number): ArrayLike<number> & { [i: number]: number | bigint } } }).ArrayType;
  const data = new Ctor(x.length);
  let nulls = 0;
  const bitmap = new Uint8Array((x.length + 7) >> 3);
  const big = t.id === 'int' && t.bits === 64;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v) {
      nulls++;
      continue;
    }
    bitmap[i >> 3] |= 1 << (i & 7);
    (data as { [i: number]: number | bigint })[i] = big ? BigInt(v) : v;
  }
  return makeVector(makeData({ type, length: x.length, nullCount: nulls, data, nullBitmap: nulls ? bitmap : undefined } as unknown as Parameters<typeof makeData>[0]) as Data);
}

/** Group keys as a vector of the key column's type (dictionary keys as plain strings). */
export function keyVector(keys: readonly string[] | Float64Array, t: TypeDesc): Vector {
  if (Array.isArray(keys)) return stringVector((keys as string[]).map((k) => (k === NULL_STRING_KEY ? null : k)));
  return numbersAs(keys as Float64Array, t);
}

/** The index type of a group-by result keyed by a column of type t. */
export function keyResultType(t: TypeDesc): TypeDesc {
  return t.id === 'dict' ? { id: 'utf8' } : t;
}
