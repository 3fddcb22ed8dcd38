import { inspect } from 'node:util';
import { collectionSymbol, Delayed, layerNode, MaterializedLayer, remoteValueSymbol, tokenizeSymbol, type CollectionGraph, type Collection, type FusedNode, type Key, type RemoteValue } from '@pdask/core';

export type FutureStatus = 'pending' | 'finished' | 'error' | 'cancelled' | 'lost';

/** The failure of a future that was cancelled, or whose cluster restarted. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(readonly key: Key, reason = 'cancelled') {
    super(`Future '${key}' was ${reason}`);
  }
}

/** What a client knows about one key it holds. */
export class KeyEntry {
  status: FutureStatus = 'pending';
  holders: string[] = [];
  error: Error | undefined;
  /** Holds this client has on the key at the scheduler. */
  refs = 0;
  private listeners: (() => void)[] = [];

  constructor(readonly key: Key) {}

  settle(status: FutureStatus, error?: Error, holders?: string[]): void {
    this.status = status;
    this.error = error;
    if (holders) this.holders = holders;
    const ls = this.listeners;
    this.listeners = [];
    for (const l of ls) l();
  }

  /** Resolves when the key is no longer pending. */
  settled(): Promise<void> {
    if (this.status !== 'pending') return Promise.resolve();
    return new Promise((r) => this.listeners.push(r));
  }

  onSettled(fn: () => void): void {
    if (this.status !== 'pending') fn();
    else this.listeners.push(fn);
  }
}

/** What a Future needs from its client (kept narrow to avoid a module cycle). */
export interface FutureOwner {
  /** The executor that runs graphs on this owner's cluster (it reads the key in place). */
  readonly executor: object;
  entryOf(key: Key): KeyEntry | undefined;
  gatherOne(key: Key): Promise<unknown>;
  releaseHold(key: Key, entry: KeyEntry): void;
  cancel(futures: Future<unknown>[]): Promise<void>;
}

const registry = new FinalizationRegistry<{ owner: FutureOwner; key: Key; entry: KeyEntry }>((h) => h.owner.releaseHold(h.key, h.entry));

/**
 * A remote result (Dask's Future): the value stays on a worker until `result()` fetches it. A
 * Future holds its key on the cluster until `release()`, `cancel()`, or garbage collection. It is
 * a collection: pass it to `client.submit`, `delayed` functions, or `compute`.
 */
export class Future<T = unknown> implements Collection<T>, RemoteValue {
  readonly [remoteValueSymbol] = true as const;
  private released = false;

  /** @internal */
  constructor(
    readonly key: Key,
    /** @internal */
    readonly owner: FutureOwner,
    /** @internal */
    readonly entry: KeyEntry,
  ) {
    registry.register(this, { owner, key, entry }, this);
  }

  get status(): FutureStatus {
    return this.released && this.entry.status === 'pending' ? 'cancelled' : this.entry.status;
  }

  done(): boolean {
    return this.entry.status !== 'pending';
  }

  /** Waits for the task and fetches its value from the worker holding it; throws its error. */
  async result(): Promise<T> {
    if (this.released) throw new CancelledError(this.key, 'released');
    return (await this.owner.gatherOne(this.key)) as T;
  }

  /** A graph run by this future's own client reads the key on the cluster. */
  readableBy(executor: object): boolean {
    return executor === this.owner.executor;
  }

  /** The value, for a graph run elsewhere (another scheduler or client). */
  fetch(): Promise<unknown> {
    return this.result();
  }

  /** The task's error once it failed, or undefined if it succeeded. */
  async exception(): Promise<Error | undefined> {
    await this.entry.settled();
    return this.entry.error;
  }

  /** Calls `fn` once the future is finished, failed or cancelled. */
  addDoneCallback(fn: (f: Future<T>) => void): void {
    this.entry.onSettled(() => fn(this));
  }

  cancel(): Promise<void> {
    return this.owner.cancel([this as Future<unknown>]);
  }

  /** Drops this future's hold on the result (the cluster frees it when nothing else needs it). */
  release(): void {
    if (this.released) return;
    this.released = true;
    registry.unregister(this);
    this.owner.releaseHold(this.key, this.entry);
  }

  /** @internal */
  markReleased(): void {
    this.released = true;
    registry.unregister(this);
  }

  [collectionSymbol](): CollectionGraph<T> {
    // A placeholder the scheduler resolves to the key it already has. Written as an empty fused
    // node so that graph optimisation never inlines it into a reader.
    const node: FusedNode = { kind: 'fused', key: this.key, members: [], deps: [] };
    return {
      roots: [layerNode(new MaterializedLayer(this.key, [node], 'future'))],
      keys: [this.key],
      rebuild: (values) => Delayed.fromData<T>(this.key, values.get(this.key) as T),
    };
  }

  [tokenizeSymbol](): unknown {
    return this.key;
  }

  toString(): string {
    return `Future('${this.key}', ${this.status})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export function isFuture(x: unknown): x is Future {
  return x instanceof Future;
}
