/** Rebuilding a plan bottom-up, each node once (shared inputs stay shared). */
import { childrenOf, withChildren, type Expr } from './nodes';

/** `f` sees each node over its already rewritten inputs (and the node as it was) and returns its replacement. */
export function rewriteUp(root: Expr, f: (e: Expr, was: Expr) => Expr): Expr {
  const memo = new Map<Expr, Expr>();
  const go = (e: Expr): Expr => {
    const done = memo.get(e);
    if (done) return done;
    const out = f(withChildren(e, childrenOf(e).map(go)), e);
    memo.set(e, out);
    return out;
  };
  return go(root);
}

/** The number of partitions a node yields, when the plan knows it. */
export function npartitionsOf(e: Expr): number | undefined {
  switch (e.kind) {
    case 'head':
      return 1;
    case 'repartition':
      return e.npartitions;
    case 'read-parquet':
    case 'read-csv': {
      const n = e.orig?.npartitions;
      return n === undefined ? undefined : e.limit === undefined ? n : Math.min(n, e.limit);
    }
    case 'project':
    case 'column':
    case 'compare':
    case 'filter':
    case 'fused':
      return e.orig?.npartitions ?? npartitionsOf(e.child);
    case 'replay':
      return e.orig?.npartitions ?? (e.blockwise ? npartitionsOf(e.inputs[0]) : undefined);
    default:
      return e.orig?.npartitions;
  }
}

/** Follows projections down to the node they select from. */
export function throughProjections(e: Expr): Expr {
  while (e.kind === 'project') e = e.child;
  return e;
}
