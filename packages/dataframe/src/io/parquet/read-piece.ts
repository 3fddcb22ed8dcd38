/**
 * Reading one piece of a Parquet dataset (a readParquet task): some row ranges of one file, the
 * columns asked for plus those the filters need, the file's hive partition values as constant
 * columns, and the rows the filters keep. Runs on threads: everything here is plain data.
 */
import { makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import type { AsyncBuffer, ColumnData, Compressors, FileMetaData } from 'hyparquet';
import { batchOf, encodeBatch, type Part } from '../../ops/part';
import { indexColumn } from '../../ops/spec';
import { nestedVector } from '../../types/nested-build';
import { takeMask } from '../../ops/values';
import { arrowType, type TypeDesc } from '../../ops/types';
import type { ColumnPlan } from './column-types';
import { cellOf, decompressors, PARSERS } from './decoding';
import { filterMask } from './filter-mask';
import { filterColumns, type Cell, type Clause, type Predicate } from './filters';
import { isFlatPlan, readFlatColumn, testFlatColumn } from './flat-column';
import type { CompareOp } from './compare-numbers';
import { openLocalFile, type LocalFile } from './local-file';
import { localFooter } from './local-footers';
import { knownFooter, pieceBuffer, remoteFooter } from '../read-remote-parquet';
import type { SourceRef } from '../remote-source';

export interface HiveValue {
  name: string;
  type: TypeDesc;
  value: Cell | null;
}

export interface ParquetPiece {
  path: string;
  /** Read with range reads from this Blob or URL instead of the file at `path` (then only a label). */
  source?: SourceRef;
  /** Row ranges [start, end) of the file, each within one row group (pruned groups are left out). */
  ranges: readonly (readonly [number, number])[];
  /** Columns decoded from the file: the output's and the filters'. */
  read: readonly ColumnPlan[];
  /** Output columns in order (file columns, then hive columns). */
  columns: readonly string[];
  types: readonly TypeDesc[];
  hive: readonly HiveValue[];
  /** Rows failing it are dropped (null: keep all). */
  filters: Predicate | null;
  /** The first column is the index (readParquet's `index`): it becomes the partition's index column. */
  indexed?: boolean;
}

/** The rows [start, end) of a column from the chunks hyparquet handed over (which may overhang). */
function gather(chunks: readonly ColumnData[], start: number, end: number, out: unknown[], at: number): void {
  for (const c of chunks) {
    for (let r = Math.max(start, c.rowStart); r < Math.min(end, c.rowEnd); r++) out[at + r - start] = c.columnData[r - c.rowStart];
  }
}

const FIXED: Partial<Record<string, new (n: number) => ArrayBufferView & ArrayLike<number | bigint>>> = {
  'float64': Float64Array,
  'float32': Float32Array,
  'int8': Int8Array,
  'int16': Int16Array,
  'int32': Int32Array,
  'int64': BigInt64Array,
  'uint8': Uint8Array,
  'uint16': Uint16Array,
  'uint32': Uint32Array,
  'uint64': BigUint64Array,
  'timestamp': BigInt64Array,
};

function fixedKey(t: TypeDesc): string | undefined {
  if (t.id === 'float') return `float${t.bits}`;
  if (t.id === 'int') return `${t.signed ? '' : 'u'}int${t.bits}`;
  if (t.id === 'timestamp') return 'timestamp';
  return undefined;
}

/** An Arrow vector of the column's type from cells (null where missing). */
export function vectorOf(cells: ArrayLike<unknown>, t: TypeDesc): Vector {
  const key = fixedKey(t);
  const Ctor = key === undefined ? undefined : FIXED[key];
  // No nulls and already the column's layout (hyparquet decodes into typed arrays): taken as it is.
  if (Ctor && cells instanceof Ctor) return makeVector(makeData({ type: arrowType(t), length: cells.length, nullCount: 0, data: cells } as never));
  if (Ctor) {
    const n = cells.length;
    const data = new Ctor(n) as unknown as Record<number, number | bigint>;
    const big = Ctor === BigInt64Array || Ctor === BigUint64Array;
    const bitmap = new Uint8Array((n + 7) >> 3);
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const v = cells[i];
      if (v === null || v === undefined) {
        nulls++;
        continue;
      }
      data[i] = big ? BigInt(v as number | bigint) : Number(v);
      bitmap[i >> 3] |= 1 << (i & 7);
    }
    return makeVector(makeData({ type: arrowType(t), length: n, nullCount: nulls, data, nullBitmap: nulls > 0 ? bitmap : undefined } as never));
  }
  if (t.id === 'list' || t.id === 'struct') return nestedVector(cells, t);
  return vectorFromArray(Array.from(cells, (v) => v ?? null) as (string | boolean | null)[], arrowType(t));
}

