/**
 * readCsv (Dask's read_csv): files matched by a path or glob, cut into byte blocks of `blocksize`,
 * one task per block. Column names come from the header and types are inferred from a sample of
 * the first file, as Dask does, so that the frame's dtypes are known before anything is read.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { checkOptions, intAtLeast, layerNode, lit, tokenize, type OptionSchema } from '@pdask/core';
import { parse } from 'csv-parse/sync';
import { DataFrame } from '../frame';
import { FrameLayer, partitionKey } from '../graph';
import type { CsvBlock } from '../ops/csv';
import { dataframeOps } from '../ops/index';
import { blocksizeOf, blocksizeRule, expandPaths } from './glob';
import { NOT_YET, refusing } from '../options';
import type { TypeDesc } from '../ops/types';
import type { Dtype } from '../dtypes';
import { csvColumnTypes, naValuesOf } from './csv-infer';

/** Any dtype astype takes (int64, Int64, datetime64[ns], category, …; see the README's dtypes table). */
export type CsvDtype = Dtype;

export interface ReadCsvOptions {
  /** Bytes per partition (number or '64MB'; default 64 MiB, as Dask). */
  blocksize?: number | string;
  /** Field separator (default ','). */
  sep?: string;
  /** Column types instead of the inferred ones: one dtype for every column, or { column: dtype }. */
  dtype?: CsvDtype | Record<string, CsvDtype>;
  /** Columns read as datetime64[ns] (ISO 8601 texts; UTC when they carry offsets). */
  parseDates?: readonly string[];
  /** Texts read as missing, besides pandas' defaults ('', 'NA', 'NaN', 'null', '#N/A', …). */
  naValues?: string | readonly string[];
  /** Bytes of the first file read to infer types (default 256 KiB). */
  sampleBytes?: number;
}

function readHead(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(bytes);
    const got = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** pandas' read_csv options pdask does not implement are refused by name (the file would be read otherwise than asked). */
const READ_CSV_OPTIONS: OptionSchema<ReadCsvOptions> = refusing<ReadCsvOptions>(
  { blocksize: blocksizeRule, sep: 'string', dtype: (v) => (typeof v === 'string' || (typeof v === 'object' && v !== null && !Array.isArray(v)) ? undefined : 'a dtype name or { column: dtype }'), sampleBytes: intAtLeast(1), parseDates: (v) => (Array.isArray(v) ? undefined : 'an array of column names'), naValues: (v) => (typeof v === 'string' || Array.isArray(v) ? undefined : 'a string or an array of strings') },
  Object.fromEntries(
    ['skiprows', 'skipfooter', 'header', 'names', 'usecols', 'comment', 'nrows', 'indexCol', 'keepDefaultNa', 'encoding', 'thousands', 'decimal', 'quotechar', 'escapechar', 'lineterminator', 'converters', 'trueValues', 'falseValues', 'delimiter', 'includePathColumn', 'assumeMissing', 'compression'].map((k) => [k, NOT_YET]),
  ),
);

export async function readCsv(pathOrGlob: string | readonly string[], options?: ReadCsvOptions): Promise<DataFrame> {
  const opts = checkOptions('readCsv', options, READ_CSV_OPTIONS);
  const files = expandPaths('readCsv', pathOrGlob);
  const blocksize = blocksizeOf('readCsv', opts.blocksize);
  const sep = opts.sep ?? ',';
  const sizes = files.map((f) => {
    try {
      return statSync(f).size;
    } catch {
      throw new Error(`readCsv: cannot read '${f}': no such file`);
    }
  });
  // Header and sample: the first lines of the first file (the last, possibly cut, line dropped).
  let sample = readHead(files[0], opts.sampleBytes ?? 256 * 1024);
  if (sample.length < sizes[0]) sample = sample.slice(0, sample.lastIndexOf('\n') + 1);
  let rows: string[][];
  try {
    rows = parse(sample, { delimiter: sep, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new Error(`readCsv: cannot parse the first lines of ${files[0]}: ${(e as Error).message}`);
  }
  if (rows.length === 0) throw new Error(`readCsv: ${files[0]} is empty (no header line)`);
  const names = rows[0];
  const body = rows.slice(1).filter((r) => r.length === names.length);
  const types: TypeDesc[] = csvColumnTypes(names, body, opts, files[0]);
  const naValues = opts.naValues === undefined ? undefined : naValuesOf(opts.naValues);
  const blocks: CsvBlock[] = [];
  files.forEach((path, f) => {
    for (let start = 0; start < Math.max(sizes[f], 1); start += blocksize) {
      blocks.push({ path, start, end: Math.min(start + blocksize, sizes[f]), skipHeader: start === 0, names, types, sep, ...(naValues ? { naValues } : {}) });
    }
  });
  const mtimes = files.map((f) => statSync(f).mtimeMs);
  const name = `read-csv-${tokenize(files, sizes, mtimes, blocksize, sep, types, naValues ?? null)}`;
  const layer = new FrameLayer(name, 'read-csv', function* () {
    for (let i = 0; i < blocks.length; i++) yield dataframeOps.readCsvBlock.task(partitionKey(name, i), lit(blocks[i]));
  });
  return new DataFrame(name, blocks.length, layerNode(layer), null, { names, types, index: null });
}
