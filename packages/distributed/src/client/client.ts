/**
 * The client: connects to a scheduler, submits graphs and functions, and fetches results straight
 * from the workers that hold them. While a client is open it is the default scheduler of every
 * `compute()` and `persist()` (Dask's default client), through core's executor registry.
 */
import {
  collectionsToGraph,
  collectionSymbol,
  config,
  deserializeError,
  layerNode,
  MaterializedLayer,
  OpInterner,
  orderIndexed,
  registerExecutor,
  sizeOf,
  unregisterExecutor,
  taskNode,
  tokenize,
  toArgSpec,
  toOpRef,
  withTaskKey,
  type Collection,
  type CollectionGraph,
  type ExecuteRequest,
  type Executor,
  type GraphNode,
  type IndexedGraph,
  type Key,
  type LayerNode,
  type ModuleFunction,
  type StoryEntry,
  type StoryTeller,
  type OpFunction,
  type OpRef,
  type ResultOf,
  type TaskNode,
} from '@pdask/core';
import { checkOptions, coreOps, type Op, type OptionSchema } from '@pdask/core';
import { registerDistributedConfig } from '../config';
import { PeerPool } from '../comm/peers';
import { Rpc } from '../comm/rpc';
import type { TlsFiles, TlsMaterial } from '../comm/security';
import { connect } from '../comm/connect';
import type { Comm } from '../comm/comm';
import { clientTls, envVar, reachThroughFile } from '#pdask/client-files';
import { serializedError, type WorkerInfo } from '../protocol/messages';
import { schedulerToClient, type ClientToSchedulerOut, type RegistrationOut, type SchedulerInfo, type SchedulerToClient } from '../protocol/wire';
import { encodeGraphNode } from '../protocol/nodes';
import { isInlineResult } from '../protocol/inline-results';
import { holderLists } from '../protocol/holders';
import { CancelledError, Future, keepingAlive, KeyEntry, type FutureOwner } from './future';
import { CLIENT_OPTIONS, GATHER_OPTIONS, GRAPH_SUBMIT_OPTIONS, MAP_OPTIONS, SCATTER_OPTIONS, SUBMIT_OPTIONS, type GatherOptions, type GraphSubmitOptions, type ScatterOptions } from './options';

registerDistributedConfig();

/** Up to this many static priorities go as a plain list, more as an Int32Array frame. */
const SMALL_PRIORITY_LIST = 64;

/** Web Crypto's, in Node (>= 19) and browsers alike. */
const randomUUID = (): string => globalThis.crypto.randomUUID();

export interface ClientOptions {
  /** A scheduler file written by `pdask-scheduler --scheduler-file` (address and token). */
  schedulerFile?: string;
  /** A scheduler address, tcp://host:port, tls://, ws:// or wss:// (needs `token`, or PDASK_TOKEN in the environment). */
  address?: string;
  token?: string;
  tls?: TlsFiles;
  /** How long to wait for the scheduler file and the scheduler (default 10 s). */
  timeoutMs?: number;
  name?: string;
  /** Become the default scheduler for compute()/persist() (default true). */
  setAsDefault?: boolean;
  /** Dask's `timeout` (seconds): pdask's is `timeoutMs`. */
  timeout?: never;
  /** Dask's `asynchronous`: every method here is async already. */
  asynchronous?: never;
  /** Not implemented: Dask's `heartbeat_interval`, `serializers`, `deserializers`, `direct_to_workers`. */
  heartbeatInterval?: never;
  serializers?: never;
  deserializers?: never;
  directToWorkers?: never;
}

export interface SubmitOptions {
  /** The result's key (default: function name + a token of function and arguments). */
  key?: Key;
  /** Deterministic key from function and arguments (default true, as in Dask). */
  pure?: boolean;
  /** Re-runs of a failing task before its error counts. */
  retries?: number;
  /** Higher runs first (Dask's `priority`). */
  priority?: number;
  /** Worker addresses or names the task may run on. */
  workers?: string[];
  /** Abstract resources the task needs, e.g. { GPU: 1 }. */
  resources?: Record<string, number>;
  /**
   * Milliseconds the task may run (Dask has no such option). Past it, the worker process running
   * it is killed by its nanny and the task fails with TaskTimeoutError (re-run only if `retries`
   * allows). `timeout` is refused: pdask's durations are in milliseconds.
   */
  timeoutMs?: number;
  timeout?: never;
  /** Not implemented: Dask's `allow_other_workers`, `fifo_timeout`, `actor`/`actors`. */
  allowOtherWorkers?: never;
  fifoTimeout?: never;
  actor?: never;
  actors?: never;
}

