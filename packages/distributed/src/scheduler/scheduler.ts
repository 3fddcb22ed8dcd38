/**
 * The network scheduler: a thin I/O layer around core's SchedulerState. Messages from workers and
 * clients become state-machine events; the instructions that come out become messages. Results
 * never pass through here: workers fetch inputs from each other, clients gather from workers.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  config,
  fusedMemberKey,
  SchedulerState,
  serializeError,
  TaskTimeoutError,
  ObservedStoryLog,
  validateStateRequested,
  type GraphNode,
  type Instruction,
  type Key,
  type SerializedError,
  type StoryEntry,
  type TaskState,
} from '@pdask/core';
import { checkOptions, type OptionSchema } from '@pdask/core';
import { registerDistributedConfig } from '../config';
import { millis, nonNegativeInt, notYet, protocol, strings } from '../options';
import { configuredOrigins, normalizeOrigins } from './allowed-origins';
import { reply, replyError } from '../comm/rpc';
import { loadTls, newToken, type TlsFiles } from '../comm/security';
import type { Protocol } from '../comm/address';
import { listen, whenBatchEnds, type Comm, type Listener, type Message } from '../comm/transport';
import { ProtocolError, serializedError, type WorkerInfo } from '../protocol/messages';
import {
  clientToScheduler,
  nannyToScheduler,
  registration,
  workerToScheduler,
  type ClientToScheduler,
  type Registration,
  type WorkerToScheduler,
} from '../protocol/wire';
import { checkOp, decodeGraphNode, isKnownKeyRef } from '../protocol/nodes';
import { encodeTask } from '../protocol/tasks';
import { inlineValues } from '../protocol/inline-results';
import { MemoryReport } from '../protocol/holders';
import { boxValue } from '../protocol/codec';
import { ClusterPolicy } from './policy';
import { WantedBy } from './wanted-by';
import { SchedulerShuffles } from '../shuffle/scheduler-shuffles';
import { ClientRecord, NannyRecord, WorkerRecord } from './records';
import { removeSchedulerFile, writeSchedulerFile } from './scheduler-file';
import { planSteal } from './stealing';
import { mayReplicate, planReplicas } from './replication';
import { heartbeatSuspects } from './liveness';
import { DashboardServer } from '../dashboard/server';
import { parseDashboardAddress } from '../dashboard/auth';
import { SchedulerDashboardSource } from '../dashboard/scheduler-source';

registerDistributedConfig();

export interface SchedulerOptions {
  /** Interface to listen on (default 127.0.0.1: nothing outside this machine can connect). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Authentication token (default: a fresh random one). */
  token?: string;
  /** Where to publish address and token for workers and clients. */
  schedulerFile?: string;
  /** Also listen on this unix socket (a LocalCluster's workers connect there; see transport.ts). */
  localSocket?: string;
  tls?: TlsFiles;
  /** Scheme of the published address: tcp (default), tls (default with TLS files), ws, wss. */
  protocol?: Protocol;
  /** A worker silent this long is presumed dead (default config 'distributed.scheduler.worker-ttl', 300 s). */
  workerTtlMs?: number;
  /** How long a dead worker's nanny may take to say which task killed it (default 500 ms). */
  nannyGraceMs?: number;
  /** A task on this many dying workers fails with KilledWorkerError (default config 'scheduler.allowed-failures'). */
  allowedFailures?: number;
  /** Log lines (default: none). */
  log?: (line: string) => void;
  /**
   * Serve the dashboard here (`host:port`, `:port`; port 0 = any free port). Default: none (the
   * CLI's default is 127.0.0.1:8787). Bound to a non-loopback address it requires the token.
   */
  dashboardAddress?: string;
  /** Dashboard: the least time between two pushes of live frames (default 200 ms). */
  dashboardIntervalMs?: number;
  /** Dashboard: task-stream entries kept (default 10,000). */
  dashboardTaskStreamLimit?: number;
  /** Dashboard: the pages' built files (default: this package's dist/dashboard). */
  dashboardStaticDir?: string;
  /** Dashboard: ask for the token even on a loopback address. */
  dashboardRequireToken?: boolean;
  /**
   * Origins of web pages that may connect (browser clients), e.g. `['https://notebook.example.org']`
   * (default config 'distributed.scheduler.allowed-origins': none). Connections without an Origin
   * header (Node clients, workers) are not concerned.
   */
  allowedOrigins?: string[];
  /** Not implemented here: `idle_timeout` and `interface` are the CLI's (`--idle-timeout`, `--interface`). */
  idleTimeout?: never;
  interface?: never;
}

const SCHEDULER_OPTIONS: OptionSchema<SchedulerOptions> = {
  host: 'string',
  port: nonNegativeInt,
  token: 'string',
  schedulerFile: 'string',
  localSocket: 'string',
  tls: 'object',
  workerTtlMs: millis,
  nannyGraceMs: millis,
  allowedFailures: nonNegativeInt,
  log: 'function',
  dashboardAddress: 'string',
  dashboardIntervalMs: millis,
  dashboardTaskStreamLimit: nonNegativeInt,
  dashboardStaticDir: 'string',
  dashboardRequireToken: 'boolean',
  allowedOrigins: strings,
  idleTimeout: notYet('pdask-scheduler --idle-timeout closes an idle scheduler (closeWhenIdle)'),
  interface: notYet("pdask's option is host (an address to listen on)"),
  protocol,
};