interface Decoded {
  /** Columns read by the fast path (flat-column.ts), as Arrow vectors of their dtype. */
  vectors: Map<string, Vector>;
  /** The other columns, as cells (see cellOf). */
  cells: Map<string, ArrayLike<unknown>>;
  /** Fast-path columns read only at the rows the filters keep (the filters' own columns are read in full). */
  masked: Set<string>;
  /** The rows the filters keep (null: all) and how many. */
  keep: Uint8Array | null;
  rows: number;
}

/**
 * The piece's columns. With filters, the columns they test are read first, then the other flat
 * columns only at the rows kept: a filter keeping half the rows halves the values decoded and
 * copied for the rest, and no full column is made only to be filtered.
 */
async function decode(piece: ParquetPiece): Promise<Decoded> {
  const n = piece.ranges.reduce((s, [a, b]) => s + b - a, 0);
  const cols = new Map<string, unknown[]>(piece.read.map((p) => [p.name, []]));
  const vectors = new Map<string, Vector>();
  const masked = new Set<string>();
  if (piece.ranges.length === 0 || piece.read.length === 0) return { vectors, cells: cols, masked, ...keptRows(piece, n, vectors, cols) };
  // hyparquet is ESM only: a dynamic import keeps the CommonJS build loadable on every Node 20.
  const { parquetRead } = await import('hyparquet');
  let file: AsyncBuffer | LocalFile;
  let footer: () => Promise<FileMetaData>;
  try {
    const src = piece.source;
    if (src) {
      file = pieceBuffer(src);
      // A remote source's footer is known here when the graph was built in this thread; else read once.
      footer = async () => knownFooter(src) ?? (await remoteFooter(src));
    } else {
      const local = openLocalFile(piece.path);
      file = local;
      footer = () => localFooter(piece.path, local);
    }
  } catch (e) {
    throw new Error(`readParquet: cannot read '${piece.path}': ${(e as Error).message}`);
  }
  try {
    return await decodeFrom(piece, n, file, footer, cols, vectors, masked, parquetRead);
  } finally {
    if ('close' in file) file.close();
  }
}

async function decodeFrom(
  piece: ParquetPiece,
  n: number,
  file: AsyncBuffer,
  footer: () => Promise<FileMetaData>,
  cols: Map<string, unknown[]>,
  vectors: Map<string, Vector>,
  masked: Set<string>,
  parquetRead: typeof import('hyparquet').parquetRead,
): Promise<Decoded> {
  const compressors = await decompressors();
  let metadata;
  try {
    metadata = await footer();
  } catch (e) {
    throw new Error(`readParquet: '${piece.path}' is not a readable Parquet file: ${(e as Error).message}`);
  }
  const flat = piece.read.filter((p) => isFlatPlan(p, metadata));
  const rest = piece.read.filter((p) => !flat.includes(p));
  const tested = new Set(piece.filters ? filterColumns(piece.filters) : []);
  const readFlat = async (p: ColumnPlan, mask?: { keep: Uint8Array; count: number }): Promise<void> => {
    try {
      vectors.set(p.name, await readFlatColumn(file, metadata, p, piece.ranges, compressors, mask));
    } catch (e) {
      throw new Error(`readParquet: cannot decode column '${p.name}' of '${piece.path}': ${(e as Error).message}`);
    }
    cols.delete(p.name);
  };
  const pre = await testPages(piece, n, flat, file, metadata, compressors);
  for (const p of flat) if ((tested.has(p.name) && !pre?.done.has(p.name)) || !piece.filters) await readFlat(p);
  const typed = new Map<string, ArrayLike<unknown>>();
  for (const [start, end] of rest.length === 0 ? [] : piece.ranges) {
    const chunks = new Map<string, ColumnData[]>(rest.map((p) => [p.name, []]));
    try {
      await parquetRead({ file, metadata, columns: rest.map((p) => p.name), rowStart: start, rowEnd: end, compressors, parsers: PARSERS, onChunk: (c) => chunks.get(c.columnName)?.push(c) });
    } catch (e) {
      // hyparquet's messages (an unsupported codec, a corrupt page) do not name the file.
      throw new Error(`readParquet: cannot decode rows ${start}-${end} of '${piece.path}': ${(e as Error).message}`);
    }
    for (const p of rest) {
      const got = chunks.get(p.name) ?? [];
      // One range read in one chunk of a typed array (no nulls): kept without copying.
      if (piece.ranges.length === 1 && p.decode === 'plain' && got.length === 1 && got[0].rowStart === start && got[0].rowEnd === end && ArrayBuffer.isView(got[0].columnData)) {
        typed.set(p.name, got[0].columnData as unknown as ArrayLike<unknown>);
        continue;
      }
      const out = cols.get(p.name) as unknown[];
      const at = out.length;
      out.length = at + (end - start);
      out.fill(null, at);
      gather(chunks.get(p.name) ?? [], start, end, out, at);
      for (let i = at; i < out.length; i++) out[i] = cellOf(p, out[i]);
    }
  }
  const cells = new Map<string, ArrayLike<unknown>>([...cols, ...typed]);
  const { keep, rows } = keptRows(piece, n, vectors, cells, pre);
  for (const p of flat) {
    if (vectors.has(p.name) || pre?.done.has(p.name)) continue;
    await readFlat(p, keep === null ? undefined : { keep, count: rows });
    if (keep !== null) masked.add(p.name);
  }
  for (const p of flat) cells.delete(p.name);
  return { vectors, cells, masked, keep, rows };
}