/** What `client.submit` and `map` accept as a function: a function, a module's export, or a built-in operation's handle. */
type Fn = OpFunction | ModuleFunction | Op;
type Ret<F> = F extends Op<infer H> ? Awaited<ReturnType<H>> : F extends ModuleFunction<infer G> ? Awaited<ReturnType<G>> : F extends OpFunction ? Awaited<ReturnType<F>> : never;

interface GraphSendOptions {
  /** `wanted` is exactly the nodes' keys, in order: the scheduler is told so instead of sent them twice. */
  wantedAll?: boolean;
  retries?: number;
  userPriority?: number;
  restrictions?: unknown[];
  timeoutMs?: number;
  onProgress?: (d: number, t: number) => void;
}

interface GraphWatch {
  keys: Key[];
  onProgress?: (done: number, total: number) => void;
}

const CLUSTER_TARGET: OptionSchema<{ schedulerAddress: string; token: string }> = { schedulerAddress: 'string', token: 'string' };

/** The clients open in this process, most recent last: the last is the default. */
const openClients: Client[] = [];
let registered = false;

function registerDistributedExecutor(): void {
  if (registered) return;
  registered = true;
  registerExecutor('distributed', () => {
    const c = openClients[openClients.length - 1];
    if (!c) throw new Error("No pdask client is open: connect one with `await Client.connect(...)` before using scheduler 'distributed'");
    return c.executor;
  });
}

export class Client implements FutureOwner {
  readonly id = randomUUID().slice(0, 8);
  /** Scheduler address. */
  address = '';
  private comm!: Comm;
  private rpc!: Rpc;
  private peers!: PeerPool;
  private readonly entries = new Map<Key, KeyEntry>();
  private readonly ops = new OpInterner();
  private readonly graphs = new Map<number, GraphWatch>();
  private nextGid = 1;
  private workerList: WorkerInfo[] = [];
  private configScope: { restore(): void } | undefined;
  private closed = false;
  private scatterTurn = 0;
  readonly executor: Executor & StoryTeller;
  private token = '';

  private constructor(private readonly opts: ClientOptions) {
    const self = this;
    this.executor = {
      name: 'distributed',
      // compute()'s taskTimeoutMs: the task's worker process is killed by its nanny.
      taskTimeouts: true,
      execute: (req) => self.execute(req),
      persist: (req) => self.persistKeys(req),
      // core's story(key) with this client as the scheduler asks the scheduler.
      story: (key) => self.story(key),
    };
  }

  /**
   * Connects to a scheduler: `Client.connect({ schedulerFile })`, `Client.connect('tcp://host:port',
   * { token })`, or `Client.connect(cluster)` for a LocalCluster/SlurmCluster.
   */
  static async connect(
    target: string | ClientOptions | { schedulerAddress: string; token: string } = {},
    more: ClientOptions = {},
  ): Promise<Client> {
    checkOptions('Client.connect', more, CLIENT_OPTIONS);
    if (typeof target === 'object' && target !== null && !('schedulerAddress' in target)) checkOptions('Client.connect', target, CLIENT_OPTIONS);
    // A cluster object passes its own address and token; a plain { schedulerAddress, token } is checked like options.
    else if (typeof target === 'object' && target !== null && Object.getPrototypeOf(target) === Object.prototype) checkOptions('Client.connect', target, CLUSTER_TARGET);
    let opts: ClientOptions;
    if (typeof target === 'string') opts = { ...more, address: target };
    else if ('schedulerAddress' in target) opts = { ...more, address: target.schedulerAddress, token: target.token };
    else opts = { ...target, ...more };
    const c = new Client(opts);
    await c.start();
    return c;
  }

  private dashboard: string | undefined;

  /** The scheduler's dashboard (`http://127.0.0.1:8787/status`), or undefined when it serves none (Dask's `dashboard_link`). */
  get dashboardLink(): string | undefined {
    return this.dashboard;
  }