/** A failure reported by a worker: its serialised error and the (fused) member that threw. */
class RemoteTaskError {
  constructor(
    readonly error: SerializedError,
    readonly memberKey: Key,
  ) {}
}

const PRIORITY_STRIDE = 2 ** 31;

/**
 * A graph wanting at most this many keys gets its small results inline (inline-results.ts): a
 * round trip saves two hops. A larger one (a big map) is gathered in bulk from the workers, which
 * costs the scheduler's process less than passing every result through it.
 */
const INLINE_GRAPH_KEYS = 64;

export class Scheduler {
  private state!: SchedulerState;
  private policy!: ClusterPolicy;
  /** Runs, owners and restarts of the graphs' p2p shuffles. */
  private shuffles!: SchedulerShuffles;
  readonly workers = new Map<string, WorkerRecord>();
  readonly clients = new Map<string, ClientRecord>();
  readonly nannies = new Map<string, NannyRecord>();
  private wantedBy = new WantedBy<ClientRecord>();
  private tracked = new Map<Key, { client: ClientRecord; gid: number }[]>();
  /** Per-task timeouts (submitWith/map's timeoutMs), sent to the worker with the task. */
  private timeouts = new Map<Key, number>();
  /** Results a worker reported inline, while its report is handled (passed on in 'memory' messages). */
  private inline: Map<Key, unknown> | undefined;
  /** Wanted tasks of small graphs not sent to a worker yet: their small results come back inline. */
  private replyWanted = new Set<Key>();
  private generation = 0;
  private listener!: Listener;
  private timers: NodeJS.Timeout[] = [];
  private forgetTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly closedPromise: Promise<void>;
  private resolveClosed!: () => void;
  readonly token: string;
  private readonly log: (line: string) => void;
  private readonly ttlMs: number;
  private readonly graceMs: number;
  private readonly allowedFailures: number;
  /** Every status change of the scheduler's keys, kept across restarts (each state is a new `run`). */
  private readonly stories = new ObservedStoryLog();
  /** The dashboard, when one was asked for. */
  private dashboard: DashboardServer | undefined;
  private dash: SchedulerDashboardSource | undefined;
  private transferred = 0;

  private constructor(private readonly opts: SchedulerOptions) {
    this.token = opts.token ?? newToken();
    this.log = opts.log ?? (() => undefined);
    this.ttlMs = opts.workerTtlMs ?? config.get<number>('distributed.scheduler.worker-ttl', 300_000);
    this.graceMs = opts.nannyGraceMs ?? 500;
    this.allowedFailures = opts.allowedFailures ?? config.get<number>('scheduler.allowed-failures');
    this.closedPromise = new Promise((r) => (this.resolveClosed = r));
    this.reset();
  }

  static async start(opts: SchedulerOptions = {}): Promise<Scheduler> {
    checkOptions('Scheduler.start', opts, SCHEDULER_OPTIONS);
    const s = new Scheduler(opts);
    const tls = loadTls(opts.tls);
    const allowedOrigins = opts.allowedOrigins
      ? normalizeOrigins(opts.allowedOrigins, 'Scheduler.start: allowedOrigins:')
      : configuredOrigins(config.get('distributed.scheduler.allowed-origins', []));
    s.listener = await listen({
      allowedOrigins,
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? 0,
      token: s.token,
      tls,
      protocol: opts.protocol,
      onConnection: (comm, role) => s.onConnection(comm, role),
      inProcess: true,
      socketPath: opts.localSocket,
    });
    if (opts.dashboardAddress !== undefined) {
      try {
        await s.startDashboard(opts.dashboardAddress, tls);
      } catch (e) {
        await s.listener.close();
        throw e;
      }
    }
    if (opts.schedulerFile) {
      writeSchedulerFile(opts.schedulerFile, {
        address: s.address,
        token: s.token,
        tls: opts.tls?.ca ? { ca: opts.tls.ca } : undefined,
        dashboard: s.dashboard?.link,
      });
    }
    const every = Math.max(50, Math.min(1000, s.ttlMs / 4));
    s.timers.push(setInterval(() => s.checkHeartbeats(), every));
    s.log(`Scheduler at ${s.address}${opts.schedulerFile ? ` (scheduler file ${opts.schedulerFile})` : ''}`);
    if (s.dashboard) s.log(`Dashboard at: ${s.dashboard.link}`);
    return s;
  }

  get address(): string {
    return this.listener.address;
  }

  /** The unix socket it also listens on for local workers (option `localSocket`; not with TLS). */
  get localSocket(): string | undefined {
    return this.opts.tls ? undefined : this.opts.localSocket;
  }

  /** The dashboard's status page (`http://127.0.0.1:8787/status`), or undefined without a dashboard. */
  get dashboardLink(): string | undefined {
    return this.dashboard?.link;
  }

  /** Bytes of inputs workers were told to fetch from peers since start (the dashboard's transfer counter). */
  get transferBytes(): number {
    return this.transferred;
  }

  private async startDashboard(address: string, tls: ReturnType<typeof loadTls>): Promise<void> {
    const { host, port } = parseDashboardAddress(address);
    const startedAt = Date.now();
    this.dash = new SchedulerDashboardSource(this, this.stories, {
      scheduler: this.address,
      startedAt,
      taskStreamLimit: this.opts.dashboardTaskStreamLimit || undefined,
    });
    this.dashboard = await DashboardServer.start({
      source: this.dash,
      host,
      port,
      token: this.token,
      requireToken: this.opts.dashboardRequireToken,
      tls: tls?.cert && tls.key ? tls : undefined,
      intervalMs: this.opts.dashboardIntervalMs,
      staticDir: this.opts.dashboardStaticDir,
    });
    this.dash.model.info.dashboard = this.dashboard.link;
  }

