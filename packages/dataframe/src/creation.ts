/** Making data frames from in-memory data: fromArrow, fromColumns (Dask's from_pandas), fromRecords. */
import { checkOptions, intAtLeast, layerNode, lit, tokenize, type OptionSchema } from '@pdask/core';
import type { Table, Vector } from 'apache-arrow';
import { FrameLayer, checkNpartitions, partitionKey } from './graph';
import { DataFrame } from './frame';
import { toVector, type ColumnInput } from './columns';
import { kernels } from './ops/kernels';
import { encodeBatch, type Part } from './ops/part';
import { packPartitions } from './creation-buffers';
import { recallPacked, rememberPacked, type Packed } from './columns-snapshot';
import { dataframeOps } from './ops/index';
import { INDEX_COLUMN, isIndexColumn } from './ops/spec';
import { describeType, type TypeDesc } from './ops/types';
import type { PlainValues } from './ops/plain-columns';
import { NOT_YET, refusing } from './options';
import type { Divisions, IndexMeta } from './base';
import { sortedDivisionLocations } from './index-ops/division-locations';
import { unknownColumn } from './meta';
import { keysOf, sortOrder, type SortKey } from './ops/sort';
import { takeRows } from './ops/values';
import { memorySource } from './expr/memory';
import { recordMemoryLayer } from './inline';

export interface PartitionOptions {
  /** Number of partitions (as Dask's from_pandas: rows are split in chunks of ceil(rows / npartitions)). */
  npartitions?: number;
  /** Rows per partition (instead of npartitions). */
  chunksize?: number;
  /**
   * Sort by the index and give known divisions (default true, as Dask's from_pandas). false keeps
   * the row order and leaves the divisions unknown.
   */
  sort?: boolean;
  /** A column to become the index (pandas' `df.set_index(col)` before from_pandas). */
  index?: string;
}

const PARTITION_OPTIONS: OptionSchema<PartitionOptions> = refusing<PartitionOptions>(
  { npartitions: intAtLeast(1), chunksize: intAtLeast(1), sort: 'boolean', index: 'string' },
  { name: NOT_YET },
);

/** Partition sizes as Dask's from_pandas makes them (the last one may be smaller, or fewer partitions). */
function chunkSizes(n: number, options: PartitionOptions, fn: string): number[] {
  const opts = checkOptions(fn, options, PARTITION_OPTIONS);
  if (opts.npartitions !== undefined && opts.chunksize !== undefined) throw new TypeError(`${fn}: give npartitions or chunksize, not both`);
  if (opts.npartitions === undefined && opts.chunksize === undefined) throw new TypeError(`${fn}: give npartitions or chunksize`);
  const chunk = opts.chunksize !== undefined ? checkNpartitions(opts.chunksize, fn, 'chunksize') : Math.max(1, Math.ceil(n / checkNpartitions(opts.npartitions, fn)));
  if (n === 0) return [0];
  return Array.from({ length: Math.ceil(n / chunk) }, (_, i) => Math.min(chunk, n - i * chunk));
}

function checkNames(names: readonly string[], fn: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (isIndexColumn(n)) throw new Error(`${fn}: column names starting with '${INDEX_COLUMN}' are reserved (got '${n}')`);
    if (seen.has(n)) throw new Error(`${fn}: duplicate column name '${n}'`);
    seen.add(n);
  }
}

/** The frame of some equal-length columns, split into partitions of rows. */
function fromVectors(names: readonly string[], vectors: readonly Vector[], opts: PartitionOptions, fn: string): DataFrame {
  checkNames(names, fn);
  const n = vectors.length ? vectors[0].length : 0;
  vectors.forEach((v, i) => {
    if (v.length !== n) throw new RangeError(`${fn}: column '${names[i]}' has ${v.length} rows, column '${names[0]}' has ${n}; columns must have equal lengths`);
  });
  if (opts?.index !== undefined) return indexedFromVectors(names, vectors, opts, fn);
  const types = vectors.map((v) => describeType(v.type));
  const sizes = chunkSizes(n, opts, fn);
  const views: Part[] = [];
  let at = 0;
  for (const s of sizes) {
    views.push(encodeBatch({ numRows: s, names, vectors: vectors.map((v) => v.slice(at, at + s)) }, true));
    at += s;
  }
  return frameOfParts(names, types, sizes, packPartitions(views, kernels()), opts);
}

