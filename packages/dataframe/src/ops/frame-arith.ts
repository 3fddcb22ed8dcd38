/**
 * Arithmetic and comparisons of a frame's partition with another operand whose rows are already
 * aligned with it (the same labels, row by row): another frame's partition (columns matched by
 * name), one column broadcast along the columns (pandas' `axis=0` series), one number per column
 * (a local series along the columns) or one number. A column missing on a side is all NaN, and
 * `fill` replaces a value missing on one side only, as pandas' fill_binop.
 */
import type { Vector } from 'apache-arrow';
import type { ArithOp, CompareOp } from './elementwise';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { indexColumnsOf } from './spec';
import { boolVector, float64Vector, toFloat64 } from './values';

export type FrameOp = ArithOp | CompareOp;

/** The right operand, per output column. */
export type FrameOperandSpec =
  | { t: 'frame'; part: Part; names: readonly string[] }
  | { t: 'column'; part: Part; column: string }
  | { t: 'perColumn'; values: Readonly<Record<string, number>> }
  | { t: 'scalar'; value: number };

export interface FrameArithSpec {
  op: FrameOp;
  /** The frame's own columns taking part (numeric ones). */
  left: readonly string[];
  /** Output columns, in order. */
  out: readonly string[];
  /** pandas' fill_value: replaces a value missing on one side only. */
  fill: number | null;
  /** The operands swapped (radd, rsub, rdiv). */
  reverse: boolean;
}

const ARITH: Record<ArithOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  // Python's modulo (numpy.remainder): the result takes the sign of the divisor.
  mod: (a, b) => {
    const r = a % b;
    return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
  },
  pow: (a, b) => a ** b,
};

// NaN compares false, except `ne`, as pandas.
const CMP: Record<CompareOp, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
};

const isArith = (op: FrameOp): op is ArithOp => op in ARITH;

function rowsChecked(v: Vector, n: number): Float64Array {
  if (v.length !== n) throw new RangeError(`the operands have ${n} and ${v.length} rows in this partition: frames combined elementwise must be partitioned alike`);
  return toFloat64(v);
}

export const frameArith = (part: Part, other: FrameOperandSpec, spec: FrameArithSpec): Part => {
  const b = decodePart(part);
  const n = b.numRows;
  const nan = (): Float64Array => new Float64Array(n).fill(NaN);
  const ob = other.t === 'frame' || other.t === 'column' ? decodePart(other.part) : null;
  const broadcast = other.t === 'column' ? rowsChecked(findColumn(ob!, other.column), n) : null;
  const rightOf = (c: string): Float64Array | number => {
    switch (other.t) {
      case 'frame':
        return other.names.includes(c) ? rowsChecked(findColumn(ob!, c), n) : nan();
      case 'column':
        return broadcast!;
      case 'perColumn':
        return Object.prototype.hasOwnProperty.call(other.values, c) ? other.values[c] : NaN;
      case 'scalar':
        return other.value;
    }
  };
  const idx = indexColumnsOf(b.names);
  const vectors: Vector[] = spec.out.map((c) => {
    const x = spec.left.includes(c) ? toFloat64(findColumn(b, c)) : nan();
    const y = rightOf(c);
    const yAt = typeof y === 'number' ? () => y : (i: number) => y[i];
    const pair = (i: number): [number, number] => {
      let [l, r] = [x[i], yAt(i)];
      if (spec.fill !== null && Number.isNaN(l) !== Number.isNaN(r)) [l, r] = [Number.isNaN(l) ? spec.fill : l, Number.isNaN(r) ? spec.fill : r];
      return spec.reverse ? [r, l] : [l, r];
    };
    if (isArith(spec.op)) {
      const f = ARITH[spec.op];
      const res = new Float64Array(n);
      for (let i = 0; i < n; i++) res[i] = f(...pair(i));
      return float64Vector(res);
    }
    const f = CMP[spec.op];
    const res = new Uint8Array(n);
    for (let i = 0; i < n; i++) res[i] = f(...pair(i)) ? 1 : 0;
    return boolVector(res);
  });
  return encodeBatch(batchOf([...idx, ...spec.out], [...idx.map((c) => findColumn(b, c)), ...vectors]));
};

/** A series' values combined with another aligned series' values, `fill` standing in for a value missing on one side only (pandas' `s.add(t, fill_value=…)`). */
export const seriesArithFill = (part: Part, column: string, other: Part, otherColumn: string, op: ArithOp, fill: number, reverse: boolean, name: string): Part => {
  const b = decodePart(part);
  const x = toFloat64(findColumn(b, column));
  const y = rowsChecked(findColumn(decodePart(other), otherColumn), x.length);
  const f = ARITH[op];
  const res = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let [l, r] = [x[i], y[i]];
    if (Number.isNaN(l) !== Number.isNaN(r)) [l, r] = [Number.isNaN(l) ? fill : l, Number.isNaN(r) ? fill : r];
    res[i] = reverse ? f(r, l) : f(l, r);
  }
  const idx = indexColumnsOf(b.names);
  return encodeBatch(batchOf([...idx, name], [...idx.map((c) => findColumn(b, c)), float64Vector(res)]));
};
