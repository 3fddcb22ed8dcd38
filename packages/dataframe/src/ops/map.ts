/**
 * mapPartitions (Dask's map_partitions): a user function applied to each partition, seen as a
 * LocalFrame or LocalSeries; its result is brought to the declared (or inferred) meta so that every
 * partition has the columns and types the lazy collection announced.
 */
import { type OpFunction } from '@pdask/core';
import type { LocalFrame } from '../local/frame';
import type { LocalSeries } from '../local/series';
import { castVector } from './cast';
import { localFrameOf, localSeriesOf, returnedBatch, type ReturnedBatch } from './local';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { findColumn } from './frame';
import { indexColumnsOf, isIndexColumn } from './spec';
import type { TypeDesc } from './types';

/** An argument of the user function: a value as is, or a partition of a frame/series. */
export type MapArg =
  | { t: 'value'; value: unknown }
  | { t: 'frame'; part: Part; indexNames: readonly (string | null)[] }
  | { t: 'series'; part: Part; column: string; name: string | null; indexNames: readonly (string | null)[] };

/** What every output partition must hold. */
export type MapOut = { kind: 'frame'; names: readonly string[]; types: readonly TypeDesc[] } | { kind: 'series'; column: string; type: TypeDesc };

export function localArg(a: MapArg): unknown {
  if (a.t === 'value') return a.value;
  const b = decodePart(a.part);
  return a.t === 'frame' ? localFrameOf([b], a.indexNames) : localSeriesOf([b], a.column, a.name, a.indexNames);
}

/** Calls the user function on one partition and reads what it returned. */
export function callUser(fn: OpFunction, fnName: string, input: MapArg, args: readonly MapArg[]): ReturnedBatch {
  const result = fn(localArg(input), ...args.map(localArg)) as LocalFrame | LocalSeries | unknown;
  return returnedBatch(result, `mapPartitions: ${fnName}`);
}

const list = (xs: readonly string[]): string => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

/** The returned partition with the meta's columns, in its order and types (index columns kept). */
export function conform(r: ReturnedBatch, out: MapOut, fnName: string): Part {
  const method = `mapPartitions (${fnName})`;
  const b = r.batch;
  const idx = indexColumnsOf(b.names);
  const cols = b.names.filter((n) => !isIndexColumn(n));
  const idxVectors = idx.map((c) => findColumn(b, c));
  if (out.kind === 'series') {
    if (cols.length !== 1) throw new Error(`${method}: the function returned a frame of columns ${list(cols)} where its meta is a series; return one column or a LocalSeries`);
    const v = castVector(findColumn(b, cols[0]), out.type, cols[0], method);
    return encodeBatch(batchOf([...idx, out.column], [...idxVectors, v]));
  }
  if (r.kind === 'series') throw new Error(`${method}: the function returned a series where its meta is a frame of columns ${list(out.names)}`);
  const missing = out.names.filter((n) => !cols.includes(n));
  const extra = cols.filter((n) => !out.names.includes(n));
  if (missing.length || extra.length) {
    throw new Error(`${method}: the function returned columns ${list(cols)}, but its meta has ${list(out.names)}${missing.length ? `; missing ${list(missing)}` : ''}${extra.length ? `; unexpected ${list(extra)}` : ''}`);
  }
  const vectors = out.names.map((n, j) => castVector(findColumn(b, n), out.types[j], n, method));
  return encodeBatch(batchOf([...idx, ...out.names], [...idxVectors, ...vectors]));
}

export const mapPartition = (fn: OpFunction, fnName: string, input: MapArg, args: readonly MapArg[], out: MapOut): Part =>
  conform(callUser(fn, fnName, input, args), out, fnName);
