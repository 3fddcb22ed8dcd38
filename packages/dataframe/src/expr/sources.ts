/**
 * The readers as the package exports them: readParquet and readCsv, with the plan recording what
 * they read so that projections and filters can be pushed into them.
 */
import { readCsv as readCsvFrame, type ReadCsvOptions } from '../io/read-csv';
import { readParquetWithFooters, type FooterCache, type ReadParquetOptions } from '../io/read-parquet';
import type { DataFrame } from '../frame';
import { withExpr } from './nodes';

/** Dask's read_parquet (see io/read-parquet.ts); the plan may read fewer columns and row groups. */
export async function readParquet(pathOrGlob: string | readonly string[], options?: ReadParquetOptions): Promise<DataFrame> {
  // The footers read here serve the planned reads too (unless a file changes in between).
  const footers: FooterCache = new Map();
  const df = await readParquetWithFooters(pathOrGlob, options, footers);
  return withExpr(df, { kind: 'read-parquet', paths: pathOrGlob, options: { ...options }, columns: df.columns, filters: [], footers });
}

// Options that name or number the file's columns: with them, dropping columns could change what the others are.
const POSITIONAL: readonly (keyof ReadCsvOptions)[] = ['names', 'usecols', 'header', 'includePathColumn', 'parseDates', 'skiprows'];

/** Dask's read_csv (see io/read-csv.ts); the plan may read fewer columns (pandas' usecols). */
export async function readCsv(pathOrGlob: string | readonly string[], options?: ReadCsvOptions): Promise<DataFrame> {
  const df = await readCsvFrame(pathOrGlob, options);
  const o = options ?? {};
  if (POSITIONAL.some((k) => o[k] !== undefined) || (typeof o.dtype === 'object' && o.dtype !== null)) return df;
  return withExpr(df, { kind: 'read-csv', paths: pathOrGlob, options: { ...o }, columns: df.columns });
}