  private async start(): Promise<void> {
    const opts = this.opts;
    const tls: TlsMaterial | undefined = clientTls(opts.tls);
    const timeoutMs = opts.timeoutMs ?? 10_000;
    if (opts.schedulerFile) {
      const reached = await reachThroughFile(opts.schedulerFile, tls, timeoutMs);
      this.comm = reached.comm;
      this.address = reached.address;
      this.token = reached.token;
    } else {
      const address = opts.address ?? envVar('PDASK_SCHEDULER_ADDRESS');
      if (!address) throw new Error('Client.connect needs a scheduler file ({ schedulerFile }) or an address (tcp://host:port)');
      const token = opts.token ?? envVar('PDASK_TOKEN');
      if (!token) {
        throw new Error(`Connecting to ${address} needs the scheduler's token: pass { token }, set PDASK_TOKEN, or connect with { schedulerFile }`);
      }
      this.comm = await connect(address, { token, role: 'client', tls, timeoutMs });
      this.address = address;
      this.token = token;
    }
    this.peers = new PeerPool(this.token, 'client', tls);
    this.comm.onEncodeError = (m, e) => {
      const g = typeof m.gid === 'number' ? this.graphs.get(m.gid) : undefined;
      const err = new TypeError(`Cannot send the graph to the scheduler: ${e.message} (a task argument or value that is not data, such as a function or a class instance with methods?)`);
      if (g) for (const k of g.keys) this.entries.get(k)?.settle('error', err);
      else console.error(`pdask client: ${err.message}`);
    };
    this.rpc = new Rpc(this.comm);
    const registeredMsg = new Promise<Extract<SchedulerToClient, { op: 'registered' }>>((resolve, reject) => {
      this.comm.onMessage((raw) => {
        if (this.rpc.handle(raw)) return;
        let m: SchedulerToClient;
        try {
          m = schedulerToClient.parse(raw);
        } catch (e) {
          console.error(`pdask client: a message from the scheduler it cannot read: ${(e as Error).message}`);
          return;
        }
        if (m.op === 'registered') resolve(m);
        else if (m.op === 'error') reject(new Error(`The scheduler refused this client: ${m.message}`));
        else this.onMessage(m);
      });
      this.comm.onClose((reason) => {
        reject(new Error(`The scheduler closed the connection: ${reason}`));
        this.onLost(reason);
      });
    });
    this.comm.send({ op: 'register-client', name: this.opts.name ?? `client-${this.id}` } satisfies RegistrationOut);
    const reg = await registeredMsg;
    this.workerList = reg.workers ?? [];
    this.dashboard = reg.dashboard;
    registerDistributedExecutor();
    const name = `pdask-client-${this.id}`;
    registerExecutor(name, () => this.executor);
    openClients.push(this);
    if (this.opts.setAsDefault ?? true) this.configScope = config.set({ scheduler: name });
  }

  // ---- messages from the scheduler ------------------------------------------------------------

  private toScheduler(m: ClientToSchedulerOut): void {
    this.comm.send(m);
  }

  private onMessage(m: SchedulerToClient): void {
    switch (m.op) {
      case 'memory': {
        const { keys, values = [] } = m;
        let holders: string[][];
        try {
          holders = holderLists(m.holders, m.addresses, keys.length);
        } catch (e) {
          console.error(`pdask client: a message from the scheduler it cannot read: ${(e as Error).message}`);
          break;
        }
        for (let j = 0; j + 1 < values.length; j += 2) {
          const e = typeof values[j] === 'number' ? this.entries.get(keys[values[j] as number]) : undefined;
          if (e && isInlineResult(values[j + 1])) {
            e.value = values[j + 1];
            e.hasValue = true;
          }
        }
        keys.forEach((k, i) => this.entries.get(k)?.settle('finished', undefined, holders[i]));
        break;
      }
      case 'erred': {
        const e = this.entries.get(m.key);
        if (!e) break;
        const err = withTaskKey(deserializeError(serializedError(m.error)), m.member ?? m.origin ?? m.key);
        e.settle('error', err);
        break;
      }
      case 'graph-error': {
        const g = this.graphs.get(m.gid);
        const err = deserializeError(serializedError(m.error));
        if (g) for (const k of g.keys) this.entries.get(k)?.settle('error', err);
        break;
      }
      case 'progress': {
        const g = this.graphs.get(m.gid);
        g?.onProgress?.(m.done, m.total);
        break;
      }
      case 'workers':
        this.workerList = m.workers;
        break;
      case 'worker-removed':
        // Gathers from a worker the scheduler dropped (maybe hung) give up now, not at their timeout.
        this.peers.abandon(m.address, 'the scheduler removed that worker');
        break;
      case 'restarted':
        for (const [k, e] of this.entries) {
          e.refs = 0;
          e.settle('cancelled', new CancelledError(k, 'lost when the cluster restarted'));
        }
        this.entries.clear();
        break;
      case 'scheduler-closing':
        this.onLost('the scheduler is shutting down');
        break;
      case 'error':
        console.error(`pdask client: the scheduler reports: ${m.message}`);
        break;
      case 'registered':
        break;
    }
  }

  private onLost(reason: string): void {
    for (const [k, e] of this.entries) if (e.status === 'pending') e.settle('lost', new Error(`Lost the scheduler before '${k}' finished: ${reason}`));
  }

  // ---- holds ----------------------------------------------------------------------------------

  entryOf(key: Key): KeyEntry | undefined {
    return this.entries.get(key);
  }

  private hold(key: Key): KeyEntry {
    let e = this.entries.get(key);
    if (!e || e.status === 'cancelled' || e.status === 'lost') {
      const fresh = new KeyEntry(key);
      if (e && e.refs > 0) fresh.refs = e.refs;
      e = fresh;
      this.entries.set(key, e);
    } else if (e.status === 'error' && e.refs === 0) {
      e = new KeyEntry(key);
      this.entries.set(key, e);
    }
    e.refs++;
    return e;
  }

