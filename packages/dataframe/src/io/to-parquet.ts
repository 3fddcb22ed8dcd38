/**
 * toParquet (Dask's to_parquet): one file per partition, written by one task each, or with
 * `partitionOn` one file per partition and value under hive directories. Runs at once, as Dask's
 * default compute=True, and returns the paths written. No `_metadata` file is written, so
 * `append` only adds files numbered after those already there.
 */
import { arr, intAtLeast, layerNode, lit, ref, type ComputeOptions, type OptionRule } from '@pdask/core';
import type { DataFrame } from '../frame';
import { FrameLayer, opName, partitionKey } from '../graph';
import { dataframeOps } from '../ops/index';
import { dtypeName } from '../ops/types';
import { checkWithCompute, NOT_YET, refusing } from '../options';
import { Scalar } from '../scalar';
import { readParquet } from './read-parquet';
import { WRITE_CODECS, type ParquetCompression, type ParquetWriteSpec } from './parquet/write-part';
import { writeColumn } from './parquet/write-types';
import { nodeBuiltin } from './node-only';
const fsMod = () => nodeBuiltin('node:fs', 'toParquet');
const pathMod = () => nodeBuiltin('node:path', 'toParquet');

export type { ParquetCompression } from './parquet/write-part';

export interface ToParquetOptions extends ComputeOptions {
  /** Rows per row group (default: a partition is one row group). */
  rowGroupSize?: number;
  /** Codec of every column (Dask's default 'snappy'; null or 'none': uncompressed). zstd and lz4 are read, not written. */
  compression?: ParquetCompression | null;
  /** Columns whose values name hive directories (`year=2024/part.0.parquet`), left out of the files (Dask's partition_on). */
  partitionOn?: string | readonly string[];
  /** Add the partitions as new files after those in the directory, whose columns and dtypes must match (Dask's append). */
  append?: boolean;
}

/**
 * A directory gets Dask's file names (`part.0.parquet`, …); a path with one `*` has it replaced
 * by the partition number.
 */
function patternOf(dirOrPattern: string, method: string): string {
  const stars = dirOrPattern.split('*').length - 1;
  if (stars > 1) throw new Error(`${method}: the path '${dirOrPattern}' holds ${stars} '*'; give at most one`);
  return pathMod().resolve(stars === 1 ? dirOrPattern : pathMod().join(dirOrPattern, 'part.*.parquet'));
}

/** The first partition number after the files already written with this name pattern (anywhere under `dir`). */
function nextNumber(dir: string, fileName: string): number {
  const [pre, post] = fileName.split('*');
  let next = 0;
  const walk = (d: string): void => {
    let entries;
    try {
      entries = fsMod().readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(pathMod().join(d, e.name));
      else if (e.name.startsWith(pre) && e.name.endsWith(post)) {
        const n = e.name.slice(pre.length, e.name.length - post.length);
        if (/^\d+$/.test(n)) next = Math.max(next, Number(n) + 1);
      }
    }
  };
  walk(dir);
  return next;
}

const codecRule: OptionRule = (v) => (v === null || (typeof v === 'string' && Object.prototype.hasOwnProperty.call(WRITE_CODECS, v)) ? undefined : `one of ${Object.keys(WRITE_CODECS).map((k) => `'${k}'`).join(', ')} or null (zstd and lz4 are read but not written: no maintained JavaScript compressor)`);
const partitionOnRule: OptionRule = (v) => (typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === 'string')) ? undefined : 'a column name or a non-empty list of them');

const TO_PARQUET_OPTIONS = refusing<Omit<ToParquetOptions, keyof ComputeOptions>>(
  { rowGroupSize: intAtLeast(1), compression: codecRule, partitionOn: partitionOnRule, append: 'boolean' },
  { writeIndex: NOT_YET, engine: NOT_YET, overwrite: NOT_YET, schema: NOT_YET, nameFunction: NOT_YET, appendRowGroups: NOT_YET, writeMetadataFile: NOT_YET, ignoreDivisions: NOT_YET },
);

