/**
 * The rows of a column a join's output takes (index -1: the row has none on this side), straight
 * into typed arrays for numeric columns. The general path (a JS value per row through Arrow's
 * builders) cost more than the matching itself on joins that keep unmatched rows.
 */
import { DataType, makeData, makeVector, type Data, type Vector } from 'apache-arrow';
import { castVector } from './cast';
import { describeType, type TypeDesc } from './types';
import { takeRows } from './values';

type NumberArray = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/** The column's values and validity as one chunk, when it is a non-64-bit-integer number column. */
function flatNumbers(v: Vector): { vals: NumberArray; valid: Uint8Array | null } | undefined {
  const t = v.type as DataType;
  if (!(DataType.isFloat(t) || DataType.isInt(t))) return undefined;
  const d0 = v.data[0];
  if (!d0 || d0.values instanceof BigInt64Array || d0.values instanceof BigUint64Array) return undefined;
  if (DataType.isFloat(t) && (t as unknown as { precision: number }).precision === 0) return undefined;
  const nulls = v.data.some((d) => d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0);
  const vals = v.data.length === 1 ? (d0.values as NumberArray).subarray(0, v.length) : (v.toArray() as NumberArray);
  if (!nulls) return { vals, valid: null };
  const valid = new Uint8Array(v.length);
  let at = 0;
  for (const d of v.data) {
    const bm = d.nullCount > 0 ? d.nullBitmap : null;
    for (let i = 0; i < d.length; i++) valid[at + i] = !bm || bm.length === 0 ? 1 : (bm[(d.offset + i) >> 3] >> ((d.offset + i) & 7)) & 1;
    at += d.length;
  }
  return { vals, valid };
}

/**
 * A number column of several chunks (a broadcast side made of concatenated partitions) as one
 * chunk, so that gathers index one typed array; other columns as they are.
 */
export function oneChunk(v: Vector): Vector {
  if (v.data.length < 2 || v.nullCount > 0) return v;
  const flat = flatNumbers(v);
  if (!flat) return v;
  return makeVector(makeData({ type: v.type as DataType, length: v.length, nullCount: 0, data: flat.vals } as unknown as Parameters<typeof makeData>[0]) as Data);
}

/**
 * Rows `idx` of `v` as type `to` (the join's output type of that column): an integer column that
 * can go unmatched is float64 with NaN in its gaps (pandas' widening), a float column keeps its
 * type with nulls in its gaps. Other columns go through takeRows and castVector.
 */
export function takeJoined(v: Vector, idx: Int32Array, to: TypeDesc, column: string): Vector {
  const from = describeType(v.type);
  const flat = flatNumbers(v);
  const widen = from.id === 'int' && to.id === 'float' && to.bits === 64;
  if (!flat || !(widen || JSON.stringify(from) === JSON.stringify(to))) return castVector(takeRows(v, idx), to, column, 'merge');
  const { vals, valid } = flat;
  const n = idx.length;
  if (widen) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = idx[i];
      out[i] = r < 0 || (valid !== null && valid[r] === 0) ? NaN : vals[r];
    }
    return makeVector(out);
  }
  let missing = 0;
  if (valid === null) {
    for (let i = 0; i < n; i++) if (idx[i] < 0) missing++;
  } else {
    for (let i = 0; i < n; i++) if (idx[i] < 0 || valid[idx[i]] === 0) missing++;
  }
  const out = new (vals.constructor as new (n: number) => NumberArray)(n);
  if (missing === 0) {
    // From the flat values already in hand: takeRows would flatten a multi-chunk column again.
    for (let i = 0; i < n; i++) out[i] = vals[idx[i]];
    return makeVector(makeData({ type: v.type as DataType, length: n, nullCount: 0, data: out } as unknown as Parameters<typeof makeData>[0]) as Data);
  }
  const bitmap = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    const r = idx[i];
    if (r < 0 || (valid !== null && valid[r] === 0)) continue;
    out[i] = vals[r];
    bitmap[i >> 3] |= 1 << (i & 7);
  }
  return makeVector(makeData({ type: v.type as DataType, length: n, nullCount: missing, nullBitmap: bitmap, data: out } as unknown as Parameters<typeof makeData>[0]) as Data);
}
