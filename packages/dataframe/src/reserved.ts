/**
 * Column names pdask keeps for itself: a partition holds its index levels as columns named
 * `__pdask_index__`, `__pdask_index__1`, … (ops/spec.ts). A user column of such a name would be
 * taken for an index level and vanish from the columns, so it is refused where names are given.
 */
import { INDEX_COLUMN, isIndexColumn } from './ops/spec';

export function checkNotReserved(method: string, name: string): string {
  if (isIndexColumn(name)) throw new Error(`${method}: the column name '${name}' is reserved: pdask keeps index levels in columns named '${INDEX_COLUMN}…'; choose another name`);
  return name;
}
