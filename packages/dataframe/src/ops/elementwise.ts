/**
 * Elementwise arithmetic, comparison and logic on one column per partition. Arithmetic is done in
 * float64 (nulls as NaN); comparisons with NaN are false except `ne`, as in pandas.
 */
import type { Vector } from 'apache-arrow';
import { kernels } from './kernels';
import { batchOf, decodePart, encodeBatch, type Batch, type Part } from './part';
import { findColumn } from './frame';
import { indexColumnsOf } from './spec';
import { boolVector, float64Vector, maskValues, toFloat64 } from './values';

export type ArithOp = 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'pow';
export type CompareOp = 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne';
export type LogicOp = 'and' | 'or' | 'xor';

/** The other operand: a number, or the same partition of another series. */
export type Operand = { t: 'scalar'; value: number } | { t: 'column'; part: Part; column: string };

function operand(o: Operand, n: number): Float64Array | number {
  if (o.t === 'scalar') return o.value;
  const v = findColumn(decodePart(o.part), o.column);
  if (v.length !== n) throw new RangeError(`the operands have ${n} and ${v.length} rows in this partition: series combined elementwise must be partitioned alike`);
  return toFloat64(v);
}

/** The output partition: the input's index columns (if any) and the result named `name`. */
export function withIndex(input: Batch, name: string, v: Vector): Part {
  const idx = indexColumnsOf(input.names);
  return encodeBatch(batchOf([...idx, name], [...idx.map((c) => input.vectors[input.names.indexOf(c)]), v]));
}

const ARITH: Record<ArithOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  // Python's modulo: the result takes the sign of the divisor.
  mod: (a, b) => a - Math.floor(a / b) * b,
  pow: (a, b) => a ** b,
};

export const arith = (part: Part, column: string, op: ArithOp, other: Operand, reverse: boolean, name: string): Part => {
  const b = decodePart(part);
  const x = toFloat64(findColumn(b, column));
  const y = operand(other, x.length);
  const out = new Float64Array(x.length);
  if (op === 'add' || op === 'sub' || op === 'mul' || op === 'div') {
    kernels().binary(op, reverse ? y : x, reverse ? x : y, out);
  } else {
    const f = ARITH[op];
    for (let i = 0; i < x.length; i++) {
      const yi = typeof y === 'number' ? y : y[i];
      out[i] = reverse ? f(yi, x[i]) : f(x[i], yi);
    }
  }
  return withIndex(b, name, float64Vector(out));
};

export const compare = (part: Part, column: string, op: CompareOp, other: Operand, name: string): Part => {
  const b = decodePart(part);
  const x = toFloat64(findColumn(b, column));
  const y = operand(other, x.length);
  const out = new Uint8Array(x.length);
  const at = (i: number) => (typeof y === 'number' ? y : y[i]);
  switch (op) {
    case 'gt': for (let i = 0; i < x.length; i++) out[i] = x[i] > at(i) ? 1 : 0; break;
    case 'ge': for (let i = 0; i < x.length; i++) out[i] = x[i] >= at(i) ? 1 : 0; break;
    case 'lt': for (let i = 0; i < x.length; i++) out[i] = x[i] < at(i) ? 1 : 0; break;
    case 'le': for (let i = 0; i < x.length; i++) out[i] = x[i] <= at(i) ? 1 : 0; break;
    case 'eq': for (let i = 0; i < x.length; i++) out[i] = x[i] === at(i) ? 1 : 0; break;
    case 'ne': for (let i = 0; i < x.length; i++) out[i] = x[i] !== at(i) ? 1 : 0; break;
  }
  return withIndex(b, name, boolVector(out));
};

/** String equality (eq/ne with a string), for string and category columns. */
export const compareString = (part: Part, column: string, op: 'eq' | 'ne', value: string, name: string): Part => {
  const b = decodePart(part);
  const v = findColumn(b, column);
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (v.get(i) === value) === (op === 'eq') ? 1 : 0;
  return withIndex(b, name, boolVector(out));
};

export const logic = (part: Part, column: string, op: LogicOp | 'not', other: Operand | null, name: string): Part => {
  const b = decodePart(part);
  const x = maskValues(findColumn(b, column), column);
  let y: Uint8Array | undefined;
  if (other) {
    if (other.t === 'scalar') y = new Uint8Array(x.length).fill(other.value ? 1 : 0);
    else {
      y = maskValues(findColumn(decodePart(other.part), other.column), other.column);
      if (y.length !== x.length) throw new RangeError(`the operands have ${x.length} and ${y.length} rows in this partition: series combined elementwise must be partitioned alike`);
    }
  }
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = op === 'not' ? 1 - x[i] : op === 'and' ? x[i] & y![i] : op === 'or' ? x[i] | y![i] : x[i] ^ y![i];
  return withIndex(b, name, boolVector(out));
};
