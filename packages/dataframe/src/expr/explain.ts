/**
 * The printed plan: one node a line, inputs indented under their reader. A node read by several
 * others is printed once with a number (`#1 ReadParquet …`) and referred to as `#1` afterwards.
 */
import { childrenOf, readersOf, type Expr } from './nodes';
import { isRemoteSource, sourceLabel } from '../io/remote-source';

const list = (xs: readonly string[]): string => `[${xs.join(', ')}]`;

/** One node's line: its operation and parameters. */
export function describeExpr(e: Expr): string {
  switch (e.kind) {
    case 'read-parquet': {
      const label = (x: unknown): string => (typeof x === 'string' ? x : isRemoteSource(x) ? sourceLabel(x) : String(x));
      const paths = Array.isArray(e.paths) ? list(e.paths.map(label)) : label(e.paths);
      const filters = e.filters.length ? ` filters=[${e.filters.map(([c, op, v]) => `['${c}', '${op}', ${v}]`).join(', ')}]` : '';
      return `ReadParquet ${paths} columns=${list(e.columns)}${filters}${e.limit !== undefined ? ` partitions=:${e.limit}` : ''}`;
    }
    case 'read-csv':
      return `ReadCsv ${typeof e.paths === 'string' ? e.paths : list(e.paths)} columns=${list(e.columns)}${e.limit !== undefined ? ` partitions=:${e.limit}` : ''}`;
    case 'project':
      return `Project ${list(e.columns)}`;
    case 'column':
      return `Column '${e.column}'`;
    case 'compare':
      return `Compare ${e.op} ${e.value}`;
    case 'filter':
      return 'Filter';
    case 'head':
      return `Head n=${e.n} partitions=${e.partitions}`;
    case 'repartition':
      return `Repartition npartitions=${e.npartitions}`;
    case 'merge':
      return `Merge how=${e.options.how ?? 'inner'}${e.strategy ? ` strategy=${e.strategy}` : ''}`;
    case 'fused':
      return 'Fused (one task per partition)';
    case 'memory':
      return `FromMemory columns=${list(e.columns)}`;
    case 'replay':
      return e.label;
    case 'opaque':
      return `Opaque ${e.orig.name.replace(/-[0-9a-f]{8,}$/, '')} npartitions=${e.orig.npartitions}`;
  }
}

/** The tree under `root`, two spaces of indent per level. */
export function renderTree(root: Expr): string {
  const shared = new Set([...readersOf(root)].filter(([, n]) => n > 1).map(([e]) => e));
  const numbers = new Map<Expr, number>();
  const lines: string[] = [];
  const visit = (e: Expr, depth: number): void => {
    const pad = '  '.repeat(depth);
    const seen = numbers.get(e);
    if (seen !== undefined) {
      lines.push(`${pad}#${seen}`);
      return;
    }
    let tag = '';
    if (shared.has(e)) {
      numbers.set(e, numbers.size + 1);
      tag = `#${numbers.size} `;
    }
    lines.push(`${pad}${tag}${describeExpr(e)}`);
    for (const c of childrenOf(e)) visit(c, depth + 1);
  };
  visit(root, 0);
  return lines.join('\n');
}

export function explainText(before: Expr, after: Expr): string {
  return `Before optimisation:\n${renderTree(before)}\nAfter optimisation:\n${renderTree(after)}`;
}
