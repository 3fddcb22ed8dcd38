/**
 * A worker: receives batches of tasks from the scheduler, runs them with core's runNode in
 * priority order, keeps results (spilling past its memory target), serves them to peers and
 * clients, and fetches the inputs it lacks straight from the workers that hold them.
 */
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import {
  config,
  decodeNode,
  isPromiseLike,
  prepareOps,
  runNode,
  serializeError,
  sizeOf,
  TaskFailure,
  TaskTimeoutError,
  type EncodedNode,
  type GraphNode,
  type Key,
  type OpRef,
  type SerializedError,
} from '@pdask/core';
import { checkOptions, intAtLeast, type OptionSchema } from '@pdask/core';
import { registerDistributedConfig } from '../config';
import { bytes, millis, nonNegativeInt, notYet, numberRecord, portRange, protocol, strings } from '../options';
import { fetchTimeoutMs, PeerPool } from '../comm/peers';
import { reply, replyError } from '../comm/rpc';
import type { Protocol } from '../comm/address';
import { reachScheduler } from '../comm/reach';
import { loadTls, type TlsFiles, type TlsMaterial } from '../comm/security';
import { listen, type Comm, type Listener, type Message } from '../comm/transport';
import { Preloads } from '../preload';
import { boxValue } from '../protocol/codec';
import { ProtocolError, type WorkerMetrics } from '../protocol/messages';
import { schedulerToWorker, toWorkerPeer, type SchedulerToWorker, type ToWorkerPeer, type RegistrationOut, type WorkerToSchedulerOut } from '../protocol/wire';
import { checkOp } from '../protocol/nodes';
import { DataStore } from './store';
import { processLiveness } from './liveness';
import { taskContext } from './task-context';
import { MemoryModel } from './memory-model';
import { collectGarbage } from './memory-process';
import { isInlineResult } from '../protocol/inline-results';
import { WorkerShuffles } from '../shuffle/worker-shuffles';

registerDistributedConfig();

export interface WorkerOptions {
  /** Scheduler address (tcp://host:port). */
  scheduler: string;
  /** The scheduler's unix socket on this machine (a LocalCluster's): reached there instead of over TCP. */
  schedulerSocket?: string;
  token: string;
  tls?: TlsFiles;
  /** Interface to listen on for peers and clients (default 127.0.0.1). */
  host?: string;
  /** Port to listen on (default 0: any free one); with `portRange`, the first one tried. */
  port?: number;
  /** Dask's --worker-port FIRST:LAST: the ports this worker may take, tried from `port` on, wrapping. */
  portRange?: [number, number];
  /** Scheme of this worker's address (default tcp, or tls with TLS files). */
  protocol?: Protocol;
  /** The address published to the scheduler and peers, when it differs from where this worker listens (NAT, proxies). */
  contactAddress?: string;
  name?: string;
  /** Tasks that may be in flight at once (asynchronous tasks overlap; synchronous ones run in turn). */
  nthreads?: number;
  /** Bytes; 0 = no limit (no spilling, no pausing). */
  memoryLimit?: number;
  localDirectory?: string;
  resources?: Record<string, number>;
  /** The nanny supervising this process, if any. */
  nanny?: string;
  /**
   * Called with this worker's address once it listens, before it registers: a nanny must know
   * which worker is which before the first task can kill it (tasks may arrive with the registration).
   */
  onAddress?: (address: string) => void;
  /** Where this worker runs, for users (default: SLURMD_NODENAME, else the host name). */
  node?: string;
  heartbeatMs?: number;
  /** Keep trying to reach the scheduler this long at start-up (default config 'distributed.comm.timeouts.connect-ms'). */
  deathTimeoutMs?: number;
  /** Modules imported at start-up (resolved specifiers, see `resolvePreload`). */
  preload?: string[];
  /** Close gracefully after this long (Dask's --lifetime), give or take up to `lifetimeStaggerMs`. */
  lifetimeMs?: number;
  lifetimeStaggerMs?: number;
  /** After its lifetime, ask the nanny for a fresh process instead of stopping for good. */
  lifetimeRestart?: boolean;
  log?: (line: string) => void;
  /** Dask's names, refused with pdask's: `lifetime` (lifetimeMs), `death_timeout` (deathTimeoutMs), `interface` (host); `validate` is not implemented. */
  lifetime?: never;
  deathTimeout?: never;
  validate?: never;
  interface?: never;
}

const WORKER_OPTIONS: OptionSchema<WorkerOptions> = {
  scheduler: 'string',
  schedulerSocket: 'string',
  token: 'string',
  tls: 'object',
  host: 'string',
  port: nonNegativeInt,
  name: 'string',
  nthreads: intAtLeast(1),
  memoryLimit: bytes,
  localDirectory: 'string',
  resources: numberRecord,
  nanny: 'string',
  onAddress: 'function',
  node: 'string',
  heartbeatMs: millis,
  portRange,
  protocol,
  contactAddress: 'string',
  deathTimeoutMs: millis,
  preload: strings,
  lifetimeMs: millis,
  lifetimeStaggerMs: millis,
  lifetimeRestart: 'boolean',
  log: 'function',
  lifetime: notYet("pdask's option is lifetimeMs (milliseconds)"),
  deathTimeout: notYet("pdask's option is deathTimeoutMs (milliseconds)"),
  validate: notYet(),
  interface: notYet("pdask's option is host (an address to listen on)"),
};

