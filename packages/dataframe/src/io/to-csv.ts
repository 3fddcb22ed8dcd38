/**
 * toCsv (Dask's to_csv): one file per partition, written by one task each; `*` in the path is
 * replaced by the partition number. Runs at once, as Dask's default compute=True, and returns the
 * paths written.
 */
import { resolve } from 'node:path';
import { arr, layerNode, lit, ref, type ComputeOptions } from '@pdask/core';
import type { DataFrame } from '../frame';
import { FrameLayer, opName, partitionKey } from '../graph';
import type { CsvWriteSpec } from '../ops/csv-write';
import { dataframeOps } from '../ops/index';
import { checkWithCompute, NOT_YET, refusing } from '../options';
import { Scalar } from '../scalar';

export interface ToCsvOptions extends ComputeOptions {
  /** Field separator (default ','). */
  sep?: string;
}

const TO_CSV_OPTIONS = refusing<Omit<ToCsvOptions, keyof ComputeOptions>>(
  { sep: 'string' },
  { index: NOT_YET, header: NOT_YET, singleFile: NOT_YET, mode: NOT_YET, encoding: NOT_YET, naRep: NOT_YET, columns: NOT_YET, compression: NOT_YET, nameFunction: NOT_YET },
);

export async function toCsv(df: DataFrame, pathPattern: string, options?: ToCsvOptions): Promise<string[]> {
  const method = 'DataFrame.toCsv';
  const { own: opts, compute } = checkWithCompute<ToCsvOptions>(method, options, TO_CSV_OPTIONS);
  if (typeof pathPattern !== 'string') throw new TypeError(`${method}: expected a path with '*' (e.g. 'out/part-*.csv'), got ${typeof pathPattern}`);
  const stars = pathPattern.split('*').length - 1;
  if (stars !== 1 && df.npartitions > 1) throw new Error(`${method}: the path '${pathPattern}' must hold exactly one '*' (replaced by the partition number) for a frame of ${df.npartitions} partitions`);
  if (stars > 1) throw new Error(`${method}: the path '${pathPattern}' holds ${stars} '*'; give at most one`);
  const sep = opts.sep ?? ',';
  if (typeof sep !== 'string' || sep.length !== 1 || sep === '"' || sep === '\n') throw new TypeError(`${method}: sep must be one character other than a quote or a newline, got ${JSON.stringify(sep)}`);
  const indexNames = (df.meta.index?.levels ?? []).map((l, j, all) => l.name ?? (all.length === 1 ? 'index' : `level_${j}`));
  const paths = Array.from({ length: df.npartitions }, (_, i) => resolve(pathPattern.replace('*', String(i))));
  const name = opName('to-csv', df.name, paths, sep);
  const layer = new FrameLayer(name, 'to-csv', () => {
    const writes = paths.map((path, i) => dataframeOps.writeCsvPart.task(`${name}-write-${i}`, ref(partitionKey(df.name, i)), lit({ path, sep, indexNames } satisfies CsvWriteSpec)));
    return [...writes, dataframeOps.collectPaths.task(name, arr(writes.map((w) => ref(w.key))))];
  });
  return new Scalar<string[]>(name, layerNode(layer, [df.layer])).compute(compute);
}
