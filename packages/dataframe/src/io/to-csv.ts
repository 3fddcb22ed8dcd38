/**
 * toCsv (Dask's to_csv): one file per partition, written by one task each (`*` in the path is
 * replaced by the partition number), or one file (`singleFile`) that the partitions' tasks append
 * to in order. Runs at once, as Dask's default compute=True, and returns the paths written.
 */
import { arr, layerNode, lit, ref, type ArgSpec, type ComputeOptions, type LayerNode } from '@pdask/core';
import * as iconv from 'iconv-lite';
import type { DataFrame } from '../frame';
import { FrameLayer, opName, partitionKey } from '../graph';
import { parseFloatFormat } from '../ops/csv-format';
import type { CsvWriteSpec } from '../ops/csv-write';
import { dataframeOps } from '../ops/index';
import { checkWithCompute, NOT_YET, refusing } from '../options';
import { rowOffsets } from '../row-offsets';
import { Scalar } from '../scalar';
import { nodeBuiltin } from './node-only';
const pathMod = () => nodeBuiltin('node:path', 'toCsv');

export interface ToCsvOptions extends ComputeOptions {
  /** Field separator (default ','). */
  sep?: string;
  /**
   * Write the index first (default true, as pandas/Dask): its levels, or the row positions of a
   * frame made without an index. The header names them by the level names ('' when unnamed).
   */
  index?: boolean;
  /** Write a header line (default true), or these names for the columns instead of theirs. */
  header?: boolean | readonly string[];
  /** One file holding every partition in order, the header once (Dask's single_file). */
  singleFile?: boolean;
  /** 'gzip', or 'infer' (gzip for a path ending '.gz'); default none, as Dask's compression=None. */
  compression?: 'gzip' | 'infer' | null;
  /** Text of missing values (default ''). */
  naRep?: string;
  /** Format of float cells: '%.3f' or '%.3e' (any number of digits; '%f'/'%e' mean 6). */
  floatFormat?: string;
  /** 'w' (default) replaces the files, 'a' appends to them. */
  mode?: 'w' | 'a';
  /** Text encoding (default 'utf-8'; others through iconv-lite: 'latin1', 'utf-16le', …). */
  encoding?: string;
}

const NO_COMPRESSOR = 'is not written: no maintained compressor for Node 20 exists (node:zlib has none; compressjs is unmaintained since 2016, @mongodb-js/zstd is a native addon needing Node >= 20.19); use gzip';

const TO_CSV_OPTIONS = refusing<Omit<ToCsvOptions, keyof ComputeOptions>>(
  {
    sep: 'string',
    index: 'boolean',
    header: (v) => (typeof v === 'boolean' || (Array.isArray(v) && v.every((s) => typeof s === 'string')) ? undefined : 'a boolean or an array of column names'),
    singleFile: 'boolean',
    compression: (v) => (v === null || v === 'gzip' || v === 'infer' ? undefined : `'gzip', 'infer' or null${typeof v === 'string' ? ` ('${v}' ${NO_COMPRESSOR})` : ''}`),
    naRep: 'string',
    floatFormat: 'string',
    mode: (v) => (v === 'w' || v === 'a' ? undefined : "'w' or 'a'"),
    encoding: 'string',
  },
  Object.fromEntries(
    ['columns', 'indexLabel', 'quoting', 'quotechar', 'lineterminator', 'chunksize', 'dateFormat', 'doublequote', 'escapechar', 'decimal', 'errors', 'storageOptions', 'nameFunction', 'compute', 'computeKwargs'].map((k) => [k, NOT_YET]),
  ),
);

function compressionOf(method: string, c: ToCsvOptions['compression'], path: string): 'gzip' | null {
  if (c === 'gzip') return 'gzip';
  if (c !== 'infer') return null;
  if (/\.gz$/i.test(path)) return 'gzip';
  const ext = /\.(bz2|zst|zip|xz|tar)$/i.exec(path);
  if (ext) throw new Error(`${method}: compression '${ext[1]}' (inferred from '${path}') ${NO_COMPRESSOR}`);
  return null;
}