interface RunSpec {
  key: Key;
  /** Core's compact node: ids local to the task, named by `keys` (0 is the task itself). */
  node: GraphNode<number>;
  keys: Key[];
  fetch?: [Key, string][];
  /** Bytes of the inputs to fetch, by holder (their fetch timeout grows with them). */
  fetchBytes?: Map<string, number>;
  /** The task's own timeout (`timeoutMs` of submitWith/map), and when it runs out. */
  timeoutMs?: number;
  deadline?: number;
  timer?: NodeJS.Timeout;
  /** It ran out of time in a process without a nanny: failed already, its result is discarded. */
  timedOut?: boolean;
  /** Its fetched inputs are counted in `borrowed` (once per spec: it may pass through drain twice). */
  borrowing?: boolean;
  /** The scheduler cancelled it: not run, or its result discarded. */
  cancelled?: boolean;
  /** A client waits for it: a small primitive result goes back with the report (inline-results.ts). */
  reply?: boolean;
}

export class Worker {
  readonly store: DataStore;
  private scheduler!: Comm;
  private listener!: Listener;
  private readonly peers: PeerPool;
  /** Pieces of p2p shuffles that landed here, by run (the runtime of this worker's shuffle tasks). */
  private readonly shuffles: WorkerShuffles;
  private readonly ops: OpRef[] = [];
  private queue: RunSpec[] = [];
  private head = 0;
  private draining = false;
  private executing = 0;
  private readonly nthreads: number;
  private ok: unknown[] = [];
  /** (key, value) pairs of the results reported inline. */
  private values: unknown[] = [];
  private failed: unknown[] = [];
  private missing: Key[] = [];
  /** Peers that could not be reached while fetching: the scheduler checks whether they died. */
  private lostPeers = new Set<string>();
  private flushScheduled = false;
  /** Specs waiting for inputs, with the number of fetches each still needs. */
  private readonly blocked = new Map<RunSpec, number>();
  /** Tasks received and not finished (queued, waiting for inputs or running), by key. */
  private readonly pending = new Map<Key, RunSpec>();
  private readonly fetching = new Map<Key, RunSpec[]>();
  /** Inputs fetched from peers, with how many queued tasks still read each. */
  private readonly borrowed = new Map<Key, number>();
  /** Fetched copies kept (replicas) and not yet reported to the scheduler, which records them as held here. */
  private added: Key[] = [];
  /** Peer fetches and spill-file I/O for the dashboard: (key, kind, start, stop) with `performance.now()` times. */
  private io: unknown[] = [];
  /** Whether the scheduler has a dashboard (else `io` is not recorded). */
  private reportIo = false;
  /** Replicas the scheduler released while a queued task still reads them: dropped when it is done. */
  private readonly releasing = new Set<Key>();
  /** Copies the scheduler asked for, on their way. */
  private readonly acquiring = new Set<Key>();
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  private paused = false;
  private tasksRun = 0;
  /** Tasks started and not finished (reported in heartbeats: the scheduler blames them if this worker hangs). */
  private readonly running = new Set<RunSpec>();
  /** Running tasks with a timeout. */
  private readonly timed = new Set<RunSpec>();
  /** Shared with this process's liveness thread, when a nanny watches it. */
  private readonly liveness = processLiveness();
  /** The task running now and the last one run (for logs). */
  current: Key | undefined;
  last: Key | undefined;
  private readonly log: (line: string) => void;
  private unsentLog: string[] = [];
  private cpuMark = { usage: process.cpuUsage(), at: performance.now() };
  /** Where this worker spills and pauses, on its resident memory (undefined: no limit). */
  readonly memory: MemoryModel | undefined;
  /** Bytes stored since the memory was last checked, and bytes released but not yet collected. */
  private storedSinceCheck = 0;
  private garbage = 0;
  private memoryCheckDue = false;
  private resolveClosed!: () => void;
  readonly finished: Promise<void>;
  private preloads?: Preloads<Worker>;
  /** Set when the worker closed at the end of its lifetime: whether its nanny should start a new one. */
  retired: 'restart' | 'stop' | undefined;

