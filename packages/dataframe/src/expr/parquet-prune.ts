/**
 * Row-group pruning of a Parquet read by Dask-style filters (`[['x', '>', 5]]`): a row group whose
 * footer statistics show that no row passes every filter is not read. Partitions stay those of
 * readParquet (a partition whose groups are all pruned reads no rows), so head() and divisions are
 * unchanged; the rows of the groups kept are then filtered exactly by the plan's Filter.
 */
import { statSync } from 'node:fs';
import { arr, layerNode, lit, ref, type LayerNode, type TaskNode } from '@pdask/core';
import type { FileMetaData } from 'hyparquet';
import { DataFrame } from '../frame';
import { FrameLayer, opName, partitionKey } from '../graph';
import { blocksizeOf, expandPaths } from '../io/glob';
import { readParquet, type ReadParquetOptions } from '../io/read-parquet';
import { dataframeOps } from '../ops/index';
import type { ParquetPiece } from '../ops/parquet-read';
import type { ParquetFilter } from './nodes';

function statNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** Whether some row of row group `g` may pass `f` (true when the statistics do not say). */
function mayPass(meta: FileMetaData, g: number, [column, op, value]: ParquetFilter): boolean {
  const chunk = meta.row_groups[g].columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === column);
  const s = chunk?.meta_data?.statistics;
  if (!s) return true;
  const min = statNumber(s.min_value ?? s.min);
  const max = statNumber(s.max_value ?? s.max);
  if (min === undefined || max === undefined) return true;
  switch (op) {
    case '>':
      return max > value;
    case '>=':
      return max >= value;
    case '<':
      return min < value;
    case '<=':
      return min <= value;
    case '==':
      return min <= value && value <= max;
  }
}

async function footer(path: string): Promise<FileMetaData> {
  const { asyncBufferFromFile, parquetMetadataAsync } = await import('hyparquet');
  return parquetMetadataAsync(await asyncBufferFromFile(path));
}

/** The row ranges [start, end) of the kept groups, adjacent groups joined. */
function keptRanges(meta: FileMetaData, groups: readonly number[], filters: readonly ParquetFilter[]): [number, number][] {
  const starts: number[] = [];
  let at = 0;
  for (const g of meta.row_groups) {
    starts.push(at);
    at += Number(g.num_rows);
  }
  const out: [number, number][] = [];
  for (const g of groups) {
    if (!filters.every((f) => mayPass(meta, g, f))) continue;
    const [s, e] = [starts[g], starts[g] + Number(meta.row_groups[g].num_rows)];
    const last = out[out.length - 1];
    if (last && last[1] === s) last[1] = e;
    else out.push([s, e]);
  }
  return out;
}

/**
 * readParquet with the row groups that the filters exclude left unread. The frame has the
 * partitions, divisions and columns of `readParquet(paths, options)`.
 */
export async function readParquetPruned(paths: string | readonly string[], options: ReadParquetOptions, filters: readonly ParquetFilter[]): Promise<DataFrame> {
  const full = await readParquet(paths, options);
  if (filters.length === 0) return full;
  const files = expandPaths('readParquet', paths);
  const blocksize = blocksizeOf('readParquet', options.blocksize);
  const metas = await Promise.all(files.map(footer));
  // The partitions of readParquet: a file, or one of its row groups when it is split.
  const parts: { path: string; meta: FileMetaData; groups: number[] }[] = [];
  files.forEach((path, f) => {
    const groups = metas[f].row_groups.map((_, g) => g);
    const split = options.splitRowGroups ?? statSync(path).size > blocksize;
    if (split && groups.length > 1) for (const g of groups) parts.push({ path, meta: metas[f], groups: [g] });
    else parts.push({ path, meta: metas[f], groups });
  });
  // Should readParquet partition otherwise, nothing is pruned rather than rows misplaced.
  if (parts.length !== full.npartitions) return full;
  const ranges = parts.map((p) => keptRanges(p.meta, p.groups, filters));
  if (parts.every((p) => p.groups.every((g) => filters.every((f) => mayPass(p.meta, g, f))))) return full;
  const index = full.meta.index;
  const indexed = options.index !== undefined;
  const columns = [...(index ? [index.levels[0].name as string] : []), ...full.meta.names];
  const types = [...(index ? [index.levels[0].type] : []), ...full.meta.types];
  const indexTypes = index ? index.levels.map((l) => l.type) : [];
  const name = opName('read-parquet-pruned', full.name, filters, ranges);
  const layer = new FrameLayer(name, 'read-parquet', function* (): Generator<TaskNode> {
    for (let i = 0; i < parts.length; i++) {
      const key = partitionKey(name, i);
      const pieces = (ranges[i].length ? ranges[i] : [[0, 0] as [number, number]]).map(([s, e]): ParquetPiece => ({ path: parts[i].path, rowStart: s, rowEnd: e, columns, types, indexed }));
      if (pieces.length === 1) {
        yield dataframeOps.readParquetPiece.task(key, lit(pieces[0]));
        continue;
      }
      const keys = pieces.map((_, j) => `${key}-piece-${j}`);
      for (let j = 0; j < pieces.length; j++) yield dataframeOps.readParquetPiece.task(keys[j], lit(pieces[j]));
      yield dataframeOps.stackParts.task(key, arr(keys.map((k) => ref(k))), lit(full.meta.names), lit(full.meta.types), lit(indexTypes));
    }
  });
  const node: LayerNode = layerNode(layer);
  return new DataFrame(name, parts.length, node, full.divisions, full.meta);
}
