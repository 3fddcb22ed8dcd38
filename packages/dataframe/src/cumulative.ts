/**
 * Lazy cumulative operations (cumsum, cumprod, cummin, cummax), shift, diff and tail: per-partition
 * tasks plus a chain of small tasks carrying what the neighbouring partitions contribute (Dask's
 * `_cum_agg` and `map_overlap`). Index and divisions are kept.
 */
import { arr, checkOptions, layerNode, lit, ref, type ArgSpec, type ComputeOptions, type OptionSchema, type TaskNode } from '@pdask/core';
import { DataFrame } from './frame';
import { FrameLayer, opName, partitionKey } from './graph';
import { isNumericDesc } from './meta';
import type { CumOp } from './ops/cumulative';
import { dataframeOps } from './ops/index';
import type { TypeDesc } from './ops/types';
import { checkWithCompute } from './options';
import { Series } from './series';

type Lazy = DataFrame | Series;

const F64: TypeDesc = { id: 'float', bits: 64 };

export interface CumulativeOptions {
  /** Skip missing values (default true, as pandas): false makes everything after a NaN NaN. */
  skipna?: boolean;
}

const CUMULATIVE_OPTIONS: OptionSchema<CumulativeOptions> = { skipna: 'boolean' };

/** The columns an operation works on, with their types: a frame's, or the series' one. */
function columnsOf(c: Lazy): { names: string[]; types: TypeDesc[] } {
  if (c instanceof DataFrame) return { names: c.columns, types: c.columns.map((n) => c.typeOf(n)) };
  return { names: [c.seriesName], types: [c.typeDesc] };
}

function numericOnly(c: Lazy, method: string): { names: string[]; types: TypeDesc[] } {
  const cols = columnsOf(c);
  cols.names.forEach((n, j) => {
    if (!isNumericDesc(cols.types[j])) throw new TypeError(`${method}: column '${n}' has dtype ${c instanceof DataFrame ? c.dtypes[n] : c.dtype}, not a number${c instanceof DataFrame ? '; select the numeric columns first' : ''}`);
  });
  return cols;
}

/** The same kind of collection with new column types, over another layer. */
function remade<C extends Lazy>(c: C, name: string, layer: FrameLayer, types: readonly TypeDesc[]): C {
  const node = layerNode(layer, [c.layer]);
  if (c instanceof DataFrame) return new DataFrame(name, c.npartitions, node, c.divisions, { ...c.meta, types: [...types] }) as C;
  const s = c as Series;
  return new Series(name, s.npartitions, node, s.divisions, { ...s.meta, type: types[0] }) as C;
}

export function cumulative<C extends Lazy>(c: C, op: CumOp, opts: CumulativeOptions | undefined, method: string): C {
  const { skipna = true } = checkOptions(method, opts, CUMULATIVE_OPTIONS);
  const { names, types } = numericOnly(c, method);
  // pandas: sums and products of integers and booleans are int64; pdask gives float64 (README).
  const outTypes = types.map((t) => (op === 'cummin' || op === 'cummax' ? t : F64));
  const name = opName(op, c.name, skipna);
  const n = c.npartitions;
  const local = (i: number) => `${name}-local-${i}`;
  const carry = (i: number) => `${name}-carry-${i}`;
  const layer = new FrameLayer(name, op, function* (): Generator<TaskNode> {
    for (let i = 0; i < n; i++) yield dataframeOps.cumulativePart.task(local(i), ref(partitionKey(c.name, i)), lit(names), lit(op), lit(skipna));
    // The carry into partition i folds partition i-1's own values into the carry into i-1.
    for (let i = 1; i < n; i++) yield dataframeOps.cumulativeCarry.task(carry(i), i === 1 ? lit(null) : ref(carry(i - 1)), ref(local(i - 1)), lit(names), lit(op), lit(skipna));
    for (let i = 0; i < n; i++) yield dataframeOps.cumulativeApply.task(partitionKey(name, i), ref(local(i)), lit(names), lit(op), i === 0 ? lit(null) : ref(carry(i)), lit(outTypes));
  });
  return remade(c, name, layer, outTypes);
}

function checkPeriods(n: unknown, method: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`${method}: periods must be an integer, got ${typeof n === 'number' ? n : typeof n}`);
  return n;
}

