import { ObservedStoryLog, type PoolObserver } from './observe';
import { checkOptions, intAtLeast } from '../../options/options';
import * as Comlink from 'comlink';
import { mainPlatform } from '#platform';
import type { PoolWorker, WorkerSource } from './platform';
import { workerSourceRules } from './worker-source';
import { BUILD_ID, RESIDENT_BASE, type FromWorker, type ToWorker, type WorkerControl, type WorkerInit } from './protocol';
import { OpInterner } from './wire';
import type { MemorySetting } from './resident-spill';
import { makeSpillDir, removeSpillDir, type MemoryConfig } from './resident-spill-setting';

/** A live worker thread of the pool. */
/**
 * A worker's control surface as the caller sees it (comlink's proxy): every call answers
 * asynchronously. Spelled out here so the published types do not pull in comlink's DOM types.
 */
export type RemoteControl = {
  readonly [K in keyof WorkerControl]: (...args: Parameters<WorkerControl[K]>) => Promise<Awaited<ReturnType<WorkerControl[K]>>>;
};

export interface Slot {
  readonly id: number;
  readonly worker: PoolWorker;
  readonly control: RemoteControl;
  /** [seq of the running task or -1, seq of the last task finished], written by the worker. */
  readonly current: Int32Array;
  /** Operation ids this worker knows (it keeps them across computations). */
  readonly ops: OpInterner;
  /** Settles when the thread has exited: a control call to a dead worker never answers. */
  readonly exited: Promise<void>;
  alive: boolean;
}

/** What a pool reports to the computations running on it. */
export interface PoolListener {
  onMessage(slot: Slot, msg: FromWorker): void;
  onWorkerAdded(slot: Slot): void;
  onWorkerLost(slot: Slot, suspectSeq: number, cause: string): void;
}

export interface PoolOptions extends WorkerSource {
  size: number;
  /** V8 heap limit per worker thread in MB (0: Node's default). */
  maxOldGenerationMb?: number;
}

/**
 * A set of worker threads, each connected to every other by a peer port. Replaces a worker that
 * dies. Keeps the process alive only while some computation is running on it.
 */
export class ThreadPool {
  readonly slots = new Map<number, Slot>();
  /** Status changes of every computation run on this pool (the last 10,000): `story(key)`. */
  readonly stories = new ObservedStoryLog();
  /** An onlooker of every computation on this pool (a dashboard), see observe(). */
  observer: PoolObserver | undefined;
  private readonly listeners = new Set<PoolListener>();
  private nextId = 0;
  /** Pool-wide counter for task and request ids, so any message names one computation's item. */
  private nextSeq = 0;
  private nextResident = RESIDENT_BASE;
  /** Computations ended that each worker (which took part in them) is not told of yet. */
  private readonly endedFor = new Map<number, number[]>();
  /** Resident ids to forget, by holder, sent together on the next turn of the event loop. */
  private forgetting = new Map<number, number[]>();
  private starting = new Set<Promise<Slot>>();
  private closed = false;
  /**
   * The mean task time of the last computation that reported any (ms; Infinity before the
   * first): a small graph after tiny tasks runs on one worker (see ahead.ts).
   */
  lastMeanTaskMs = Infinity;
  /** Why the last replacement worker could not start (reported if a computation then stalls). */
  lastSpawnError: string | undefined;
  /** Every thread not yet exited, started or starting: close() ends them all. */
  private readonly threads = new Set<PoolWorker>();
  private active = 0;
  /** The memory setting the workers were last sent, and the pool's spill directory (see resident-spill.ts). */
  private memory: MemorySetting | undefined;
  private spillDir: string | undefined;

  constructor(readonly options: PoolOptions) {
    checkOptions('ThreadPool', options, { size: intAtLeast(1), maxOldGenerationMb: intAtLeast(0), ...workerSourceRules });
  }

  async start(): Promise<void> {
    const spawns: Promise<Slot>[] = [];
    for (let i = 0; i < this.options.size; i++) spawns.push(this.spawn());
    await Promise.all(spawns);
  }

  seq(): number {
    return this.nextSeq++;
  }

  /** A fresh id for a result a worker keeps across computations (persist). */
  residentId(): number {
    return this.nextResident++;
  }