/**
 * The frame of equal-length typed arrays of int32, float32 or float64 (no index column): the
 * partitions are made as encodeBatch makes them from Arrow vectors of those arrays, without the
 * vectors (building them cost a few percent of the seed's whole group-by).
 */
function fromPlainArrays(names: readonly string[], arrays: readonly PlainValues[], opts: PartitionOptions, fn: string): DataFrame {
  checkNames(names, fn);
  const n = arrays.length ? arrays[0].length : 0;
  arrays.forEach((a, i) => {
    if (a.length !== n) throw new RangeError(`${fn}: column '${names[i]}' has ${a.length} rows, column '${names[0]}' has ${n}; columns must have equal lengths`);
  });
  const types = arrays.map(plainType);
  const sizes = chunkSizes(n, opts, fn);
  const known = recallPacked(names, arrays, sizes);
  if (known) return frameOfParts(names, types, sizes, known, opts);
  const views: Part[] = [];
  let at = 0;
  for (const s of sizes) {
    const bufs = arrays.map((a) => a.subarray(at, at + s));
    views.push({ numRows: s, names: [...names], types, chunks: names.map((_, j) => [{ length: s, nullCount: 0, validity: undefined, values: j }]), bufs });
    at += s;
  }
  const packed = packPartitions(views, kernels());
  rememberPacked(names, arrays, sizes, packed);
  return frameOfParts(names, types, sizes, packed, opts);
}

const plainType = (a: PlainValues): TypeDesc => (a instanceof Int32Array ? { id: 'int', bits: 32, signed: true } : { id: 'float', bits: a instanceof Float64Array ? 64 : 32 });

const isPlainArray = (x: unknown): x is PlainValues => x instanceof Int32Array || x instanceof Float64Array || x instanceof Float32Array;

/** The frame of packed partitions (of `sizes` rows, creation-buffers.ts) of a range index. */
function frameOfParts(names: readonly string[], types: readonly TypeDesc[], sizes: readonly number[], { parts, hashes }: Packed, opts: PartitionOptions): DataFrame {
  const n = sizes.reduce((a, b) => a + b, 0);
  // Dask's divisions of a range index are the first label of each partition and the last label.
  const divisions = [0];
  for (const s of sizes) divisions.push(divisions[divisions.length - 1] + s);
  divisions[divisions.length - 1] = Math.max(0, n - 1);
  // One string: core's tokenize feeds each value of a structure to the hash separately, which cost
  // more than the rest of naming a small frame.
  const name = `from-arrow-${tokenize(JSON.stringify([names, types, sizes, hashes]))}`;
  // The partitions' buffers are known: what computing the frame gathers. (No LayerInfo block
  // sizes: the blocks already exist in this process, and a known block size makes every compute
  // that reads them ask the system for its free memory.)
  const bytes = parts.reduce((sum, p) => sum + p.bufs.reduce((a, b) => a + b.byteLength, 0), 0);
  const layer = new FrameLayer(name, 'from-arrow', function* () {
    for (let i = 0; i < parts.length; i++) yield dataframeOps.passPart.task(partitionKey(name, i), lit(parts[i]));
  });
  return memorySource(new DataFrame(name, parts.length, recordMemoryLayer(layerNode(layer), bytes), opts.sort === false ? null : divisions, { names: [...names], types, index: null }, bytes), parts);
}

/** Partitions of the given row ranges as a frame's source layer (the index, when any, first). */
function frameOfRanges(names: readonly string[], vectors: readonly Vector[], locations: readonly number[], divisions: Divisions, index: IndexMeta | null): DataFrame {
  const views: Part[] = [];
  for (let i = 0; i + 1 < locations.length; i++) {
    const [a, b] = [locations[i], locations[i + 1]];
    views.push(encodeBatch({ numRows: b - a, names, vectors: vectors.map((v) => v.slice(a, b)) }, true));
  }
  const { parts, hashes } = packPartitions(views, kernels());
  const types = vectors.map((v) => describeType(v.type));
  const name = `from-arrow-${tokenize(JSON.stringify([names, types, locations, hashes]), divisions)}`;
  const bytes = parts.reduce((sum, p) => sum + p.bufs.reduce((a, b) => a + b.byteLength, 0), 0);
  const layer = new FrameLayer(name, 'from-arrow', function* () {
    for (let i = 0; i < parts.length; i++) yield dataframeOps.passPart.task(partitionKey(name, i), lit(parts[i]));
  });
  const cols = index ? names.slice(1) : names;
  return memorySource(new DataFrame(name, parts.length, recordMemoryLayer(layerNode(layer), bytes), divisions, { names: [...cols], types: index ? types.slice(1) : types, index }, bytes), parts);
}