  /** Resolves when the scheduler has shut down (by close() or a client's shutdown()). */
  get finished(): Promise<void> {
    return this.closedPromise;
  }

  private reset(): void {
    const traits = this.policy?.traits;
    this.policy = new ClusterPolicy({ targetBatchMs: config.get<number>('distributed.scheduler.target-batch-ms', 10) });
    if (traits) for (const [k, v] of traits) this.policy.traits.set(k, v);
    this.shuffles = new SchedulerShuffles({
      workers: () => [...this.workers.values()].filter((w) => !w.removed).map((w) => w.id),
      send: (worker, m) => this.workers.get(worker)?.send(m),
      status: (key) => this.state.tasks.get(key)?.status,
    });
    this.policy.shuffles = this.shuffles;
    this.state = new SchedulerState({
      policy: this.policy,
      allowedWorkerDeaths: this.allowedFailures,
      story: this.stories,
      validate: validateStateRequested(),
    });
    this.wantedBy = new WantedBy();
    this.replyWanted = new Set();
    this.tracked = new Map();
    this.timeouts = new Map();
  }

  // ---- connections ----------------------------------------------------------------------------

  private onConnection(comm: Comm, role: string): void {
    if (this.closed) {
      comm.close('scheduler closing');
      return;
    }
    // The first message says who is connecting; nothing else is accepted before it.
    comm.onMessage((raw) => {
      try {
        const m = registration.parse(raw);
        if (role === 'worker' && m.op === 'register-worker') this.registerWorker(comm, m);
        else if (role === 'client' && m.op === 'register-client') this.registerClient(comm, m);
        else if (role === 'nanny' && m.op === 'register-nanny') this.registerNanny(comm, m);
        else throw new ProtocolError(`expected a registration from a ${role}, got '${m.op}'`);
      } catch (e) {
        this.log(`Rejected ${comm.peer}: ${(e as Error).message}`);
        comm.send({ op: 'error', message: (e as Error).message });
        comm.close('bad registration');
      }
    });
  }

