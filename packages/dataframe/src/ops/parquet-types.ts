/**
 * Parquet column types and pdask's, both ways. Only flat columns of plain types are read: nested
 * groups, decimals, dates and timestamps have no pdask dtype yet, so they are refused by name
 * rather than read as something else.
 */
import type { SchemaElement } from 'hyparquet';
import { dtypeName, type TypeDesc } from './types';

/** The writer's name for a column's physical and logical type. */
export type ParquetColumnType = 'DOUBLE' | 'FLOAT' | 'INT32' | 'INT64' | 'BOOLEAN' | 'STRING';

const F64: TypeDesc = { id: 'float', bits: 64 };
const F32: TypeDesc = { id: 'float', bits: 32 };
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };
const I64: TypeDesc = { id: 'int', bits: 64, signed: true };

/** What the column holds, or why it cannot be read. */
export function typeOfElement(e: SchemaElement): TypeDesc | string {
  if (e.num_children) return 'a nested group';
  if (e.repetition_type === 'REPEATED') return 'a repeated field';
  const logical = e.logical_type?.type ?? e.converted_type;
  switch (e.type) {
    case 'DOUBLE':
      return F64;
    case 'FLOAT':
      return F32;
    case 'BOOLEAN':
      return { id: 'bool' };
    case 'INT32':
    case 'INT64': {
      // Narrow widths (pandas' int8/int16/uint8/uint16 arrive as INT32 annotated INT(8), INT(16),
      // …) fit int32; unsigned 32- and 64-bit values may not fit the signed type of their width.
      const lt = e.logical_type?.type === 'INTEGER' ? e.logical_type : undefined;
      const conv = /^U?INT_(\d+)$/.exec(e.converted_type ?? '');
      const unsigned = lt ? !lt.isSigned : /^UINT_/.test(e.converted_type ?? '');
      const bits = lt ? lt.bitWidth : conv ? Number(conv[1]) : e.type === 'INT32' ? 32 : 64;
      if (unsigned && bits >= 32) return `unsigned ${bits}-bit integers`;
      if (logical !== undefined && logical !== 'INTEGER' && !/^INT_/.test(logical)) return `${e.type} annotated ${logical}`;
      return e.type === 'INT32' || bits < 32 ? I32 : I64;
    }
    case 'BYTE_ARRAY':
      if (logical === 'STRING' || logical === 'UTF8' || logical === 'JSON' || logical === 'ENUM') return { id: 'utf8' };
      return 'binary data (BYTE_ARRAY without a string annotation)';
    default:
      return e.type ?? 'an untyped element';
  }
}

/** How a pdask column is written. Categories are written as their strings. */
export function parquetTypeOf(t: TypeDesc, column: string): ParquetColumnType {
  switch (t.id) {
    case 'float':
      return t.bits === 64 ? 'DOUBLE' : 'FLOAT';
    case 'bool':
      return 'BOOLEAN';
    case 'utf8':
      return 'STRING';
    case 'dict':
      if (t.value.id === 'utf8') return 'STRING';
      break;
    case 'int':
      // Unsigned 32-bit and 64-bit values may not fit a signed INT32, so they widen to INT64.
      if (t.bits < 32 || (t.bits === 32 && t.signed)) return 'INT32';
      if (t.bits === 64 && !t.signed) break;
      return 'INT64';
  }
  throw new TypeError(`toParquet: column '${column}' of type ${dtypeName(t)} cannot be written to Parquet`);
}