/**
 * A frame indexed by one of the columns. Sorted (the default), rows are ordered by the index
 * (stably) and cut as Dask's from_pandas cuts a sorted index, so equal labels share a partition
 * and the divisions are known; unsorted, the row order stays and divisions are unknown.
 */
function indexedFromVectors(names: readonly string[], vectors: readonly Vector[], opts: PartitionOptions, fn: string): DataFrame {
  chunkSizes(0, opts, fn);
  const col = opts.index!;
  if (!names.includes(col)) throw unknownColumn(fn, col, names);
  const at = names.indexOf(col);
  const order = [at, ...names.map((_, i) => i).filter((i) => i !== at)];
  const outNames = [INDEX_COLUMN, ...order.slice(1).map((i) => names[i])];
  let outVectors = order.map((i) => vectors[i]);
  const t = describeType(outVectors[0].type);
  if (t.id === 'dict') throw new TypeError(`${fn}: the index column '${col}' is a category; give it as strings`);
  const index: IndexMeta = { levels: [{ type: t, name: col }] };
  const n = outVectors[0].length;
  if (opts.sort === false || n === 0) {
    const sizes = n === 0 ? [0] : chunkSizes(n, opts, fn);
    const locations = sizes.reduce((acc, s) => [...acc, acc[acc.length - 1] + s], [0]);
    return frameOfRanges(outNames, outVectors, locations, null, index);
  }
  const keys = keysOf(outVectors[0]);
  const missing = keys.indexOf(null);
  if (missing >= 0) throw new Error(`${fn}: the index column '${col}' has a missing value (row ${missing}); a sorted index cannot hold it (drop those rows, or give sort: false)`);
  const rows = sortOrder(keys, true);
  if (!rows.every((r, i) => r === i)) outVectors = outVectors.map((v) => takeRows(v, rows));
  const sorted = Array.from(rows, (r) => keys[r] as SortKey);
  const { divisions, locations } = sortedDivisionLocations(sorted, opts.npartitions !== undefined ? { npartitions: opts.npartitions } : { chunksize: opts.chunksize });
  return frameOfRanges(outNames, outVectors, locations, divisions, index);
}

/** A frame of the rows of an Arrow table, split into partitions. */
export function fromArrow(table: Table, opts: PartitionOptions): DataFrame {
  if (!table || typeof table !== 'object' || !('schema' in table) || typeof table.getChildAt !== 'function') throw new TypeError('fromArrow: expected an apache-arrow Table');
  const names = table.schema.fields.map((f) => f.name);
  return fromVectors(names, names.map((_, i) => table.getChildAt(i)!), opts, 'fromArrow');
}

/**
 * A frame from columns of data (the twin of `dd.from_pandas(pd.DataFrame({...}), npartitions)`):
 * `fromColumns({ x: Int32Array, y: Float64Array, name: ['a', 'b'] }, { npartitions: 4 })`.
 */
export function fromColumns(columns: Record<string, ColumnInput>, opts: PartitionOptions): DataFrame {
  return columnsFrame(columns, opts, 'fromColumns');
}

function columnsFrame(columns: Record<string, ColumnInput>, opts: PartitionOptions, fn: string): DataFrame {
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) throw new TypeError(`${fn}: expected an object of column name → values`);
  const names = Object.keys(columns);
  const values = names.map((n) => columns[n]);
  if (opts?.index === undefined && values.every(isPlainArray)) return fromPlainArrays(names, values, opts, fn);
  return fromVectors(names, names.map((n, i) => toVector(n, values[i], fn)), opts, fn);
}

/** A frame from an array of row objects; columns are the keys of all rows, in first-seen order. */
export function fromRecords(records: readonly Record<string, number | string | boolean | null | undefined>[], opts: PartitionOptions): DataFrame {
  if (!Array.isArray(records)) throw new TypeError('fromRecords: expected an array of objects');
  const names: string[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new TypeError(`fromRecords: record ${i} is not an object`);
    for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), names.push(k));
  });
  const columns: Record<string, ColumnInput> = {};
  for (const n of names) columns[n] = records.map((r) => r[n] ?? null) as ColumnInput;
  return columnsFrame(columns, opts, 'fromRecords');
}
