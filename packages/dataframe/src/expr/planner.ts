/** The planner that frames and series use for compute, persist, visualize and explain. */
import { registerPlanner, type Partitioned } from '../base';
import { explainText } from './explain';
import { lowerExpr } from './lower';
import { exprOf } from './nodes';
import { optimizeExpr } from './rules';

registerPlanner({
  async plan(c: Partitioned<unknown>): Promise<Partitioned<unknown>> {
    const e = exprOf(c);
    const opt = optimizeExpr(e);
    return opt === e ? c : lowerExpr(opt);
  },
  explain(c: Partitioned<unknown>): string {
    const e = exprOf(c);
    return explainText(e, optimizeExpr(e));
  },
});

export { optimizeExpr } from './rules';
export { renderTree } from './explain';
export type { Expr, ParquetFilter } from './nodes';
