/**
 * The Arrow types a partition may hold, as plain data: types travel between threads inside
 * partitions, and Arrow's DataType objects do not survive structured cloning.
 */
import { Bool, DataType, Dictionary, Float32, Float64, Int16, Int32, Int64, Int8, Uint16, Uint32, Uint64, Uint8, Utf8 } from 'apache-arrow';
import { describeNestedType, nestedArrowType } from '../types/nested-types';
import { describeTimeType, nullableName, tagNullable, timeArrowType, timeDtypeName, type TimeDesc } from '../types/time-types';

export type TypeDesc =
  | { readonly id: 'float'; readonly bits: 32 | 64 }
  | { readonly id: 'int'; readonly bits: 8 | 16 | 32 | 64; readonly signed: boolean; readonly nullable?: true }
  | { readonly id: 'bool'; readonly nullable?: true }
  | { readonly id: 'utf8' }
  | { readonly id: 'dict'; readonly value: TypeDesc; readonly index: TypeDesc }
  | TimeDesc
  // Lists and structs (types/nested-types.ts), spelled here: a generic alias cannot refer to TypeDesc.
  | { readonly id: 'list'; readonly value: TypeDesc }
  | { readonly id: 'struct'; readonly fields: readonly { readonly name: string; readonly type: TypeDesc }[] };

export function describeType(t: DataType): TypeDesc {
  if (DataType.isFloat(t)) {
    const bits = t.precision === 2 ? 64 : t.precision === 1 ? 32 : 0;
    if (bits) return { id: 'float', bits: bits as 32 | 64 };
  } else if (DataType.isInt(t)) {
    return tagNullable(t, { id: 'int', bits: t.bitWidth as 8 | 16 | 32 | 64, signed: t.isSigned });
  } else if (DataType.isBool(t)) {
    return tagNullable(t, { id: 'bool' });
  } else if (DataType.isUtf8(t)) {
    return { id: 'utf8' };
  } else if (DataType.isDictionary(t)) {
    return { id: 'dict', value: describeType(t.dictionary), index: describeType(t.indices) };
  }
  const time = describeTimeType(t);
  if (time) return time;
  const nested = describeNestedType(t, describeType);
  if (nested) return nested;
  throw new TypeError(`@pdask/dataframe: Arrow type ${String(t)} is not supported (supported: float32/64, int8-64, uint8-64, bool, utf8, dictionary, timestamp[ns], duration[ns])`);
}

export function arrowType(d: TypeDesc): DataType {
  switch (d.id) {
    case 'float':
      return d.bits === 64 ? new Float64() : new Float32();
    case 'int':
      if (d.signed) return nullableName(d, d.bits === 8 ? new Int8() : d.bits === 16 ? new Int16() : d.bits === 32 ? new Int32() : new Int64());
      return nullableName(d, d.bits === 8 ? new Uint8() : d.bits === 16 ? new Uint16() : d.bits === 32 ? new Uint32() : new Uint64());
    case 'bool':
      return nullableName(d, new Bool());
    case 'utf8':
      return new Utf8();
    case 'dict':
      return new Dictionary(arrowType(d.value), arrowType(d.index) as Int32);
    case 'timestamp':
    case 'duration':
      return timeArrowType(d);
    case 'list':
    case 'struct':
      return nestedArrowType(d, arrowType);
  }
}

/** The pandas name of a type, as `df.dtypes` shows it. */
export function dtypeName(t: DataType | TypeDesc): string {
  const d = t instanceof DataType ? describeType(t) : t;
  switch (d.id) {
    case 'float':
      return `float${d.bits}`;
    case 'int':
      return d.nullable ? `${d.signed ? 'I' : 'UI'}nt${d.bits}` : `${d.signed ? '' : 'u'}int${d.bits}`;
    case 'bool':
      return d.nullable ? 'boolean' : 'bool';
    case 'utf8':
      return 'string';
    case 'dict':
      return 'category';
    case 'timestamp':
    case 'duration':
      return timeDtypeName(d);
    case 'list':
    case 'struct':
      return 'object';
  }
}

export const isNumericType = (t: DataType): boolean => DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t);

/**
 * Whether an integer fits a number-backed int column (8 to 32 bits; 64-bit columns are read as
 * bigints elsewhere). A value past the range must fail its block, not wrap in the typed array.
 */
export function intFits(x: number, t: TypeDesc): boolean {
  if (t.id !== 'int' || t.bits === 64) return true;
  return t.signed ? x >= -(2 ** (t.bits - 1)) && x < 2 ** (t.bits - 1) : x >= 0 && x < 2 ** t.bits;
}