  releaseHold(key: Key, entry: KeyEntry): void {
    if (this.closed || this.entries.get(key) !== entry || entry.refs === 0) return;
    entry.refs--;
    if (entry.refs === 0) this.entries.delete(key);
    // Releasing many futures in one turn (a map's results) makes one message, not one each.
    const last = this.comm.lastQueued;
    if (last && last.op === 'release-keys' && Array.isArray(last.keys)) (last.keys as Key[]).push(key);
    else this.toScheduler({ op: 'release-keys', keys: [key] });
  }

  // ---- graphs -----------------------------------------------------------------------------------

  /** Sends a graph; `wanted` keys get a hold each. Returns their entries. */
  private sendGraph(graph: IndexedGraph, wanted: readonly Key[], opts: GraphSendOptions & { priority?: Int32Array } = {}): KeyEntry[] {
    return this.sendNodes(graph.nodes, opts.priority ?? orderIndexed(graph), wanted, opts);
  }

  /**
   * Sends graph nodes with their static priorities (`statics[i]` for `graphNodes[i]`; without
   * `statics`, the nodes' own order, so that a submit allocates no array of priorities).
   */
  private sendNodes(graphNodes: readonly GraphNode[], statics: ArrayLike<number> | undefined, wanted: readonly Key[], opts: GraphSendOptions): KeyEntry[] {
    if (this.closed) throw new Error('This client is closed');
    if (this.comm.isClosed) throw new Error(`The connection to the scheduler at ${this.address} is closed`);
    const gid = this.nextGid++;
    const nodes: unknown[] = [];
    const prio: number[] = [];
    for (let i = 0; i < graphNodes.length; i++) {
      this.encodeInto(graphNodes[i], nodes);
      while (prio.length < nodes.length) prio.push(statics ? statics[i] : i);
    }
    const entries = wanted.map((k) => this.hold(k));
    const watch: GraphWatch = { keys: [...wanted], onProgress: opts.onProgress };
    this.graphs.set(gid, watch);
    const forget = (): void => {
      this.graphs.delete(gid);
    };
    let pending = entries.length;
    if (pending === 0) forget();
    const settledOne = (): void => {
      if (--pending === 0) forget();
    };
    for (const e of entries) e.onSettled(settledOne);
    this.toScheduler({
      op: 'update-graph',
      gid,
      ops: this.ops.takeFresh(),
      nodes,
      wanted: opts.wantedAll ? [] : [...wanted],
      wantedAll: opts.wantedAll,
      // A small graph's few numbers stay in the header (a typed array would be a frame of its own).
      priority: prio.length <= SMALL_PRIORITY_LIST ? prio : Int32Array.from(prio),
      retries: opts.retries ?? 0,
      userPriority: opts.userPriority ?? 0,
      restrictions: opts.restrictions,
      timeoutMs: opts.timeoutMs,
      progress: !!opts.onProgress,
    });
    return entries;
  }

  /**
   * Encodes a node. A fused chain that starts from a Future's data (fusion cannot know that the
   * value is remote) is split: the Future becomes a reference and the chain reads it as an input.
   */
  private encodeInto(node: GraphNode, out: unknown[]): void {
    if (node.kind === 'fused' && node.members.some((m) => m.kind === 'data' && m.value instanceof Future)) {
      const members = node.members.filter((m) => {
        if (m.kind !== 'data' || !(m.value instanceof Future)) return true;
        out.push(this.encode(m));
        return false;
      });
      const deps = [...new Set([...node.deps, ...node.members.filter((m) => m.kind === 'data' && m.value instanceof Future).map((m) => m.key)])];
      out.push(this.encode(members.length === 1 ? { ...members[0], deps } : { kind: 'fused', key: node.key, members, deps }));
      return;
    }
    out.push(this.encode(node));
  }

  private encode(node: GraphNode): unknown[] {
    // A persisted collection's data nodes hold Futures: the cluster already has those keys.
    if (node.kind === 'data' && node.value instanceof Future) {
      if ((node.value as Future).key !== node.key) {
        return [0, node.key, this.ops.id(coreOps.identity.ref), 1, (node.value as Future).key];
      }
      return [4, node.key];
    }
    return encodeGraphNode(node, this.ops);
  }

