/**
 * The column that holds a partition's index labels (group keys, column names of a reduction),
 * when it has one. Frames built from data have no index column: their labels are row positions.
 * Level j > 0 of a multi-level index (a group-by on several columns) is `${INDEX_COLUMN}${j}`.
 */
export const INDEX_COLUMN = '__pdask_index__';

/** The partition column of index level j. */
export const indexColumn = (level: number): string => (level === 0 ? INDEX_COLUMN : `${INDEX_COLUMN}${level}`);

export const isIndexColumn = (name: string): boolean => name.startsWith(INDEX_COLUMN);

/** The index columns of a partition, level 0 first. */
export function indexColumnsOf(names: readonly string[]): string[] {
  const out: string[] = [];
  for (let j = 0; names.includes(indexColumn(j)); j++) out.push(indexColumn(j));
  return out;
}
