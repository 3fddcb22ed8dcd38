/**
 * Writing one partition (a toParquet task) with hyparquet-writer: one file, or with `partitionOn`
 * one file per combination of the partition columns' values under `key=value/` directories (the
 * hive layout Dask, pyarrow, DuckDB and polars read), those columns left out of the files.
 */
import type { DecodedArray } from 'hyparquet';
import { decodePart, type Part } from '../../ops/part';
import { indexColumnsOf, isIndexColumn } from '../../ops/spec';
import { describeType } from '../../ops/types';
import { HIVE_NULL } from './dataset';
import { writeColumn } from './write-types';
import { nodeBuiltin } from '../node-only';
const fsMod = () => nodeBuiltin('node:fs', 'toParquet');
const pathMod = () => nodeBuiltin('node:path', 'toParquet');
const zlibMod = () => nodeBuiltin('node:zlib', 'toParquet');

/** Codecs toParquet writes (zstd and lz4 have no maintained JavaScript compressor to write with). */
export const WRITE_CODECS = { snappy: 'SNAPPY', gzip: 'GZIP', brotli: 'BROTLI', none: 'UNCOMPRESSED' } as const;
export type ParquetCompression = keyof typeof WRITE_CODECS;

export interface ParquetWriteSpec {
  /** The file, or with `partitionOn` the dataset directory. */
  path: string;
  /** With `partitionOn`: the file name inside each partition directory (`part.3.parquet`). */
  fileName?: string;
  /** Names of the index columns (levels), when the partition has some. */
  indexNames: readonly string[];
  /** Rows per row group (default: the whole partition in one). */
  rowGroupSize?: number;
  compression?: ParquetCompression;
  partitionOn?: readonly string[];
}

const COMPRESSORS = {
  GZIP: (b: Uint8Array) => new Uint8Array(zlibMod().gzipSync(b)),
  BROTLI: (b: Uint8Array) => new Uint8Array(zlibMod().brotliCompressSync(b)),
};

interface Column {
  name: string;
  write: ReturnType<typeof writeColumn>;
  cells: unknown[];
}

async function writeFile(path: string, cols: readonly Column[], rows: readonly number[] | null, spec: ParquetWriteSpec): Promise<void> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const n = rows === null ? (cols[0]?.cells.length ?? 0) : rows.length;
  const bytes = parquetWriteBuffer({
    schema: [{ name: 'schema', num_children: cols.length }, ...cols.map((c) => c.write.element)],
    columnData: cols.map((c) => ({ name: c.name, statistics: c.write.statistics, data: (rows === null ? c.cells : rows.map((i) => c.cells[i])) as DecodedArray })),
    rowGroupSize: spec.rowGroupSize ?? Math.max(n, 1),
    codec: WRITE_CODECS[spec.compression ?? 'snappy'],
    compressors: COMPRESSORS,
    createdBy: 'pdask (hyparquet-writer)',
  });
  fsMod().mkdirSync(pathMod().dirname(path), { recursive: true });
  fsMod().writeFileSync(path, new Uint8Array(bytes));
}

/** A partition value as a directory name: pyarrow's URI encoding, and its spelling of null. */
const hiveSegment = (key: string, v: unknown): string => `${encodeURIComponent(key)}=${v === null || v === undefined ? HIVE_NULL : encodeURIComponent(String(v))}`;

export const writeParquetPart = async (part: Part, spec: ParquetWriteSpec): Promise<string[]> => {
  const b = decodePart(part);
  const idx = indexColumnsOf(b.names);
  const names = [...idx, ...b.names.filter((n) => !isIndexColumn(n))];
  const cols = names.map((c, j): Column => {
    const v = b.vectors[b.names.indexOf(c)];
    const name = j < idx.length ? (spec.indexNames[j] ?? `level_${j}`) : c;
    const write = writeColumn(describeType(v.type), name);
    return { name, write, cells: write.values(v) as unknown[] };
  });
  const keys = spec.partitionOn ?? [];
  if (keys.length === 0) {
    await writeFile(spec.path, cols, null, spec);
    return [spec.path];
  }
  const keyCols = keys.map((k) => cols.find((c) => c.name === k) as Column);
  const data = cols.filter((c) => !keys.includes(c.name));
  const groups = new Map<string, number[]>();
  for (let i = 0; i < b.numRows; i++) {
    const dir = keyCols.map((c) => hiveSegment(c.name, c.cells[i])).join('/');
    const rows = groups.get(dir);
    if (rows) rows.push(i);
    else groups.set(dir, [i]);
  }
  const out: string[] = [];
  for (const [dir, rows] of groups) {
    const path = pathMod().join(spec.path, dir, spec.fileName ?? 'part.0.parquet');
    await writeFile(path, data, rows, spec);
    out.push(path);
  }
  return out;
};
