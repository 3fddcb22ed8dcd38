/**
 * What lazy frames and series share: partitions named `<name>-<i>`, an output layer, divisions,
 * the description of their columns (Dask's meta), and building a partition-wise operation.
 */
import {
  CollectionBase,
  collectionSymbol,
  dataNode,
  layerNode,
  MaterializedLayer,
  type CollectionGraph,
  type Finalizer,
  type Key,
  type LayerNode,
  type TaskNode,
  type ComputeOptions,
  type VisualizeOptions,
} from '@pdask/core';
import { checkComputeOptions, checkOptions, resolveOp, type OptionSchema } from '@pdask/core';
import { FrameLayer, opName, partitionKey } from './graph';
import type { TypeDesc } from './ops/types';
import type { Expr } from './expr/nodes';
import { chooseFrameScheduler, runsDirect } from './inline';
import type { Part } from './ops/part';

/** What the query planner (expr/) does for a collection; registered by expr/planner.ts. */
export interface Planner {
  /** The collection optimised and lowered to graph layers (the same object when nothing changes). */
  plan(c: Partitioned<unknown>): Promise<Partitioned<unknown>>;
  explain(c: Partitioned<unknown>): string;
}

let planner: Planner | undefined;

/** @internal */
export function registerPlanner(p: Planner): void {
  planner = p;
}

/** visualize() of a frame or series: core's options and `optimized`. */
export interface FrameVisualizeOptions extends VisualizeOptions {
  /** Draw the graph as the methods built it, before query planning (default true: the planned graph). */
  optimized?: boolean;
}

// Core's own options are checked by core's visualize; this adds `optimized` and refuses the rest by name.
const FRAME_VISUALIZE_OPTIONS: OptionSchema<FrameVisualizeOptions> = {
  filename: 'any',
  format: 'any',
  color: 'any',
  rankdir: 'any',
  optimizeGraph: 'any',
  optimized: 'boolean',
};

/** One level of an index: its type and name (the key column's). */
export interface IndexLevel {
  readonly type: TypeDesc;
  readonly name: string | null;
}

/**
 * The index of a collection whose partitions carry one (group keys, column names): one level, or
 * one per key column of a group-by on several columns (pandas' MultiIndex).
 */
export interface IndexMeta {
  readonly levels: readonly IndexLevel[];
}

/** The names of the index levels (none: the labels are row positions). */
export const indexNamesOf = (index: IndexMeta | null): (string | null)[] => (index ? index.levels.map((l) => l.name) : []);

/** A division boundary: an index value (a row position for frames made from data without an index). */
export type DivisionValue = number | string;

/**
 * Division boundaries, as Dask's: npartitions + 1 index values, partition i holding the labels in
 * [divisions[i], divisions[i + 1]) (the last one closed); null when unknown.
 */
export type Divisions = readonly DivisionValue[] | null;

export interface Graphed {
  readonly name: string;
  readonly npartitions: number;
  readonly layer: LayerNode;
  readonly divisions: Divisions;
}

export interface PartitionwiseSpec {
  kind: string;
  /** What identifies the operation besides its inputs. */
  token: readonly unknown[];
  /** The task computing `key`, output partition i (built with an operation's handle). */
  task: (key: Key, i: number) => TaskNode;
  /** Layers read besides the first input's. */
  parents?: readonly LayerNode[];
}

/** The name and layer of an operation whose partition i reads partition i of `inputs`. */
export function partitionwise(inputs: readonly Graphed[], spec: PartitionwiseSpec): { name: string; layer: LayerNode } {
  const name = opName(spec.kind, inputs.map((x) => x.name), ...spec.token);
  const n = inputs[0].npartitions;
  const layer = new FrameLayer(name, spec.kind, function* () {
    for (let i = 0; i < n; i++) yield spec.task(partitionKey(name, i), i);
  });
  const parents = [...new Set([...inputs.map((x) => x.layer), ...(spec.parents ?? [])])];
  return { name, layer: layerNode(layer, parents) };
}

/** A layer of partitions already computed (persist). */
export function dataLayer(name: string, values: ReadonlyMap<Key, unknown>, npartitions: number): LayerNode {
  const nodes = Array.from({ length: npartitions }, (_, i) => dataNode(partitionKey(name, i), values.get(partitionKey(name, i))));
  return layerNode(new MaterializedLayer(name, nodes, 'data'));
}

