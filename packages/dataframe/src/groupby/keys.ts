/**
 * Group keys given as column names, series aligned with the frame (pandas' `df.groupby(df.x % 3)`),
 * or a list mixing both. A series key joins the frame as a hidden column; the result's index level
 * takes the series' name, as pandas names it.
 */
import { checkAligned } from '../base';
import type { DataFrame } from '../frame';
import { checkColumn } from '../meta';
import { Series } from '../series';

/** A group key: a column name, or a series partitioned like the frame. */
export type GroupKey = string | Series;

export interface GroupKeys {
  frame: DataFrame;
  by: string[];
  /** Set when a key is a series (the level names differ from the key columns). */
  levelNames?: (string | null)[];
}

export const seriesKeyColumn = (j: number): string => `__pdask_by${j}__`;

export function groupKeys(frame: DataFrame, by: GroupKey | readonly GroupKey[], method: string): GroupKeys {
  const keys: readonly GroupKey[] = typeof by === 'string' || by instanceof Series ? [by] : by;
  if (!Array.isArray(keys) || keys.length === 0) throw new TypeError(`${method}: by must be a column name or a non-empty array of column names (or Series aligned with the frame), got ${Array.isArray(keys) ? '[]' : typeof by}`);
  const names: string[] = [];
  const levelNames: (string | null)[] = [];
  const added: Record<string, Series> = {};
  keys.forEach((k, j) => {
    if (k instanceof Series) {
      checkAligned(frame, k, `${method} (key ${j + 1}, series '${k.seriesName}')`);
      const col = seriesKeyColumn(j);
      added[col] = k;
      names.push(col);
      levelNames.push(k.meta.label === undefined ? k.meta.name : k.meta.label);
      return;
    }
    checkColumn(method, k, frame.columns);
    if (names.includes(k)) throw new Error(`${method}: column '${k}' is given twice in by`);
    names.push(k);
    levelNames.push(k);
  });
  if (Object.keys(added).length === 0) return { frame, by: names };
  return { frame: frame.assign(added), by: names, levelNames };
}