  /** Runs a core ExecuteRequest on the cluster: what compute()/persist() call while this client is the default. */
  private async execute(req: ExecuteRequest): Promise<Map<Key, unknown>> {
    const targets = [...new Set(req.targets)];
    const entries = this.sendGraph(req.graph, targets, { priority: req.priority, retries: req.retries, timeoutMs: req.taskTimeoutMs, onProgress: req.onProgress });
    try {
      // The graph's inputs that are futures stay held while it runs (the caller may hold only the graph).
      const values = await keepingAlive(futuresIn(req.graph), () => this.gatherKeys(targets));
      return new Map(targets.map((k, i) => [k, values[i]]));
    } finally {
      entries.forEach((e, i) => this.releaseHold(targets[i], e));
    }
  }

  /**
   * What persist() calls while this client is the default: the results stay on the cluster and
   * the rebuilt collections hold Futures for them (Dask's persist with a distributed client).
   */
  private async persistKeys(req: ExecuteRequest): Promise<Map<Key, unknown>> {
    const targets = [...new Set(req.targets)];
    const entries = this.sendGraph(req.graph, targets, { priority: req.priority, retries: req.retries, timeoutMs: req.taskTimeoutMs, onProgress: req.onProgress });
    const futures = targets.map((k, i) => new Future(k, this, entries[i]));
    await keepingAlive([...futures, ...futuresIn(req.graph)], () => Promise.all(entries.map((e) => e.settled())));
    const failed = entries.find((e) => e.status !== 'finished');
    if (failed) {
      for (const f of futures) f.release();
      throw failed.error ?? new CancelledError(failed.key, failed.status);
    }
    return new Map(targets.map((k, i) => [k, futures[i]]));
  }

  // ---- futures --------------------------------------------------------------------------------

  /** One call's task; `parents`: the layers of the collections (futures included) among its arguments. */
  private taskOf(op: OpRef, prefix: string, args: readonly unknown[], o: SubmitOptions): { key: Key; node: TaskNode; parents: LayerNode[] } {
    const parents: LayerNode[] = [];
    const specs = args.map((a) => toArgSpec(a, parents));
    const key = o.key ?? `${prefix}-${(o.pure ?? true) ? tokenize(op, specs) : randomUUID()}`;
    return { key, node: taskNode(key, op, specs), parents };
  }

  private prefixOp: OpRef | undefined;
  private prefix = '';

  /** One task per argument list, all calling `fn`. */
  private submitMany<T>(fn: Fn, argLists: readonly (readonly unknown[])[], o: SubmitOptions): Future<T>[] {
    const op = toOpRef(fn);
    // The key prefix of the op submitted last: a loop of submits does not run the regex each time.
    if (op !== this.prefixOp) {
      this.prefixOp = op;
      this.prefix = (op.name || 'lambda').replace(/[^\w.-]/g, '_');
    }
    const prefix = this.prefix;
    const built = argLists.map((args) => this.taskOf(op, prefix, args, o));
    const keys = built.map((b) => b.key);
    const restrictions = o.workers || o.resources ? keys.map((k) => [k, o.workers ?? [], o.resources ?? {}]) : undefined;
    const uniq = keys.length === 1 ? keys : [...new Set(keys)];
    const sendOpts: GraphSendOptions = { retries: o.retries, userPriority: o.priority, restrictions, timeoutMs: o.timeoutMs };
    let entries: KeyEntry[];
    if (built.every((b) => b.parents.length === 0)) {
      // Independent tasks (no future or collection among the arguments): the graph is the tasks
      // themselves, in submission order, which is also the order core's `order()` gives tasks
      // that nothing links; building, culling and ordering a graph of one-task layers is skipped.
      let nodes: TaskNode[];
      if (built.length === 1) nodes = [built[0].node];
      else {
        nodes = [];
        const taken = new Set<Key>();
        for (const b of built) {
          if (taken.has(b.key)) continue;
          taken.add(b.key);
          nodes.push(b.node);
        }
      }
      // Set, not spread: V8 copies `{ ...sendOpts, wantedAll }` through its slow path (~1.5 µs per
      // copy in a micro-benchmark on this machine, against ~5 ns for the object literal).
      sendOpts.wantedAll = true;
      entries = this.sendNodes(nodes, undefined, uniq, sendOpts);
    } else {
      const graphs: CollectionGraph<unknown>[] = built.map((b) => ({
        roots: [layerNode(new MaterializedLayer(b.key, [b.node], prefix), b.parents)],
        keys: [b.key],
        rebuild: () => undefined as never,
      }));
      entries = this.sendGraph(collectionsToGraph(graphs, { optimizeGraph: false }).graph, uniq, sendOpts);
    }
    // A submit: no table of keys to entries.
    if (keys.length === 1) return [new Future<T>(keys[0], this, entries[0])];
    const byKey = new Map(uniq.map((k, i) => [k, entries[i]]));
    // Each Future holds its key once; duplicates of one key take extra holds.
    const seen = new Set<Key>();
    return keys.map((k) => {
      if (seen.has(k)) {
        this.toScheduler({ op: 'update-graph', gid: this.nextGid++, nodes: [[4, k]], wanted: [k], priority: undefined });
        return new Future<T>(k, this, this.hold(k));
      }
      seen.add(k);
      return new Future<T>(k, this, byKey.get(k)!);
    });
  }

