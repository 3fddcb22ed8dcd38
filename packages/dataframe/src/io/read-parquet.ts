/**
 * readParquet (Dask's read_parquet): files matched by a path or glob, one task per file, or one per
 * row group for large files. The schema and row-group sizes come from the files' footers, read
 * when the graph is built, so the frame's dtypes are known before any data is read, as in Dask.
 */
import { statSync } from 'node:fs';
import { checkOptions, layerNode, lit, tokenize, type OptionSchema } from '@pdask/core';
import type { FileMetaData } from 'hyparquet';
import { DataFrame } from '../frame';
import { FrameLayer, partitionKey } from '../graph';
import { checkColumn } from '../meta';
import { dataframeOps } from '../ops/index';
import type { ParquetPiece } from '../ops/parquet-read';
import { typeOfElement } from '../ops/parquet-types';
import { dtypeName, type TypeDesc } from '../ops/types';
import { blocksizeOf, blocksizeRule, expandPaths } from './glob';
import { divisionsFromStatistics, type PieceGroups } from './parquet-divisions';
import { NOT_YET, refusing } from '../options';

export interface ReadParquetOptions {
  /** Columns to read (default: all), in this order. Only their bytes are read. */
  columns?: readonly string[];
  /**
   * One partition per row group (true) or per file (false). By default a file is split by row
   * groups when it is larger than `blocksize`, as Dask's split_row_groups='infer' does.
   */
  splitRowGroups?: boolean;
  /** Size above which a file is split by row groups (number or '64MB'; default 64 MiB). */
  blocksize?: number | string;
  /**
   * A column to become the index (Dask's index=). When the pieces are sorted by it, their
   * minimum and maximum from the footers' statistics are the divisions.
   */
  index?: string;
  /**
   * Divisions from the index column's statistics (default true when `index` is given: the
   * footers are read anyway); false leaves them unknown. Dask 2022.12's default is false.
   */
  calculateDivisions?: boolean;
}

interface FileInfo {
  path: string;
  size: number;
  mtime: number;
  meta: FileMetaData;
}

/** Top-level columns and what each holds (a type, or why it cannot be read). */
function columnsOf(meta: FileMetaData): [string, TypeDesc | string][] {
  const out: [string, TypeDesc | string][] = [];
  // The schema is a flattened tree: the root, then each field followed by its descendants.
  const schema = meta.schema;
  let i = 1;
  const skip = (at: number): number => {
    let next = at + 1;
    for (let c = 0; c < (schema[at].num_children ?? 0); c++) next = skip(next);
    return next;
  };
  while (i < schema.length) {
    out.push([schema[i].name, typeOfElement(schema[i])]);
    i = skip(i);
  }
  return out;
}

async function openFile(path: string): Promise<FileInfo> {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new Error(`readParquet: cannot read '${path}': no such file`);
  }
  const { asyncBufferFromFile, parquetMetadataAsync } = await import('hyparquet');
  try {
    return { path, size: stat.size, mtime: stat.mtimeMs, meta: await parquetMetadataAsync(await asyncBufferFromFile(path)) };
  } catch (e) {
    throw new Error(`readParquet: '${path}' is not a readable Parquet file: ${(e as Error).message}`);
  }
}

const sameType = (a: TypeDesc | string, b: TypeDesc | string): boolean => JSON.stringify(a) === JSON.stringify(b);
const describe = (t: TypeDesc | string): string => (typeof t === 'string' ? t : dtypeName(t));

const READ_PARQUET_OPTIONS: OptionSchema<ReadParquetOptions> = refusing<ReadParquetOptions>(
  { columns: (v) => (Array.isArray(v) && v.every((c) => typeof c === 'string') ? undefined : 'an array of column names'), splitRowGroups: 'boolean', blocksize: blocksizeRule, index: 'string', calculateDivisions: 'boolean' },
  Object.fromEntries(['filters', 'engine', 'storageOptions', 'aggregateFiles', 'dtypeBackend', 'ignoreMetadataFile', 'metadataTaskSize'].map((k) => [k, NOT_YET])),
);

export async function readParquet(pathOrGlob: string | readonly string[], options?: ReadParquetOptions): Promise<DataFrame> {
  const opts = checkOptions('readParquet', options, READ_PARQUET_OPTIONS);
  const paths = expandPaths('readParquet', pathOrGlob);
  const blocksize = blocksizeOf('readParquet', opts.blocksize);
  const files = await Promise.all(paths.map(openFile));
  const schema = columnsOf(files[0].meta);
  const known = schema.map(([n]) => n);
  const indexCol = opts.index === undefined ? undefined : checkColumn(`readParquet (${files[0].path}) index`, opts.index, known);
  // The index column is not among the columns, as with Dask's index= (also when `columns` names it).
  const dataColumns = opts.columns === undefined ? known : opts.columns.map((c) => checkColumn(`readParquet (${files[0].path})`, c, known));
  const columns = [...(indexCol === undefined ? [] : [indexCol]), ...dataColumns.filter((c) => c !== indexCol)];
  const types = columns.map((c) => {
    const t = schema[known.indexOf(c)][1];
    if (typeof t === 'string') throw new TypeError(`readParquet: column '${c}' of ${files[0].path} holds ${t}, which pdask cannot read; leave it out with { columns }`);
    return t;
  });
  // Every file must give the same columns the same types, or partitions would disagree with the meta.
  for (const f of files.slice(1)) {
    const cols = new Map(columnsOf(f.meta));
    columns.forEach((c, j) => {
      const t = cols.get(c);
      if (t === undefined) throw new Error(`readParquet: ${f.path} has no column '${c}' (found in ${files[0].path}); known columns there: ${[...cols.keys()].map((k) => `'${k}'`).join(', ')}`);
      if (!sameType(t, types[j])) throw new TypeError(`readParquet: column '${c}' is ${describe(t)} in ${f.path} but ${describe(types[j])} in ${files[0].path}`);
    });
  }
  const pieces: ParquetPiece[] = [];
  const pieceGroups: PieceGroups[] = [];
  const indexed = indexCol !== undefined;
  for (const f of files) {
    const split = opts.splitRowGroups ?? f.size > blocksize;
    const groups = f.meta.row_groups.map((g) => Number(g.num_rows));
    if (split && groups.length > 1) {
      let start = 0;
      groups.forEach((n, g) => {
        pieces.push({ path: f.path, rowStart: start, rowEnd: start + n, columns, types, indexed });
        pieceGroups.push({ meta: f.meta, groups: [g] });
        start += n;
      });
    } else {
      pieces.push({ path: f.path, rowStart: 0, rowEnd: Number(f.meta.num_rows), columns, types, indexed });
      pieceGroups.push({ meta: f.meta, groups: groups.map((_, g) => g) });
    }
  }
  const divisions = indexCol !== undefined && opts.calculateDivisions !== false ? divisionsFromStatistics(pieceGroups, indexCol) : null;
  const name = `read-parquet-${tokenize(paths, files.map((f) => f.size), files.map((f) => f.mtime), pieces.map((p) => [p.rowStart, p.rowEnd]), columns, indexed)}`;
  const layer = new FrameLayer(name, 'read-parquet', function* () {
    for (let i = 0; i < pieces.length; i++) yield dataframeOps.readParquetPiece.task(partitionKey(name, i), lit(pieces[i]));
  });
  const meta = indexCol === undefined ? { names: columns, types, index: null } : { names: columns.slice(1), types: types.slice(1), index: { levels: [{ type: types[0], name: indexCol }] } };
  return new DataFrame(name, pieces.length, layerNode(layer), divisions, meta);
}
