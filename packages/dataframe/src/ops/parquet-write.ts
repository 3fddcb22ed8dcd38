/**
 * Writing one partition as a Parquet file (toParquet), with hyparquet-writer. Every column is
 * written as nullable and NaN as null, as pyarrow does for pandas frames. Index levels (group-by results) come
 * first, named by the levels, as toCsv writes them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Vector } from 'apache-arrow';
import type { ColumnSource } from 'hyparquet-writer';
import { decodePart, type Part } from './part';
import { parquetTypeOf, type ParquetColumnType } from './parquet-types';
import { indexColumnsOf, isIndexColumn } from './spec';
import { describeType } from './types';

export interface ParquetWriteSpec {
  path: string;
  /** Names of the index columns (levels), when the partition has some. */
  indexNames: readonly string[];
  /** Rows per row group (default: the whole partition in one). */
  rowGroupSize?: number;
}

/** The values the writer takes for a column: a typed array when nothing is missing, else cells with null. */
function columnValues(v: Vector, type: ParquetColumnType): ColumnSource['data'] {
  const n = v.length;
  const isFloat = type === 'DOUBLE' || type === 'FLOAT';
  // NaN is written as null, as pyarrow writes pandas' NaN: then the statistics' null count shows
  // it (a NaN is left out of min/max), which readParquet's divisions rely on.
  const cell = (i: number): unknown => {
    const x: unknown = v.get(i);
    return isFloat && typeof x === 'number' && Number.isNaN(x) ? null : x;
  };
  let hasNaN = false;
  if (isFloat) for (let i = 0; i < n && !hasNaN; i++) hasNaN = cell(i) === null;
  if (v.nullCount === 0 && !hasNaN) {
    if (type === 'DOUBLE') return Float64Array.from({ length: n }, (_, i) => cell(i) as number);
    if (type === 'FLOAT') return Float32Array.from({ length: n }, (_, i) => cell(i) as number);
    if (type === 'INT32') return Int32Array.from({ length: n }, (_, i) => cell(i) as number);
    if (type === 'INT64') return BigInt64Array.from({ length: n }, (_, i) => BigInt(cell(i) as number | bigint));
  }
  if (type === 'INT64') return Array.from({ length: n }, (_, i) => (cell(i) === null ? null : BigInt(cell(i) as number | bigint)));
  return Array.from({ length: n }, (_, i) => cell(i) ?? null);
}

export const writeParquetPart = async (part: Part, spec: ParquetWriteSpec): Promise<string> => {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const b = decodePart(part);
  const idx = indexColumnsOf(b.names);
  const cols = [...idx, ...b.names.filter((n) => !isIndexColumn(n))];
  const columnData = cols.map((c, j): ColumnSource => {
    const v = b.vectors[b.names.indexOf(c)];
    const name = j < idx.length ? (spec.indexNames[j] ?? `level_${j}`) : c;
    const type = parquetTypeOf(describeType(v.type), name);
    return { name, type, nullable: true, data: columnValues(v, type) };
  });
  const bytes = parquetWriteBuffer({ columnData, rowGroupSize: spec.rowGroupSize ?? Math.max(b.numRows, 1) });
  mkdirSync(dirname(spec.path), { recursive: true });
  writeFileSync(spec.path, new Uint8Array(bytes));
  return spec.path;
};
