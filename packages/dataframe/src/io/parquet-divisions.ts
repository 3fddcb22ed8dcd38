/**
 * Divisions of a Parquet-read frame from the index column's statistics (Dask's read_parquet with
 * index= and calculate_divisions=True): each piece's minimum and maximum come from the footers of
 * its row groups, so no data is read. The pieces must be sorted as Dask's `sorted_columns` asks:
 * each piece's minimum at least the previous piece's maximum. Otherwise, or when a statistic is
 * missing, a piece holds nulls, or a value is not a division value (booleans, int64 beyond 2^53),
 * the divisions are unknown.
 */
import type { FileMetaData } from 'hyparquet';
import type { DivisionValue, Divisions } from '../base';

/** One piece: the row groups of a file it reads. */
export interface PieceGroups {
  meta: FileMetaData;
  groups: readonly number[];
}

type Stat = DivisionValue | undefined;

function divisionValue(v: unknown): Stat {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
  return undefined;
}

/** The minimum and maximum of a column over some row groups; undefined when not known exactly. */
function rangeOf(p: PieceGroups, column: string): [DivisionValue, DivisionValue] | undefined {
  let lo: DivisionValue | undefined;
  let hi: DivisionValue | undefined;
  for (const g of p.groups) {
    const chunk = p.meta.row_groups[g].columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === column);
    const s = chunk?.meta_data?.statistics;
    if (!s || (s.null_count !== undefined && s.null_count > 0n)) return undefined;
    // A truncated (inexact) bound of a long string is not a value of the column.
    if (s.is_min_value_exact === false || s.is_max_value_exact === false) return undefined;
    const min = divisionValue(s.min_value ?? s.min);
    const max = divisionValue(s.max_value ?? s.max);
    if (min === undefined || max === undefined || typeof min !== typeof max) return undefined;
    if (lo !== undefined && typeof lo !== typeof min) return undefined;
    if (lo === undefined || min < lo) lo = min;
    if (hi === undefined || max > hi) hi = max;
  }
  return lo === undefined || hi === undefined ? undefined : [lo, hi];
}

export function divisionsFromStatistics(pieces: readonly PieceGroups[], column: string): Divisions {
  const divisions: DivisionValue[] = [];
  let prevMax: DivisionValue | undefined;
  for (const p of pieces) {
    const r = rangeOf(p, column);
    if (!r) return null;
    const [min, max] = r;
    if (prevMax !== undefined && (typeof min !== typeof prevMax || min < prevMax)) return null;
    divisions.push(min);
    prevMax = max;
  }
  if (prevMax === undefined) return null;
  divisions.push(prevMax);
  return divisions;
}
