/**
 * Index labels of computed results: none (row positions), one level (group keys of one column,
 * column names of a reduction) or several levels (a group-by on several columns, pandas'
 * MultiIndex), whose label is the tuple of the levels' values.
 */
import type { Vector } from 'apache-arrow';
import { cellOf } from '../types/big-vectors';

/** A JavaScript value of a cell: number, string, boolean, bigint (int64), or null. */
export type Cell = number | string | boolean | bigint | null;

/** A row's index label: a cell, or for a multi-level index the array of its levels' cells. */
export type Label = Cell | readonly Cell[];

/** What the constructors of LocalFrame/LocalSeries accept: one vector, or one per level. */
export type IndexInput = Vector | readonly Vector[] | undefined;
export type IndexNamesInput = string | null | readonly (string | null)[];

export interface IndexLevels {
  readonly levels: readonly Vector[];
  readonly names: readonly (string | null)[];
}

/** What computed frames and series share: their index (one level, several, or row positions). */
export abstract class Labelled {
  protected readonly idx: IndexLevels;

  constructor(index: IndexInput, indexName: IndexNamesInput) {
    this.idx = indexLevels(index, indexName);
  }

  /** The index when it has exactly one level; undefined for row positions or several levels. */
  get index(): Vector | undefined {
    return this.idx.levels.length === 1 ? this.idx.levels[0] : undefined;
  }

  /** The name of a one-level index; null otherwise (pandas' `df.index.name`). */
  get indexName(): string | null {
    return this.idx.levels.length === 1 ? this.idx.names[0] : null;
  }

  /** Every index level (empty when the labels are row positions). */
  get indexLevels(): readonly Vector[] {
    return this.idx.levels;
  }

  /** The names of the index levels (pandas' `df.index.names`). */
  get indexNames(): readonly (string | null)[] {
    return this.idx.names;
  }
}

export function indexLevels(index: IndexInput, names: IndexNamesInput): IndexLevels {
  const levels = index === undefined ? [] : Array.isArray(index) ? [...(index as readonly Vector[])] : [index as Vector];
  const given = Array.isArray(names) ? (names as readonly (string | null)[]) : [names as string | null];
  return { levels, names: levels.map((_, j) => given[j] ?? null) };
}

export function labelAt(idx: IndexLevels, i: number): Label {
  if (idx.levels.length === 0) return i;
  if (idx.levels.length === 1) return cellOf(idx.levels[0], i) as Cell;
  return idx.levels.map((v) => cellOf(v, i) as Cell);
}

export function labelEquals(a: Label, b: Label): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b;
  return a.length === b.length && a.every((x, j) => x === b[j]);
}

/** The column name of level j in tables and records, as pandas' reset_index names them. */
export function levelName(idx: IndexLevels, j: number): string {
  return idx.names[j] ?? (idx.levels.length === 1 ? 'index' : `level_${j}`);
}
