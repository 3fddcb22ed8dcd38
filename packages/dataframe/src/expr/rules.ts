/**
 * The optimiser's rules (dask-expr's simplify/lower passes), each a rewrite of the whole plan that
 * keeps the result equal: the rows, their order and the columns of the root are those of the
 * plan as built.
 */
import { childrenOf, columnsOf, isBlockwise, readersOf, topological, type Expr, type FilterExpr, type MergeStrategy, type ParquetFilter, type ReadParquetExpr } from './nodes';
import { npartitionsOf, rewriteUp, throughProjections } from './rewrite';

/** Projections that keep every column in order, and repartitions to the count a node already has. */
export function removeNoops(root: Expr): Expr {
  return rewriteUp(root, (e) => {
    if (e.kind === 'project') {
      if (e.child.kind === 'project') return { kind: 'project', child: e.child.child, columns: e.columns };
      const have = columnsOf(e.child);
      if (have && have.length === e.columns.length && have.every((c, i) => c === e.columns[i])) return e.child;
    }
    if (e.kind === 'repartition') {
      if (e.child.kind === 'repartition') return { kind: 'repartition', child: e.child.child, npartitions: e.npartitions };
      if (npartitionsOf(e.child) === e.npartitions) return e.child;
    }
    return e;
  });
}

const FILTER_OPS: Readonly<Record<string, ParquetFilter[1]>> = { gt: '>', ge: '>=', lt: '<', le: '<=', eq: '==' };

/**
 * Whether everything between `top` and `node` (`node` included) is read only from within: then
 * every path from `node` to the root passes through `top`, and rewriting `node` changes nothing else.
 */
function ownedBy(root: Expr, node: Expr, top: Expr): boolean {
  const parents = new Map<Expr, Expr[]>();
  for (const e of topological(root)) for (const c of new Set(childrenOf(e))) parents.set(c, [...(parents.get(c) ?? []), e]);
  const between = new Set<Expr>();
  const memo = new Map<Expr, boolean>();
  const reaches = (e: Expr): boolean => {
    if (e === node) return true;
    let r = memo.get(e);
    if (r === undefined) {
      r = childrenOf(e).map(reaches).some(Boolean);
      memo.set(e, r);
      if (r && e !== top) between.add(e);
    }
    return r;
  };
  if (!reaches(top)) return false;
  between.add(node);
  return [...between].every((e) => (parents.get(e) ?? []).every((p) => p === top || between.has(p)));
}

/** The node under projections, filters and assigns that leave `column` as it is (what a chain of them reads). */
function throughFilters(e: Expr, column: string): Expr {
  for (;;) {
    if (e.kind === 'project' || e.kind === 'filter') e = e.child;
    else if (e.kind === 'replay' && e.assigns && !e.assigns.includes(column)) e = e.inputs[0];
    else return e;
  }
}

/**
 * The nodes whose partitions a head() reads from (through every node but those that reduce:
 * a group-by or reduction has partitions of its own). A read with filters has fewer partitions
 * (row groups and files that cannot match are dropped), which would change which rows head takes.
 */
function partitionsFixed(root: Expr): Set<Expr> {
  const out = new Set<Expr>();
  const go = (e: Expr): void => {
    if (out.has(e) || (e.kind === 'replay' && !e.blockwise)) return;
    out.add(e);
    childrenOf(e).forEach(go);
  };
  for (const e of topological(root)) if (e.kind === 'head') go(e.child);
  return out;
}

/**
 * Sources whose partitions are combined row by row with those of another source (assign, series
 * arithmetic, a filter by another frame's mask): a filtered read has fewer partitions, so the
 * pair would no longer line up.
 */
function boundToOthers(root: Expr): Set<Expr> {
  const below = new Map<Expr, Set<Expr>>();
  const sources = (e: Expr): Set<Expr> => {
    let s = below.get(e);
    if (!s) {
      s = isBlockwise(e) || e.kind === 'fused' ? new Set(childrenOf(e).flatMap((c) => [...sources(c)])) : new Set([e]);
      below.set(e, s);
    }
    return s;
  };
  const out = new Set<Expr>();
  for (const e of topological(root)) {
    if (!isBlockwise(e) || childrenOf(e).length < 2) continue;
    const s = sources(e);
    if (s.size > 1) s.forEach((x) => out.add(x));
  }
  return out;
}

