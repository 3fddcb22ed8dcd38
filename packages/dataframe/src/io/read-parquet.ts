/**
 * readParquet (Dask's read_parquet): files named by a path, a glob or a directory (hive partitions
 * `key=value/` become columns), one task per file, or one per row group for large files. The
 * schema, row-group sizes and statistics come from the files' footers, read when the graph is
 * built, so the frame's dtypes are known before any data is read and `filters` prune files and row
 * groups then, as in Dask.
 */
import { checkOptions, layerNode, lit, tokenize, type OptionSchema } from '@pdask/core';
import type { FileMetaData } from 'hyparquet';
import { DataFrame } from '../frame';
import { FrameLayer, partitionKey } from '../graph';
import { checkColumn } from '../meta';
import { dataframeOps } from '../ops/index';
import { dtypeName, type TypeDesc } from '../ops/types';
import { blocksizeOf, blocksizeRule } from './glob';
import { divisionsFromStatistics, type PieceGroups } from './parquet-divisions';
import { columnPlans, type ColumnPlan } from './parquet/column-types';
import { dataFiles, hiveColumns, type DataFile, type HiveColumn } from './parquet/dataset';
import { filterColumns, groupMayMatch, parseFilters, type Cell, type Filters, type Predicate } from './parquet/filters';
import type { ParquetPiece } from './parquet/read-piece';
import { openLocalFile, type LocalFile } from './parquet/local-file';
import { localFooter } from './parquet/local-footers';
import { boundsOf } from './parquet/statistics';
import { NOT_YET, refusing } from '../options';
import { openRemoteFiles } from './read-remote-parquet';
import { isRemoteInput, type RemoteInput, type SourceRef } from './remote-source';
import { nodeBuiltin } from './node-only';
const fsMod = () => nodeBuiltin('node:fs', 'readParquet with a path');

export type { Filter, FilterOp, Filters, FilterScalar } from './parquet/filters';

