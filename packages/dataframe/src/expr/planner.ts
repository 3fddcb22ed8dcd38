/** The planner that frames and series use for compute, persist, visualize and explain. */
import { registerPlanner, type Partitioned } from '../base';
import { registerScalarPlanner, type Scalar } from '../scalar';
import { explainText } from './explain';
import { lowerExpr } from './lower';
import { exprOf } from './nodes';
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

export { optimizeExpr } from './rules';
export { renderTree } from './explain';
export type { Expr, ParquetFilter } from './nodes';