/**
 * `filter(col(x) <op> number)` over a Parquet read of the same frame: the comparison becomes a
 * Dask-style filter of the read, which skips row groups whose statistics exclude every row and
 * then drops the rows that fail it. That row test keeps exactly the rows the mask keeps (nulls and
 * NaN fail both), so the filter node goes: the mask is not evaluated twice, and the column it
 * reads is decoded only for the test unless something else uses it.
 */
export function pushPredicates(root: Expr): Expr {
  const add = new Map<ReadParquetExpr, ParquetFilter[]>();
  const pushed = new Set<FilterExpr>();
  const fixed = partitionsFixed(root);
  const bound = boundToOthers(root);
  for (const e of topological(root)) {
    if (e.kind !== 'filter' || fixed.has(e)) continue;
    const f = matchFilter(e);
    if (!f) continue;
    // The mask is of the frame filtered: it and the frame read the same source, past other filters.
    const src = throughFilters(e.child, f.filter[0]);
    if (src.kind !== 'read-parquet' || bound.has(src) || !ownedBy(root, src, e)) continue;
    add.set(src, [...(add.get(src) ?? []), f.filter]);
    pushed.add(e);
  }
  if (add.size === 0) return root;
  return rewriteUp(root, (e, was) => {
    if (e.kind === 'filter' && pushed.has(was as FilterExpr)) return e.child;
    const more = e.kind === 'read-parquet' ? add.get(e) : undefined;
    if (!more || e.kind !== 'read-parquet') return e;
    const { orig: _orig, ...rest } = e;
    return { ...rest, filters: [...e.filters, ...more] };
  });
  function matchFilter(e: FilterExpr): { filter: ParquetFilter } | undefined {
    const m = e.mask;
    if (m.kind !== 'compare' || m.child.kind !== 'column' || !Number.isFinite(m.value)) return undefined;
    const op = FILTER_OPS[m.op];
    const src = throughProjections(m.child.child);
    if (op === undefined || src !== throughProjections(e.child)) return undefined;
    return { filter: [m.child.column, op, m.value] };
  }
}

/** The columns each node's readers use ('all': every one, as at the root). */
function requiredColumns(root: Expr, order: readonly Expr[] = topological(root)): Map<Expr, Set<string> | 'all'> {
  const need = new Map<Expr, Set<string> | 'all'>([[root, 'all']]);
  const want = (e: Expr, cols: Iterable<string> | 'all'): void => {
    const had = need.get(e);
    if (had === 'all') return;
    if (cols === 'all') need.set(e, 'all');
    else need.set(e, new Set([...(had ?? []), ...cols]));
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const e = order[i];
    const mine = need.get(e) ?? 'all';
    switch (e.kind) {
      case 'project':
        want(e.child, mine === 'all' ? e.columns : e.columns.filter((c) => mine.has(c)));
        break;
      case 'column':
        want(e.child, [e.column]);
        break;
      case 'filter':
      case 'head':
      case 'repartition':
      case 'fused':
        want(e.child, mine);
        if (e.kind === 'filter') want(e.mask, 'all');
        break;
      case 'replay': {
        const reads = e.reads(mine);
        e.inputs.forEach((c, i) => want(c, reads[i] ?? 'all'));
        break;
      }
      case 'merge': {
        const [l, r] = mergeNeeds(e, mine);
        want(e.left, l);
        want(e.right, r);
        break;
      }
      default:
        for (const c of childrenOf(e)) want(c, 'all');
    }
  }
  return need;
}

const asList = (x: string | readonly string[] | undefined): readonly string[] => (x === undefined ? [] : typeof x === 'string' ? [x] : x);

/**
 * The columns of each side a merge needs for the columns used of its result: the keys, those
 * used (under their name or suffixed), and every column both sides have, so that suffixes stay.
 */
