/** Column descriptions of lazy collections (Dask's meta), known before anything is computed. */
import type { IndexMeta } from './base';
import type { TypeDesc } from './ops/types';

export interface FrameMeta {
  readonly names: readonly string[];
  readonly types: readonly TypeDesc[];
  readonly index: IndexMeta | null;
}

export interface SeriesMeta {
  /** The column holding the values in each partition. */
  readonly name: string;
  /** The name shown (pandas' `s.name`) when it differs: null for unnamed results such as `df.sum()`. */
  readonly label?: string | null;
  readonly type: TypeDesc;
  readonly index: IndexMeta | null;
}

export const isNumericDesc = (t: TypeDesc): boolean => t.id === 'float' || t.id === 'int' || t.id === 'bool';

/** An error naming the unknown column and listing the known ones. */
export function unknownColumn(method: string, name: unknown, known: readonly string[]): Error {
  return new Error(`${method}: column ${JSON.stringify(name) ?? String(name)} not found; known columns: ${known.map((k) => `'${k}'`).join(', ') || '(none)'}`);
}

export function checkColumn(method: string, name: unknown, known: readonly string[]): string {
  if (typeof name !== 'string' || !known.includes(name)) throw unknownColumn(method, name, known);
  return name;
}