/** The clauses of a filter's columns tested page by page as they were read, and the mask they made. */
interface PageTested {
  done: Set<string>;
  keep: Uint8Array;
  rows: number;
}

/** A comparison with a number of a float or signed integer column (read as float64 exactly). */
const pageComparable = (c: Clause, p: ColumnPlan): boolean =>
  c.op !== 'in' && c.op !== 'not in' && typeof c.values[0] === 'number' && (p.type.id === 'float' || (p.type.id === 'int' && p.type.signed && p.type.bits <= 32));

/**
 * With filters of one branch (clauses joined by AND), the flat columns only the filters need whose
 * every clause compares them with a number are tested page by page (testFlatColumn): no vector
 * of them is made. Undefined when there is none.
 */
async function testPages(piece: ParquetPiece, n: number, flat: readonly ColumnPlan[], file: AsyncBuffer, metadata: FileMetaData, compressors: Compressors): Promise<PageTested | undefined> {
  if (piece.filters?.length !== 1 || n === 0) return undefined;
  const branch = piece.filters[0];
  let out: PageTested | undefined;
  for (const p of flat) {
    const clauses = branch.filter((c) => c.column === p.name);
    if (clauses.length === 0 || piece.columns.includes(p.name) || !clauses.every((c) => pageComparable(c, p))) continue;
    const keep = out?.keep ?? new Uint8Array(n).fill(1);
    let rows;
    try {
      rows = await testFlatColumn(file, metadata, p, piece.ranges, compressors, clauses.map((c) => ({ op: c.op as CompareOp, w: c.values[0] as number })), keep);
    } catch (e) {
      throw new Error(`readParquet: cannot decode column '${p.name}' of '${piece.path}': ${(e as Error).message}`);
    }
    if (rows === undefined) continue;
    out ??= { done: new Set(), keep, rows };
    out.done.add(p.name);
    out.rows = rows;
  }
  return out;
}

/** The rows the piece's filters keep (null: every row, or no filters), with those `pre` already tested. */
function keptRows(piece: ParquetPiece, n: number, vectors: ReadonlyMap<string, Vector>, cells: ReadonlyMap<string, ArrayLike<unknown>>, pre?: PageTested): { keep: Uint8Array | null; rows: number } {
  if (!piece.filters) return { keep: null, rows: n };
  const fixed = new Map<string, Cell | null>(piece.hive.map((h) => [h.name, h.value]));
  const rest = pre ? [piece.filters[0].filter((c) => !pre.done.has(c.column))] : piece.filters;
  if (pre && rest[0].length === 0) return { keep: pre.rows === n ? null : pre.keep, rows: pre.rows };
  const mask = filterMask(rest, n, vectors, cells, fixed);
  let rows = 0;
  if (pre) for (let i = 0; i < n; i++) rows += mask[i] &= pre.keep[i];
  else for (let i = 0; i < n; i++) rows += mask[i];
  return { keep: rows === n ? null : mask, rows };
}

export const readParquetPiece = async (piece: ParquetPiece): Promise<Part> => {
  const { vectors, cells, masked, keep, rows } = await decode(piece);
  const hive = new Map(piece.hive.map((h) => [h.name, h]));
  let kept: number[] | undefined;
  const vecs = piece.columns.map((c, j) => {
    const h = hive.get(c);
    if (h) return vectorOf(new Array<unknown>(rows).fill(h.value), piece.types[j]);
    const v = vectors.get(c);
    if (v) return keep === null || masked.has(c) ? v : takeMask(v, keep, rows);
    const all = cells.get(c) as ArrayLike<unknown>;
    if (keep === null) return vectorOf(all, piece.types[j]);
    kept ??= indicesOf(keep);
    return vectorOf(kept.map((i) => all[i]), piece.types[j]);
  });
  const names = piece.indexed ? [indexColumn(0), ...piece.columns.slice(1)] : piece.columns;
  return encodeBatch(batchOf(names, vecs));
};

function indicesOf(mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(i);
  return out;
}