function mergeNeeds(e: Expr & { kind: 'merge' }, mine: Set<string> | 'all'): [Iterable<string> | 'all', Iterable<string> | 'all'] {
  const o = e.options;
  const lc = columnsOf(e.left);
  const rc = columnsOf(e.right);
  if (mine === 'all' || !lc || !rc || o.how === 'cross' || o.leftIndex || o.rightIndex) return ['all', 'all'];
  const [sx, sy] = o.suffixes ?? ['_x', '_y'];
  const side = (cols: readonly string[], other: readonly string[], keys: readonly string[], suffix: string): string[] =>
    cols.filter((c) => keys.includes(c) || other.includes(c) || mine.has(c) || mine.has(c + suffix));
  const shared = lc.filter((c) => rc.includes(c));
  const lk = o.on !== undefined ? asList(o.on) : o.leftOn !== undefined ? asList(o.leftOn) : shared;
  const rk = o.on !== undefined ? asList(o.on) : o.rightOn !== undefined ? asList(o.rightOn) : shared;
  return [side(lc, rc, lk, sx), side(rc, lc, rk, sy)];
}

/** Whether a source or projection reads a column nothing above it uses (what pushProjections removes). */
const readsUnused = (e: Expr, mine: Set<string> | 'all' | undefined): boolean =>
  mine !== undefined && mine !== 'all' && (e.kind === 'read-parquet' || e.kind === 'read-csv' || e.kind === 'memory' || e.kind === 'project') && e.columns.some((c) => !mine.has(c));

/**
 * Projection pushdown: a source reads only the columns some reader uses, and projections keep
 * only those (the root keeps all of its own). `order`: the plan's nodes in topological order,
 * when the caller has them.
 */
export function pushProjections(root: Expr, order?: readonly Expr[]): Expr {
  const need = requiredColumns(root, order);
  // Every column read is used (the seed's group-by over its two columns): the rewrite below would
  // rebuild nothing, so its walk is skipped.
  let unused = false;
  for (const [e, mine] of need) if (readsUnused(e, mine)) unused = true;
  if (!unused) return root;
  return rewriteUp(root, (e, was) => {
    const mine = need.get(was) ?? 'all';
    if (mine === 'all') return e;
    if ((e.kind === 'read-parquet' || e.kind === 'read-csv' || e.kind === 'memory') && e.columns.some((c) => !mine.has(c))) {
      let cols = e.columns.filter((c) => mine.has(c));
      // Reading no column would lose the row count: keep the first.
      if (cols.length === 0) cols = e.columns.slice(0, 1);
      const { orig: _orig, ...rest } = e;
      return { ...rest, columns: cols };
    }
    if (e.kind === 'project' && e.columns.some((c) => !mine.has(c))) {
      const cols = e.columns.filter((c) => mine.has(c));
      if (cols.length > 0) return { kind: 'project', child: e.child, columns: cols };
    }
    return e;
  });
}

/** The sources under partition-wise nodes, or undefined when another kind of node is in the way. */
function sourcesUnder(e: Expr): Expr[] | undefined {
  const out: Expr[] = [];
  const seen = new Set<Expr>();
  const go = (x: Expr): boolean => {
    if (seen.has(x)) return true;
    seen.add(x);
    if (x.kind === 'read-parquet' || x.kind === 'read-csv') {
      out.push(x);
      return true;
    }
    if (!isBlockwise(x) && x.kind !== 'fused') return false;
    return childrenOf(x).every(go);
  };
  return go(e) ? out : undefined;
}

/**
 * head(): the sources under the partition-wise operations it reads through read only the first
 * partitions head takes rows from; a projection right under it moves above it.
 */
export function pushHeads(root: Expr): Expr {
  const limits = new Map<Expr, number>();
  for (const e of topological(root)) {
    if (e.kind !== 'head') continue;
    const srcs = sourcesUnder(e.child);
    if (!srcs || !srcs.every((s) => ownedBy(root, s, e))) continue;
    for (const s of srcs) limits.set(s, e.partitions);
  }
  return rewriteUp(root, (e, was) => {
    const limit = limits.get(was);
    if ((e.kind === 'read-parquet' || e.kind === 'read-csv') && limit !== undefined && (e.limit === undefined || e.limit > limit)) {
      const { orig: _orig, ...rest } = e;
      return { ...rest, limit };
    }
    if (e.kind === 'head' && e.child.kind === 'project') {
      return { kind: 'project', child: { kind: 'head', child: e.child.child, n: e.n, partitions: e.partitions }, columns: e.child.columns };
    }
    return e;
  });
}

/** A side of a merge at most this large (known bytes) is broadcast to every partition of the other. */
export const BROADCAST_BYTES = 8 * 2 ** 20;