export interface ReadParquetOptions {
  /** Columns to read (default: all), in this order. Only their bytes are read. Hive partition columns may be named. */
  columns?: readonly string[];
  /**
   * Dask's `filters`: `[['x', '>', 5], ['k', 'in', ['a', 'b']]]` (all hold) or a list of such lists
   * (any holds). Hive partitions and row groups whose values or statistics rule them out are not
   * read, and the rows that fail are dropped. Operators: '=', '==', '!=', '<', '<=', '>', '>=',
   * 'in', 'not in'; timestamps compare with a Date or bigint nanoseconds.
   */
  filters?: Filters;
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

interface FileInfo extends DataFile {
  size: number;
  mtime: number;
  meta: FileMetaData;
  /** A Blob, File or URL read with range reads (absent for a path). */
  source?: SourceRef;
}

/** What readParquet reads: paths and globs (Node), or Blobs, Files, Responses and http(s) URLs (anywhere). */
export type ParquetInput = string | readonly string[] | RemoteInput | readonly RemoteInput[];

async function openFile(f: DataFile, footers?: FooterCache): Promise<FileInfo> {
  let stat;
  try {
    stat = fsMod().statSync(f.path);
  } catch {
    throw new Error(`readParquet: cannot read '${f.path}': no such file`);
  }
  if (stat.isDirectory()) throw new Error(`readParquet: '${f.path}' is a directory; name it alone to read the Parquet files under it`);
  // A footer read before is used again while the file's size and modification time are unchanged.
  const known = footers?.get(f.path);
  if (known && known.size === stat.size && known.mtime === stat.mtimeMs) return { ...f, size: stat.size, mtime: stat.mtimeMs, meta: known.meta as FileMetaData };
  const info = await readFooter(f, stat);
  footers?.set(f.path, { size: info.size, mtime: info.mtime, meta: info.meta });
  return info;
}

async function readFooter(f: DataFile, stat: { size: number; mtimeMs: number }): Promise<FileInfo> {
  let file: LocalFile | undefined;
  try {
    // Positioned reads (local-file.ts): hyparquet's asyncBufferFromFile opened a read stream per
    // range, most of the CPU time of making the graph of 20 files. Kept for this thread's tasks.
    file = openLocalFile(f.path);
    return { ...f, size: stat.size, mtime: stat.mtimeMs, meta: await localFooter(f.path, file) };
  } catch (e) {
    throw new Error(`readParquet: '${f.path}' is not a readable Parquet file: ${(e as Error).message}`);
  } finally {
    file?.close();
  }
}

const describe = (t: TypeDesc | string): string => (typeof t === 'string' ? t : dtypeName(t));
const sameType = (a: ColumnPlan | string, b: ColumnPlan): boolean => typeof a !== 'string' && JSON.stringify(a.type) === JSON.stringify(b.type);

const filtersRule = (v: unknown): string | undefined => (Array.isArray(v) && v.length > 0 ? undefined : 'a non-empty list of [column, op, value] or a list of such lists');

const READ_PARQUET_OPTIONS: OptionSchema<ReadParquetOptions> = refusing<ReadParquetOptions>(
  { columns: (v) => (Array.isArray(v) && v.every((c) => typeof c === 'string') ? undefined : 'an array of column names'), filters: filtersRule, splitRowGroups: 'boolean', blocksize: blocksizeRule, index: 'string', calculateDivisions: 'boolean' },
  Object.fromEntries(['engine', 'storageOptions', 'aggregateFiles', 'dtypeBackend', 'ignoreMetadataFile', 'metadataTaskSize'].map((k) => [k, NOT_YET])),
);

/** Row ranges of the row groups kept, adjacent groups merged into one range. */
function rangesOf(meta: FileMetaData, groups: readonly number[]): [number, number][] {
  const starts: number[] = [];
  let at = 0;
  for (const g of meta.row_groups) {
    starts.push(at);
    at += Number(g.num_rows);
  }
  const out: [number, number][] = [];
  for (const g of groups) {
    const s = starts[g];
    const e = s + Number(meta.row_groups[g].num_rows);
    const last = out[out.length - 1];
    if (last && last[1] === s) last[1] = e;
    else out.push([s, e]);
  }
  return out;
}

const token = (p: Predicate | null): string => JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

export function readParquet(pathOrGlob: ParquetInput, options?: ReadParquetOptions): Promise<DataFrame> {
  return readParquetWithFooters(pathOrGlob, options);
}

/**
 * @internal Footers already read, by path (the query planner reads a dataset again with other
 * columns and filters). The footer is held as an opaque object: the plan's types are public, and
 * naming hyparquet's FileMetaData there made the CommonJS declarations import an ESM-only package.
 */
export type FooterCache = Map<string, { size: number; mtime: number; meta: object }>;

/** @internal readParquet, taking the footers from `footers` when the files are unchanged and adding those it reads. */
export async function readParquetWithFooters(pathOrGlob: ParquetInput, options?: ReadParquetOptions, footers?: FooterCache): Promise<DataFrame> {
  const opts = checkOptions('readParquet', options, READ_PARQUET_OPTIONS);
  const blocksize = blocksizeOf('readParquet', opts.blocksize);
  const remote = isRemoteInput(pathOrGlob);
  const files: FileInfo[] = remote ? await openRemoteFiles(pathOrGlob) : await Promise.all(dataFiles('readParquet', pathOrGlob as string | readonly string[]).map((f) => openFile(f, footers)));
  const first = files[0].path;
  const schema = columnPlans(files[0].meta);
  const hive: HiveColumn[] = hiveColumns('readParquet', files);
  for (const h of hive) if (schema.some(([n]) => n === h.name)) throw new Error(`readParquet: '${h.name}' is both a column of ${first} and a partition key of its directory`);
  const known = [...schema.map(([n]) => n), ...hive.map((h) => h.name)];
  const planOf = (c: string): ColumnPlan | string | undefined => schema.find(([n]) => n === c)?.[1];
  const hiveOf = (c: string): HiveColumn | undefined => hive.find((h) => h.name === c);
  const typeOf = (c: string): TypeDesc => {
    const h = hiveOf(c);
    if (h) return h.type;
    const t = planOf(c) as ColumnPlan | string;
    if (typeof t === 'string') throw new TypeError(`readParquet: column '${c}' of ${first} holds ${t}, which pdask cannot read; leave it out with { columns }`);
    return t.type;
  };
  const indexCol = opts.index === undefined ? undefined : checkColumn(`readParquet (${first}) index`, opts.index, known);
  // The index column is not among the columns, as with Dask's index= (also when `columns` names it).
  const dataColumns = opts.columns === undefined ? known : opts.columns.map((c) => checkColumn(`readParquet (${first})`, c, known));
  const columns = [...(indexCol === undefined ? [] : [indexCol]), ...dataColumns.filter((c) => c !== indexCol)];
  const types = columns.map(typeOf);
  const predicate = opts.filters === undefined ? null : parseFilters('readParquet', opts.filters, (c) => (known.includes(c) ? typeOf(c) : undefined), known);
  // Decoded from the files: the output's file columns and those the filters read.
  const readNames = [...new Set([...columns, ...(predicate ? filterColumns(predicate) : [])])].filter((c) => !hiveOf(c));
  const read = readNames.map((c) => {
    typeOf(c);
    return planOf(c) as ColumnPlan;
  });
  // Every file must give the same columns the same types, or partitions would disagree with the meta.
  for (const f of files.slice(1)) {
    const cols = new Map(columnPlans(f.meta));
    for (const p of read) {
      const t = cols.get(p.name);
      if (t === undefined) throw new Error(`readParquet: ${f.path} has no column '${p.name}' (found in ${first}); known columns there: ${[...cols.keys()].map((k) => `'${k}'`).join(', ')}`);
      if (!sameType(t, p)) throw new TypeError(`readParquet: column '${p.name}' is ${describe(typeof t === 'string' ? t : t.type)} in ${f.path} but ${describe(p.type)} in ${first}`);
    }
  }
  const pieces: ParquetPiece[] = [];
  const pieceGroups: PieceGroups[] = [];
  const indexed = indexCol !== undefined;
  const piece = (f: FileInfo, fi: number, groups: number[]): void => {
    const values = hive.map((h) => ({ name: h.name, type: h.type, value: h.values[fi] }));
    pieces.push({ path: f.path, ...(f.source ? { source: f.source } : {}), ranges: rangesOf(f.meta, groups), read, columns, types, hive: values.filter((h) => columns.includes(h.name) || readNames.includes(h.name) || (predicate !== null && filterColumns(predicate).includes(h.name))), filters: predicate, indexed });
    pieceGroups.push({ meta: f.meta, groups });
  };
  files.forEach((f, fi) => {
    const fixed = new Map<string, Cell | null>(hive.map((h) => [h.name, h.values[fi]]));
    const plans = new Map(read.map((p) => [p.name, p]));
    const kept = f.meta.row_groups.flatMap((g, gi) => {
      if (!predicate) return [gi];
      return groupMayMatch(predicate, fixed, (c) => {
        const p = plans.get(c);
        return p === undefined ? undefined : boundsOf(g, p);
      })
        ? [gi]
        : [];
    });
    if (kept.length === 0 && (predicate !== null || f.meta.row_groups.length > 0)) return;
    const split = opts.splitRowGroups ?? f.size > blocksize;
    if (split && kept.length > 1) for (const g of kept) piece(f, fi, [g]);
    else piece(f, fi, kept);
  });
  // Everything pruned: one empty partition keeps the frame's columns and dtypes, as Dask's meta does.
  if (pieces.length === 0) piece(files[0], 0, []);
  const divisions = indexCol !== undefined && opts.calculateDivisions !== false && !hiveOf(indexCol) ? divisionsFromStatistics(pieceGroups, indexCol) : null;
  const name = `read-parquet-${tokenize(
    files.map((f) => f.path),
    files.map((f) => f.size),
    files.map((f) => f.mtime),
    pieces.map((p) => p.ranges),
    columns,
    indexed,
    token(predicate),
    ...(remote ? [files.map((f) => f.source?.token ?? null)] : []),
  )}`;
  const layer = new FrameLayer(name, 'read-parquet', function* () {
    for (let i = 0; i < pieces.length; i++) yield dataframeOps.readParquetPiece.task(partitionKey(name, i), lit(pieces[i]));
  });
  const meta = indexCol === undefined ? { names: columns, types, index: null } : { names: columns.slice(1), types: types.slice(1), index: { levels: [{ type: types[0], name: indexCol }] } };
  return new DataFrame(name, pieces.length, layerNode(layer), divisions, meta);
}
