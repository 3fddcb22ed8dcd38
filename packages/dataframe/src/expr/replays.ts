/**
 * The planner's records of operations it sees through (ReplayExpr): what each reads of its
 * inputs, and how it is built again over rewritten ones. Called where the operations are built.
 */
import type { DataFrame } from '../frame';
import type { Plan } from '../groupby';
import type { Scalar } from '../scalar';
import type { Series } from '../series';
import { withReplay, type Lazy } from './nodes';

/**
 * A group-by aggregation over `plan.frame`: it reads the keys and the aggregated columns only.
 * `rebuild` is the function that made `out` from the plan.
 */
export function recordGroupAgg<C extends DataFrame | Series>(out: C, plan: Plan, rebuild: (plan: Plan) => C): C {
  const used = [...new Set([...plan.by, ...plan.outputs.flatMap((o) => (o.column === null ? [] : [o.column]))])];
  return withReplay(out, `GroupBy ${plan.method} by=[${plan.by.join(', ')}]${plan.splitOut && plan.splitOut > 1 ? ` splitOut=${plan.splitOut}` : ''}`, [plan.frame], ([f]) => rebuild({ ...plan, frame: f as DataFrame }), {
    reads: () => [used],
  });
}

/** A reduction (of a series to a Scalar, or of a frame's columns to a Series) made by `build`. */
export function recordReduction<C extends Scalar<unknown> | Series, I extends DataFrame | Series>(out: C, method: string, input: I, build: (input: I) => C): C {
  return withReplay(out, method, [input], ([i]) => build(i as I));
}

/** `frame.assign(columns)`: it reads the frame's columns used above it (and those it replaces, which keeps the order), and each series whole. */
export function recordAssign(out: DataFrame, frame: DataFrame, columns: Record<string, Series | number>, build: (frame: DataFrame, columns: Record<string, Series | number>) => DataFrame): DataFrame {
  const names = Object.keys(columns);
  const series = names.filter((n) => typeof columns[n] !== 'number');
  const inputs: Lazy[] = [frame, ...series.map((n) => columns[n] as Series)];
  return withReplay(
    out,
    `Assign [${names.join(', ')}]`,
    inputs,
    ([f, ...ss]) => build(f as DataFrame, Object.fromEntries(names.map((n) => [n, series.includes(n) ? (ss[series.indexOf(n)] as Series) : columns[n]]))),
    {
      blockwise: true,
      assigns: names,
      reads: (used) => [used === 'all' ? 'all' : frame.columns.filter((c) => used.has(c) || names.includes(c)), ...series.map(() => 'all' as const)],
    },
  );
}

/** Elementwise series arithmetic or comparison with another series or a number, made by `build`. */
export function recordBinary(out: Series, method: string, left: Series, right: Series | number, build: (left: Series, right: Series | number) => Series): Series {
  const other = typeof right === 'number' ? [] : [right];
  return withReplay(out, `${method}${typeof right === 'number' ? ` ${right}` : ''}`, [left, ...other], ([a, b]) => build(a as Series, typeof right === 'number' ? right : (b as Series)), { blockwise: true });
}