  /** Gives the workers a budget for the task results they keep (sent only when it changed). */
  setMemory(config: MemoryConfig): void {
    if (config.budget > 0) this.spillDir ??= makeSpillDir(config.base);
    const setting: MemorySetting = { budget: config.budget, dir: this.spillDir ?? '' };
    if ((this.memory ?? { budget: 0 }).budget === setting.budget) return;
    this.memory = setting;
    for (const s of this.slots.values()) this.send(s, { t: 'memory', ...setting });
  }

  /** Where the workers spill task results (made when a memory limit is first set; removed by close()). */
  get spillDirectory(): string | undefined {
    return this.spillDir;
  }

  /** Whether a worker thread is still running (slot ids are never reused). */
  isLive(slotId: number): boolean {
    return !this.closed && this.slots.has(slotId);
  }

  /** Lets a worker drop a resident value nobody references any more. */
  forgetResident(holder: number, id: number): void {
    if (!this.isLive(holder)) return;
    if (this.forgetting.size === 0) mainPlatform.soon(() => this.sendForgets());
    let ids = this.forgetting.get(holder);
    if (!ids) this.forgetting.set(holder, (ids = []));
    ids.push(id);
  }

  private sendForgets(): void {
    for (const [holder, ids] of this.forgetting) {
      const slot = this.slots.get(holder);
      if (slot) this.send(slot, { t: 'forget', ids });
    }
    this.forgetting.clear();
  }

  /** Copies of resident values (for an executor that cannot read them in place). */
  async fetchResident(holder: number, ids: readonly number[]): Promise<{ values: unknown[]; missing: number[] }> {
    const slot = this.slots.get(holder);
    if (!slot || this.closed) return { values: [], missing: [...ids] };
    this.retain();
    try {
      const answer = slot.control.residentValues(ids);
      const died = slot.exited.then(() => ({ values: [], missing: [...ids] }));
      return await Promise.race([answer, died]);
    } finally {
      this.unretain();
    }
  }

  /**
   * Tells the workers a computation ended (its results can go): those in `workers` (the ones it
   * sent anything to; default all), so that an idle worker is not woken for it. Rides on the next
   * batch sent to each worker (a back-to-back compute() sends one within the same turn), or goes
   * on its own on the next turn of the event loop: fewer thread messages per computation.
   */
  endComputation(cid: number, workers?: Iterable<number>): void {
    if (this.endedFor.size === 0) mainPlatform.soon(() => this.sendEnded());
    for (const id of workers ?? this.slots.keys()) {
      if (!this.slots.has(id)) continue;
      const list = this.endedFor.get(id);
      if (list) list.push(cid);
      else this.endedFor.set(id, [cid]);
    }
  }

  /** Ended computations a worker has not been told of; they travel with the caller's message. */
  takeEnded(slot: Slot): number[] | undefined {
    const cids = this.endedFor.get(slot.id);
    if (cids === undefined) return undefined;
    this.endedFor.delete(slot.id);
    return cids;
  }

  private sendEnded(): void {
    for (const s of this.slots.values()) {
      const cids = this.takeEnded(s);
      if (cids) this.send(s, { t: 'end', cids });
    }
    this.endedFor.clear();
  }

  /** Resolves when no replacement worker is starting. */
  async settled(): Promise<void> {
    while (this.starting.size) await Promise.allSettled([...this.starting]);
  }

  get pendingSpawns(): number {
    return this.starting.size;
  }

  subscribe(l: PoolListener): () => void {
    this.listeners.add(l);
    this.retain();
    return () => {
      this.listeners.delete(l);
      this.unretain();
    };
  }

  /**
   * Lets one onlooker (a dashboard) see what runs on this pool until the returned function is
   * called. It does not keep the process alive.
   */
  observe(observer: PoolObserver): () => void {
    if (this.observer) throw new Error('This thread pool is already observed (one dashboard per pool)');
    this.observer = observer;
    this.stories.observe(observer.transition);
    for (const s of this.slots.values()) observer.workerAdded?.(s.id);
    return () => {
      if (this.observer !== observer) return;
      this.observer = undefined;
      this.stories.observe(undefined);
    };
  }

  /** Keeps the process alive while the caller waits on the workers. */
  private retain(): void {
    if (this.active++ === 0) for (const s of this.slots.values()) s.worker.ref();
  }

