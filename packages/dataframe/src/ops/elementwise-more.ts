/**
 * Value-by-value operations on some columns of a partition (isin, between, where/mask, replace,
 * map by lookup, abs, round, clip): each named column is replaced by its result, the other
 * columns and the index pass through. The result types were chosen when the graph was built.
 */
import { DataType, type Vector } from 'apache-arrow';
import type { Cell } from '../local/labels';
import { cellKey, cellsOf, vectorOfCells } from './cells';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { numbersAs } from './results';
import type { TypeDesc } from './types';
import { boolVector, maskValues, toFloat64 } from './values';

export type Inclusive = 'both' | 'neither' | 'left' | 'right';

export type ElemSpec =
  /** `keys`: cellKey of each value looked for. */
  | { op: 'isin'; keys: readonly string[] }
  | { op: 'between'; left: number | string; right: number | string; inclusive: Inclusive }
  /** Keeps the values where the condition is `keep`, else `other`. */
  | { op: 'where'; other: Cell; keep: boolean }
  /** Values whose cellKey is in `from` become the matching `to`; others stay (replace) or become missing (lookup). */
  | { op: 'replace' | 'lookup'; from: readonly string[]; to: readonly Cell[] }
  | { op: 'abs' }
  | { op: 'round'; decimals: number }
  | { op: 'clip'; lower: number | null; upper: number | null };

/** Conditions for `where`: partition i of a boolean series or frame, the mask column of each changed column. */
export interface CondArg {
  part: Part;
  columns: readonly string[];
}

/** NumPy's rint: halves to the even neighbour. */
function rint(y: number): number {
  const f = Math.floor(y);
  const d = y - f;
  const r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  // NumPy keeps the sign of a negative number rounded to zero (-0.0).
  return r === 0 && y < 0 ? -0 : r;
}

/** NumPy's round(x, decimals): scaled, rounded half to even, scaled back. */
export function roundHalfEven(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  if (decimals >= 0) {
    const p = 10 ** decimals;
    return rint(x * p) / p;
  }
  const p = 10 ** -decimals;
  return rint(x / p) * p;
}

const isNumeric = (v: Vector): boolean => {
  const t = v.type as DataType;
  return DataType.isFloat(t) || (DataType.isInt(t) && t.bitWidth < 64) || DataType.isBool(t);
};

function numeric(spec: ElemSpec & { op: 'abs' | 'round' | 'clip' }, x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (spec.op === 'abs') out[i] = Math.abs(v);
    else if (spec.op === 'round') out[i] = roundHalfEven(v, spec.decimals);
    else {
      let r = v;
      if (spec.lower !== null && r < spec.lower) r = spec.lower;
      if (spec.upper !== null && r > spec.upper) r = spec.upper;
      out[i] = r;
    }
  }
  return out;
}

function bigOp(spec: ElemSpec & { op: 'abs' | 'round' | 'clip' }, x: bigint): bigint {
  if (spec.op === 'abs') return x < 0n ? -x : x;
  if (spec.op === 'round') {
    if (spec.decimals >= 0) return x;
    const p = 10n ** BigInt(-spec.decimals);
    const q = x / p;
    const r = x - q * p;
    const twice = 2n * (r < 0n ? -r : r);
    const away = x < 0n ? q - 1n : q + 1n;
    return twice > p ? away * p : twice < p ? q * p : (q % 2n === 0n ? q : away) * p;
  }
  let r = x;
  if (spec.lower !== null && r < BigInt(spec.lower)) r = BigInt(spec.lower);
  if (spec.upper !== null && r > BigInt(spec.upper)) r = BigInt(spec.upper);
  return r;
}

function compareCell(a: Cell, b: number | string): number {
  if (typeof b === 'string') return String(a) < b ? -1 : String(a) > b ? 1 : 0;
  const x = typeof a === 'bigint' ? Number(a) : (a as number);
  return x < b ? -1 : x > b ? 1 : 0;
}

function column(v: Vector, spec: ElemSpec, type: TypeDesc, mask: Uint8Array | null, what: string): Vector {
  switch (spec.op) {
    case 'abs':
    case 'round':
    case 'clip':
      if (isNumeric(v)) return numbersAs(numeric(spec, toFloat64(v)), type);
      return vectorOfCells(cellsOf(v).map((x) => (typeof x === 'bigint' ? bigOp(spec, x) : x)), type, what);
    case 'isin': {
      const keys = new Set(spec.keys);
      return boolVector(Uint8Array.from(cellsOf(v), (x) => (keys.has(cellKey(x)) ? 1 : 0)));
    }
    case 'between': {
      const lo = spec.inclusive === 'both' || spec.inclusive === 'left';
      const hi = spec.inclusive === 'both' || spec.inclusive === 'right';
      return boolVector(
        Uint8Array.from(cellsOf(v), (x) => {
          if (x === null) return 0;
          const a = compareCell(x, spec.left);
          const b = compareCell(x, spec.right);
          return (lo ? a >= 0 : a > 0) && (hi ? b <= 0 : b < 0) ? 1 : 0;
        }),
      );
    }
    case 'where': {
      const xs = cellsOf(v);
      return vectorOfCells(xs.map((x, i) => (mask![i] === (spec.keep ? 1 : 0) ? x : spec.other)), type, what);
    }
    case 'replace':
    case 'lookup': {
      const to = new Map(spec.from.map((k, j) => [k, spec.to[j]]));
      return vectorOfCells(cellsOf(v).map((x) => {
        const k = cellKey(x);
        return to.has(k) ? to.get(k)! : spec.op === 'replace' ? x : null;
      }), type, what);
    }
  }
}

/**
 * Columns `columns` of the partition replaced by the operation's results (types `types`), the rest
 * of the partition kept; `keep` names the columns of the output besides the index, in order.
 */
export const elemColumns = (part: Part, columns: readonly string[], specs: readonly ElemSpec[], types: readonly TypeDesc[], cond: CondArg | null, method: string): Part => {
  const b = decodePart(part);
  const cb = cond ? decodePart(cond.part) : null;
  const vectors = [...b.vectors];
  columns.forEach((c, j) => {
    const at = b.names.indexOf(c);
    let mask: Uint8Array | null = null;
    if (cb && cond) {
      const mv = findColumn(cb, cond.columns[j]);
      if (mv.length !== b.numRows) throw new RangeError(`${method}: the condition has ${mv.length} rows in this partition, the data ${b.numRows}: they must be partitioned alike`);
      mask = maskValues(mv, cond.columns[j]);
    }
    vectors[at] = column(findColumn(b, c), specs[j], types[j], mask, `${method} (column '${c}')`);
  });
  return encodeBatch(batchOf(b.names, vectors));
};