/**
 * shift(n) / diff(n): partition i reads the rows it needs from its neighbours through a chain of
 * edges (the last n rows before it, or the first -n after it), however short the partitions are.
 */
export function shifted<C extends Lazy>(c: C, periods: number, mode: 'shift' | 'diff', method: string): C {
  const n = checkPeriods(periods, method);
  const { names, types } = mode === 'diff' ? numericOnly(c, method) : columnsOf(c);
  if (mode === 'diff') {
    const bool = names.find((_, j) => types[j].id === 'bool');
    if (bool !== undefined) throw new TypeError(`${method}: column '${bool}' is bool; pandas' diff of booleans is not a number (convert with astype('int32') first)`);
  }
  // Integers get NaN where nothing moves in, so they become float64 (as pandas); so does a diff.
  const outTypes = types.map((t) => (mode === 'diff' || t.id === 'int' ? F64 : t));
  if (mode === 'shift' && n === 0) return c;
  const name = opName(mode, c.name, n);
  const parts = c.npartitions;
  const edge = (i: number) => `${name}-edge-${i}`;
  const layer = new FrameLayer(name, mode, function* (): Generator<TaskNode> {
    // edge(i): the rows partition i reads from the partitions before it (n > 0) or after it (n < 0).
    if (n > 0) for (let i = 1; i < parts; i++) yield dataframeOps.shiftEdge.task(edge(i), i === 1 ? lit(null) : ref(edge(i - 1)), ref(partitionKey(c.name, i - 1)), lit(names), lit(n));
    if (n < 0) for (let i = parts - 2; i >= 0; i--) yield dataframeOps.shiftEdge.task(edge(i), i === parts - 2 ? lit(null) : ref(edge(i + 1)), ref(partitionKey(c.name, i + 1)), lit(names), lit(n));
    for (let i = 0; i < parts; i++) {
      const hasEdge = (n > 0 && i > 0) || (n < 0 && i < parts - 1);
      yield dataframeOps.shiftPart.task(partitionKey(name, i), ref(partitionKey(c.name, i)), hasEdge ? ref(edge(i)) : lit(null), lit(names), lit(n), lit(mode), lit(outTypes));
    }
  });
  return remade(c, name, layer, outTypes);
}

export interface TailOptions extends ComputeOptions {
  /** How many partitions to read from, counting from the last (default 1, as Dask; -1 for all). */
  npartitions?: number;
}

const TAIL_OPTIONS: OptionSchema<Omit<TailOptions, keyof ComputeOptions>> = {
  npartitions: (v) => (v === -1 || (Number.isInteger(v) && (v as number) >= 1) ? undefined : 'a positive integer, or -1 for all'),
};

/** The last n rows of the last partition(s), as a one-partition collection of the same kind (Dask's tail). */
export function tailOf<C extends Lazy>(c: C, n: number, opts: TailOptions | undefined, method: string): { rows: C; compute: ComputeOptions } {
  const { own, compute } = checkWithCompute<TailOptions>(method, opts, TAIL_OPTIONS);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${method}: n must be a non-negative integer, got ${String(n)}`);
  const k = own.npartitions === -1 ? c.npartitions : (own.npartitions ?? 1);
  if (k > c.npartitions) throw new RangeError(`${method}: npartitions is ${k} but the collection has only ${c.npartitions} partitions`);
  const name = opName('tail', c.name, n, k);
  const from = c.npartitions - k;
  const inputs: ArgSpec = arr(Array.from({ length: k }, (_, j) => ref(partitionKey(c.name, from + j))));
  const layer = new FrameLayer(name, 'tail', () => [dataframeOps.tailRows.task(partitionKey(name, 0), inputs, lit(n))]);
  const node = layerNode(layer, [c.layer]);
  // Dask: the divisions of the partitions read.
  const divisions = c.divisions ? c.divisions.slice(from).filter((_, j, all) => j === 0 || j === all.length - 1) : null;
  const rows = c instanceof DataFrame ? new DataFrame(name, 1, node, divisions, c.meta) : new Series(name, 1, node, divisions, (c as Series).meta);
  return { rows: rows as C, compute };
}