  private constructor(private readonly opts: WorkerOptions) {
    this.nthreads = Math.max(1, Math.floor(opts.nthreads ?? 1));
    const write = opts.log ?? (() => undefined);
    // The scheduler's dashboard shows each worker's last log lines: they ride on the heartbeats.
    this.log = (line) => {
      this.unsentLog.push(line);
      if (this.unsentLog.length > 100) this.unsentLog.shift();
      write(line);
    };
    const limit = opts.memoryLimit ?? 0;
    const fractions = {
      target: config.get<number>('distributed.worker.memory.target'),
      spill: config.get<number>('distributed.worker.memory.spill'),
      pause: config.get<number>('distributed.worker.memory.pause'),
      terminate: config.get<number>('distributed.worker.memory.terminate'),
    };
    if (limit > 0) {
      // The idle process's own size (after a collection): values get the room above it.
      collectGarbage();
      this.memory = new MemoryModel(limit, process.memoryUsage.rss(), fractions);
    }
    this.store = new DataStore({
      // The part of the limit values may use; the store keeps `target` of it in memory.
      limit: this.memory ? this.memory.room / fractions.terminate : 0,
      target: fractions.target,
      directory: join(opts.localDirectory ?? tmpdir(), `pdask-worker-${process.pid}-${Math.random().toString(36).slice(2, 8)}`),
      log: (l) => this.log(l),
      onDiskIo: (k, _kind, t0, t1) => this.noteIo(k, 'spill', t0, t1),
      onReadBack: (n) => this.stored(n),
    });
    this.peers = new PeerPool(opts.token, 'peer', loadTls(opts.tls));
    this.shuffles = new WorkerShuffles({ self: () => this.address, peers: this.peers, directory: opts.localDirectory ?? tmpdir() });
    this.finished = new Promise((r) => (this.resolveClosed = r));
  }

  static async start(opts: WorkerOptions): Promise<Worker> {
    checkOptions('Worker.start', opts, WORKER_OPTIONS);
    const w = new Worker(opts);
    // First, so that a broken preload module stops start-up before anything is bound.
    w.preloads = await Preloads.load<Worker>(opts.preload);
    const tls = loadTls(opts.tls);
    w.listener = await w.listenOnFreePort(tls);
    opts.onAddress?.(w.address);
    try {
      await w.preloads.setup(w);
      const { comm } = await reachScheduler(
        { address: opts.scheduler, token: opts.token },
        {
          role: 'worker',
          tls,
          socketPath: opts.schedulerSocket,
          timeoutMs: opts.deathTimeoutMs ?? config.get<number>('distributed.comm.timeouts.connect-ms'),
          log: w.log,
        },
      );
      w.scheduler = comm;
    } catch (e) {
      await w.listener.close();
      throw e;
    }
    const registered = new Promise<void>((resolve, reject) => {
      w.scheduler.onMessage((raw) => {
        let m: SchedulerToWorker;
        try {
          m = schedulerToWorker.parse(raw);
        } catch (e) {
          // A message we cannot read is the scheduler's bug, not a reason to die.
          w.log(`Bad '${raw.op}' message from the scheduler: ${(e as Error).message}`);
          return;
        }
        if (m.op === 'registered') {
          w.reportIo = m.dashboard !== undefined;
          resolve();
        }
        else if (m.op === 'error') reject(new Error(`The scheduler refused this worker: ${String(m.message)}`));
        else w.onSchedulerMessage(m);
      });
      w.scheduler.onClose((reason) => {
        reject(new Error(`The scheduler closed the connection: ${reason}`));
        void w.close(`scheduler connection lost (${reason})`, false);
      });
    });
    w.scheduler.send({
      op: 'register-worker',
      address: w.address,
      name: opts.name ?? w.address,
      nthreads: w.nthreads,
      memoryLimit: opts.memoryLimit ?? 0,
      resources: opts.resources ?? {},
      node: opts.node ?? process.env.SLURMD_NODENAME ?? hostname(),
      host: hostname(),
      pid: process.pid,
      nanny: opts.nanny,
    } satisfies RegistrationOut);
    await registered;
    const hb = opts.heartbeatMs ?? config.get<number>('distributed.worker.heartbeat-ms');
    w.timers.push(setInterval(() => w.heartbeat(), hb));
    w.timers.push(setInterval(() => w.checkMemory(), Math.min(hb, 200)));
    for (const t of w.timers) t.unref();
    const listening = w.address === w.listener.address ? '' : ` (listening on ${w.listener.address})`;
    w.log(`Worker ${opts.name ? `${opts.name} ` : ''}at ${w.address}${listening}, connected to ${opts.scheduler}`);
    if (opts.lifetimeMs !== undefined) w.scheduleRetirement(opts.lifetimeMs, opts.lifetimeStaggerMs ?? 0, opts.lifetimeRestart ?? false);
    return w;
  }

  /** Listens on the requested port, or on the first free one of the allowed range. */
  private async listenOnFreePort(tls: TlsMaterial | undefined): Promise<Listener> {
    const { port = 0, portRange, host = '127.0.0.1', protocol, token } = this.opts;
    const onConnection = (comm: Comm): void => comm.onMessage((m) => this.onPeerMessage(comm, m));
    if (!portRange) return listen({ host, port, token, tls, protocol, onConnection });
    const [first, last] = portRange;
    const n = last - first + 1;
    const start = Math.min(Math.max(port, first), last) - first;
    for (let i = 0; i < n; i++) {
      const p = first + ((start + i) % n);
      try {
        return await listen({ host, port: p, token, tls, protocol, onConnection });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      }
    }
    throw new Error(`No free port in ${first}:${last} on ${host} (all ${n} are in use)`);
  }

