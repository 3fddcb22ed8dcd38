/**
 * Group-by aggregations computed on exact cells instead of the float64 kernels: `first`, `last`,
 * `min`, `max` of strings, categories, datetimes and 64-bit integers, and `nunique` of any column
 * (Dask's nunique drops duplicate (key, value) pairs and counts what is left; here each partial
 * carries the distinct values of each group, merged as sets). Partials merge in partition order,
 * so first/last are the first/last non-missing values of the frame's row order, as pandas'.
 */
import { findColumn } from './frame';
import { cellsOf, cellsVector, compareCells, keyOrder, rowGroups, type Cell } from './group-cells';
import { decodePart, encodeBatch, type Part } from './part';
import { indexColumn } from './spec';
import type { TypeDesc } from './types';

export type ExactAgg = 'first' | 'last' | 'min' | 'max' | 'nunique';

export interface ExactSpec {
  by: string[];
  dropna: boolean;
  outputs: { out: string; column: string; agg: ExactAgg }[];
}

/** Per group: a cell for first/last/min/max, the distinct values (as texts) for nunique. */
export interface ExactPartial {
  texts: string[];
  keys: Cell[][];
  values: (Cell | string[])[][];
}

const valueText = (c: Cell): string => (typeof c === 'bigint' ? `b${c}` : typeof c === 'number' ? `f${c === 0 ? 0 : c}` : `${typeof c}${String(c)}`);

function pick(agg: ExactAgg, acc: Cell, x: Cell): Cell {
  if (x === null) return acc;
  if (acc === null) return x;
  switch (agg) {
    case 'first':
      return acc;
    case 'last':
      return x;
    case 'min':
      return compareCells(x, acc) < 0 ? x : acc;
    default:
      return compareCells(x, acc) > 0 ? x : acc;
  }
}

export const groupExactPartial = (part: Part, spec: ExactSpec): ExactPartial => {
  const b = decodePart(part);
  const g = rowGroups(spec.by.map((k) => findColumn(b, k)), spec.dropna);
  const cols = new Map<string, Cell[]>();
  for (const o of spec.outputs) if (!cols.has(o.column)) cols.set(o.column, cellsOf(findColumn(b, o.column)));
  const values = spec.outputs.map((o) => {
    const cells = cols.get(o.column)!;
    if (o.agg === 'nunique') {
      const sets = g.keys.map(() => new Set<string>());
      g.codes.forEach((c, i) => c >= 0 && cells[i] !== null && sets[c].add(valueText(cells[i])));
      return sets.map((s) => [...s]);
    }
    const acc: Cell[] = g.keys.map(() => null);
    g.codes.forEach((c, i) => {
      if (c >= 0) acc[c] = pick(o.agg, acc[c], cells[i]);
    });
    return acc;
  });
  return { texts: g.texts, keys: g.keys, values };
};

/** Partials merged in the order given (first/last depend on it). */
export const groupExactCombine = (parts: readonly ExactPartial[], spec: ExactSpec): ExactPartial => {
  const at = new Map<string, number>();
  const out: ExactPartial = { texts: [], keys: [], values: spec.outputs.map(() => []) };
  const sets: Set<string>[][] = spec.outputs.map(() => []);
  for (const p of parts) {
    p.texts.forEach((t, gi) => {
      let j = at.get(t);
      if (j === undefined) {
        j = out.texts.length;
        at.set(t, j);
        out.texts.push(t);
        out.keys.push(p.keys[gi]);
        spec.outputs.forEach((o, k) => (o.agg === 'nunique' ? sets[k].push(new Set<string>()) : out.values[k].push(null)));
      }
      spec.outputs.forEach((o, k) => {
        const v = p.values[k][gi];
        if (o.agg === 'nunique') for (const x of v as string[]) sets[k][j!].add(x);
        else out.values[k][j!] = pick(o.agg, out.values[k][j!] as Cell, v as Cell);
      });
    });
  }
  spec.outputs.forEach((o, k) => {
    if (o.agg === 'nunique') out.values[k] = sets[k].map((s) => [...s]);
  });
  return out;
};

/** The result partition: key levels as the index (sorted), one column per output. */
export const groupExactFinal = (parts: readonly ExactPartial[], spec: ExactSpec, keyTypes: readonly TypeDesc[], outTypes: readonly TypeDesc[], asIndex: boolean): Part => {
  const m = groupExactCombine(parts, spec);
  const order = keyOrder(m.keys);
  const names = [...spec.by.map((b, j) => (asIndex ? indexColumn(j) : b)), ...spec.outputs.map((o) => o.out)];
  const vectors = [
    ...keyTypes.map((t, j) => cellsVector(order.map((g) => m.keys[g][j]), t)),
    ...spec.outputs.map((o, k) => cellsVector(order.map((g) => (o.agg === 'nunique' ? (m.values[k][g] as string[]).length : (m.values[k][g] as Cell))), outTypes[k])),
  ];
  return encodeBatch({ numRows: order.length, names, vectors });
};

/** Aggregations only this path computes (every other name is a row of GROUP_AGGS). */
export const EXACT_ONLY_AGGS = ['nunique'] as const;

/**
 * The columns of a kernel result and an exact result of the same group-by, in the order asked:
 * both list the same groups sorted alike (checked on the first key level's length).
 */
export const zipGroupResults = (kernel: Part, exact: Part, order: readonly string[]): Part => {
  const a = decodePart(kernel);
  const b = decodePart(exact);
  if (a.numRows !== b.numRows) throw new Error(`internal: the group-by's kernel and exact results have ${a.numRows} and ${b.numRows} groups`);
  const index = a.names.filter((n) => !order.includes(n));
  const names = [...index, ...order];
  const vectors = names.map((n) => (a.names.includes(n) ? findColumn(a, n) : findColumn(b, n)));
  return encodeBatch({ numRows: a.numRows, names, vectors });
};
