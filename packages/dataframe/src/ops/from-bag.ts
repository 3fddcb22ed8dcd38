/**
 * A partition of a frame made from a bag (Dask's `Bag.to_dataframe`): records (objects, read by
 * column name, or arrays, read by position) turned into the meta's columns and types.
 */
import { conform, type MapOut } from './map';
import { returnedBatch } from './local';
import type { Part } from './part';

export const recordsPart = (p: number, records: readonly unknown[], out: Extract<MapOut, { kind: 'frame' }>): Part => {
  const names = out.names;
  const columns: Record<string, unknown[]> = {};
  for (const n of names) columns[n] = new Array<unknown>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (Array.isArray(r)) {
      for (let j = 0; j < names.length; j++) columns[names[j]][i] = r[j] ?? null;
    } else if (typeof r === 'object' && r !== null) {
      for (const n of names) columns[n][i] = (r as Record<string, unknown>)[n] ?? null;
    } else {
      throw new TypeError(`fromBag: element ${i} of partition ${p} is ${r === null ? 'null' : typeof r}; each element must be an object (read by column name) or an array (read by position)`);
    }
  }
  return conform(returnedBatch(columns, 'fromBag'), out, 'fromBag');
};
