/**
 * The readers as the package exports them: readParquet and readCsv, with the plan recording what
 * they read so that projections and filters can be pushed into them.
 */
import { readCsv as readCsvFrame, type ReadCsvOptions } from '../io/read-csv';
import { readParquetWithFooters, type FooterCache, type ParquetInput, type ReadParquetOptions } from '../io/read-parquet';
import { settleResponses } from '../io/read-remote-parquet';
import { readCsvRemote } from '../io/read-remote-csv';
import { isRemoteInput, type RemoteInput } from '../io/remote-source';

/** What readCsv reads: paths and globs (Node), or Blobs, Files, Responses and http(s) URLs (anywhere). */
export type CsvInput = string | readonly string[] | RemoteInput | readonly RemoteInput[];
import type { DataFrame } from '../frame';
import { withExpr } from './nodes';

/** Dask's read_parquet (see io/read-parquet.ts); the plan may read fewer columns and row groups. */
export async function readParquet(input: ParquetInput, options?: ReadParquetOptions): Promise<DataFrame> {
  // The footers read here serve the planned reads too (unless a file changes in between).
  const footers: FooterCache = new Map();
  // The planner reads the input again: a Response's body (readable once) is kept as a File.
  const pathOrGlob = await settleResponses(input);
  const df = await readParquetWithFooters(pathOrGlob, options, footers);
  return withExpr(df, { kind: 'read-parquet', paths: pathOrGlob, options: { ...options }, columns: df.columns, filters: [], footers });
}

// Options that name or number the file's columns: with them, dropping columns could change what the others are.
const POSITIONAL: readonly (keyof ReadCsvOptions)[] = ['names', 'usecols', 'header', 'includePathColumn', 'parseDates', 'skiprows'];

/** Dask's read_csv (see io/read-csv.ts); the plan may read fewer columns (pandas' usecols). */
export async function readCsv(input: CsvInput, options?: ReadCsvOptions): Promise<DataFrame> {
  // Remote sources are read as they are asked for (no column pushdown into their blocks).
  if (isRemoteInput(input)) return readCsvRemote(await settleResponses(input), options);
  const pathOrGlob = input as string | readonly string[];
  const df = await readCsvFrame(pathOrGlob, options);
  const o = options ?? {};
  if (POSITIONAL.some((k) => o[k] !== undefined) || (typeof o.dtype === 'object' && o.dtype !== null)) return df;
  return withExpr(df, { kind: 'read-csv', paths: pathOrGlob, options: { ...o }, columns: df.columns });
}