  /** Dask's lifetime: staggered so that workers started together do not all leave at once. */
  private scheduleRetirement(lifetimeMs: number, staggerMs: number, restart: boolean): void {
    const ms = Math.max(0, lifetimeMs + (Math.random() * 2 - 1) * staggerMs);
    this.log(`Lifetime ${(ms / 1000).toFixed(3)} s: this worker will then close${restart ? ' and be restarted by its nanny' : ''}`);
    const t = setTimeout(() => {
      this.retired = restart ? 'restart' : 'stop';
      void this.close(`reached its lifetime of ${(ms / 1000).toFixed(3)} s`);
    }, ms);
    this.timers.push(t);
  }

  /** The address the scheduler, peers and clients use (the contact address, if one was given). */
  get address(): string {
    return this.opts.contactAddress ?? this.listener.address;
  }

  // ---- scheduler messages ---------------------------------------------------------------------

  private toScheduler(m: WorkerToSchedulerOut): void {
    this.scheduler.send(m);
  }

  private onSchedulerMessage(m: SchedulerToWorker): void {
    try {
      switch (m.op) {
        case 'compute':
          this.onCompute(m);
          break;
        case 'steal':
          this.onSteal(m.n);
          break;
        case 'acquire':
          this.acquire(m.keys, m.holders);
          break;
        case 'reset':
          this.queue = [];
          this.head = 0;
          for (const spec of this.pending.values()) spec.cancelled = true;
          this.pending.clear();
          this.blocked.clear();
          this.fetching.clear();
          this.borrowed.clear();
          this.releasing.clear();
          this.added = [];
          this.store.clear();
          this.shuffles.clear();
          break;
        case 'close':
          void this.close('asked by the scheduler');
          break;
        case 'worker-removed':
          // A peer the scheduler dropped (hung, partitioned): fetches from it are given up now
          // rather than at their timeout; the scheduler has the inputs recomputed or refetched.
          this.peers.abandon(m.address, 'the scheduler removed that worker');
          break;
        case 'shuffle-run':
          this.shuffles.onRun(m);
          break;
        case 'shuffle-end':
          this.shuffles.onEnd(m.shuffle, m.run);
          break;
        case 'error':
          this.log(`Scheduler reports an error: ${m.message}`);
          break;
        case 'registered':
          break;
      }
    } catch (e) {
      // A message we cannot read is the scheduler's bug, not a reason to die.
      this.log(`Bad '${m.op}' message from the scheduler: ${(e as Error).message}`);
    }
  }