export async function toCsv(df: DataFrame, pathPattern: string, options?: ToCsvOptions): Promise<string[]> {
  const method = 'DataFrame.toCsv';
  const { own: opts, compute } = checkWithCompute<ToCsvOptions>(method, options, TO_CSV_OPTIONS);
  if (typeof pathPattern !== 'string') throw new TypeError(`${method}: expected a path with '*' (e.g. 'out/part-*.csv'), got ${typeof pathPattern}`);
  const single = opts.singleFile ?? false;
  const stars = pathPattern.split('*').length - 1;
  if (single && stars > 0) throw new Error(`${method}: singleFile writes one file; the path '${pathPattern}' must not hold '*'`);
  if (!single && stars !== 1 && df.npartitions > 1) throw new Error(`${method}: the path '${pathPattern}' must hold exactly one '*' (replaced by the partition number) for a frame of ${df.npartitions} partitions`);
  if (stars > 1) throw new Error(`${method}: the path '${pathPattern}' holds ${stars} '*'; give at most one`);
  const sep = opts.sep ?? ',';
  if (typeof sep !== 'string' || sep.length !== 1 || sep === '"' || sep === '\n' || sep === '\r') throw new TypeError(`${method}: sep must be one character other than a quote or a line break, got ${JSON.stringify(sep)}`);
  let floatFormat = null;
  if (opts.floatFormat !== undefined) {
    floatFormat = parseFloatFormat(opts.floatFormat);
    if (!floatFormat) throw new Error(`${method}: floatFormat '${opts.floatFormat}' is not supported; give '%.Nf' or '%.Ne' (N digits after the point)`);
  }
  const encoding = opts.encoding ?? 'utf-8';
  if (!iconv.encodingExists(encoding)) throw new Error(`${method}: unknown encoding '${encoding}'`);
  const index = opts.index ?? true;
  let header: readonly string[] | null = df.columns;
  if (opts.header === false) header = null;
  else if (Array.isArray(opts.header)) {
    // pandas' message for header aliases of the wrong length.
    if (opts.header.length !== df.columns.length) throw new Error(`${method}: Writing ${df.columns.length} cols but got ${opts.header.length} aliases`);
    header = opts.header;
  }
  const mode = opts.mode ?? 'w';
  const indexNames = (df.meta.index?.levels ?? []).map((l) => l.name ?? '');
  const paths = Array.from({ length: df.npartitions }, (_, i) => pathMod().resolve(single ? pathPattern : pathPattern.replace('*', String(i))));
  const compression = compressionOf(method, opts.compression ?? null, paths[0] ?? pathPattern);
  const base = { sep, index, indexNames, naRep: opts.naRep ?? '', floatFormat, compression, encoding };
  // A frame without an index is labelled by row positions: from the divisions when known, else
  // counted across the partitions (what compute() shows for it).
  const positions = index && !df.meta.index;
  const offsets = positions && df.divisions === null ? rowOffsets(df) : null;
  const firstLabel = (i: number): ArgSpec => (offsets ? offsets.arg(i) : lit(positions ? Number(df.divisions![i]) : 0));
  const name = opName('to-csv', df.name, paths, base, header, single, mode);
  const layer = new FrameLayer(name, 'to-csv', () => {
    const writes = paths.map((path, i) => {
      const first = !single || i === 0;
      const spec: CsvWriteSpec = { ...base, path, header: first ? header : null, mode: first ? mode : 'a', addBom: first && mode === 'w' };
      const after = single && i > 0 ? [ref(`${name}-write-${i - 1}`)] : [];
      return dataframeOps.writeCsvPart.task(`${name}-write-${i}`, ref(partitionKey(df.name, i)), lit(spec), firstLabel(i), ...after);
    });
    return [...writes, dataframeOps.collectPaths.task(name, arr(writes.map((w) => ref(w.key))))];
  });
  const parents: LayerNode[] = offsets ? [df.layer, offsets.node] : [df.layer];
  return new Scalar<string[]>(name, layerNode(layer, parents)).compute(compute);
}
