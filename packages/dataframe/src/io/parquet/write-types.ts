/**
 * How a pdask column is written to Parquet: the schema element pyarrow would write for the pandas
 * dtype (integer widths and signedness as INTEGER annotations, datetime64[ns] as TIMESTAMP(NANOS),
 * instants adjusted to UTC when the column has a zone) and the values hyparquet-writer takes.
 */
import type { Vector } from 'apache-arrow';
import type { DecodedArray, SchemaElement } from 'hyparquet';
import { dtypeName, type TypeDesc } from '../../ops/types';
import { bigColumn } from '../../types/big-vectors';

export interface WriteColumn {
  element: SchemaElement;
  /** Statistics off where hyparquet-writer would order the stored values wrongly (unsigned 32/64-bit). */
  statistics: boolean;
  values: (v: Vector) => DecodedArray;
}

/** Cells, NaN as null (pyarrow writes pandas' NaN as null, so statistics count it among nulls). */
function cells(v: Vector, map: (x: unknown) => unknown = (x) => x): unknown[] {
  const out = new Array<unknown>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v.get(i);
    out[i] = x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x)) ? null : map(x);
  }
  return out;
}

/** 64-bit cells read from the buffers, exact (Vector.get converts some of them through numbers). */
function bigCells(v: Vector, map: (x: bigint) => bigint): (bigint | null)[] {
  const { values, valid } = bigColumn(v);
  return Array.from(values as BigInt64Array, (x, i) => (valid && !valid[i] ? null : map(x)));
}

const optional = (name: string, e: Omit<SchemaElement, 'name' | 'repetition_type'>): SchemaElement => ({ name, repetition_type: 'OPTIONAL', ...e });

/** The column's element and values, or a TypeError naming the column when Parquet cannot hold it here. */
export function writeColumn(t: TypeDesc, name: string): WriteColumn {
  switch (t.id) {
    case 'float':
      return { element: optional(name, { type: t.bits === 64 ? 'DOUBLE' : 'FLOAT' }), statistics: true, values: (v) => cells(v) as DecodedArray };
    case 'bool':
      return { element: optional(name, { type: 'BOOLEAN' }), statistics: true, values: (v) => cells(v) as DecodedArray };
    case 'utf8':
      return { element: optional(name, { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }), statistics: true, values: (v) => cells(v, String) as DecodedArray };
    case 'dict':
      if (t.value.id !== 'utf8') break;
      // Categories are written as their strings (dictionary-encoded by hyparquet-writer when that is smaller).
      return { element: optional(name, { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }), statistics: true, values: (v) => cells(v, String) as DecodedArray };
    case 'int': {
      // Converted types only: hyparquet-writer's INTEGER logical annotation is not read by DuckDB
      // (its footer parser rejects it), while every reader maps INT_8 … UINT_64 alike.
      const converted = `${t.signed ? '' : 'U'}INT_${t.bits}` as SchemaElement['converted_type'];
      // hyparquet-writer stores unsigned values as the signed ones of the same bits; statistics of
      // the stored values would order 2^31 … 2^32-1 (2^63 … 2^64-1) before 0, so none are written.
      const stats = t.signed || t.bits < 32;
      if (t.bits === 64) return { element: optional(name, { type: 'INT64', converted_type: converted }), statistics: stats, values: (v) => bigCells(v, (x) => x) as DecodedArray };
      return { element: optional(name, { type: 'INT32', converted_type: converted }), statistics: stats, values: (v) => cells(v, Number) as DecodedArray };
    }
    case 'timestamp':
      return {
        element: optional(name, { type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: t.tz !== null, unit: 'NANOS' } }),
        statistics: true,
        values: (v) => bigCells(v, (x) => x) as DecodedArray,
      };
    case 'list':
    case 'struct':
      // hyparquet-writer 0.17 writes flat columns only (no repetition or nested definition levels).
      throw new TypeError(`toParquet: column '${name}' holds ${t.id}s (dtype object), which toParquet cannot write; leave it out or turn it into text first`);
    default:
      break;
  }
  throw new TypeError(`toParquet: column '${name}' of type ${dtypeName(t)} cannot be written to Parquet`);
}
