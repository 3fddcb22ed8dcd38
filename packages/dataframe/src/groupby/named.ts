/**
 * pandas' named aggregation (`agg(total=('y', 'sum'))`, `pd.NamedAgg(column, aggfunc)`): in
 * TypeScript `agg({ total: dd.namedAgg('y', 'sum') })`. A NamedAgg object, not a tuple, so that
 * it cannot be mistaken for the `{ column: ['sum', 'max'] }` form, where a list names several
 * aggregations of that column.
 */
import { Aggregation } from '../aggregation';
import { isGroupAgg, type GroupAgg } from '../ops/group-aggs';

export class NamedAgg {
  constructor(
    /** The column aggregated. */
    readonly column: string,
    /** A built-in aggregation's name ('nunique' too) or an Aggregation. */
    readonly aggfunc: GroupAgg | 'nunique' | Aggregation,
  ) {
    if (typeof column !== 'string') throw new TypeError(`namedAgg: the column must be a string, got ${typeof column}`);
    if (!(aggfunc instanceof Aggregation) && !isGroupAgg(aggfunc) && aggfunc !== 'nunique') throw new TypeError(`namedAgg: unknown aggregation ${JSON.stringify(aggfunc) ?? typeof aggfunc} for column '${column}'`);
  }
}

/** The output column made by `aggfunc` of `column` (pandas' `pd.NamedAgg`). */
export const namedAgg = (column: string, aggfunc: GroupAgg | 'nunique' | Aggregation): NamedAgg => new NamedAgg(column, aggfunc);