/** Inputs combined partition by partition must be partitioned alike. */
export function checkAligned(a: Graphed, b: Graphed, method: string): void {
  if (a.npartitions !== b.npartitions) {
    throw new Error(`${method}: the operands have ${a.npartitions} and ${b.npartitions} partitions; collections combined row by row must be partitioned alike (pdask does not align on the index)`);
  }
  if (a.divisions && b.divisions && a.divisions.some((d, i) => d !== b.divisions![i])) {
    throw new Error(`${method}: the operands have different divisions ([${a.divisions.join(', ')}] and [${b.divisions.join(', ')}]); they must be partitioned alike`);
  }
}

export function keysOf(g: Graphed): Key[] {
  return Array.from({ length: g.npartitions }, (_, i) => partitionKey(g.name, i));
}

/**
 * A lazy partitioned collection (DataFrame, Series): the collection protocol over its partitions
 * (compute, persist and visualize come from core's CollectionBase); `R` is what compute() returns.
 */
export abstract class Partitioned<R> extends CollectionBase<R> implements Graphed {
  constructor(
    readonly name: string,
    readonly npartitions: number,
    /** @internal */
    readonly layer: LayerNode,
    /** Partition boundaries in index values (npartitions + 1 values), or null when unknown. */
    readonly divisions: Divisions,
    /** @internal Estimated bytes of all partitions, when known (frames made from in-memory data). */
    readonly bytes?: number,
  ) {
    super();
  }

  /** How the computed partitions become the local result. */
  protected abstract finalizer(): Finalizer;

  /** The same collection over other partitions (what persist returns). */
  protected abstract withLayer(layer: LayerNode): Partitioned<R>;

  /** Whether the divisions are known (Dask's known_divisions). */
  get knownDivisions(): boolean {
    return this.divisions !== null;
  }

  [collectionSymbol](): CollectionGraph<R> {
    return {
      roots: [this.layer],
      keys: keysOf(this),
      finalize: this.finalizer(),
      ...(this.bytes !== undefined ? { resultBytes: this.bytes } : {}),
      rebuild: (values) => this.withLayer(dataLayer(this.name, values, this.npartitions)),
    };
  }

  protected tokenKey(): unknown {
    return this.name;
  }

  /** @internal The logical expression this collection was made by (undefined: opaque to the planner). */
  expr?: Expr;

  private planned(): Promise<Partitioned<unknown>> {
    return planner && this.expr ? planner.plan(this) : Promise.resolve(this);
  }

  /**
   * @internal This collection's partitions computed by calling its operations directly, set by an
   * operation that can (a group-by of in-memory partitions): for a graph small enough to run on
   * the calling thread, core's graph, ordering and executor cost more than the work.
   */
  direct?: () => readonly Part[];

  /** Optimises the plan (see explain()), then runs the graph and returns the result. */
  override async compute(opts: ComputeOptions = {}): Promise<R> {
    const c = await this.planned();
    if (c.direct && runsDirect([c.layer], checkComputeOptions(opts))) {
      const f = c.finalizer();
      const finish = await resolveOp(f.op);
      return finish(c.direct(), ...(f.args ?? [])) as R;
    }
    // The lowered collection runs as built: planning it again would find nothing new.
    return c === this ? super.compute(opts) : (CollectionBase.prototype.compute.call(c, opts) as Promise<R>);
  }

  override async persist(opts: ComputeOptions = {}): Promise<this> {
    const c = await this.planned();
    return (c === this ? super.persist(opts) : CollectionBase.prototype.persist.call(c, opts)) as Promise<this>;
  }

  /** Draws the task graph of the optimised plan, or with `{ optimized: false }` the graph as built. */
  override async visualize(opts: FrameVisualizeOptions = {}): Promise<string> {
    const { optimized, ...rest } = checkOptions('visualize', opts, FRAME_VISUALIZE_OPTIONS);
    const c = optimized === false ? this : await this.planned();
    return c === this ? super.visualize(rest) : CollectionBase.prototype.visualize.call(c, rest);
  }

  /**
   * The logical plan before and after optimisation, as an indented tree (see the README's
   * "Query planning").
   */
  explain(): string {
    if (!planner) throw new Error('explain: the query planner is not loaded (import @pdask/dataframe)');
    return planner.explain(this);
  }

  /** Without a `scheduler`, a graph over small in-memory frames runs in the calling thread (inline.ts). */
  protected override computeOptions(opts: ComputeOptions, persist: boolean): ComputeOptions {
    return chooseFrameScheduler([this.layer], opts, persist);
  }
}
