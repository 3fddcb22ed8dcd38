/**
 * Work on whole groups after a shuffle (Dask's groupby apply/transform): rows are hash-partitioned
 * by key, so each group is whole in one partition, and a user function sees each group once.
 * transform marks each row with its partition and position first, and puts the results back in the
 * frame's partitions and row order afterwards, so they are aligned with the frame, as pandas'.
 */
import { makeVector, type Vector } from 'apache-arrow';
import type { OpFunction } from '@pdask/core';
import { findColumn } from './frame';
import { cellsVector, keyOrder, rowGroups, type Cell } from './group-cells';
import { localFrameOf, returnedBatch } from './local';
import { conform, type MapOut } from './map';
import { batchOf, decodePart, encodeBatch, type Batch, type Part } from './part';
import { concatPieces } from './shuffle';
import { indexColumn, indexColumnsOf } from './spec';
import type { TypeDesc } from './types';
import { takeRows, toFloat64 } from './values';
import { windowValue, type WindowAgg } from './window';

export const TAG_PART = '__pdask_part__';
export const TAG_ROW = '__pdask_row__';
/** Columns a series key adds to the frame (groupby/keys.ts): hidden from user functions. */
const isHidden = (n: string): boolean => n.startsWith('__pdask_by') || n === TAG_PART || n === TAG_ROW;

export const tagRows = (part: Part, i: number): Part => {
  const b = decodePart(part);
  const p = makeVector(new Int32Array(b.numRows).fill(i));
  const r = makeVector(Int32Array.from({ length: b.numRows }, (_, j) => j));
  return encodeBatch(batchOf([...b.names, TAG_PART, TAG_ROW], [...b.vectors, p, r]));
};

/** A shuffled partition's rows split by the input partition they came from (n pieces). */
export const splitByTag = (part: Part, n: number): Part[] => {
  const b = decodePart(part);
  const tags = toFloat64(findColumn(b, TAG_PART));
  const rows: number[][] = Array.from({ length: n }, () => []);
  tags.forEach((t, i) => rows[t].push(i));
  return rows.map((r) => {
    const idx = Int32Array.from(r);
    return encodeBatch(batchOf(b.names, b.vectors.map((v) => takeRows(v, idx))));
  });
};

/** One input partition's rows back from the pieces, in their original order, without the tags. */
export const gatherTagged = (pieces: readonly Part[]): Part => {
  const b = concatPieces(pieces);
  const pos = toFloat64(findColumn(b, TAG_ROW));
  const order = Int32Array.from({ length: b.numRows }, (_, i) => i).sort((x, y) => pos[x] - pos[y]);
  const keep = b.names.map((n, j) => [n, j] as const).filter(([n]) => n !== TAG_PART && n !== TAG_ROW);
  return encodeBatch(batchOf(keep.map(([n]) => n), keep.map(([, j]) => takeRows(b.vectors[j], order))));
};

export type TransformName = WindowAgg | 'first' | 'last' | 'size';

export interface TransformSpec {
  by: string[];
  dropna: boolean;
  column: string;
  out: string;
  outType: TypeDesc;
  /** A built-in aggregation broadcast to the group's rows; null: the user function. */
  name: TransformName | null;
  ddof: number;
}

function builtin(vals: Float64Array, name: TransformName, ddof: number): number {
  if (name === 'size') return vals.length;
  if (name === 'first' || name === 'last') {
    const ok = Array.from(vals).filter((x) => x === x);
    return ok.length ? ok[name === 'first' ? 0 : ok.length - 1] : NaN;
  }
  return windowValue(vals, 0, vals.length, { agg: name, minPeriods: 0, ddof }, null);
}

/** Groups of a batch's rows (by position): the groups' keys and each group's rows in order. */
function groupsOf(b: Batch, by: readonly string[], dropna: boolean): { keys: Cell[][]; rows: Int32Array[] } {
  const g = rowGroups(by.map((k) => findColumn(b, k)), dropna);
  const lists: number[][] = g.keys.map(() => []);
  g.codes.forEach((c, i) => c >= 0 && lists[c].push(i));
  return { keys: g.keys, rows: lists.map((l) => Int32Array.from(l)) };
}

