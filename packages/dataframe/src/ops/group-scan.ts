/**
 * Scans within groups across partitions, in the frame's row order: cumcount, cumsum, cumprod,
 * cummin, cummax, shift and rolling windows of a group-by. As Dask's groupby cumulative methods,
 * each partition is computed from its own rows plus a carry from the partitions before it; here
 * the carry is per group: the running count and value, and the group's last values (for shift and
 * rolling windows). A negative shift scans from the last partition backwards. Rows stay where they
 * are (no shuffle), so the result is aligned with the frame, as pandas'.
 */
import type { OpFunction } from '@pdask/core';
import { findColumn } from './frame';
import { cellsOf, cellsVector, compareCells, rowGroups, type Cell } from './group-cells';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { indexColumnsOf } from './spec';
import type { TypeDesc } from './types';
import { windowValue, type WindowSpec } from './window';

export type ScanOp = 'cumcount' | 'cumsum' | 'cumprod' | 'cummin' | 'cummax' | 'shift' | 'rolling';

export interface ScanSpec {
  by: string[];
  dropna: boolean;
  op: ScanOp;
  /** The value column (null for cumcount). */
  column: string | null;
  /** The output column's name and type. */
  out: string;
  outType: TypeDesc;
  /** shift: periods (negative: from later rows); rolling: the window length. */
  n: number;
  window?: WindowSpec;
}

/** Per group (by exact key text): rows seen, the running value, the last values (nearest last). */
export interface ScanState {
  count: Record<string, number>;
  acc: Record<string, Cell>;
  tail: Record<string, Cell[]>;
}

export interface ScanStep {
  state: ScanState;
  part: Part;
}

const empty = (): ScanState => ({ count: {}, acc: {}, tail: {} });

function add(a: Cell, b: Cell, op: 'cumsum' | 'cumprod'): Cell {
  if (typeof a === 'bigint' || typeof b === 'bigint') return op === 'cumsum' ? BigInt(a as bigint) + BigInt(b as bigint) : BigInt(a as bigint) * BigInt(b as bigint);
  const x = typeof a === 'boolean' ? +a : (a as number);
  const y = typeof b === 'boolean' ? +b : (b as number);
  return op === 'cumsum' ? x + y : x * y;
}

/** How many of a group's last values the carry keeps. */
const keep = (spec: ScanSpec): number => (spec.op === 'shift' ? Math.abs(spec.n) : spec.op === 'rolling' ? spec.n - 1 : 0);

export const groupScanStep = (part: Part, prev: ScanState | null, spec: ScanSpec, fn: OpFunction | null): ScanStep => {
  const b = decodePart(part);
  const g = rowGroups(spec.by.map((k) => findColumn(b, k)), spec.dropna);
  const cells = spec.column === null ? null : cellsOf(findColumn(b, spec.column));
  const p = prev ?? empty();
  const state: ScanState = { count: { ...p.count }, acc: { ...p.acc }, tail: Object.fromEntries(Object.entries(p.tail).map(([k, v]) => [k, [...v]])) };
  const out: Cell[] = new Array<Cell>(b.numRows).fill(null);
  const k = keep(spec);
  const backward = spec.op === 'shift' && spec.n < 0;
  for (let r = 0; r < b.numRows; r++) {
    const i = backward ? b.numRows - 1 - r : r;
    const c = g.codes[i];
    if (c < 0) continue;
    const key = g.texts[c];
    const v = cells ? cells[i] : null;
    const count = state.count[key] ?? 0;
    state.count[key] = count + 1;
    switch (spec.op) {
      case 'cumcount':
        out[i] = count;
        break;
      case 'cumsum':
      case 'cumprod':
      case 'cummin':
      case 'cummax': {
        // pandas skips missing values: the row stays missing and the running value goes on.
        if (v === null) break;
        const acc = state.acc[key] ?? null;
        let next: Cell;
        if (acc === null) next = typeof v === 'boolean' ? +v : v;
        else if (spec.op === 'cummin') next = compareCells(v, acc) < 0 ? v : acc;
        else if (spec.op === 'cummax') next = compareCells(v, acc) > 0 ? v : acc;
        else next = add(acc, v, spec.op);
        state.acc[key] = next;
        out[i] = next;
        break;
      }
      case 'shift': {
        if (k === 0) {
          out[i] = v;
          break;
        }
        const tail = (state.tail[key] ??= []);
        out[i] = tail.length >= k ? tail[tail.length - k] : null;
        tail.push(v);
        if (tail.length > k) tail.shift();
        break;
      }
      case 'rolling': {
        const tail = (state.tail[key] ??= []);
        const win = Float64Array.from([...tail, v], (x) => (x === null ? NaN : Number(x)));
        out[i] = windowValue(win, 0, win.length, spec.window!, fn);
        if (k > 0) {
          tail.push(v);
          if (tail.length > k) tail.shift();
        }
        break;
      }
    }
  }
  const idx = indexColumnsOf(b.names);
  const vec = cellsVector(spec.outType.id === 'float' ? out.map((x) => (typeof x === 'number' && x !== x ? null : x)) : out, spec.outType);
  return { state, part: encodeBatch(batchOf([...idx, spec.out], [...idx.map((n) => findColumn(b, n)), vec])) };
};

export const scanStateOf = (s: ScanStep): ScanState => s.state;
export const scanPartOf = (s: ScanStep): Part => s.part;
