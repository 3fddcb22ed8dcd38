/**
 * toParquet (Dask's to_parquet): one file per partition, written by one task each. Runs at once,
 * as Dask's default compute=True, and returns the paths written.
 */
import { join, resolve } from 'node:path';
import { arr, intAtLeast, layerNode, lit, ref, type ComputeOptions } from '@pdask/core';
import type { DataFrame } from '../frame';
import { FrameLayer, opName, partitionKey } from '../graph';
import { dataframeOps } from '../ops/index';
import { checkWithCompute, NOT_YET, refusing } from '../options';
import { parquetTypeOf } from '../ops/parquet-types';
import type { ParquetWriteSpec } from '../ops/parquet-write';
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

const TO_PARQUET_OPTIONS = refusing<Omit<ToParquetOptions, keyof ComputeOptions>>(
  { rowGroupSize: intAtLeast(1) },
  { compression: NOT_YET, partitionOn: NOT_YET, writeIndex: NOT_YET, engine: NOT_YET, overwrite: NOT_YET, schema: NOT_YET, nameFunction: NOT_YET, appendRowGroups: NOT_YET },
);

export async function toParquet(df: DataFrame, dirOrPattern: string, options?: ToParquetOptions): Promise<string[]> {
  const method = 'DataFrame.toParquet';
  const { own: opts, compute } = checkWithCompute<ToParquetOptions>(method, options, TO_PARQUET_OPTIONS);
  if (typeof dirOrPattern !== 'string' || dirOrPattern === '') throw new TypeError(`${method}: expected a directory or a path with '*' (e.g. 'out/part-*.parquet'), got ${JSON.stringify(dirOrPattern)}`);
  const rowGroupSize = opts.rowGroupSize;
  // Refuse a column type Parquet cannot hold before anything is written.
  df.columns.forEach((c) => parquetTypeOf(df.typeOf(c), c));
  const indexNames = (df.meta.index?.levels ?? []).map((l, j, all) => l.name ?? (all.length === 1 ? 'index' : `level_${j}`));
  const paths = pathsOf(dirOrPattern, df.npartitions, method);
  const name = opName('to-parquet', df.name, paths, rowGroupSize ?? null);
  const layer = new FrameLayer(name, 'to-parquet', () => {
    const writes = paths.map((path, i) => dataframeOps.writeParquetPart.task(`${name}-write-${i}`, ref(partitionKey(df.name, i)), lit({ path, indexNames, rowGroupSize } satisfies ParquetWriteSpec)));
    return [...writes, dataframeOps.collectPaths.task(name, arr(writes.map((w) => ref(w.key))))];
  });
  return new Scalar<string[]>(name, layerNode(layer, [df.layer])).compute(compute);
}