  /** Runs `fn(...args)` on the cluster (Dask's `client.submit`). Futures in `args` are resolved first. */
  submit<F extends Fn>(fn: F, ...args: unknown[]): Future<Ret<F>> {
    return this.submitMany<Ret<F>>(fn, [args], {})[0];
  }

  /** `submit` with options: `client.submitWith({ retries: 2, workers: [addr] }, fn, x)`. */
  submitWith<F extends Fn>(options: SubmitOptions, fn: F, ...args: unknown[]): Future<Ret<F>> {
    checkOptions('Client.submitWith', options, SUBMIT_OPTIONS);
    return this.submitMany<Ret<F>>(fn, [args], options)[0];
  }

  /** One task per item, sent in one message (Dask's `client.map`). */
  map<F extends Fn>(fn: F, items: Iterable<unknown>, options: Omit<SubmitOptions, 'key'> = {}): Future<Ret<F>>[] {
    checkOptions('Client.map', options, MAP_OPTIONS);
    const rest = options;
    return this.submitMany<Ret<F>>(fn, Array.from(items, (x) => [x]), rest);
  }

  /** Submits a collection's graph; the Future holds its final result (Dask's `client.compute`). */
  compute<C extends Collection<unknown>>(collection: C, options: GraphSubmitOptions = {}): Future<ResultOf<C>> {
    checkOptions('Client.compute', options, GRAPH_SUBMIT_OPTIONS);
    const g = collection[collectionSymbol]();
    const { graph, keys } = collectionsToGraph([g], { optimizeGraph: options.optimizeGraph });
    let outKey = keys[0];
    let full = graph;
    if (g.finalize || keys.length !== 1) {
      // The finalizer runs on the cluster too, so only the final value ever travels.
      outKey = `finalize-${tokenize(keys, g.finalize?.op, g.finalize?.args)}`;
      const op = g.finalize?.op ?? coreOps.identity.ref;
      const node = taskNode(outKey, op, [{ t: 'arr', items: keys.map((key) => ({ t: 'ref' as const, key })) }, ...(g.finalize?.args ?? []).map((v) => ({ t: 'lit' as const, v }))]);
      const fin: CollectionGraph<unknown> = { roots: [layerNode(new MaterializedLayer(outKey, [node], 'finalize'), g.roots)], keys: [outKey], rebuild: () => undefined as never };
      full = collectionsToGraph([fin]).graph;
    }
    const [entry] = this.sendGraph(full, [outKey], { retries: options.retries, userPriority: options.priority, timeoutMs: options.timeoutMs });
    return new Future<ResultOf<C>>(outKey, this, entry);
  }

  /**
   * Starts computing a collection and returns it backed by results that stay on the cluster
   * (Dask's `client.persist`): later computations start from them.
   */
  persist<C extends Collection<unknown>>(collection: C, options: GraphSubmitOptions = {}): C {
    checkOptions('Client.persist', options, GRAPH_SUBMIT_OPTIONS);
    const g = collection[collectionSymbol]();
    const { graph, keys } = collectionsToGraph([g], { optimizeGraph: options.optimizeGraph });
    const entries = this.sendGraph(graph, keys, { retries: options.retries, userPriority: options.priority, timeoutMs: options.timeoutMs });
    const futures = new Map<Key, unknown>(keys.map((k, i) => [k, new Future(k, this, entries[i])]));
    return g.rebuild(futures) as C;
  }

