/**
 * A column chunk's footer statistics as filter bounds (see filters.ts), in the cell domain of the
 * column: decimals rescaled as their cells are, times in bigint nanoseconds (the metadata is read
 * with decoding.ts' parsers).
 */
import type { RowGroup } from 'hyparquet';
import type { ColumnPlan } from './column-types';
import { rescaleDecimal } from './decoding';
import { chunkOf, type Bounds, type Cell } from './filters';

function cell(plan: ColumnPlan, v: unknown): Cell | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : plan.decode === 'decimal' ? rescaleDecimal(v, plan.scale ?? 0) : v;
  // Parquet orders strings by UTF-8 bytes, JavaScript by UTF-16 units: the orders differ only from
  // U+D800 up (surrogates sort below U+E000-U+FFFF), so a bound holding such a unit is not used.
  if (typeof v === 'string') return /[\uD800-\uFFFF]/.test(v) ? undefined : v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return v;
  return undefined;
}

export function boundsOf(g: RowGroup, plan: ColumnPlan): Bounds | undefined {
  if (plan.decode === 'nested') return undefined;
  const s = chunkOf(g, plan.name)?.meta_data?.statistics;
  if (!s) return undefined;
  const allNull = s.null_count !== undefined && BigInt(s.null_count) === BigInt(g.num_rows) && g.num_rows > 0n;
  // The deprecated min/max were written in signed byte order, wrong for strings and unsigned ints.
  const legacy = !(plan.type.id === 'utf8' || plan.type.id === 'dict' || (plan.type.id === 'int' && !plan.type.signed));
  const min = cell(plan, s.min_value ?? (legacy ? s.min : undefined));
  // A truncated maximum (a long string's prefix) is not an upper bound; a truncated minimum is still a lower one.
  const max = s.is_max_value_exact === false ? undefined : cell(plan, s.max_value ?? (legacy ? s.max : undefined));
  return { min, max, allNull };
}