  private onCompute(m: Extract<SchedulerToWorker, { op: 'compute' }>): void {
    for (const k of m.release) this.drop(k);
    for (const k of m.cancel ?? []) this.cancel(k);
    for (const entry of m.ops) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'number') throw new ProtocolError("'ops' must hold [id, op] pairs");
      this.ops[entry[0]] = checkOp(entry[1]);
    }
    const run = m.run;
    const timeouts = readTimeouts(m.timeouts);
    const reply = m.reply?.length ? new Set(m.reply) : undefined;
    for (let i = 0; i + 2 < run.length; i += 3) {
      const keys = run[i + 1] as Key[];
      const f = run[i + 2];
      let fetch: [Key, string][] | undefined;
      let fetchBytes: Map<string, number> | undefined;
      if (Array.isArray(f)) {
        fetch = [];
        fetchBytes = new Map();
        for (let j = 0; j + 2 < f.length; j += 3) {
          const holder = f[j + 1] as string;
          fetch.push([keys[f[j] as number], holder]);
          fetchBytes.set(holder, (fetchBytes.get(holder) ?? 0) + (typeof f[j + 2] === 'number' ? (f[j + 2] as number) : 0));
        }
      }
      const spec: RunSpec = { key: keys[0], node: decodeNode(run[i] as EncodedNode, this.ops), keys, fetch, fetchBytes, timeoutMs: timeouts?.get(keys[0]) };
      if (reply?.has(spec.key)) spec.reply = true;
      this.pending.set(spec.key, spec);
      this.queue.push(spec);
    }
    void this.drain();
  }

  /**
   * Nothing needs this task any more: a queued one is skipped, one waiting for inputs dropped, a
   * running one's result discarded; a result already made (reported before the cancel crossed it)
   * is deleted.
   */
  private cancel(key: Key): void {
    const spec = this.pending.get(key);
    // A copy here (a replica kept from an earlier fetch) is not held for the scheduler either.
    this.drop(key);
    if (!spec) return;
    spec.cancelled = true;
    this.pending.delete(key);
    if (this.blocked.delete(spec)) this.releaseBorrowed(spec);
  }

  /** Hands back up to n queued tasks that have not started (the scheduler places them again). */
  private onSteal(n: number): void {
    const stolen: Key[] = [];
    for (let i = this.queue.length - 1; i >= this.head && stolen.length < n; i--) {
      const spec = this.queue[i];
      if (spec.cancelled || this.blocked.has(spec)) continue;
      stolen.push(spec.key);
      this.queue.splice(i, 1);
      if (this.pending.get(spec.key) === spec) this.pending.delete(spec.key);
      this.releaseBorrowed(spec);
    }
    this.toScheduler({ op: 'stolen', keys: stolen });
  }

  // ---- running ----------------------------------------------------------------------------------

  /** A transfer or spill for the dashboard's task stream (reported with the next batch). */
  private noteIo(key: Key, kind: 'transfer' | 'spill', start: number, stop: number): void {
    // Bounded in case reports stall: the dashboard keeps only the newest entries anyway.
    if (!this.reportIo || this.io.length >= 40_000) return;
    this.io.push(key, kind, start, stop);
    this.scheduleFlush();
  }

  /** The recorded I/O as (key, kind, ms ago started, ms) quads, times made relative to now. */
  private takeIo(): unknown[] | undefined {
    if (this.io.length === 0) return undefined;
    const now = performance.now();
    const out = this.io;
    for (let i = 0; i + 3 < out.length; i += 4) {
      const start = out[i + 2] as number;
      const stop = out[i + 3] as number;
      out[i + 2] = now - start;
      out[i + 3] = stop - start;
    }
    this.io = [];
    return out;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.ok.length === 0 && this.failed.length === 0 && this.missing.length === 0 && this.added.length === 0 && this.io.length === 0) return;
    // Fields with nothing in them are left out (the scheduler reads them as empty): each one
    // would be encoded, decoded and checked on every report.
    const m: Extract<WorkerToSchedulerOut, { op: 'done' }> = { op: 'done' };
    if (this.ok.length) m.ok = this.ok;
    if (this.failed.length) m.failed = this.failed;
    if (this.missing.length) m.missing = this.missing;
    if (this.lostPeers.size) m.lostPeers = [...this.lostPeers];
    this.lostPeers.clear();
    if (this.added.length) m.added = this.added;
    const io = this.takeIo();
    if (io) m.io = io;
    if (this.values.length) m.values = this.values;
    this.toScheduler(m);
    this.added = [];
    this.ok = [];
    if (m.values) this.values = [];
    this.failed = [];
    this.missing = [];
    // One frame per report: the scheduler can place the freed slots at once.
    this.scheduler.flush();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      let lastFlush = performance.now();
      while (this.head < this.queue.length && !this.closed) {
        if (this.memoryCheckDue) this.checkMemory();
        if (this.paused || this.executing >= this.nthreads) break;
        const spec = this.queue[this.head++];
        if (this.head > 4096 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        if (spec.cancelled) {
          this.releaseBorrowed(spec);
          continue;
        }
        if (this.needsFetch(spec)) continue;
        let loading: Promise<void> | undefined;
        try {
          loading = prepareOps(spec.node);
          if (loading) await loading;
        } catch (e) {
          this.finishSpec(spec);
          this.failed.push([spec.key, 0, serializeError(e)]);
          this.releaseBorrowed(spec);
          continue;
        }
        if (spec.cancelled) {
          this.releaseBorrowed(spec);
          continue;
        }
        const p = this.runOne(spec);
        if (p) {
          this.executing++;
          void p.finally(() => {
            // A task failed for its timeout already gave its slot back.
            if (!spec.timedOut) this.executing--;
            this.scheduleFlush();
            void this.drain();
          });
        }
        const now = performance.now();
        // Report regularly so the scheduler keeps everyone fed, and let peers' requests in.
        if (now - lastFlush > 2) {
          this.flush();
          await new Promise((r) => setImmediate(r));
          lastFlush = performance.now();
        }
      }
    } finally {
      this.draining = false;
      this.flush();
    }
  }

  /** Runs a task; returns a promise only when the task is asynchronous. */
  private runOne(spec: RunSpec): Promise<void> | undefined {
    const t0 = performance.now();
    this.current = spec.key;
    const keys = spec.keys;
    this.startRunning(spec);
    let value: unknown;
    // The liveness thread names this task if it never returns; its callbacks carry its key.
    this.liveness?.enter(spec.key);
    try {
      value = this.shuffles.scope(() =>
        taskContext.run(spec.key, runNode, spec.node, (id: number) => {
          const k = keys[id];
          if (!this.store.has(k)) throw new Error(`pdask internal error: input '${k}' of '${spec.key}' is not on worker ${this.address}`);
          return this.store.get(k);
        }),
      );
    } catch (e) {
      this.liveness?.leave();
      this.taskFailed(spec, e, t0);
      return undefined;
    }
    this.liveness?.leave();
    if (isPromiseLike(value)) {
      return Promise.resolve(value).then(
        (v) => this.taskDone(spec, v, t0),
        (e) => this.taskFailed(spec, e, t0),
      );
    }
    this.taskDone(spec, value, t0);
    return undefined;
  }

  private finishSpec(spec: RunSpec): void {
    if (this.pending.get(spec.key) === spec) this.pending.delete(spec.key);
  }

  private startRunning(spec: RunSpec): void {
    this.running.add(spec);
    const ms = spec.timeoutMs;
    if (!ms) return;
    spec.deadline = Date.now() + ms;
    this.timed.add(spec);
    if (this.liveness) this.updateDeadline();
    else {
      // No nanny to kill this process: fail the task on time and discard its late result.
      spec.timer = setTimeout(() => this.timedOutHere(spec), ms);
      spec.timer.unref();
    }
  }

  private stopRunning(spec: RunSpec): void {
    this.running.delete(spec);
    if (!this.timed.delete(spec)) return;
    clearTimeout(spec.timer);
    if (this.liveness) this.updateDeadline();
  }

  /** The liveness thread watches the earliest deadline; past it, the nanny kills this process. */
  private updateDeadline(): void {
    let next: RunSpec | undefined;
    for (const s of this.timed) if (!next || s.deadline! < next.deadline!) next = s;
    this.liveness!.setDeadline(next && { key: next.key, deadline: next.deadline!, timeoutMs: next.timeoutMs! });
  }

  private timedOutHere(spec: RunSpec): void {
    if (!this.running.has(spec)) return;
    this.stopRunning(spec);
    spec.timedOut = true;
    // Only an asynchronous task can be late here (a synchronous one returns before any timer
    // fires): it holds a slot that the others may now use.
    this.executing--;
    void this.drain();
    if (spec.cancelled) return;
    this.finishSpec(spec);
    const err = new TaskTimeoutError(spec.key, spec.timeoutMs!, 'it was failed by its worker, which has no nanny to kill its process (its result will be discarded)');
    this.failed.push([spec.key, 0, serializeError(err)]);
    this.scheduleFlush();
  }

  busyMs = 0;
  private taskDone(spec: RunSpec, value: unknown, t0: number): void {
    this.stopRunning(spec);
    this.busyMs += performance.now() - t0;
    if (this.current === spec.key) this.current = undefined;
    this.last = spec.key;
    this.tasksRun++;
    this.releaseBorrowed(spec);
    if (spec.cancelled || spec.timedOut) return;
    this.finishSpec(spec);
    const n = sizeOf(value);
    const refused = this.memory?.refusal(spec.key, n);
    if (refused) {
      this.failed.push([spec.key, 0, serializeError(refused), performance.now() - t0]);
      this.stored(n, n);
      return;
    }
    this.own(spec.key);
    this.store.set(spec.key, value, n);
    this.stored(n);
    this.ok.push(spec.key, n, performance.now() - t0);
    if (spec.reply && isInlineResult(value)) this.values.push(spec.key, boxValue(value));
  }

  private taskFailed(spec: RunSpec, e: unknown, t0: number): void {
    this.stopRunning(spec);
    if (this.current === spec.key) this.current = undefined;
    this.last = spec.key;
    this.releaseBorrowed(spec);
    if (spec.cancelled || spec.timedOut) return;
    this.finishSpec(spec);
    // The member that threw, by its local id (the scheduler maps it back to its key).
    const f = e instanceof TaskFailure ? (e as TaskFailure<number>) : new TaskFailure(0, e);
    this.failed.push([spec.key, f.key, serializeError(f.error) satisfies SerializedError, performance.now() - t0]);
  }

  // ---- inputs from peers ------------------------------------------------------------------------

  /** Starts fetches for a task's inputs held elsewhere; true if it must wait for them. */
  private needsFetch(spec: RunSpec): boolean {
    if (!spec.fetch || spec.fetch.length === 0) return false;
    const byPeer = new Map<string, Key[]>();
    let waiting = 0;
    const count = !spec.borrowing;
    spec.borrowing = true;
    for (const [key, peer] of spec.fetch) {
      const had = this.store.has(key);
      if (count) {
        if (this.borrowed.has(key)) this.borrowed.set(key, this.borrowed.get(key)! + 1);
        else if (!had) this.borrowed.set(key, 1);
      }
      if (had && !this.fetching.has(key)) continue;
      waiting++;
      const waiters = this.fetching.get(key);
      if (waiters) {
        waiters.push(spec);
        continue;
      }
      this.fetching.set(key, [spec]);
      let ks = byPeer.get(peer);
      if (!ks) byPeer.set(peer, (ks = []));
      ks.push(key);
    }
    if (waiting === 0) return false;
    this.blocked.set(spec, waiting);
    for (const [peer, ks] of byPeer) {
      const t0 = performance.now();
      this.peers.request(peer, { op: 'get-data', keys: ks }, fetchTimeoutMs(spec.fetchBytes?.get(peer) ?? 0)).then(
        (r) => {
          this.noteIo(ks[0], 'transfer', t0, performance.now());
          this.onGot(ks, r.values, new Set(r.missing));
        },
        // The holder is gone or unreachable: every key is missing; the scheduler recomputes them.
        () => {
          this.noteIo(ks[0], 'transfer', t0, performance.now());
          this.lostPeers.add(peer);
          this.peers.forget(peer);
          this.onGot(ks, [], new Set(ks));
        },
      );
    }
    return true;
  }

  private onGot(ks: Key[], values: unknown[], missingKeys: Set<Key>): void {
    let vi = 0;
    const unblocked: RunSpec[] = [];
    for (const key of ks) {
      const waiters = this.fetching.get(key) ?? [];
      this.fetching.delete(key);
      const lost = missingKeys.has(key);
      if (!lost) {
        const v = values[vi++];
        if (this.borrowed.has(key) || !this.store.has(key)) {
          const n = sizeOf(v);
          this.store.set(key, v, n);
          this.stored(n);
          // Kept after its readers are done, until the scheduler releases it: a result copied
          // here survives the death of the worker that made it.
          this.added.push(key);
        }
      }
      for (const spec of waiters) {
        if (!this.blocked.has(spec)) continue;
        if (lost) {
          this.blocked.delete(spec);
          this.releaseBorrowed(spec);
          this.finishSpec(spec);
          this.missing.push(spec.key);
          continue;
        }
        const left = this.blocked.get(spec)! - 1;
        if (left === 0) {
          this.blocked.delete(spec);
          unblocked.push(spec);
        } else this.blocked.set(spec, left);
      }
    }
    if (unblocked.length) {
      // Their inputs arrived: run them before the rest of the queue, they were already due.
      this.queue = [...unblocked, ...this.queue.slice(this.head)];
      this.head = 0;
    }
    this.scheduleFlush();
    void this.drain();
  }

  /**
   * This worker now holds `key` as its own result (computed, scattered, or taken over): a copy
   * fetched for some task must no longer be dropped when that task is done with it. (A fetch from
   * a dying peer can fail after the scheduler already had the input recomputed here.)
   */
  private own(key: Key): void {
    this.borrowed.delete(key);
    this.releasing.delete(key);
  }

  /** The scheduler released `key` here: dropped now, or once the queued tasks reading it are done. */
  private drop(key: Key): void {
    if (this.borrowed.has(key)) this.releasing.add(key);
    else this.store.delete(key);
  }

  private releaseBorrowed(spec: RunSpec): void {
    if (!spec.fetch || !spec.borrowing) return;
    spec.borrowing = false;
    for (const [key] of spec.fetch) {
      const n = this.borrowed.get(key);
      if (n === undefined) continue;
      if (n <= 1) {
        this.borrowed.delete(key);
        // A replica stays until the scheduler releases it (it may have already).
        if (this.releasing.delete(key)) this.store.delete(key);
      } else this.borrowed.set(key, n - 1);
    }
  }

  /**
   * Copies results from their holders and keeps them (the scheduler asks for copies of results
   * that will be held a while, so that the death of one worker does not lose them). Keys already
   * here or on their way are skipped; a copy that cannot be had is simply not made.
   */
  private acquire(keys: Key[], holders: string[]): void {
    const byPeer = new Map<string, Key[]>();
    keys.forEach((k, i) => {
      const peer = holders[i];
      if (peer === undefined || peer === this.address || this.store.has(k) || this.fetching.has(k) || this.acquiring.has(k)) return;
      this.acquiring.add(k);
      let ks = byPeer.get(peer);
      if (!ks) byPeer.set(peer, (ks = []));
      ks.push(k);
    });
    for (const [peer, ks] of byPeer) {
      const settle = (values: unknown[], missing: Set<Key>): void => {
        let vi = 0;
        for (const k of ks) {
          this.acquiring.delete(k);
          if (missing.has(k)) continue;
          const v = values[vi++];
          if (this.closed || this.store.has(k)) continue;
          const n = sizeOf(v);
          if (this.memory?.refusal(k, n)) continue;
          this.store.set(k, v, n);
          this.stored(n);
          this.added.push(k);
        }
        this.scheduleFlush();
      };
      const t0 = performance.now();
      this.peers.request(peer, { op: 'get-data', keys: ks }, fetchTimeoutMs(0)).then(
        (r) => {
          this.noteIo(ks[0], 'transfer', t0, performance.now());
          settle(r.values, new Set(r.missing));
        },
        () => settle([], new Set(ks)),
      );
    }
  }

  // ---- peers and clients -----------------------------------------------------------------------

  private onPeerMessage(comm: Comm, raw: Message): void {
    try {
      const m: ToWorkerPeer = toWorkerPeer.parse(raw);
      switch (m.op) {
        case 'get-data': {
          const ks = m.keys;
          const values: unknown[] = [];
          const miss: Key[] = [];
          for (const k of ks) {
            if (!this.store.has(k)) {
              miss.push(k);
              continue;
            }
            values.push(boxValue(this.store.get(k)));
            if (m.take === true && !this.borrowed.has(k)) this.store.delete(k);
          }
          reply(comm, m, { values, missing: miss });
          break;
        }
        case 'put-data': {
          const ks = m.keys;
          const values = m.values;
          if (values.length !== ks.length) throw new ProtocolError("'put-data': as many values as keys are needed");
          const sizes = values.map((v) => sizeOf(v));
          ks.forEach((k, i) => {
            const refused = this.memory?.refusal(k, sizes[i]);
            if (refused) throw refused;
          });
          ks.forEach((k, i) => {
            this.own(k);
            this.store.set(k, values[i], sizes[i]);
            this.stored(sizes[i]);
          });
          reply(comm, m, { stored: ks.length });
          break;
        }
        case 'shuffle-put':
          reply(comm, m, { stored: this.shuffles.onPut(m) });
          break;
      }
    } catch (e) {
      replyError(comm, raw, e);
    }
  }

  // ---- health -----------------------------------------------------------------------------------

  /** What the nanny measures, so that spilling and pausing act before its kill line. */
  private processMemory(): number {
    return process.memoryUsage.rss();
  }

  /**
   * Counts bytes just stored (and `dropped`, already garbage): between two timer checks a burst
   * of results could otherwise carry the process past the kill line, so memory is checked again
   * whenever a tenth of the room has been stored.
   */
  private stored(n: number, dropped = 0): void {
    if (!this.memory) return;
    this.garbage += dropped;
    this.storedSinceCheck += n;
    if (this.storedSinceCheck >= this.slack && !this.memoryCheckDue) {
      // Not now: the task's value is still referenced from the stack, so a collection could not
      // free it. Before the next task runs (drain), or on the next turn if none is queued.
      this.memoryCheckDue = true;
      setImmediate(() => {
        if (this.memoryCheckDue) this.checkMemory();
      });
    }
  }

  /** A tenth of the room (between the spill and pause lines): how much may go unchecked or uncollected. */
  private get slack(): number {
    return this.memory ? Math.max(2 ** 20, this.memory.pauseRss - this.memory.spillRss) : Infinity;
  }

  metrics(): WorkerMetrics {
    return {
      managedBytes: this.store.managedBytes,
      spilledBytes: this.store.spilledBytes,
      spilledKeys: this.store.spilledKeys,
      rss: process.memoryUsage.rss(),
      queued: this.queue.length - this.head,
      executing: this.executing,
      paused: this.paused,
      tasksRun: this.tasksRun,
      shuffleSpilledFiles: this.shuffles.spilledFiles,
    };
  }

  private heartbeat(): void {
    if (this.closed) return;
    const running: Key[] = [];
    for (const s of this.running) running.push(s.key);
    const usage = process.cpuUsage();
    const at = performance.now();
    const usedUs = usage.user + usage.system - this.cpuMark.usage.user - this.cpuMark.usage.system;
    const cpu = at > this.cpuMark.at ? Math.round((usedUs / 10 / (at - this.cpuMark.at)) * 10) / 10 : undefined;
    this.cpuMark = { usage, at };
    const log = this.unsentLog.length ? this.unsentLog : undefined;
    this.unsentLog = [];
    this.toScheduler({ op: 'heartbeat', metrics: this.metrics(), running, cpu, log });
  }

  /**
   * Dask's memory monitor, on resident memory: past the spill line, spill least recently used
   * results until back under the target line; past the pause line, take no more work.
   */
  private checkMemory(): void {
    const model = this.memory;
    if (this.closed || !model) return;
    this.storedSinceCheck = 0;
    this.memoryCheckDue = false;
    // Spilled and released results are garbage until collected: collect before they add up to
    // what separates two lines (nannies start workers with --expose-gc; Dask calls gc.collect()).
    this.garbage += this.store.takeReleased();
    if (this.garbage >= this.slack) {
      collectGarbage();
      this.garbage = 0;
    }
    let used = this.processMemory();
    if (used > model.spillRss) {
      while (used > model.targetRss) {
        let freed = 0;
        while (freed < used - model.targetRss && this.store.spillOldest()) freed += this.store.takeReleased();
        if (freed === 0) break;
        collectGarbage();
        this.garbage = 0;
        used = this.processMemory();
      }
    }
    const paused = used > model.pauseRss;
    if (paused !== this.paused) {
      this.paused = paused;
      this.log(paused ? `Paused: process memory ${used} B is past the pause threshold` : 'Resumed');
      this.heartbeat();
      if (!paused) void this.drain();
    }
  }

  async close(reason = 'closing', tellScheduler = true): Promise<void> {
    if (this.closed) return this.finished;
    this.closed = true;
    // clearInterval clears timeouts too: one list for both.
    for (const t of this.timers) clearInterval(t);
    if (tellScheduler && !this.scheduler.isClosed) {
      this.toScheduler({ op: 'closing' });
      this.scheduler.close(reason);
    }
    this.peers.closeAll();
    await this.listener.close();
    this.store.dispose();
    this.shuffles.clear();
    await this.preloads?.teardown(this, this.log);
    this.log(`Worker ${this.address} closed: ${reason} (ran ${this.tasksRun} tasks, busy ${this.busyMs.toFixed(0)} ms)`);
    this.resolveClosed();
  }
}

/** The compute message's `timeouts`: [key, ms, key, ms, ...] for tasks that have one. */
function readTimeouts(list: unknown[]): Map<Key, number> | undefined {
  if (list.length === 0) return undefined;
  const out = new Map<Key, number>();
  for (let i = 0; i + 1 < list.length; i += 2) {
    const k = list[i];
    const ms = list[i + 1];
    if (typeof k !== 'string' || typeof ms !== 'number' || !(ms > 0)) throw new ProtocolError("'timeouts' must hold (key, milliseconds > 0) pairs");
    out.set(k, ms);
  }
  return out;
}