  /** Sends local data to workers (round robin) and returns Futures for it (Dask's `client.scatter`). */
  async scatter<T>(data: T[], options?: ScatterOptions): Promise<Future<T>[]>;
  async scatter<T>(data: T, options?: ScatterOptions): Promise<Future<T>>;
  async scatter(data: unknown, options: ScatterOptions = {}): Promise<Future<unknown> | Future<unknown>[]> {
    checkOptions('Client.scatter', options, SCATTER_OPTIONS);
    const many = Array.isArray(data);
    const items = many ? (data as unknown[]) : [data];
    let targets = options.workers ?? this.workerList.map((w) => w.address);
    if (options.workers) {
      targets = options.workers.map((w) => this.workerList.find((x) => x.name === w || x.address === w)?.address ?? w);
    }
    if (targets.length === 0) throw new Error('client.scatter: the cluster has no workers yet (wait for them with client.waitForWorkers(n))');
    const keyOf = (x: unknown): Key => `${typeName(x)}-${(options.hash ?? true) ? tokenize(x) : randomUUID()}`;
    const keys = items.map(keyOf);
    const byWorker = new Map<string, { keys: Key[]; values: unknown[] }>();
    const holderOf: string[] = [];
    const firstOf = new Map<Key, number>();
    items.forEach((x, i) => {
      const w = targets[this.scatterTurn++ % targets.length];
      holderOf.push(w);
      if (!firstOf.has(keys[i])) firstOf.set(keys[i], i);
      let b = byWorker.get(w);
      if (!b) byWorker.set(w, (b = { keys: [], values: [] }));
      b.keys.push(keys[i]);
      b.values.push(x);
    });
    await Promise.all([...byWorker].map(([w, b]) => this.peers.request(w, { op: 'put-data', keys: b.keys, values: b.values })));
    const gid = this.nextGid++;
    const uniq = [...new Set(keys)];
    const entries = uniq.map((k) => this.hold(k));
    this.graphs.set(gid, { keys: uniq });
    let pending = entries.length;
    for (const e of entries) e.onSettled(() => --pending === 0 && this.graphs.delete(gid));
    // The scheduler records where each value is (it has no computation to rerun if lost).
    this.toScheduler({
      op: 'scatter',
      gid,
      keys: uniq,
      holders: uniq.map((k) => holderOf[firstOf.get(k)!]),
      nbytes: uniq.map((k) => sizeOf(items[firstOf.get(k)!])),
    });
    const byKey = new Map(uniq.map((k, i) => [k, entries[i]]));
    const seen = new Set<Key>();
    const futures = keys.map((k) => {
      if (seen.has(k)) {
        this.toScheduler({ op: 'update-graph', gid: this.nextGid++, nodes: [[4, k]], wanted: [k], priority: undefined });
        return new Future(k, this, this.hold(k));
      }
      seen.add(k);
      return new Future(k, this, byKey.get(k)!);
    });
    return many ? futures : futures[0];
  }

  // ---- results --------------------------------------------------------------------------------

  async gatherOne(key: Key): Promise<unknown> {
    // A small result comes with its 'memory' report: returned without gatherKeys' arrays,
    // closures and its await of an empty Promise.all (the last step of a submit -> result).
    const e = this.entries.get(key);
    if (e) {
      if (e.status === 'pending') await e.settled();
      if (e.status === 'finished' && e.hasValue) return e.value;
    }
    return (await this.gatherKeys([key]))[0];
  }

  /** Values of futures (Dask's `client.gather`); arrays and plain objects of futures keep their shape. */
  async gather<T>(futures: Future<T>[], options?: GatherOptions): Promise<T[]>;
  async gather<T>(future: Future<T>, options?: GatherOptions): Promise<T>;
  async gather(x: Future<unknown> | Future<unknown>[], options: GatherOptions = {}): Promise<unknown> {
    checkOptions('Client.gather', options, GATHER_OPTIONS);
    if (x instanceof Future) return keepingAlive([x], () => this.gatherOne(x.key));
    return keepingAlive(x, () => this.gatherKeys(x.map((f) => f.key)));
  }

  /**
   * Waits for keys and fetches them from their holders, grouped per worker. A holder that died
   * meanwhile is asked again through the scheduler (which recomputes what was lost).
   */
  private async gatherKeys(keys: readonly Key[]): Promise<unknown[]> {
    const out = new Array<unknown>(keys.length);
    let todo = keys.map((k, i) => ({ k, i }));
    for (let attempt = 0; todo.length; attempt++) {
      if (attempt > 50) throw new Error(`Could not gather ${todo.map((t) => t.k).join(', ')}: their holders keep disappearing`);
      for (const t of todo) {
        const e = this.entries.get(t.k);
        if (!e) throw new CancelledError(t.k, 'released');
        // No turn of the microtask queue for each of a map's results that is in already.
        if (e.status === 'pending') await e.settled();
        if (e.status !== 'finished') throw e.error ?? new CancelledError(t.k, e.status);
      }
      const byHolder = new Map<string, { k: Key; i: number }[]>();
      for (const t of todo) {
        const e = this.entries.get(t.k)!;
        if (e.hasValue) {
          // Came with the scheduler's 'memory' message: nothing to fetch.
          out[t.i] = e.value;
          continue;
        }
        const h = e.holders[0];
        let list = byHolder.get(h);
        if (!list) byHolder.set(h, (list = []));
        list.push(t);
      }
      const retry: { k: Key; i: number }[] = [];
      await Promise.all(
        [...byHolder].map(async ([holder, list]) => {
          let missing: Set<Key>;
          try {
            const r = await this.peers.request(holder, { op: 'get-data', keys: list.map((t) => t.k) });
            missing = new Set(r.missing as Key[]);
            const values = r.values as unknown[];
            let vi = 0;
            for (const t of list) if (!missing.has(t.k)) out[t.i] = values[vi++];
          } catch {
            missing = new Set(list.map((t) => t.k));
            this.peers.forget(holder);
          }
          for (const t of list) if (missing.has(t.k)) retry.push(t);
        }),
      );
      if (retry.length === 0) break;
      await this.relocate(retry.map((t) => t.k));
      todo = retry;
    }
    return out;
  }

