/**
 * Which group-by path computes each output: the float64 kernels (sums, means, and first/last/min/max
 * of columns they hold exactly) or the exact cell path (nunique, and first/last/min/max of strings,
 * categories, datetimes and 64-bit integers). Mixed requests get both results zipped.
 */
import type { GroupResult } from './exact';
import { buildExact, exactType, isExactAgg, kernelExact, zipResults } from './exact';
import type { Plan } from '../groupby';
import type { ExactAgg } from '../ops/group-exact';

function exactOf(plan: Plan, o: Plan['outputs'][number]): ExactAgg | null {
  if ('exact' in o) return o.exact;
  if ('agg' in o && o.column !== null && isExactAgg(o.agg) && !kernelExact(plan.frame.typeOf(o.column))) return o.agg;
  return null;
}

export function routeExact(plan: Plan, kernel: (plan: Plan) => GroupResult): GroupResult {
  const exact: { out: string; column: string; agg: ExactAgg }[] = [];
  const rest: Plan['outputs'] = [];
  for (const o of plan.outputs) {
    const e = exactOf(plan, o);
    if (e !== null) exact.push({ out: o.out, column: o.column!, agg: e });
    else rest.push(o);
  }
  if (exact.length === 0) return kernel(plan);
  const e = buildExact({
    method: plan.method,
    frame: plan.frame,
    by: plan.by,
    levelNames: plan.levelNames ?? plan.by,
    outputs: exact,
    dropna: plan.dropna ?? true,
    asIndex: plan.asIndex,
    splitEvery: plan.splitEvery,
  });
  if (rest.length === 0) return e;
  const k = kernel({ ...plan, outputs: rest });
  const types = plan.outputs.map((o) => {
    const x = exact.findIndex((q) => q.out === o.out);
    return x >= 0 ? exactType(exact[x].agg, plan.frame.typeOf(exact[x].column)) : k.types[rest.indexOf(o)];
  });
  return zipResults(k, e, plan.outputs.map((o) => o.out), types);
}
