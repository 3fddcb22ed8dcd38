/**
 * toCsv (Dask's to_csv): one file per partition, written by one task each; `*` in the path is
 * replaced by the partition number. Runs at once, as Dask's default compute=True, and returns the
 * paths written.
 */
import { resolve } from 'node:path';
import { layerNode, lit, ref, taskNode, toOpRef, type ComputeOptions } from '@pdask/core';
import type { DataFrame } from '../frame';
import { FrameLayer, opName, partitionKey } from '../graph';
import { collectPaths, writeCsvPart, type CsvWriteSpec } from '../ops/csv-write';
import { Scalar } from '../scalar';

export interface ToCsvOptions extends ComputeOptions {
  /** Field separator (default ','). */
  sep?: string;
}

export async function toCsv(df: DataFrame, pathPattern: string, opts: ToCsvOptions = {}): Promise<string[]> {
  const method = 'DataFrame.toCsv';
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
    const writes = paths.map((path, i) => taskNode(`${name}-write-${i}`, toOpRef(writeCsvPart), [ref(partitionKey(df.name, i)), lit({ path, sep, indexNames } satisfies CsvWriteSpec)]));
    return [...writes, taskNode(name, toOpRef(collectPaths), [{ t: 'arr', items: writes.map((w) => ref(w.key)) }])];
  });
  return new Scalar<string[]>(name, layerNode(layer, [df.layer])).compute(opts);
}
