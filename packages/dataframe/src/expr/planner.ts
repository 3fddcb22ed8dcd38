/** The planner that frames and series use for compute, persist, visualize and explain. */
import { Partitioned as PartitionedBase, registerPlanner, type Partitioned } from '../base';
import { registerScalarPlanner, Scalar } from '../scalar';
import { explainText } from './explain';
import { registerCollectionsPlanner, type Collection } from '@pdask/core';
import { lowerExpr, lowerExprs } from './lower';
import { exprOf, type Expr } from './nodes';
import { optimizeExpr } from './rules';

registerPlanner({
  async plan(c: Partitioned<unknown>): Promise<Partitioned<unknown>> {
    const e = exprOf(c);
    const opt = optimizeExpr(e);
    return opt === e ? c : ((await lowerExpr(opt)) as Partitioned<unknown>);
  },
  explain(c: Partitioned<unknown>): string {
    const e = exprOf(c);
    return explainText(e, optimizeExpr(e));
  },
});

// A reduction's node is the root of its plan: lowering it rebuilds the Scalar over the optimised input.
registerScalarPlanner({
  async plan(s: Scalar<unknown>): Promise<Scalar<unknown>> {
    const e = s.expr!;
    const opt = optimizeExpr(e);
    return opt === e ? s : ((await lowerExpr(opt)) as Scalar<unknown>);
  },
  explain(s: Scalar<unknown>): string {
    return explainText(s.expr!, optimizeExpr(s.expr!));
  },
});

/**
 * dd.compute(a, b, …): the plans of the frames, series and scalars are optimised as one (a root
 * reading them all), so a source they share is read once, with every column any of them uses.
 */
registerCollectionsPlanner(async (cs: readonly Collection<unknown>[]): Promise<readonly Collection<unknown>[]> => {
  const planned = cs.map((c) => ((c instanceof Scalar || c instanceof PartitionedBase) && c.expr ? c.expr : undefined));
  const roots = planned.filter((e): e is Expr => e !== undefined);
  if (roots.length === 0) return cs;
  const all: Expr = { kind: 'replay', label: 'compute', inputs: roots, blockwise: false, reads: () => roots.map(() => 'all' as const), build: () => { throw new Error('internal: the compute root is not lowered'); } };
  const opt = optimizeExpr(all);
  if (opt === all || opt.kind !== 'replay') return cs;
  const lowered = await lowerExprs(opt.inputs);
  let j = 0;
  return cs.map((c, i) => (planned[i] ? (lowered[j++] as Collection<unknown>) : c));
});

export { optimizeExpr } from './rules';
export { renderTree } from './explain';
export type { Expr, ParquetFilter } from './nodes';