/** Bytes a node yields at most, when known (frames made from in-memory data). */
function bytesAtMost(e: Expr): number | undefined {
  if (e.orig?.bytes !== undefined) return e.orig.bytes;
  if (e.kind === 'memory') return e.bytes;
  return (isBlockwise(e) && e.kind !== 'replay') || e.kind === 'fused' || e.kind === 'repartition' ? bytesAtMost(childrenOf(e)[0]) : undefined;
}

/**
 * Dask's rule for broadcasting a side by partition counts (merge's broadcast_bias of 0.5): the
 * smaller side has fewer than half of log2 of the larger side's partitions. Joining every
 * partition with the whole small side then builds its hash table once per worker (join-table.ts)
 * instead of hash-partitioning both sides.
 */
function fewPartitions(small: Expr, big: Expr): boolean {
  const s = npartitionsOf(small);
  const b = npartitionsOf(big);
  return s !== undefined && b !== undefined && s < Math.log2(b) * 0.5;
}

/**
 * A merge's strategy from what is known of its sides: partition-wise on the indexes when their
 * divisions are known and equal, broadcast of a side with one partition or few known bytes (when
 * the join keeps none of its unmatched rows), a hash shuffle otherwise.
 */
export function chooseMergeStrategies(root: Expr): Expr {
  return rewriteUp(root, (e) => {
    if (e.kind !== 'merge' || e.strategy !== undefined) return e;
    const o = e.options;
    if (o.how === 'cross') return e;
    let strategy: MergeStrategy;
    if (o.leftIndex || o.rightIndex) {
      const a = e.left.orig?.divisions;
      const b = e.right.orig?.divisions;
      if (!a || !b || a.length !== b.length || a.some((d, i) => d !== b[i])) return e;
      strategy = 'partitionwise';
    } else {
      const how = o.how ?? 'inner';
      const fits = (x: Expr, other: Expr): boolean =>
        npartitionsOf(x) === 1 || (o.npartitions === undefined && ((bytesAtMost(x) ?? Infinity) <= BROADCAST_BYTES || fewPartitions(x, other)));
      if ((how === 'inner' || how === 'left') && fits(e.right, e.left)) strategy = 'broadcast-right';
      else if ((how === 'inner' || how === 'right') && fits(e.left, e.right)) strategy = 'broadcast-left';
      else strategy = 'hash';
    }
    const { orig: _orig, ...rest } = e;
    return { ...rest, strategy };
  });
}

/** Each maximal run of two or more partition-wise operations becomes one fused node. */
export function fuseBlockwise(root: Expr): Expr {
  const parents = new Map<Expr, Expr[]>();
  for (const e of topological(root)) for (const c of new Set(childrenOf(e))) parents.set(c, [...(parents.get(c) ?? []), e]);
  const size = (e: Expr, seen = new Set<Expr>()): number => {
    if (!isBlockwise(e) || seen.has(e)) return 0;
    seen.add(e);
    return 1 + childrenOf(e).reduce((n, c) => n + size(c, seen), 0);
  };
  return rewriteUp(root, (e, was) => {
    if (!isBlockwise(was)) return e;
    const top = was === root || (parents.get(was) ?? []).some((p) => !isBlockwise(p));
    return top && size(was) >= 2 ? { kind: 'fused', child: e } : e;
  });
}

/**
 * Nodes that no rule but pushProjections rewrites or looks for: removeNoops (projections,
 * repartitions), pushPredicates (filters), pushHeads (heads), chooseMergeStrategies (merges) and
 * fuseBlockwise (partition-wise nodes) find nothing in a plan made only of these, and
 * pushProjections makes no node that they would.
 */
const onlyProjectionsApply = (e: Expr): boolean =>
  e.kind === 'memory' || e.kind === 'read-parquet' || e.kind === 'read-csv' || e.kind === 'opaque' || (e.kind === 'replay' && !isBlockwise(e));

/** The optimised plan: the rules in order, each over the result of the last. */
export function optimizeExpr(root: Expr): Expr {
  // Most plans are sources under reductions and group-bys (the seed's): of the rules, only the
  // projection pushdown can change them, and the other passes' walks cost more than the planning.
  const order = topological(root);
  if (order.every(onlyProjectionsApply)) return pushProjections(root, order);
  let e = removeNoops(root);
  e = pushPredicates(e);
  e = pushHeads(e);
  e = pushProjections(e);
  e = removeNoops(e);
  e = chooseMergeStrategies(e);
  return fuseBlockwise(e);
}
