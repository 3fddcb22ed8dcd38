import {
  checkComputeOptions,
  Delayed,
  layerNode,
  MaterializedLayer,
  remoteValueSymbol,
  SingleKeyCollection,
  type ComputeOptions,
  type Executor,
  type FusedNode,
  type Key,
  type LayerNode,
  type RemoteValue,
} from '@pdask/core';

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
  /** The result, when it came inline with the 'memory' message (a small primitive: see inline-results.ts). */
  value: unknown;
  hasValue = false;
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
  readonly executor: Executor;
  entryOf(key: Key): KeyEntry | undefined;
  gatherOne(key: Key): Promise<unknown>;
  releaseHold(key: Key, entry: KeyEntry): void;
  cancel(futures: Future<unknown>[]): Promise<void>;
}

/** A future's hold, as its finalizer sees it: `live` until the future releases it itself. */
interface Hold {
  owner: FutureOwner;
  key: Key;
  entry: KeyEntry;
  live: boolean;
}

// Registered without an unregister token: a future that releases its hold marks it dead instead
// (registering and unregistering with a token cost ~2.5 times as much, on every submit).
const registry = new FinalizationRegistry<Hold>((h) => {
  if (h.live) h.owner.releaseHold(h.key, h.entry);
});

/**
 * Futures that something is waiting on, with how many waits each. A wait often holds only keys
 * (`client.gather(client.map(f, xs))` keeps no other reference to the futures): without this, a
 * garbage collection during the wait would release the keys and the wait would never end.
 */
const awaited = new Map<Future<unknown>, number>();

/** Runs `waiting` with the futures strongly held until it settles. */
export async function keepingAlive<R>(futures: Iterable<Future<unknown>>, waiting: () => Promise<R>): Promise<R> {
  const held = [...futures];
  for (const f of held) awaited.set(f, (awaited.get(f) ?? 0) + 1);
  try {
    return await waiting();
  } finally {
    for (const f of held) {
      const n = awaited.get(f)! - 1;
      if (n === 0) awaited.delete(f);
      else awaited.set(f, n);
    }
  }
}

/** A placeholder the scheduler resolves to the key it already has: an empty fused node, so that graph optimisation never inlines it into a reader. */
function knownKeyLayer(key: Key): LayerNode {
  const node: FusedNode = { kind: 'fused', key, members: [], deps: [] };
  return layerNode(new MaterializedLayer(key, [node], 'future'));
}

/**
 * A remote result (Dask's Future): the value stays on a worker until `result()` fetches it. A
 * Future holds its key on the cluster until `release()`, `cancel()`, or garbage collection. It is
 * a single-key collection: pass it to `client.submit`, `delayed` functions, or `compute`; its own
 * `compute()` runs on its client (as `result()`), and `persist()` is the future itself, once done.
 */
export class Future<T = unknown> extends SingleKeyCollection<T> implements RemoteValue {
  readonly [remoteValueSymbol] = true as const;
  private released = false;
  /** What the finalizer releases if this future is collected while holding its key. */
  private readonly hold: Hold;

  /** @internal */
  constructor(
    key: Key,
    /** @internal */
    readonly owner: FutureOwner,
    /** @internal */
    readonly entry: KeyEntry,
  ) {
    super(key, knownKeyLayer(key));
    this.hold = { owner, key, entry, live: true };
    registry.register(this, this.hold);
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
    const e = this.entry;
    // The common case, a small result that comes with its 'memory' report, without
    // keepingAlive's bookkeeping and gatherOne's extra await. This future cannot be collected
    // meanwhile: the suspended call holds `this` (read after the await), and the call is reached
    // from the entry's listeners, which the client holds while the entry is its own.
    if (this.owner.entryOf(this.key) === e) {
      if (e.status === 'pending') await e.settled();
      if (e.status === 'finished' && e.hasValue && !this.released && this.owner.entryOf(this.key) === e) return e.value as T;
    }
    return (await keepingAlive([this], () => this.owner.gatherOne(this.key))) as T;
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
    await keepingAlive([this], () => this.entry.settled());
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
    this.hold.live = false;
    this.owner.releaseHold(this.key, this.entry);
  }

  /** @internal */
  markReleased(): void {
    this.released = true;
    this.hold.live = false;
  }

  /** A graph given the value (persisting a graph that reads this future) holds it as a Delayed. */
  protected withLayer(layer: LayerNode): SingleKeyCollection<T> {
    return new Delayed<T>(this.key, layer);
  }

  /** Without a scheduler, a future computes on its own client's cluster. */
  protected override computeOptions(opts: ComputeOptions, _persist: boolean): ComputeOptions {
    return opts.scheduler === undefined ? { ...opts, scheduler: this.owner.executor } : opts;
  }

  /** The value is already kept on the cluster: persisting a future waits for it and is the future itself. */
  override async persist(opts: ComputeOptions = {}): Promise<this> {
    checkComputeOptions(opts, 'Future.persist');
    if (this.released) throw new CancelledError(this.key, 'released');
    await keepingAlive([this], () => this.entry.settled());
    if (this.entry.status !== 'finished') throw this.entry.error ?? new CancelledError(this.key, this.entry.status);
    return this;
  }

  toString(): string {
    return `Future('${this.key}', ${this.status})`;
  }
}

export function isFuture(x: unknown): x is Future {
  return x instanceof Future;
}