  /** Runs a handler; a malformed or hostile message gets an error answer, never a crash. */
  private guard(comm: Comm, m: Message, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log(`Bad '${m.op}' message from ${comm.peer}: ${(e as Error).message}`);
      if (typeof m.id === 'number') replyError(comm, m, e);
      else comm.send({ op: 'error', message: `${m.op}: ${(e as Error).message}` } satisfies { op: 'error'; message: string });
    }
  }

  private registerWorker(comm: Comm, m: Extract<Registration, { op: 'register-worker' }>): void {
    const address = m.address;
    const old = this.workers.get(address);
    if (old) this.removeWorker(old, [], 'replaced by a worker at the same address');
    const info: Omit<WorkerInfo, 'metrics'> = {
      id: address,
      address,
      name: m.name ?? address,
      nthreads: Math.max(1, Math.floor(m.nthreads ?? 1)),
      node: m.node ?? hostname(),
      host: m.host ?? hostname(),
      pid: m.pid ?? 0,
      memoryLimit: m.memoryLimit ?? 0,
      resources: m.resources,
    };
    const rec = new WorkerRecord(comm, info, m.nanny);
    this.workers.set(address, rec);
    this.policy.traits.set(address, { name: info.name, resources: info.resources, paused: false });
    comm.onMessage((msg) => this.guard(comm, msg, () => this.onWorkerMessage(rec, workerToScheduler.parse(msg))));
    comm.onClose((reason) => this.onWorkerClosed(rec, reason));
    // A worker told of a dashboard reports its transfers and spills for the task stream.
    rec.send({ op: 'registered', id: address, dashboard: this.dashboardLink });
    this.log(`Worker ${info.name} at ${address} (node ${info.node}, ${info.nthreads} thread${info.nthreads > 1 ? 's' : ''})`);
    this.dash?.workerAdded(info);
    this.handle(this.state.addWorker(address, info.nthreads));
    this.broadcastWorkers();
  }

  private registerClient(comm: Comm, m: Extract<Registration, { op: 'register-client' }>): void {
    const id = `client-${randomUUID().slice(0, 8)}`;
    const rec = new ClientRecord(id, comm, m.name ?? id);
    this.clients.set(id, rec);
    comm.onMessage((msg) => this.guard(comm, msg, () => this.onClientMessage(rec, clientToScheduler.parse(msg))));
    comm.onClose((reason) => this.onClientClosed(rec, reason));
    rec.send({ op: 'registered', id, address: this.address, workers: this.workerInfos(), dashboard: this.dashboardLink });
  }

  private registerNanny(comm: Comm, m: Extract<Registration, { op: 'register-nanny' }>): void {
    const id = `nanny-${randomUUID().slice(0, 8)}`;
    const rec = new NannyRecord(id, comm, m.name ?? id);
    this.nannies.set(id, rec);
    comm.onMessage((raw) =>
      this.guard(comm, raw, () => {
        const msg = nannyToScheduler.parse(raw);
        if (msg.op === 'worker-died') this.onWorkerDied(msg);
      }),
    );
    comm.onClose(() => this.nannies.delete(id));
    rec.send({ op: 'registered', id });
  }

  // ---- workers ---------------------------------------------------------------------------------

  private onWorkerMessage(rec: WorkerRecord, m: WorkerToScheduler): void {
    if (rec.removed) return;
    rec.lastSeen = Date.now();
    switch (m.op) {
      case 'done':
        this.onDone(rec, m);
        break;
      case 'heartbeat': {
        const paused = m.metrics.paused;
        const wasPaused = rec.metrics.paused;
        rec.metrics = m.metrics;
        const t = this.policy.traits.get(rec.id);
        if (t) t.paused = paused;
        rec.running = m.running;
        this.dash?.heartbeat(rec.id, m.metrics, m.cpu, m.log);
        if (wasPaused && !paused) this.handle(this.state.batch(() => undefined));
        break;
      }
      case 'stolen': {
        rec.stealing = false;
        const ks = m.keys;
        const ins = this.state.batch((s) => {
          for (const k of ks) s.taskMissingData(k, rec.id);
        });
        this.handle(ins);
        break;
      }
      case 'closing':
        rec.graceful = true;
        this.dash?.model.workerClosing(rec.id);
        break;
    }
  }

  /** A worker's batched report: finished (key, bytes, ms triples), failed, missing inputs. */
  private onDone(rec: WorkerRecord, m: Extract<WorkerToScheduler, { op: 'done' }>): void {
    // A peer this worker could not reach and whose connection is gone is dead: act now rather
    // than let the task bounce between fetch attempts until the death is noticed.
    for (const p of m.lostPeers ?? []) {
      const lost = this.workers.get(p);
      if (lost && lost.comm.isClosed) this.removeWorker(lost, this.fallbackSuspects(lost), 'unreachable by its peers and disconnected');
    }
    const { ok, failed, missing } = m;
    const id = rec.id;
    if (this.dash) {
      if (m.io) this.dash.ioBatch(id, m.io);
      this.dash.finishedBatch(id, ok);
      for (const f of failed) if (Array.isArray(f) && typeof f[0] === 'string') this.dash.erred(id, f[0], serializedError(f[2]), typeof f[3] === 'number' ? f[3] : 0);
    }
    const progressed: Key[] = [];
    const tasks = this.state.tasks;
    const finished: TaskState[] = [];
    const added = m.added;
    if (added.length) {
      // A replica of a key this scheduler has forgotten is dropped at once (the state machine
      // answers for the keys it knows).
      for (const k of added) if (!tasks.has(k)) rec.release.push(k);
    }
    const ins = this.state.batch((s) => {
      if (added.length) s.addReplicas(added.map((key) => ({ key, worker: id })));
      for (let i = 0; i + 2 < ok.length; i += 3) {
        const key = ok[i];
        if (typeof key !== 'string') throw new ProtocolError("'done' message: 'ok' must hold (key, nbytes, ms) triples");
        const nbytes = typeof ok[i + 1] === 'number' ? (ok[i + 1] as number) : 0;
        const ms = typeof ok[i + 2] === 'number' ? (ok[i + 2] as number) : undefined;
        s.taskFinished(key, id, { nbytes, durationMs: ms });
        const ts = tasks.get(key);
        if (ts) finished.push(ts);
        if (this.tracked.size) progressed.push(key);
      }
      for (const f of failed) {
        if (!Array.isArray(f) || typeof f[0] !== 'string') throw new ProtocolError("'done' message: 'failed' must hold [key, memberId, error]");
        const ts = tasks.get(f[0]);
        // The worker names the failing member of a fused task by its local id.
        const member = ts && typeof f[1] === 'number' ? fusedMemberKey(ts.node, f[1]) : f[0];
        s.taskErred(f[0], id, new RemoteTaskError(serializedError(f[2]), member));
      }
      for (const k of missing) s.taskMissingData(k, id);
    });
    this.inline = m.values && inlineValues(m.values);
    try {
      this.handle(ins);
    } finally {
      this.inline = undefined;
    }
    for (let i = 0; i + 2 < ok.length; i += 3) this.shuffles.finished(ok[i] as Key);
    this.flushWorker(rec);
    this.replicate(finished);
    if (progressed.length) this.countProgress(progressed);
    this.maybeSteal();
  }

  private onWorkerClosed(rec: WorkerRecord, reason: string): void {
    if (rec.removed || this.closed) return;
    if (rec.graceful) {
      this.removeWorker(rec, [], 'closed');
      return;
    }
    if (rec.nanny && this.nannies.has(rec.nanny)) {
      // Its nanny knows which task was running when the process died: give it a moment to say.
      const t = setTimeout(() => {
        if (!rec.removed) this.removeWorker(rec, this.fallbackSuspects(rec), `worker process lost (${reason})`);
      }, this.graceMs);
      t.unref();
      return;
    }
    this.removeWorker(rec, this.fallbackSuspects(rec), `worker lost (${reason})`);
  }

  private onWorkerDied(m: Extract<ReturnType<typeof nannyToScheduler.parse>, { op: 'worker-died' }>): void {
    const rec = this.workers.get(m.address);
    if (!rec || rec.removed) return;
    // Only a task that was running when the process died is suspected: the one whose code it
    // was in (the worker says so at exit, 'reported'; a death outside any task blames none), or
    // the one it was running when its nanny killed it; else those its last heartbeat named.
    const running = m.running;
    const cause = m.cause ?? 'worker process died';
    const timedOut = m.timedOut;
    if (timedOut) {
      // Ran past its own timeout: it fails now (or is retried if it has retries), no death counted.
      const err = new TaskTimeoutError(timedOut, m.timeoutMs ?? 0, 'its worker process was killed');
      this.handle(this.state.taskErred(timedOut, rec.id, new RemoteTaskError(serializeError(err), timedOut)));
      this.removeWorker(rec, [], cause);
      return;
    }
    const suspects = running ? [running] : m.reported === true ? [] : this.fallbackSuspects(rec);
    this.removeWorker(rec, suspects, cause);
  }

  /**
   * Without a report (killed before its reporting thread spoke, e.g. a task that SIGKILLs its own
   * process at once): the tasks its last heartbeat said were running, else, when no more tasks were
   * assigned to it than it has threads, those (each was running, or it was idle between them). A
   * task merely queued behind others is never suspected.
   */
  private fallbackSuspects(rec: WorkerRecord): Key[] {
    const named = heartbeatSuspects(rec.running, (k) => this.state.tasks.get(k)?.processingOn?.id === rec.id);
    if (named.length) return named;
    const processing = this.state.workers.get(rec.id)?.processing;
    if (!processing || processing.size === 0 || processing.size > rec.info.nthreads) return [];
    return [...processing].map((ts) => ts.key);
  }

  private removeWorker(rec: WorkerRecord, suspects: Key[], cause: string): void {
    if (rec.removed) return;
    rec.removed = true;
    this.workers.delete(rec.id);
    this.policy.traits.delete(rec.id);
    this.dash?.workerRemoved(rec.id);
    if (!rec.comm.isClosed) rec.comm.close(cause);
    this.log(`Removed worker ${rec.info.name} at ${rec.id}: ${cause}${suspects.length ? ` (suspect: ${suspects.join(', ')})` : ''}`);
    const held = [...(this.state.workers.get(rec.id)?.has ?? [])];
    const removal = (): readonly Instruction[] => this.state.removeWorker(rec.id, { suspects, cause: `${rec.info.name}: ${cause}` });
    // A p2p shuffle it took part in restarts: its transfers and barrier are invalidated with the removal.
    const restart = this.shuffles.workerLost(rec.id);
    this.handle(
      restart.length
        ? this.state.batch((s) => {
            s.invalidate(restart);
            removal();
          })
        : removal(),
    );
    // What it held and another worker still has is down to one copy again.
    this.replicate(held);
    // Whoever reads from it gives up now rather than at its fetch timeout (it may be hung).
    for (const w of this.workers.values()) w.send({ op: 'worker-removed', address: rec.id });
    for (const c of this.clients.values()) c.send({ op: 'worker-removed', address: rec.id });
    this.broadcastWorkers();
  }

  private checkHeartbeats(): void {
    const now = Date.now();
    for (const rec of [...this.workers.values()]) {
      if (now - rec.lastSeen <= this.ttlMs) continue;
      const silent = `no heartbeat for ${((now - rec.lastSeen) / 1000).toFixed(1)} s`;
      const nanny = rec.nanny ? this.nannies.get(rec.nanny) : undefined;
      if (nanny && rec.killAskedAt === undefined) {
        // Hung, not gone: its nanny kills it and reports the task it was stuck in (the worker's
        // lost connection then removes it, as for any death).
        rec.killAskedAt = now;
        this.log(`Worker ${rec.info.name} at ${rec.id}: ${silent}; asking its nanny to kill it`);
        nanny.send({ op: 'kill-worker', address: rec.id, reason: `was dropped by the scheduler: ${silent}` });
      } else if (!nanny || now - rec.killAskedAt! > this.graceMs + 1000) {
        this.removeWorker(rec, this.fallbackSuspects(rec), silent);
      }
    }
  }

  /** Asks the oldest workers to copy long-lived results held once (see replication.ts). */
  private replicate(candidates: readonly TaskState[]): void {
    if (candidates.length === 0 || this.workers.size < 2) return;
    // Most finished tasks need no copy (a submit's result is wanted and made from nothing): then
    // neither the config nor the list of targets is looked at.
    if (!candidates.some(mayReplicate)) return;
    // Read each time: config.set scopes apply to a running scheduler.
    const maxBytes = config.get<number>('distributed.scheduler.replicate-bytes', 65_536);
    if (maxBytes <= 0) return;
    const targets = [...this.workers.values()].map((w) => ({ id: w.id, startedAt: w.startedAt, paused: w.metrics.paused }));
    for (const [id, e] of planReplicas(candidates, targets, maxBytes)) {
      this.workers.get(id)?.send({ op: 'acquire', keys: e.keys, holders: e.holders });
    }
  }

  /** Idle workers take queued, unstarted work from the busiest (Dask's work stealing). */
  private maybeSteal(): void {
    const plan = planSteal(this.state, this.workers);
    if (!plan) return;
    const victim = this.workers.get(plan.victim);
    if (!victim) return;
    victim.stealing = true;
    victim.send({ op: 'steal', n: plan.count });
  }

  // ---- clients -------------------------------------------------------------------------------

  private onClientMessage(rec: ClientRecord, m: ClientToScheduler): void {
    switch (m.op) {
      case 'update-graph':
        this.updateGraph(rec, m);
        break;
      case 'release-keys':
        this.releaseKeys(rec, m.keys);
        break;
      case 'scatter':
        this.scatter(rec, m);
        break;
      case 'who-has':
        reply(rec.comm, m, { holders: m.keys.map((k) => this.state.tasks.get(k)?.whoHas.map((w) => w.id) ?? []) });
        break;
      case 'scheduler-info':
        reply(rec.comm, m, { info: this.info() });
        break;
      case 'story':
        reply(rec.comm, m, { entries: this.story(m.key) });
        break;
      case 'restart':
        void this.restart().then(
          (n) => reply(rec.comm, m, { workers: n }),
          (e) => replyError(rec.comm, m, e),
        );
        break;
      case 'shutdown':
        this.log(`Shutdown requested by ${rec.name}`);
        void this.close();
        break;
      case 'heartbeat':
        break;
    }
  }

  private updateGraph(rec: ClientRecord, m: Extract<ClientToScheduler, { op: 'update-graph' }>): void {
    const gid = m.gid;
    try {
      for (const entry of m.ops) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'number') throw new ProtocolError("'ops' must hold [id, op] pairs");
        rec.ops[entry[0]] = checkOp(entry[1]);
      }
      const encoded = m.nodes;
      const prio = m.priority;
      const statics: ArrayLike<number> | undefined = prio instanceof Int32Array || Array.isArray(prio) ? (prio as ArrayLike<number>) : undefined;
      const nodes: GraphNode[] = [];
      // Static priorities aligned with `nodes` (the client's are aligned with its node list, which
      // also holds the known keys skipped here).
      const prios: number[] = [];
      let linked = false;
      for (let j = 0; j < encoded.length; j++) {
        const node = decodeGraphNode(encoded[j], rec.ops);
        if (isKnownKeyRef(node)) {
          if (!this.state.tasks.has(node.key)) {
            throw new Error(`'${node.key}' is not on the cluster any more (its future was released, cancelled or lost in a restart)`);
          }
          continue;
        }
        nodes.push(node);
        prios.push(statics ? Number(statics[j] ?? j) : j);
        if (node.deps.length) linked = true;
      }
      let wanted = m.wanted;
      if (m.wantedAll) {
        if (wanted.length) throw new ProtocolError("'update-graph' message: 'wanted' must be empty with 'wantedAll'");
        wanted = encoded.map((e) => (e as unknown[])[1] as Key);
      }
      // Check every reference before touching the state machine, so a bad graph changes nothing.
      // (A graph of independent tasks all wanted, such as a map, has nothing to check.)
      if (linked || !m.wantedAll) {
        const inGraph = new Set<Key>();
        for (const n of nodes) inGraph.add(n.key);
        for (const n of nodes) {
          for (const d of n.deps) {
            if (!inGraph.has(d) && !this.state.tasks.has(d)) throw new Error(`Task '${n.key}' depends on '${d}', which is neither in the graph nor on the cluster`);
          }
        }
        for (const k of wanted) {
          if (!inGraph.has(k) && !this.state.tasks.has(k)) throw new Error(`Wanted key '${k}' is not in the graph`);
        }
      }
      const gen = ++this.generation;
      const userPriority = m.userPriority ?? 0;
      const base = gen * PRIORITY_STRIDE - userPriority * 2 ** 44;
      const retries = m.retries ?? 0;
      const timeoutMs = m.timeoutMs;
      for (const r of m.restrictions) {
        if (!Array.isArray(r) || typeof r[0] !== 'string') throw new ProtocolError("'restrictions' must hold [key, workers, resources]");
        const workers = Array.isArray(r[1]) && r[1].length ? new Set(r[1].map(String)) : undefined;
        const resources = r[2] && typeof r[2] === 'object' ? (r[2] as Record<string, number>) : undefined;
        this.policy.restrictions.set(r[0], { workers, resources });
      }
      if (m.progress === true) {
        const p = { done: 0, total: nodes.length, sent: -1 };
        rec.progress.set(gid, p);
        for (const n of nodes) {
          const st = this.state.tasks.get(n.key)?.status;
          if (st === 'memory') p.done++;
          else {
            let list = this.tracked.get(n.key);
            if (!list) this.tracked.set(n.key, (list = []));
            list.push({ client: rec, gid });
          }
        }
      }
      for (const k of wanted) this.addWanted(rec, k);
      const inline = wanted.length <= INLINE_GRAPH_KEYS;
      if (inline) for (const k of wanted) this.replyWanted.add(k);
      if (timeoutMs) for (const n of nodes) this.timeouts.set(n.key, timeoutMs);
      this.dash?.graph(nodes);
      this.shuffles.addGraph(nodes);
      this.handle(
        this.state.updateGraph({
          nodes,
          wanted,
          priority: (_k, i) => base + prios[i],
          retries,
        }),
      );
      if (inline) {
        // Placed ones were taken out as they went to their worker; those done already never will be.
        for (const k of wanted) {
          const st = this.state.tasks.get(k)?.status;
          if (st !== 'waiting' && st !== 'ready') this.replyWanted.delete(k);
        }
      }
      this.sendProgress(rec);
    } catch (e) {
      rec.send({ op: 'graph-error', gid, error: serializeError(e) });
    }
  }

  private addWanted(rec: ClientRecord, k: Key): void {
    rec.wanted.set(k, (rec.wanted.get(k) ?? 0) + 1);
    this.wantedBy.add(k, rec);
  }

  /** Data a client put on workers itself (client.scatter): recorded as held there, and wanted. */
  private scatter(rec: ClientRecord, m: Extract<ClientToScheduler, { op: 'scatter' }>): void {
    const gid = m.gid;
    try {
      const { keys: ks, holders, nbytes: sizes } = m;
      if (holders.length !== ks.length) throw new ProtocolError("'scatter' message: one holder per key is needed");
      const entries = ks.map((key, i) => {
        if (!this.state.workers.has(holders[i])) throw new Error(`Scattered '${key}' to ${holders[i]}, which is not a worker of this cluster (any more)`);
        const nbytes = sizes[i];
        return { key, worker: holders[i], nbytes: typeof nbytes === 'number' && nbytes >= 0 ? nbytes : 0 };
      });
      for (const e of entries) this.addWanted(rec, e.key);
      this.handle(this.state.addData(entries));
    } catch (e) {
      rec.send({ op: 'graph-error', gid, error: serializeError(e) });
    }
  }

  private releaseKeys(rec: ClientRecord, ks: Key[]): void {
    const release: Key[] = [];
    for (const k of ks) {
      const n = rec.wanted.get(k);
      if (!n) continue;
      if (n === 1) {
        rec.wanted.delete(k);
        this.replyWanted.delete(k);
        this.wantedBy.delete(k, rec);
      } else rec.wanted.set(k, n - 1);
      release.push(k);
    }
    if (release.length) {
      this.handle(this.state.release(release));
      this.scheduleForget();
    }
  }

  private onClientClosed(rec: ClientRecord, reason = 'closed'): void {
    if (!this.clients.delete(rec.id)) return;
    // A client that goes away releases everything it held (Dask's client-releases-keys).
    const ks: Key[] = [];
    for (const [k, n] of rec.wanted) for (let i = 0; i < n; i++) ks.push(k);
    this.releaseKeys(rec, ks);
    for (const [k, list] of this.tracked) {
      const kept = list.filter((t) => t.client !== rec);
      if (kept.length) this.tracked.set(k, kept);
      else this.tracked.delete(k);
    }
    this.log(`Client ${rec.name} left (${reason}); released ${ks.length} key${ks.length === 1 ? '' : 's'}`);
  }

  private countProgress(finished: Key[]): void {
    const touched = new Set<ClientRecord>();
    for (const k of finished) {
      const list = this.tracked.get(k);
      if (!list) continue;
      this.tracked.delete(k);
      for (const t of list) {
        const p = t.client.progress.get(t.gid);
        if (p) {
          p.done++;
          touched.add(t.client);
        }
      }
    }
    for (const c of touched) this.sendProgress(c);
  }

  private sendProgress(c: ClientRecord): void {
    for (const [gid, p] of c.progress) {
      if (p.done === p.sent) continue;
      p.sent = p.done;
      c.send({ op: 'progress', gid, done: p.done, total: p.total });
      if (p.done >= p.total) c.progress.delete(gid);
    }
  }

  // ---- instructions --------------------------------------------------------------------------

  private handle(instructions: readonly Instruction[]): void {
    if (instructions.length === 0) return;
    let memory: Map<ClientRecord, MemoryReport> | undefined;
    const inline = this.inline;
    const touched = new Set<WorkerRecord>();
    for (const ins of instructions) {
      switch (ins.type) {
        case 'run': {
          const rec = this.workers.get(ins.worker);
          if (!rec) throw new Error(`pdask internal error: task placed on unknown worker ${ins.worker}`);
          const [node, keys] = encodeTask(ins.task, rec.ops);
          rec.run.push(node, keys, this.fetchList(ins.task, ins.worker));
          if (this.replyWanted.delete(ins.task.key)) rec.reply.push(ins.task.key);
          const timeout = this.timeouts.get(ins.task.key);
          if (timeout) rec.timeouts.push(ins.task.key, timeout);
          touched.add(rec);
          break;
        }
        case 'cancel': {
          // Nothing needs it any more: the worker drops it if queued, discards it if running.
          const rec = this.workers.get(ins.worker);
          if (rec) {
            rec.cancel.push(ins.key);
            touched.add(rec);
          }
          break;
        }
        case 'release': {
          const rec = this.workers.get(ins.worker);
          if (rec) {
            rec.release.push(ins.key);
            touched.add(rec);
          }
          this.policy.restrictions.delete(ins.key);
          this.timeouts.delete(ins.key);
          this.shuffles.released(ins.key);
          break;
        }
        case 'memory': {
          if (!this.wantedBy.has(ins.key)) break;
          const whoHas = this.state.tasks.get(ins.key)!.whoHas;
          const key = ins.key;
          const m = (memory ??= new Map());
          this.wantedBy.each(key, (c) => {
            let e = m.get(c);
            if (!e) m.set(c, (e = new MemoryReport()));
            if (inline?.has(key)) e.values.push(e.keys.length, boxValue(inline.get(key)));
            e.add(key, whoHas);
          });
          break;
        }
        case 'erred': {
          if (!this.wantedBy.has(ins.key)) break;
          const err = ins.error instanceof RemoteTaskError ? ins.error.error : serializeError(ins.error);
          const member = ins.error instanceof RemoteTaskError ? ins.error.memberKey : ins.origin;
          this.wantedBy.each(ins.key, (c) => c.send({ op: 'erred', key: ins.key, origin: ins.origin, member, error: err }));
          break;
        }
      }
    }
    for (const rec of touched) this.flushWorker(rec);
    if (memory) for (const [c, e] of memory) c.send({ op: 'memory', keys: e.keys, holders: e.holders, addresses: e.addresses, values: e.values.length ? e.values : undefined });
  }

  /** Inputs the worker must fetch: (input id, holder, bytes) triples, holders chosen to spread the load. */
  private fetchList(ts: TaskState, worker: string): unknown[] | 0 {
    let fetch: unknown[] | 0 = 0;
    const deps = ts.deps;
    for (let i = 0; i < deps.length; i++) {
      const d = deps[i];
      if (d.whoHas.length === 0 || d.whoHas.some((w) => w.id === worker)) continue;
      const holder = d.whoHas.length === 1 ? d.whoHas[0] : d.whoHas[Math.floor(Math.random() * d.whoHas.length)];
      (fetch ||= []).push(i + 1, holder.id, d.nbytes);
      this.transferred += d.nbytes;
    }
    return fetch;
  }

  /**
   * Sends a worker its runs, releases and cancels. While a received batch is handled, at its end:
   * a client's batch of `release-keys` then `update-graph` (every submit after the first) makes
   * one `compute` for the worker instead of two, and a worker's batch of reports one per worker.
   */
  private flushWorker(rec: WorkerRecord): void {
    if (this.computeDue.has(rec) || !rec.hasCompute()) return;
    if (this.computeDue.size > 0 || whenBatchEnds(this.sendDueComputes)) {
      this.computeDue.add(rec);
      return;
    }
    rec.sendCompute();
  }

  /** Workers whose `compute` waits for the end of the received batch, in the order they were listed. */
  private computeDue = new Set<WorkerRecord>();

  private readonly sendDueComputes = (): void => {
    const due = this.computeDue;
    this.computeDue = new Set();
    for (const rec of due) rec.sendCompute();
  };

  /**
   * Finished graphs are dropped from the state machine once nothing can need them again, so a
   * long-lived scheduler does not grow with every computation. Releases come in bursts (a client
   * leaving, futures collected together): one sweep shortly after them covers the burst.
   */
  private scheduleForget(): void {
    if (this.forgetTimer || this.closed) return;
    this.forgetTimer = setTimeout(() => {
      this.forgetTimer = undefined;
      if (this.state.forgetReleased() === 0) return;
      const gone = (k: Key): boolean => !this.state.tasks.has(k);
      for (const k of this.policy.restrictions.keys()) if (gone(k)) this.policy.restrictions.delete(k);
      for (const k of this.tracked.keys()) if (gone(k)) this.tracked.delete(k);
      for (const k of this.timeouts.keys()) if (gone(k)) this.timeouts.delete(k);
      this.shuffles.forget(gone);
    }, 50);
  }

  // ---- cluster-wide ---------------------------------------------------------------------------

  private workerInfos(): WorkerInfo[] {
    return [...this.workers.values()].map((w) => w.toInfo());
  }

  private broadcastWorkers(): void {
    const workers = this.workerInfos();
    for (const c of this.clients.values()) c.send({ op: 'workers', workers });
  }

  info(): { address: string; workers: WorkerInfo[]; tasks: Record<string, number>; clients: number } {
    return { address: this.address, workers: this.workerInfos(), tasks: this.state.counts(), clients: this.clients.size };
  }

  /** What happened to `key` on this scheduler (the last 10,000 status changes of all keys are kept), oldest first. */
  story(key: Key): StoryEntry[] {
    return this.stories.story(key);
  }

  /** Forgets all tasks and restarts every worker process (through its nanny; others are reset). */
  async restart(timeoutMs = 30_000): Promise<number> {
    const before = this.workers.size;
    for (const c of this.clients.values()) {
      c.wanted.clear();
      c.progress.clear();
      c.send({ op: 'restarted' });
    }
    this.reset();
    this.dash?.restarted();
    const nannied = [...this.workers.values()].filter((w) => w.nanny && this.nannies.has(w.nanny));
    for (const w of this.workers.values()) {
      if (nannied.includes(w)) continue;
      w.send({ op: 'reset' });
      this.state.addWorker(w.id, w.info.nthreads);
    }
    for (const w of nannied) {
      w.graceful = true;
      w.removed = true;
      this.workers.delete(w.id);
      this.policy.traits.delete(w.id);
    }
    for (const n of this.nannies.values()) n.send({ op: 'restart-workers' });
    const t0 = Date.now();
    while (this.workers.size < before && Date.now() - t0 < timeoutMs && !this.closed) await new Promise((r) => setTimeout(r, 20));
    this.broadcastWorkers();
    return this.workers.size;
  }

  async close(): Promise<void> {
    if (this.closed) return this.closedPromise;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.forgetTimer);
    for (const n of this.nannies.values()) {
      n.send({ op: 'close' });
      n.comm.flush();
    }
    for (const w of this.workers.values()) {
      w.graceful = true;
      w.send({ op: 'close' });
      w.comm.flush();
    }
    for (const c of this.clients.values()) {
      c.send({ op: 'scheduler-closing' });
      c.comm.flush();
    }
    // Let the goodbyes leave before the sockets are cut.
    await new Promise((r) => setTimeout(r, 50));
    await this.listener.close();
    await this.dashboard?.close();
    if (this.opts.schedulerFile) removeSchedulerFile(this.opts.schedulerFile, this.token);
    this.log('Scheduler closed');
    this.resolveClosed();
  }
}