  private unretain(): void {
    if (--this.active === 0) for (const s of this.slots.values()) s.worker.unref();
  }

  send(slot: Slot, msg: ToWorker): void {
    if (slot.alive) slot.worker.postMessage(msg);
  }

  private spawn(): Promise<Slot> {
    if (this.closed) return Promise.reject(new Error('The thread pool is closed'));
    const id = this.nextId++;
    const channel = mainPlatform.channel();
    const current = mainPlatform.statusBuffer();
    const init: WorkerInit = { id, current, control: channel.port2, buildId: BUILD_ID };
    const { workerUrl, createWorker } = this.options;
    const worker = mainPlatform.spawn(init, [channel.port2], { maxOldGenerationMb: this.options.maxOldGenerationMb ?? 0, workerUrl, createWorker });
    let markExited!: () => void;
    const exited = new Promise<void>((r) => (markExited = r));
    this.threads.add(worker);
    worker.once('exit', () => this.threads.delete(worker));
    const slot: Slot = {
      exited,
      id,
      worker,
      control: Comlink.wrap<WorkerControl>(mainPlatform.endpoint(channel.port1)) as unknown as RemoteControl,
      current: new Int32Array(current),
      ops: new OpInterner(),
      alive: true,
    };
    let lastError = '';
    const p = new Promise<Slot>((resolve, reject) => {
      let ready = false;
      worker.on('message', (msg: FromWorker) => {
        if (!ready && msg.t === 'ready') {
          ready = true;
          resolve(slot);
          return;
        }
        for (const l of this.listeners) l.onMessage(slot, msg);
      });
      worker.on('error', (e) => {
        lastError = `${e.name}: ${e.message}`;
        if (!ready) reject(e);
      });
      worker.on('exit', (code) => {
        markExited();
        const wasAlive = slot.alive;
        slot.alive = false;
        if (!ready) {
          reject(new Error(`A pool worker exited with code ${code} while starting${lastError ? `: ${lastError}` : ''}`));
          return;
        }
        if (!wasAlive || this.closed) return;
        this.slots.delete(id);
        for (const other of this.slots.values()) void other.control.disconnectPeer(id).catch(() => undefined);
        const cause = lastError || `worker exited with code ${code}`;
        // Keep the pool at strength; started first, so computations see a worker is coming.
        void this.spawn().catch((e: unknown) => {
          this.lastSpawnError = e instanceof Error ? e.message : String(e);
        });
        // Blame the task mid-run, or, if idle, the last one run (it may have left a failing timer).
        const suspect = slot.current[0] >= 0 ? slot.current[0] : slot.current[1];
        for (const l of this.listeners) l.onWorkerLost(slot, suspect, cause);
        this.observer?.workerLost?.(id, cause);
      });
    });
    const started = p.then(async (s) => {
      await this.connect(s);
      if (this.memory) this.send(s, { t: 'memory', ...this.memory });
      this.slots.set(id, s);
      if (this.active === 0) s.worker.unref();
      for (const l of this.listeners) l.onWorkerAdded(s);
      this.observer?.workerAdded?.(s.id);
      return s;
    });
    this.starting.add(started);
    const done = (): void => void this.starting.delete(started);
    started.then(done, done);
    return started;
  }

  /** Gives the new worker a private channel to every live worker. */
  private async connect(s: Slot): Promise<void> {
    const calls: Promise<void>[] = [];
    for (const other of this.slots.values()) {
      const { port1, port2 } = mainPlatform.channel();
      // Either side may be dying right now; its exit ends the wait (the exit handler cleans up).
      const either = Promise.race([other.exited, s.exited]);
      calls.push(Promise.race([other.control.connectPeer(s.id, Comlink.transfer(port1, [port1 as never])), either]));
      calls.push(Promise.race([s.control.connectPeer(other.id, Comlink.transfer(port2, [port2 as never])), either]));
    }
    await Promise.all(calls);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.slots.values()) {
      s.alive = false;
      (s.control as unknown as Comlink.Remote<WorkerControl>)[Comlink.releaseProxy]();
    }
    this.slots.clear();
    await Promise.allSettled([...this.threads].map((w) => w.terminate()));
    removeSpillDir(this.spillDir);
    this.spillDir = undefined;
  }
}

