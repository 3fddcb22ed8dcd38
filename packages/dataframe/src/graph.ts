/** Graph building blocks shared by every dataframe operation. */
import { tokenize } from '@pdask/core';

/** One operation's tasks, generated when the graph is materialised (not when built). */
export { GeneratedLayer as FrameLayer } from '@pdask/core';

/** The key of partition `i` of the collection called `name`. */
export const partitionKey = (name: string, i: number): string => `${name}-${i}`;

/** A name `${kind}-${token}`: equal operations on equal inputs get equal keys, as in Dask. */
export function opName(kind: string, ...parts: unknown[]): string {
  return `${kind}-${tokenize(kind, ...parts)}`;
}

export function checkNpartitions(n: unknown, fn: string, what = 'npartitions'): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`${fn}: ${what} must be a positive integer, got ${typeof n === 'number' ? n : JSON.stringify(n) ?? String(n)}`);
  }
  return n;
}