  /** Keys whose holder vanished: ask the scheduler where they are now, or wait for their recomputation. */
  private async relocate(keys: Key[]): Promise<void> {
    const { holders } = await this.rpc.request({ op: 'who-has', keys });
    keys.forEach((k, i) => {
      const e = this.entries.get(k);
      if (!e) return;
      if (holders[i]?.length) e.holders = holders[i].filter((h) => !e.holders.includes(h)).concat(holders[i]);
      else if (e.status === 'finished') e.status = 'pending';
    });
    await new Promise((r2) => setTimeout(r2, 20));
  }

  // ---- cluster control ------------------------------------------------------------------------

  /** Cancels futures: their holds are dropped and they fail with CancelledError. */
  async cancel(futures: Future<unknown>[]): Promise<void> {
    const keys: Key[] = [];
    for (const f of futures) {
      const e = this.entries.get(f.key);
      f.markReleased();
      if (!e) continue;
      this.entries.delete(f.key);
      for (let i = 0; i < e.refs; i++) keys.push(f.key);
      e.refs = 0;
      e.settle('cancelled', new CancelledError(f.key));
    }
    if (keys.length) this.toScheduler({ op: 'release-keys', keys });
  }

  /** Information on the scheduler and its workers. */
  async schedulerInfo(): Promise<SchedulerInfo> {
    return (await this.rpc.request({ op: 'scheduler-info' })).info;
  }

  /**
   * What happened to a key on the scheduler (Dask's `story`): each status change, oldest first,
   * with the worker concerned and the event that caused it.
   */
  async story(key: Key | Future<unknown>): Promise<StoryEntry[]> {
    return (await this.rpc.request({ op: 'story', key: typeof key === 'string' ? key : key.key })).entries;
  }

  /** The workers holding each future's result (Dask's `who_has`), by key. */
  async whoHas(futures: Future<unknown>[]): Promise<Map<Key, string[]>> {
    const keys = futures.map((f) => f.key);
    const { holders } = await this.rpc.request({ op: 'who-has', keys });
    return new Map(keys.map((k, i) => [k, holders[i]]));
  }

  /** The workers as last reported by the scheduler. */
  get workers(): readonly WorkerInfo[] {
    return this.workerList;
  }

  /** Waits until the cluster has at least `n` workers. */
  async waitForWorkers(n: number, timeoutMs = 60_000): Promise<void> {
    const t0 = Date.now();
    while (this.workerList.length < n) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`Only ${this.workerList.length} of ${n} workers joined within ${timeoutMs / 1000} s`);
      if (this.closed) throw new Error('This client is closed');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Forgets all tasks and restarts the worker processes; resolves once they are back. */
  async restart(): Promise<void> {
    await this.rpc.request({ op: 'restart' });
    const info = await this.schedulerInfo();
    this.workerList = info.workers;
  }

  /** Shuts the whole cluster down (scheduler, nannies, workers), then closes this client. */
  async shutdown(): Promise<void> {
    if (!this.closed) {
      this.toScheduler({ op: 'shutdown' });
      this.comm.flush();
    }
    await new Promise((r) => setTimeout(r, 50));
    await this.close();
  }

  /** Disconnects; the scheduler releases everything this client held. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const i = openClients.indexOf(this);
    if (i >= 0) openClients.splice(i, 1);
    // The registry would otherwise keep every closed client alive in a process that churns them.
    unregisterExecutor(`pdask-client-${this.id}`);
    this.configScope?.restore();
    for (const e of this.entries.values()) if (e.status === 'pending') e.settle('cancelled', new CancelledError(e.key, 'abandoned: its client closed'));
    this.entries.clear();
    this.peers.closeAll();
    this.comm.close('client closing');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  toString(): string {
    return `<Client: scheduler ${this.address}, ${this.workerList.length} workers, ${this.workerList.reduce((s, w) => s + w.nthreads, 0)} threads>`;
  }
}

function futuresIn(graph: IndexedGraph): Future<unknown>[] {
  const out: Future<unknown>[] = [];
  for (const n of graph.nodes) {
    if (n.kind === 'data' && n.value instanceof Future) out.push(n.value);
    else if (n.kind === 'fused') for (const m of n.members) if (m.kind === 'data' && m.value instanceof Future) out.push(m.value);
  }
  return out;
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (ArrayBuffer.isView(x)) return x.constructor.name.toLowerCase();
  if (typeof x === 'object') return (x as object).constructor?.name?.toLowerCase() || 'object';
  return typeof x;
}

