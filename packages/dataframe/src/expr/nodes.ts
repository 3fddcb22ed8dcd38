/**
 * The logical plan of a frame or series (dask-expr's expressions): what each lazy collection was
 * made from, kept beside its graph layer so that compute/persist/visualize can rewrite the whole
 * chain (see optimize.ts) before it becomes tasks (lower.ts). A node made by a method keeps the
 * collection that method built (`orig`): an unchanged subtree lowers to it as it is.
 */
import type { Partitioned } from '../base';
import type { MergeOptions } from '../merge';
import type { CompareOp } from '../ops/elementwise';
import type { ReadCsvOptions } from '../io/read-csv';
import type { FooterCache, ParquetInput, ReadParquetOptions } from '../io/read-parquet';
import type { Scalar } from '../scalar';

/** A Dask-style Parquet filter: `[column, op, value]`, as `filters=[('x', '>', 5)]`. */
export type ParquetFilter = readonly [column: string, op: '>' | '>=' | '<' | '<=' | '==', value: number];

export type Lazy = Partitioned<unknown>;

interface Node {
  /** The collection its method built, when the node is as that method made it. */
  readonly orig?: Lazy;
}

export interface ReadParquetExpr extends Node {
  readonly kind: 'read-parquet';
  readonly paths: ParquetInput;
  readonly options: ReadParquetOptions;
  /** The data columns read, in the frame's order. */
  readonly columns: readonly string[];
  readonly filters: readonly ParquetFilter[];
  /** The files' footers, read when the frame was made: lowering does not read them again. */
  readonly footers: FooterCache;
  /** Only the first `limit` partitions are read (head pushdown). */
  readonly limit?: number;
}

export interface ReadCsvExpr extends Node {
  readonly kind: 'read-csv';
  readonly paths: string | readonly string[];
  readonly options: ReadCsvOptions;
  readonly columns: readonly string[];
  readonly limit?: number;
}

export interface ProjectExpr extends Node {
  readonly kind: 'project';
  readonly child: Expr;
  readonly columns: readonly string[];
}

export interface ColumnExpr extends Node {
  readonly kind: 'column';
  readonly child: Expr;
  readonly column: string;
}

export interface CompareExpr extends Node {
  readonly kind: 'compare';
  readonly child: Expr;
  readonly op: CompareOp;
  readonly value: number;
}

export interface FilterExpr extends Node {
  readonly kind: 'filter';
  readonly child: Expr;
  readonly mask: Expr;
}

export interface HeadExpr extends Node {
  readonly kind: 'head';
  readonly child: Expr;
  readonly n: number;
  /** Partitions the rows are taken from. */
  readonly partitions: number;
}

export interface RepartitionExpr extends Node {
  readonly kind: 'repartition';
  readonly child: Expr;
  readonly npartitions: number;
}

export type MergeStrategy = 'broadcast-left' | 'broadcast-right' | 'partitionwise' | 'hash';

export interface MergeExpr extends Node {
  readonly kind: 'merge';
  readonly left: Expr;
  readonly right: Expr;
  readonly options: MergeOptions;
  readonly method: string;
  /** Chosen by the optimiser; undefined: merge() decides from the partition counts alone. */
  readonly strategy?: MergeStrategy;
}

/** Consecutive partition-wise operations run as one task per partition. */
export interface FusedExpr extends Node {
  readonly kind: 'fused';
  readonly child: Expr;
}

/** An operation the planner does not model: its own layer, as built. */
export interface OpaqueExpr extends Node {
  readonly kind: 'opaque';
  readonly orig: Lazy;
}

/**
 * An operation the planner sees through without knowing its kernel (a group-by aggregation, a
 * reduction, assign, series arithmetic): recorded where its method builds it, it says which
 * columns of its inputs it reads and rebuilds itself, by the same method, over rewritten inputs.
 */
export interface ReplayExpr extends Node {
  readonly kind: 'replay';
  /** What explain() prints, e.g. `GroupBy.mean by=[key]`. */
  readonly label: string;
  readonly inputs: readonly Expr[];
  /** Partition i reads partition i of each input only. */
  readonly blockwise: boolean;
  /** The frame's columns (undefined for series and scalars). */
  readonly columns?: readonly string[];
  /** The columns of each input it reads, given those its readers use ('all': every one). */
  readonly reads: (used: ReadonlySet<string> | 'all') => readonly (Iterable<string> | 'all')[];
  /** The columns it sets (assign): the others pass through from its first input, row for row. */
  readonly assigns?: readonly string[];
  /** The operation over other inputs (frames or series, in the order of `inputs`). */
  readonly build: (inputs: readonly Lazy[]) => Lazy | Scalar<unknown>;
}

/** A frame made from in-memory data (fromArrow, fromColumns): it can carry fewer columns. */
export interface MemoryExpr extends Node {
  readonly kind: 'memory';
  readonly columns: readonly string[];
  /** The same partitions holding only these columns (the index stays). */
  readonly project: (columns: readonly string[]) => Lazy;
  /** The bytes of every column (an upper bound after projection). */
  readonly bytes?: number;
}