/** Each row's transform result: the group's statistic, or the user function's value for it. */
export const groupTransformPart = (part: Part, spec: TransformSpec, fn: OpFunction | null): Part => {
  const b = decodePart(part);
  const vals = toFloat64(findColumn(b, spec.column));
  const out = new Float64Array(b.numRows).fill(NaN);
  for (const rows of groupsOf(b, spec.by, spec.dropna).rows) {
    const v = Float64Array.from(rows, (i) => vals[i]);
    if (spec.name !== null) {
      const x = builtin(v, spec.name, spec.ddof);
      for (const i of rows) out[i] = x;
      continue;
    }
    const r = fn!(v) as unknown;
    if (typeof r === 'number') {
      for (const i of rows) out[i] = r;
    } else if (r !== null && typeof r === 'object' && typeof (r as ArrayLike<number>).length === 'number') {
      const a = r as ArrayLike<number | null>;
      if (a.length !== rows.length) throw new RangeError(`transform: the function returned ${a.length} values for a group of ${rows.length} rows; return one value per row, or one number`);
      rows.forEach((i, j) => (out[i] = a[j] === null ? NaN : Number(a[j])));
    } else throw new TypeError(`transform: the function returned ${r === null ? 'null' : typeof r}; return an array of one value per row of the group, or one number`);
  }
  const keep = [...indexColumnsOf(b.names), TAG_PART, TAG_ROW];
  return encodeBatch(batchOf([...keep, spec.out], [...keep.map((n) => findColumn(b, n)), cellsVector(Array.from(out, (x) => (x !== x ? null : x)), spec.outType)]));
};

export interface ApplySpec {
  by: string[];
  dropna: boolean;
  /** The names of the frame's index levels (what the user function's frames show). */
  indexNames: (string | null)[];
  keyTypes: TypeDesc[];
  /** 'scalar': one value per group (a series indexed by key); else the rows returned, stacked. */
  out: { kind: 'scalar'; column: string; type: TypeDesc } | MapOut;
}

/** fn on each group of the partition (as a LocalFrame), groups in key order. */
export const groupApplyPart = (part: Part, spec: ApplySpec, fn: OpFunction, fnName: string): Part => {
  const b = decodePart(part);
  const { keys, rows } = groupsOf(b, spec.by, spec.dropna);
  const order = keyOrder(keys);
  const visible = b.names.map((n, j) => [n, j] as const).filter(([n]) => !isHidden(n));
  const levels = spec.keyTypes.map((_, j) => indexColumn(j));
  if (spec.out.kind === 'scalar') {
    const values: Cell[] = order.map((g) => {
      const r = call(fn, fnName, b, visible, rows[g], spec.indexNames);
      if (r !== null && typeof r !== 'number' && typeof r !== 'string' && typeof r !== 'boolean' && typeof r !== 'bigint') throw new TypeError(`apply: ${fnName} returned ${typeof r} for a group where its meta says one value per group; give meta as { column: dtype } for frames`);
      return typeof r === 'number' && r !== r ? null : (r as Cell);
    });
    const vecs = spec.keyTypes.map((t, j) => cellsVector(order.map((g) => keys[g][j]), t));
    return encodeBatch(batchOf([...levels, spec.out.column], [...vecs, cellsVector(values, spec.out.type)]));
  }
  const pieces: Batch[] = [];
  for (const g of order) {
    const r = call(fn, fnName, b, visible, rows[g], spec.indexNames);
    const conformed = decodePart(conform(returnedBatch(r, `apply: ${fnName}`), spec.out, fnName));
    const own = conformed.names.filter((n) => !n.startsWith(indexColumn(0)));
    const m = conformed.numRows;
    const keyVecs: Vector[] = spec.keyTypes.map((t, j) => cellsVector(new Array<Cell>(m).fill(keys[g][j]), t));
    pieces.push(batchOf([...levels, ...own], [...keyVecs, ...own.map((n) => findColumn(conformed, n))]));
  }
  if (pieces.length === 0) {
    const names = spec.out.kind === 'frame' ? spec.out.names : [spec.out.column];
    const types = spec.out.kind === 'frame' ? spec.out.types : [spec.out.type];
    return encodeBatch(batchOf([...levels, ...names], [...spec.keyTypes.map((t) => cellsVector([], t)), ...types.map((t) => cellsVector([], t))]));
  }
  return encodeBatch(concatPieces(pieces.map((p) => encodeBatch(p))));
};

function call(fn: OpFunction, fnName: string, b: Batch, visible: readonly (readonly [string, number])[], rows: Int32Array, indexNames: readonly (string | null)[]): unknown {
  const sub = batchOf(visible.map(([n]) => n), visible.map(([, j]) => takeRows(b.vectors[j], rows)));
  const r = fn(localFrameOf([sub], indexNames)) as unknown;
  if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') throw new TypeError(`apply: ${fnName} returned a Promise; it must return its result synchronously`);
  return r;
}

