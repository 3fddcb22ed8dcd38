/**
 * Persisted results that stay in the worker thread that computed them, as Dask's persist does on
 * a cluster: the caller holds a small reference (a `ResidentValue` in a data node of the rebuilt
 * collection), the data stays where it was made, and later computations on the same pool read
 * it there. When the reference is garbage-collected the worker lets the data go.
 *
 * A reference also keeps its lineage (the graph that computed it), so a value lost with its
 * worker thread, or a pool that was closed, costs a recomputation instead of an error.
 */
import type { IndexedGraph } from '../../graph/indexed';
import { remoteValueSymbol, type Key, type RemoteValue } from '../../graph/spec';
import type { ThreadPool } from './pool';

/** The graph a persist ran: enough to recompute any of its results. */
export interface Lineage {
  readonly graph: IndexedGraph;
}

interface Held {
  readonly pool: ThreadPool;
  readonly holder: number;
  readonly id: number;
}

const collected = new FinalizationRegistry<Held>((h) => h.pool.forgetResident(h.holder, h.id));

export class ResidentValue implements RemoteValue {
  readonly [remoteValueSymbol] = true as const;
  private released = false;

  constructor(
    readonly pool: ThreadPool,
    /** The pool slot (worker thread) holding the value. */
    readonly holder: number,
    /** Its id in that worker's resident store (>= RESIDENT_BASE, pool-wide unique). */
    readonly id: number,
    readonly key: Key,
    readonly nbytes: number,
    readonly lineage: Lineage,
  ) {
    collected.register(this, { pool, holder, id }, this);
  }

  /** Whether the value is still held (its worker thread running, and not released). */
  get live(): boolean {
    return !this.released && this.pool.isLive(this.holder);
  }

  /**
   * Lets the worker drop the value now rather than when this reference is garbage-collected
   * (which V8 does not hurry: the reference is small, the data is in another thread). Computing
   * a collection holding a released value recomputes it from its lineage.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    collected.unregister(this);
    this.pool.forgetResident(this.holder, this.id);
  }

  /** The threads executor of the same pool (compared by pool: no import of the executor here). */
  readableBy(executor: object): boolean {
    return (executor as { pool?: unknown }).pool === this.pool && this.live;
  }

  async fetch(): Promise<unknown> {
    const got = await this.pool.fetchResident(this.holder, [this.id]);
    if (got.missing.length) throw new PersistedDataLostError(this.key, new Error(`worker thread ${this.holder} no longer holds it`));
    return got.values[0];
  }

  toString(): string {
    return `ResidentValue('${this.key}' in worker thread ${this.holder}${this.live ? '' : ', lost'})`;
  }
}

/**
 * A persisted input as a lineage remembers it: weakly, so that the lineage of later results does
 * not keep earlier data alive (an iterative loop that persists each step would otherwise hold
 * every step). Gone, it is recomputed from its own lineage.
 */
export class LineageInput {
  private readonly ref: WeakRef<ResidentValue>;
  readonly key: Key;
  readonly lineage: Lineage;

  constructor(v: ResidentValue) {
    this.ref = new WeakRef(v);
    this.key = v.key;
    this.lineage = v.lineage;
  }

  /** The persisted value, if it is still referenced somewhere. */
  deref(): ResidentValue | undefined {
    return this.ref.deref();
  }
}

/** A persisted value's worker thread died while a computation was reading it. */
export class PersistedDataLostError extends Error {
  override name = 'PersistedDataLostError';
  constructor(
    readonly key: Key,
    cause: unknown,
  ) {
    super(
      `Persisted data '${key}' was lost with the worker thread holding it while this computation ran. ` +
        `Compute again: the next computation recomputes it from the graph that made it.`,
      { cause },
    );
  }
}