export type Expr =
  | ReplayExpr
  | MemoryExpr
  | ReadParquetExpr
  | ReadCsvExpr
  | ProjectExpr
  | ColumnExpr
  | CompareExpr
  | FilterExpr
  | HeadExpr
  | RepartitionExpr
  | MergeExpr
  | FusedExpr
  | OpaqueExpr;

type WithoutOrig<E> = E extends Expr ? Omit<E, 'orig'> : never;
export type ExprInit = WithoutOrig<Expr>;

/** The expression of a collection: the one its method recorded, or an opaque leaf. */
export function exprOf(c: Lazy): Expr {
  return c.expr ?? { kind: 'opaque', orig: c };
}

/** Records how `c` was made (its method's expression) and returns it. */
export function withExpr<C extends Lazy>(c: C, e: ExprInit): C {
  c.expr = { ...e, orig: c } as Expr;
  return c;
}

/** The direct inputs of a node. */
export function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case 'project':
    case 'column':
    case 'compare':
    case 'head':
    case 'repartition':
    case 'fused':
      return [e.child];
    case 'filter':
      return [e.child, e.mask];
    case 'merge':
      return [e.left, e.right];
    case 'replay':
      return [...e.inputs];
    default:
      return [];
  }
}

/** Operations whose partition i reads only partition i of their inputs. */
export const isBlockwise = (e: Expr): boolean => e.kind === 'project' || e.kind === 'column' || e.kind === 'compare' || e.kind === 'filter' || (e.kind === 'replay' && e.blockwise);

/** Every node once, inputs before their readers. */
export function topological(root: Expr): Expr[] {
  const seen = new Set<Expr>();
  const out: Expr[] = [];
  const visit = (e: Expr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    for (const c of childrenOf(e)) visit(c);
    out.push(e);
  };
  visit(root);
  return out;
}

/** How many distinct nodes read each node. */
export function readersOf(root: Expr): Map<Expr, number> {
  const n = new Map<Expr, number>();
  for (const e of topological(root)) for (const c of new Set(childrenOf(e))) n.set(c, (n.get(c) ?? 0) + 1);
  return n;
}

/** The same node over other inputs (no longer the collection its method built). */
export function withChildren(e: Expr, kids: readonly Expr[]): Expr {
  const old = childrenOf(e);
  if (old.length === kids.length && old.every((c, i) => c === kids[i])) return e;
  const { orig: _orig, ...rest } = e as Expr & { orig?: Lazy };
  switch (e.kind) {
    case 'filter':
      return { ...(rest as Omit<typeof e, 'orig'>), child: kids[0], mask: kids[1] };
    case 'merge':
      return { ...(rest as Omit<typeof e, 'orig'>), left: kids[0], right: kids[1] };
    case 'replay':
      return { ...(rest as Omit<typeof e, 'orig'>), inputs: [...kids] };
    default:
      return { ...(rest as Omit<typeof e, 'orig'>), child: kids[0] } as Expr;
  }
}

/** The columns a frame expression yields (undefined for series). */
export function columnsOf(e: Expr): readonly string[] | undefined {
  switch (e.kind) {
    case 'read-parquet':
    case 'read-csv':
    case 'project':
    case 'memory':
    case 'replay':
      return e.columns;
    case 'filter':
    case 'head':
    case 'repartition':
    case 'fused':
      return columnsOf(e.child);
    case 'column':
    case 'compare':
      return undefined;
    case 'merge':
    case 'opaque': {
      const c = e.orig as Lazy & { columns?: string[] };
      return Array.isArray(c?.columns) ? c.columns : undefined;
    }
  }
}

/**
 * Records `out` as made by `build` over `inputs` (a replayed operation; see ReplayExpr). A
 * Scalar result holds its node without `orig`: lowering rebuilds it when its plan changed.
 */
export function withReplay<C extends Lazy | Scalar<unknown>>(
  out: C,
  label: string,
  inputs: readonly Lazy[],
  build: (inputs: readonly Lazy[]) => Lazy | Scalar<unknown>,
  opts: { blockwise?: boolean; reads?: ReplayExpr['reads']; assigns?: readonly string[] } = {},
): C {
  const cols = (out as { columns?: unknown }).columns;
  const e: Omit<ReplayExpr, 'orig'> = {
    kind: 'replay',
    label,
    inputs: inputs.map(exprOf),
    blockwise: opts.blockwise ?? false,
    ...(Array.isArray(cols) ? { columns: [...(cols as string[])] } : {}),
    reads: opts.reads ?? (() => inputs.map(() => 'all' as const)),
    ...(opts.assigns ? { assigns: opts.assigns } : {}),
    build,
  };
  if ('npartitions' in out) (out as Lazy).expr = { ...e, orig: out as Lazy };
  else (out as Scalar<unknown>).expr = e;
  return out;
}
