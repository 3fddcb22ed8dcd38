/**
 * A Parquet read with the plan's pushed-down predicates: readParquet's own `filters` (Dask's form)
 * leave out the files and row groups whose statistics rule out every row, and drop failing rows
 * as they are read; the plan's Filter above the read then keeps exactly the same rows.
 */
import { readParquet, type ReadParquetOptions } from '../io/read-parquet';
import type { Filter, Filters } from '../io/parquet/filters';
import type { DataFrame } from '../frame';
import type { ParquetFilter } from './nodes';

/** `given AND pushed`, in readParquet's form (an OR of ANDs gets the pushed predicates in each). */
function andFilters(given: Filters | undefined, pushed: readonly ParquetFilter[]): Filters {
  if (!given || given.length === 0) return pushed;
  const isOr = Array.isArray(given[0]) && Array.isArray((given[0] as readonly unknown[])[0]);
  if (!isOr) return [...(given as readonly Filter[]), ...pushed];
  return (given as readonly (readonly Filter[])[]).map((all) => [...all, ...pushed]);
}

export async function readParquetPruned(paths: string | readonly string[], options: ReadParquetOptions, filters: readonly ParquetFilter[]): Promise<DataFrame> {
  if (filters.length === 0) return readParquet(paths, options);
  return readParquet(paths, { ...options, filters: andFilters(options.filters, filters) });
}
