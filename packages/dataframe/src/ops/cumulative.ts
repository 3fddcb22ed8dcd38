/**
 * Operations along the rows that need the neighbouring partitions: cumulative sums, products,
 * minima and maxima (each partition cumulates alone, then the carry of everything before it is
 * folded in, as Dask's `_cum_agg`), and shift/diff (each partition reads the rows it shifts in
 * from the partitions before or after it, as Dask's `map_overlap`).
 */
import { makeVector, type Vector } from 'apache-arrow';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Batch, type Part } from './part';
import { numbersAs } from './results';
import { isIndexColumn } from './spec';
import { isNumericType, type TypeDesc } from './types';
import { takeRows, toFloat64 } from './values';

export type CumOp = 'cumsum' | 'cumprod' | 'cummin' | 'cummax';

const STEP: Record<CumOp, (acc: number, x: number) => number> = {
  cumsum: (a, x) => a + x,
  cumprod: (a, x) => a * x,
  // NaN never reaches these: missing values are handled before the step.
  cummin: (a, x) => (x < a ? x : a),
  cummax: (a, x) => (x > a ? x : a),
};

/** What the rows before a partition contribute: their cumulative value (null: none yet), and whether a NaN cut it off (skipna: false). */
export interface Carry {
  value: number | null;
  poisoned: boolean;
}

function cumulate(x: Float64Array, op: CumOp, skipna: boolean): Float64Array {
  const step = STEP[op];
  const out = new Float64Array(x.length);
  let acc: number | null = null;
  let poisoned = false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (poisoned || v !== v) {
      out[i] = NaN;
      if (!skipna) poisoned = true;
      continue;
    }
    acc = acc === null ? v : step(acc, v);
    out[i] = acc;
  }
  return out;
}

function replaceColumns(b: Batch, columns: readonly string[], make: (v: Vector, column: string, j: number) => Vector): Part {
  const vectors = b.names.map((n, i) => {
    const j = columns.indexOf(n);
    return j < 0 || isIndexColumn(n) ? b.vectors[i] : make(b.vectors[i], n, j);
  });
  return encodeBatch(batchOf(b.names, vectors));
}

function numbersOf(v: Vector, column: string, what: string): Float64Array {
  if (!isNumericType(v.type)) throw new TypeError(`${what}: column '${column}' has dtype ${String(v.type)}, not a number`);
  return toFloat64(v);
}

/** Each partition's own cumulative values (float64; the carry is applied by cumulativeApply). */
export const cumulativePart = (part: Part, columns: readonly string[], op: CumOp, skipna: boolean): Part =>
  replaceColumns(decodePart(part), columns, (v, c) => makeVector(cumulate(numbersOf(v, c, op), op, skipna)));

/** The carry after a partition: the carry before it with the partition's own cumulative values folded in. */
export const cumulativeCarry = (before: readonly Carry[] | null, local: Part, columns: readonly string[], op: CumOp, skipna: boolean): Carry[] => {
  const b = decodePart(local);
  return columns.map((c, j) => {
    const x = toFloat64(findColumn(b, c));
    const prev = before?.[j] ?? { value: null, poisoned: false };
    let last: number | null = null;
    let poisoned = prev.poisoned;
    if (skipna) {
      for (let i = x.length - 1; i >= 0; i--) if (x[i] === x[i]) { last = x[i]; break; }
    } else if (x.length > 0) {
      if (x[x.length - 1] !== x[x.length - 1]) poisoned = true;
      else last = x[x.length - 1];
    }
    const value = last === null ? prev.value : prev.value === null ? last : STEP[op](prev.value, last);
    return { value, poisoned };
  });
};

/** The partition's cumulative values with the carry of the rows before it, in the result's dtypes. */
export const cumulativeApply = (local: Part, columns: readonly string[], op: CumOp, carry: readonly Carry[] | null, types: readonly TypeDesc[]): Part =>
  replaceColumns(decodePart(local), columns, (v, _c, j) => {
    const x = toFloat64(v);
    const k = carry?.[j];
    if (k && k.poisoned) x.fill(NaN);
    else if (k && k.value !== null) {
      const step = STEP[op];
      for (let i = 0; i < x.length; i++) if (x[i] === x[i]) x[i] = step(k.value, x[i]);
    }
    return numbersAs(x, types[j]);
  });

/** A batch of some columns only. */
function columnsOf(b: Batch, columns: readonly string[]): Batch {
  return batchOf(columns, columns.map((c) => findColumn(b, c)));
}

function concatBatches(x: Batch, y: Batch): Batch {
  return batchOf(x.names, x.vectors.map((v, i) => (x.numRows === 0 ? y.vectors[i] : y.numRows === 0 ? v : v.concat(y.vectors[i]))));
}

const sliceBatch = (b: Batch, from: number, to: number): Batch => batchOf(b.names, b.vectors.map((v) => v.slice(from, to)));

/**
 * The rows a partition's neighbour shifts in: for n > 0 the last n rows of everything before
 * partition i+1 (`edge` is what came before partition i), for n < 0 the first -n rows of everything
 * after partition i-1. Read through as many partitions as it takes (short or empty ones included).
 */
export const shiftEdge = (edge: Part | null, part: Part, columns: readonly string[], n: number): Part => {
  const own = columnsOf(decodePart(part), columns);
  if (n > 0) {
    const all = edge ? concatBatches(decodePart(edge), own) : own;
    return encodeBatch(sliceBatch(all, Math.max(0, all.numRows - n), all.numRows));
  }
  const all = edge ? concatBatches(own, decodePart(edge)) : own;
  return encodeBatch(sliceBatch(all, 0, Math.min(all.numRows, -n)));
};

/**
 * shift (values moved n rows down, or up for n < 0, missing where nothing moves in) or diff (the
 * value minus the one n rows before, as pandas' `diff`), reading the neighbours' rows from `edge`.
 */
export const shiftPart = (part: Part, edge: Part | null, columns: readonly string[], n: number, mode: 'shift' | 'diff', types: readonly TypeDesc[]): Part => {
  const b = decodePart(part);
  const own = columnsOf(b, columns);
  const e = edge ? decodePart(edge) : null;
  const rows = b.numRows;
  const before = n > 0 && e ? e.numRows : 0;
  const all = e ? (n > 0 ? concatBatches(e, own) : concatBatches(own, e)) : own;
  // Row i of the partition is row before + i of `all`; it takes row before + i - n.
  const src = Int32Array.from({ length: rows }, (_, i) => {
    const s = before + i - n;
    return s >= 0 && s < all.numRows ? s : -1;
  });
  return replaceColumns(b, columns, (v, c, j) => {
    const whole = findColumn(all, c);
    if (mode === 'shift') {
      const moved = takeRows(whole, src);
      // Integers become float64 with NaN where nothing moved in (pandas); other types keep theirs, with nulls.
      return types[j].id === 'float' && types[j].bits === 64 ? makeVector(toFloat64(moved)) : moved;
    }
    const x = numbersOf(whole, c, 'diff');
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = src[i] < 0 ? NaN : x[before + i] - x[src[i]];
    return makeVector(out);
  });
};
