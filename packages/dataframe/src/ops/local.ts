/**
 * Partitions as the eager objects users see (LocalFrame/LocalSeries), and back: what finalize
 * hands the caller and what a user function of mapPartitions receives and returns.
 */
import { DataType, type Vector } from 'apache-arrow';
import { toVector } from '../columns';
import { LocalFrame } from '../local/frame';
import { LocalSeries } from '../local/series';
import { batchOf, type Batch } from './part';
import { findColumn } from './frame';
import { indexColumn, indexColumnsOf, isIndexColumn } from './spec';

export function concatColumn(batches: readonly Batch[], name: string): Vector {
  return batches.map((b) => findColumn(b, name)).reduce((a, v) => a.concat(v));
}

export function localFrameOf(batches: readonly Batch[], indexNames: readonly (string | null)[]): LocalFrame {
  const names = batches[0].names.filter((n) => !isIndexColumn(n));
  const numRows = batches.reduce((a, b) => a + b.numRows, 0);
  const levels = indexColumnsOf(batches[0].names).map((c) => concatColumn(batches, c));
  return new LocalFrame(names, names.map((n) => concatColumn(batches, n)), numRows, levels, indexNames);
}

export function localSeriesOf(batches: readonly Batch[], column: string, name: string | null, indexNames: readonly (string | null)[]): LocalSeries {
  const levels = indexColumnsOf(batches[0].names).map((c) => concatColumn(batches, c));
  return new LocalSeries(concatColumn(batches, column), name, levels, indexNames);
}

/** A partition made from what a user function returned, and what kind of thing it was. */
export interface ReturnedBatch {
  kind: 'frame' | 'series';
  batch: Batch;
  indexNames: (string | null)[];
  /** The series' name (kind 'series'). */
  name?: string | null;
}

/** The column holding a returned series' values. */
export const SERIES_VALUES = 'values';

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object' && typeof (x as { then?: unknown }).then === 'function') return 'a Promise (the function must return its result synchronously)';
  if (typeof x === 'object') return `an object of class ${(x as object).constructor?.name ?? '(none)'}`;
  return `${typeof x} ${String(x)}`;
}

// Duck-typed, not instanceof: the caller's copy of these classes may come from another bundle
// (ESM vs CommonJS entry points) than the one running the task.
const isLocalFrame = (x: object): x is LocalFrame => Array.isArray((x as LocalFrame).columns) && Array.isArray((x as LocalFrame).vectors) && 'indexLevels' in x;
const isLocalSeries = (x: object): x is LocalSeries => 'values' in x && 'indexLevels' in x && typeof (x as LocalSeries).at === 'function';
const isTable = (x: object): x is { schema: { fields: { name: string }[] }; getChildAt(i: number): Vector | null } =>
  'schema' in x && typeof (x as { getChildAt?: unknown }).getChildAt === 'function';
const isPlainObject = (x: object): x is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
};
const isVector = (x: unknown): x is Vector => x instanceof Object && 'data' in x && 'type' in x && (x as Vector).type instanceof DataType;

function levelsBatch(levels: readonly Vector[], names: readonly string[], vectors: readonly Vector[]): Batch {
  return batchOf([...levels.map((_, j) => indexColumn(j)), ...names], [...levels, ...vectors]);
}

/**
 * The partition of a user function's result: a LocalFrame, a LocalSeries, an Arrow Table or Vector,
 * an object of columns (as fromColumns takes) or an array of values (a series); anything else
 * fails naming `what` returned it.
 */
export function returnedBatch(x: unknown, what: string): ReturnedBatch {
  if (Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView))) {
    return { kind: 'series', batch: batchOf([SERIES_VALUES], [toVector(SERIES_VALUES, x, what)]), indexNames: [], name: null };
  }
  if (typeof x === 'object' && x !== null) {
    if (isLocalFrame(x)) return { kind: 'frame', batch: levelsBatch(x.indexLevels, x.columns, x.vectors), indexNames: [...x.indexNames] };
    if (isLocalSeries(x)) return { kind: 'series', batch: levelsBatch(x.indexLevels, [SERIES_VALUES], [x.values]), indexNames: [...x.indexNames], name: x.name };
    if (isVector(x)) return { kind: 'series', batch: batchOf([SERIES_VALUES], [x]), indexNames: [], name: null };
    if (isTable(x)) {
      const names = x.schema.fields.map((f) => f.name);
      return { kind: 'frame', batch: batchOf(names, names.map((_, i) => x.getChildAt(i)!)), indexNames: [] };
    }
    if (isPlainObject(x) && !Array.isArray(x)) {
      const names = Object.keys(x);
      return { kind: 'frame', batch: batchOf(names, names.map((n) => toVector(n, x[n], what))), indexNames: [] };
    }
  }
  throw new TypeError(`${what} returned ${describe(x)}; expected a LocalFrame, a LocalSeries, an Arrow Table or Vector, an object of columns ({ name: values }) or an array of values`);
}
