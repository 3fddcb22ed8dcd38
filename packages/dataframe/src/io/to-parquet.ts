/**
 * toParquet (Dask's to_parquet): one file per partition, written by one task each. Runs at once,
 * as Dask's default compute=True, and returns the paths written.
 */
import { join, resolve } from 'node:path';
import { layerNode, lit, ref, taskNode, toOpRef, type ComputeOptions } from '@pdask/core';
import type { DataFrame } from '../frame';
import { FrameLayer, checkNpartitions, opName, partitionKey } from '../graph';
import { collectPaths } from '../ops/csv-write';
import { parquetTypeOf } from '../ops/parquet-types';
import { writeParquetPart, type ParquetWriteSpec } from '../ops/parquet-write';
import { Scalar } from '../scalar';

export interface ToParquetOptions extends ComputeOptions {
  /** Rows per row group (default: a partition is one row group). */
  rowGroupSize?: number;
}

/**
 * A directory gets Dask's file names (`part.0.parquet`, …); a path with one `*` has it replaced
 * by the partition number.
 */
function pathsOf(dirOrPattern: string, n: number, method: string): string[] {
  const stars = dirOrPattern.split('*').length - 1;
  if (stars > 1) throw new Error(`${method}: the path '${dirOrPattern}' holds ${stars} '*'; give at most one`);
  const pattern = stars === 1 ? dirOrPattern : join(dirOrPattern, 'part.*.parquet');
  return Array.from({ length: n }, (_, i) => resolve(pattern.replace('*', String(i))));
}

export async function toParquet(df: DataFrame, dirOrPattern: string, opts: ToParquetOptions = {}): Promise<string[]> {
  const method = 'DataFrame.toParquet';
  if (typeof dirOrPattern !== 'string' || dirOrPattern === '') throw new TypeError(`${method}: expected a directory or a path with '*' (e.g. 'out/part-*.parquet'), got ${JSON.stringify(dirOrPattern)}`);
  const rowGroupSize = opts.rowGroupSize === undefined ? undefined : checkNpartitions(opts.rowGroupSize, method, 'rowGroupSize');
  // Refuse a column type Parquet cannot hold before anything is written.
  df.columns.forEach((c) => parquetTypeOf(df.typeOf(c), c));
  const indexNames = (df.meta.index?.levels ?? []).map((l, j, all) => l.name ?? (all.length === 1 ? 'index' : `level_${j}`));
  const paths = pathsOf(dirOrPattern, df.npartitions, method);
  const name = opName('to-parquet', df.name, paths, rowGroupSize ?? null);
  const layer = new FrameLayer(name, 'to-parquet', () => {
    const writes = paths.map((path, i) => taskNode(`${name}-write-${i}`, toOpRef(writeParquetPart), [ref(partitionKey(df.name, i)), lit({ path, indexNames, rowGroupSize } satisfies ParquetWriteSpec)]));
    return [...writes, taskNode(name, toOpRef(collectPaths), [{ t: 'arr', items: writes.map((w) => ref(w.key)) }])];
  });
  return new Scalar<string[]>(name, layerNode(layer, [df.layer])).compute(opts);
}
