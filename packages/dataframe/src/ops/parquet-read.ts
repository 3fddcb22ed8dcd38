/**
 * Reading one piece of a Parquet file (readParquet): a whole file, or a range of its rows that is
 * one row group. hyparquet decodes the columns asked for; only those byte ranges are read.
 */
import { makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import type { ColumnData, DecodedArray } from 'hyparquet';
import { batchOf, encodeBatch, type Part } from './part';
import { indexColumn } from './spec';
import { arrowType, type TypeDesc } from './types';

export interface ParquetPiece {
  path: string;
  rowStart: number;
  rowEnd: number;
  columns: readonly string[];
  types: readonly TypeDesc[];
  /** The first column is the index (readParquet's `index`): it becomes the partition's index column. */
  indexed?: boolean;
}

type Cell = number | bigint | boolean | string | null;

/** The rows [start, end) of a column from the chunks hyparquet handed over (which may overhang). */
function gather(chunks: readonly ColumnData[], start: number, end: number): DecodedArray {
  const whole = chunks.find((c) => c.rowStart <= start && c.rowEnd >= end);
  if (whole) {
    const from = start - whole.rowStart;
    const d = whole.columnData;
    return from === 0 && d.length === end - start ? d : d.slice(from, from + end - start);
  }
  const out: Cell[] = new Array<Cell>(end - start).fill(null);
  for (const c of chunks) {
    for (let r = Math.max(start, c.rowStart); r < Math.min(end, c.rowEnd); r++) out[r - start] = c.columnData[r - c.rowStart] as Cell;
  }
  return out;
}

/** The typed array an Arrow column of this type holds, when hyparquet decodes straight into it. */
function directArray(t: TypeDesc): (new (n: number) => ArrayBufferView) | undefined {
  if (t.id === 'float') return t.bits === 64 ? Float64Array : Float32Array;
  if (t.id === 'int' && t.signed) return t.bits === 32 ? Int32Array : t.bits === 64 ? BigInt64Array : undefined;
  return undefined;
}

function toVector(data: DecodedArray, t: TypeDesc): Vector {
  const Ctor = directArray(t);
  // No nulls and already the column's layout: Arrow takes the array as it is, without conversion.
  if (Ctor && data instanceof Ctor) return makeVector(data as Float64Array);
  const cells = Array.from(data as ArrayLike<Cell>);
  if (t.id === 'int' && t.bits === 64) {
    return vectorFromArray(cells.map((v) => (v === null || v === undefined ? null : BigInt(v as number))), arrowType(t));
  }
  if (t.id === 'int' || t.id === 'float') {
    return vectorFromArray(cells.map((v) => (v === null || v === undefined ? null : Number(v))), arrowType(t));
  }
  return vectorFromArray(cells.map((v) => v ?? null) as (string | boolean | null)[], arrowType(t));
}

export const readParquetPiece = async (piece: ParquetPiece): Promise<Part> => {
  // hyparquet is ESM only: a dynamic import keeps the CommonJS build loadable on every Node 20.
  const { asyncBufferFromFile, parquetRead } = await import('hyparquet');
  let file;
  try {
    file = await asyncBufferFromFile(piece.path);
  } catch (e) {
    throw new Error(`readParquet: cannot read '${piece.path}': ${(e as Error).message}`);
  }
  const chunks = new Map<string, ColumnData[]>(piece.columns.map((c) => [c, []]));
  if (piece.rowEnd > piece.rowStart) {
    try {
      await parquetRead({
        file,
        columns: [...piece.columns],
        rowStart: piece.rowStart,
        rowEnd: piece.rowEnd,
        onChunk: (c) => chunks.get(c.columnName)?.push(c),
      });
    } catch (e) {
      // hyparquet's messages (an unsupported codec, a corrupt page) do not name the file.
      throw new Error(`readParquet: cannot decode rows ${piece.rowStart}-${piece.rowEnd} of '${piece.path}': ${(e as Error).message}`);
    }
  }
  const vectors = piece.columns.map((c, j) => toVector(gather(chunks.get(c) ?? [], piece.rowStart, piece.rowEnd), piece.types[j]));
  const names = piece.indexed ? [indexColumn(0), ...piece.columns.slice(1)] : piece.columns;
  return encodeBatch(batchOf(names, vectors));
};