/** With `append`, the frame's columns must be those of the files there, with the same dtypes. */
async function checkAppend(method: string, df: DataFrame, dir: string, names: readonly string[], keys: readonly string[]): Promise<void> {
  if (!fsMod().existsSync(dir) || !fsMod().statSync(dir).isDirectory()) return;
  let existing;
  try {
    existing = await readParquet(dir);
  } catch (e) {
    if (/holds no Parquet file/.test((e as Error).message)) return;
    throw e;
  }
  const mine = names.filter((n) => !keys.includes(n));
  const theirs = existing.columns.filter((n) => !keys.includes(n));
  if (mine.join('\u0000') !== theirs.join('\u0000')) throw new Error(`${method}: cannot append columns ${mine.map((c) => `'${c}'`).join(', ')} to ${dir}, whose files hold ${theirs.map((c) => `'${c}'`).join(', ')}`);
  for (const c of mine.filter((n) => df.columns.includes(n))) {
    const [a, b] = [dtypeName(df.typeOf(c)), dtypeName(existing.typeOf(c))];
    if (a !== b) throw new TypeError(`${method}: cannot append column '${c}' of dtype ${a} to ${dir}, where it is ${b}`);
  }
}

export async function toParquet(df: DataFrame, dirOrPattern: string, options?: ToParquetOptions): Promise<string[]> {
  const method = 'DataFrame.toParquet';
  const { own: opts, compute } = checkWithCompute<ToParquetOptions>(method, options, TO_PARQUET_OPTIONS);
  if (typeof dirOrPattern !== 'string' || dirOrPattern === '') throw new TypeError(`${method}: expected a directory or a path with '*' (e.g. 'out/part-*.parquet'), got ${JSON.stringify(dirOrPattern)}`);
  const keys = opts.partitionOn === undefined ? [] : typeof opts.partitionOn === 'string' ? [opts.partitionOn] : [...opts.partitionOn];
  for (const k of keys) {
    if (!df.columns.includes(k)) throw new Error(`${method}: partitionOn names '${k}', which is not a column; columns: ${df.columns.map((c) => `'${c}'`).join(', ')}`);
    const t = df.typeOf(k);
    if (!(t.id === 'int' || t.id === 'utf8' || (t.id === 'dict' && t.value.id === 'utf8'))) throw new TypeError(`${method}: partitionOn column '${k}' is ${dtypeName(t)}; only integer, string and category columns name directories`);
  }
  if (keys.length > 0 && keys.length === df.columns.length) throw new Error(`${method}: partitionOn names every column, which leaves the files no data column`);
  // Refuse a column type Parquet cannot hold before anything is written.
  df.columns.forEach((c) => writeColumn(df.typeOf(c), c));
  const indexNames = (df.meta.index?.levels ?? []).map((l, j, all) => l.name ?? (all.length === 1 ? 'index' : `level_${j}`));
  const pattern = patternOf(dirOrPattern, method);
  const slash = pattern.lastIndexOf('/');
  const [dir, fileName] = [pattern.slice(0, slash) || '/', pattern.slice(slash + 1)];
  if (keys.length > 0 && !fileName.includes('*')) throw new Error(`${method}: with partitionOn, the path's '*' must be in the file name (e.g. 'out/part.*.parquet'), got '${dirOrPattern}'`);
  if (opts.append) await checkAppend(method, df, dir, [...indexNames, ...df.columns], keys);
  const offset = opts.append ? nextNumber(dir, fileName) : 0;
  const compression = opts.compression === null ? 'none' : (opts.compression ?? 'snappy');
  const specs = Array.from({ length: df.npartitions }, (_, i): ParquetWriteSpec => {
    const name = fileName.replace('*', String(i + offset));
    return keys.length > 0 ? { path: dir, fileName: name, indexNames, rowGroupSize: opts.rowGroupSize, compression, partitionOn: keys } : { path: pathMod().join(dir, name), indexNames, rowGroupSize: opts.rowGroupSize, compression };
  });
  const name = opName('to-parquet', df.name, specs.map((s) => [s.path, s.fileName ?? null]), opts.rowGroupSize ?? null, compression, keys);
  const layer = new FrameLayer(name, 'to-parquet', () => {
    const writes = specs.map((spec, i) => dataframeOps.writeParquetPart.task(`${name}-write-${i}`, ref(partitionKey(df.name, i)), lit(spec)));
    return [...writes, dataframeOps.collectPaths.task(name, arr(writes.map((w) => ref(w.key))))];
  });
  const written = await new Scalar<string[][]>(name, layerNode(layer, [df.layer])).compute(compute);
  return written.flat();
}
