/**
 * List and struct vectors from JS values (arrays, objects, null), built level by level: Arrow's
 * builders take timestamps as millisecond numbers (a nanosecond bigint fails, a number loses the
 * nanoseconds), so every level is written into its buffers here.
 */
import { makeData, makeVector, type Data, type DataType, type Vector } from 'apache-arrow';
import { arrowType, type TypeDesc } from '../ops/types';

type FixedCtor = new (n: number) => ArrayLike<number | bigint> & Record<number, number | bigint>;

function fixedOf(t: TypeDesc): FixedCtor | undefined {
  if (t.id === 'float') return (t.bits === 64 ? Float64Array : Float32Array) as unknown as FixedCtor;
  if (t.id === 'timestamp' || t.id === 'duration') return BigInt64Array as unknown as FixedCtor;
  if (t.id !== 'int') return undefined;
  const c = t.signed ? [Int8Array, Int16Array, Int32Array, BigInt64Array] : [Uint8Array, Uint16Array, Uint32Array, BigUint64Array];
  return c[[8, 16, 32, 64].indexOf(t.bits)] as unknown as FixedCtor;
}

function validity(values: readonly unknown[]): { bitmap: Uint8Array | undefined; nulls: number } {
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls++;
    else bitmap[i >> 3] |= 1 << (i & 7);
  });
  return { bitmap: nulls > 0 ? bitmap : undefined, nulls };
}

function build(values: readonly unknown[], t: TypeDesc): Data {
  const type: DataType = arrowType(t);
  const { bitmap, nulls } = validity(values);
  const length = values.length;
  if (t.id === 'list') {
    const offsets = new Int32Array(length + 1);
    const items: unknown[] = [];
    values.forEach((v, i) => {
      if (Array.isArray(v)) for (const x of v) items.push(x);
      offsets[i + 1] = items.length;
    });
    return makeData({ type, length, nullCount: nulls, nullBitmap: bitmap, valueOffsets: offsets, child: build(items, t.value) } as never);
  }
  if (t.id === 'struct') {
    const children = t.fields.map((f) => build(values.map((v) => (v === null || v === undefined ? null : (v as Record<string, unknown>)[f.name])), f.type));
    return makeData({ type, length, nullCount: nulls, nullBitmap: bitmap, children } as never);
  }
  const Ctor = fixedOf(t);
  if (Ctor) {
    const data = new Ctor(length);
    const big = Ctor === (BigInt64Array as unknown) || Ctor === (BigUint64Array as unknown);
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) data[i] = big ? BigInt(v as number | bigint) : Number(v);
    });
    return makeData({ type, length, nullCount: nulls, nullBitmap: bitmap, data } as never);
  }
  if (t.id === 'bool') {
    const bits = new Uint8Array((length + 7) >> 3);
    values.forEach((v, i) => {
      if (v === true) bits[i >> 3] |= 1 << (i & 7);
    });
    return makeData({ type, length, nullCount: nulls, nullBitmap: bitmap, data: bits } as never);
  }
  if (t.id === 'utf8') {
    const enc = new TextEncoder();
    const parts = values.map((v) => (typeof v === 'string' ? enc.encode(v) : new Uint8Array(0)));
    const offsets = new Int32Array(length + 1);
    parts.forEach((b, i) => (offsets[i + 1] = offsets[i] + b.length));
    const data = new Uint8Array(offsets[length]);
    parts.forEach((b, i) => data.set(b, offsets[i]));
    return makeData({ type, length, nullCount: nulls, nullBitmap: bitmap, valueOffsets: offsets, data } as never);
  }
  throw new TypeError(`a list or struct cannot hold ${t.id} values here`);
}

/** A List or Struct vector of type `t` from JS values (null or undefined: missing, at any level). */
export function nestedVector(values: ArrayLike<unknown>, t: TypeDesc): Vector {
  return makeVector(build(Array.from(values), t));
}
