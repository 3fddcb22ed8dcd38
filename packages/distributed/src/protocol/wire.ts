/**
 * The wire protocol: every message scheduler, workers, nannies and clients exchange, one
 * discriminated union per direction. Each direction is declared once as field decoders; the
 * message types are inferred from them, and `parse` checks a received message at the boundary
 * (unknown op, missing or mistyped field → ProtocolError naming both), so handlers switch over
 * typed values and senders cannot write a message the receiver would refuse.
 */
import type { Message } from '../comm/comm';
import {
  anything,
  boolean,
  keyList,
  list,
  listOf,
  number,
  numberRecord,
  positive,
  object,
  oneOf,
  optional,
  shape,
  string,
  type Decoder,
  type Fields,
  type Received,
  type Sent,
} from './fields';
import type { StoryCause, StoryEntry, StoryStatus } from '@pdask/core';
import { ProtocolError, type WorkerInfo, type WorkerMetrics } from './messages';
import { holderRefs } from './holders';

type Spec = Record<string, Fields>;

/** The union of the messages of a direction as received (decoded): `{ op: name } & fields` per declared name. */
export type MessagesOf<S extends Spec> = { [Op in keyof S & string]: { op: Op } & Received<S[Op]> }[keyof S & string];

/** The same union as a sender may write it (empty lists and objects may be left out). */
export type OutgoingOf<S extends Spec> = { [Op in keyof S & string]: { op: Op } & Sent<S[Op]> }[keyof S & string];

export interface Direction<S extends Spec> {
  readonly name: string;
  readonly spec: S;
  /** Checks a received message against the declaration of its op; throws a ProtocolError naming what is wrong. */
  parse(m: Message): MessagesOf<S>;
}

/** One message kind's fields, in order: name, check, and the path its errors name. */
interface ParseFields {
  names: string[];
  decoders: ((v: unknown, at: string) => unknown)[];
  paths: string[];
}

export function direction<S extends Spec>(name: string, spec: S): Direction<S> {
  // Each field with the path its errors name, made once rather than for every message received.
  // Parallel arrays read by index: every message received on the hot path goes through this loop,
  // and destructuring a tuple per field cost more than the field checks themselves.
  const fieldsOf = new Map<string, ParseFields>();
  for (const [op, fields] of Object.entries(spec)) {
    const names = Object.keys(fields);
    fieldsOf.set(op, { names, decoders: names.map((f) => fields[f]), paths: names.map((f) => `'${op}' message: '${f}'`) });
  }
  return {
    name,
    spec,
    parse(m) {
      const fields = typeof m.op === 'string' ? fieldsOf.get(m.op) : undefined;
      if (!fields) throw new ProtocolError(`unknown ${name} message '${String(m.op)}' (known: ${[...fieldsOf.keys()].join(', ')})`);
      const out: Record<string, unknown> = { op: m.op };
      const { names, decoders, paths } = fields;
      for (let i = 0; i < names.length; i++) {
        const f = names[i];
        const v = decoders[i](m[f], paths[i]);
        if (v !== undefined) out[f] = v;
      }
      return out as MessagesOf<S>;
    },
  };
}

/** A request expecting a reply carries the caller's id (comm/rpc.ts). */
const requestId = { id: number };

// ---- first message of every connection to the scheduler --------------------------------------

export const registration = direction('registration', {
  'register-worker': {
    address: string,
    name: optional(string),
    nthreads: optional(number),
    memoryLimit: optional(number),
    resources: numberRecord,
    node: optional(string),
    host: optional(string),
    pid: optional(number),
    nanny: optional(string),
  },
  'register-client': { name: optional(string) },
  'register-nanny': { name: optional(string) },
});
export type Registration = MessagesOf<typeof registration.spec>;
export type RegistrationOut = OutgoingOf<typeof registration.spec>;

export const workerMetrics: Decoder<WorkerMetrics> = shape({
  managedBytes: number,
  spilledBytes: number,
  spilledKeys: number,
  rss: number,
  queued: number,
  executing: number,
  paused: boolean,
  tasksRun: number,
  shuffleSpilledFiles: optional(number),
});

/** What the scheduler tells clients about a worker. */
const workerInfo: Decoder<WorkerInfo> = shape({
  id: string,
  address: string,
  name: string,
  nthreads: number,
  node: string,
  host: string,
  pid: number,
  memoryLimit: number,
  resources: numberRecord,
  metrics: workerMetrics,
});

/** The scheduler's answer to a registration, and its complaint about anything it cannot read. */
const registered = {
  id: string,
  address: optional(string),
  workers: optional(listOf(workerInfo)),
  /** The scheduler's dashboard (its status page), told to clients. */
  dashboard: optional(string),
};
const complaint = { message: string };

// ---- scheduler <-> worker ---------------------------------------------------------------------

export const workerToScheduler = direction('worker', {
  /**
   * Batched reports: ok = (key, nbytes, ms) triples, failed = [key, member id, error, ms?], missing
   * inputs; `added`: results copied from peers and kept here (replicas, Dask's add-keys); `io`
   * (only to a scheduler with a dashboard): (key, 'transfer' | 'spill', ms ago started, ms) quads of
   * peer fetches and spill-file writes and reads, times relative to the report (no shared clock).
   */
  done: {
    ok: list,
    failed: list,
    missing: keyList,
    lostPeers: optional(listOf(string)),
    added: keyList,
    io: optional(list),
    /** (key, value) pairs: the small primitive results of the tasks the scheduler named in `reply` (see inline-results.ts). */
    values: optional(list),
  },
  /** Metrics, and the tasks started and not finished (suspects if the worker then goes silent). */
  heartbeat: {
    metrics: workerMetrics,
    running: keyList,
    /** Percent of one core used since the previous heartbeat (for the dashboard). */
    cpu: optional(number),
    /** Log lines written since the previous heartbeat (the dashboard keeps each worker's last ones). */
    log: optional(listOf(string)),
  },
  /** Queued tasks given up to the scheduler for stealing. */
  stolen: { keys: keyList },
  /** A graceful goodbye: the connection closing next is not a death. */
  closing: {},
});
export type WorkerToScheduler = MessagesOf<typeof workerToScheduler.spec>;
export type WorkerToSchedulerOut = OutgoingOf<typeof workerToScheduler.spec>;

export const schedulerToWorker = direction('scheduler (to a worker)', {
  registered,
  error: complaint,
  /**
   * New operations (interned per worker), tasks to run as (node, keys, fetch list) triples (a fetch
   * list holds (input id, holder, bytes) triples), keys to drop, and (key, ms) pairs of task timeouts.
   */
  compute: {
    ops: list,
    run: list,
    release: keyList,
    cancel: optional(keyList),
    timeouts: list,
    /** Tasks of `run` that a client waits for: a small primitive result comes back in the report's `values`. */
    reply: optional(keyList),
  },
  /** The scheduler dropped this peer (hung, cut off): fetches from it are given up at once. */
  'worker-removed': { address: string },
  steal: { n: number },
  /** Copy these results from the holders named (one per key) and keep them (reported back as `added`). */
  acquire: { keys: keyList, holders: listOf(string) },
  reset: {},
  close: {},
  /** Run `run` of p2p shuffle `shuffle` starts (a newer run replaces an older one): output o belongs to workers[ownerIndex(o, nout, workers.length)]. */
  'shuffle-run': { shuffle: string, run: number, workers: listOf(string) },
  /** Run `run` (and older runs) of shuffle `shuffle` is over: its pieces and spill files here are dropped. */
  'shuffle-end': { shuffle: string, run: number },
});
export type SchedulerToWorker = MessagesOf<typeof schedulerToWorker.spec>;
export type SchedulerToWorkerOut = OutgoingOf<typeof schedulerToWorker.spec>;

// ---- scheduler <-> client ---------------------------------------------------------------------

export const clientToScheduler = direction('client', {
  'update-graph': {
    gid: number,
    ops: list,
    nodes: list,
    wanted: keyList,
    /** Every key of `nodes` is wanted (and `wanted` is empty): a map does not send its keys twice. */
    wantedAll: optional(boolean),
    /** Static priorities aligned with `nodes` (an Int32Array or a plain array). */
    priority: anything,
    userPriority: optional(number),
    retries: optional(number),
    /** [key, worker names or addresses, resources] triples. */
    restrictions: list,
    /** Per-task timeout of these tasks (submitWith/map's timeoutMs). */
    timeoutMs: optional(positive),
    progress: optional(boolean),
  },
  'release-keys': { keys: keyList },
  scatter: { gid: number, keys: keyList, holders: listOf(string), nbytes: list },
  'who-has': { ...requestId, keys: keyList },
  'scheduler-info': { ...requestId },
  story: { ...requestId, key: string },
  restart: { ...requestId },
  shutdown: {},
  heartbeat: {},
});
export type ClientToScheduler = MessagesOf<typeof clientToScheduler.spec>;
export type ClientToSchedulerOut = OutgoingOf<typeof clientToScheduler.spec>;

export const schedulerToClient = direction('scheduler (to a client)', {
  registered,
  error: complaint,
  /** Keys now in memory, with the workers holding each. */
  /** `values`: (index in keys, value) pairs of small primitive results, so that the client need not fetch them. */
  /** `holders`: per key an index into `addresses` or a list of them (see holders.ts). */
  memory: { keys: keyList, holders: holderRefs, addresses: listOf(string), values: optional(list) },
  erred: { key: string, origin: optional(string), member: optional(string), error: anything },
  'graph-error': { gid: number, error: anything },
  progress: { gid: number, done: number, total: number },
  workers: { workers: listOf(workerInfo) },
  'worker-removed': { address: string },
  restarted: {},
  'scheduler-closing': {},
});
export type SchedulerToClient = MessagesOf<typeof schedulerToClient.spec>;
export type SchedulerToClientOut = OutgoingOf<typeof schedulerToClient.spec>;

// ---- scheduler <-> nanny ----------------------------------------------------------------------

export const nannyToScheduler = direction('nanny', {
  /**
   * A worker process died: why, the task whose code it was in or was running (`reported`: the
   * worker itself said, so no task means none is to blame), or the task that ran out of its timeout.
   */
  'worker-died': {
    address: string,
    cause: optional(string),
    running: optional(string),
    reported: optional(boolean),
    timedOut: optional(string),
    timeoutMs: optional(number),
  },
  heartbeat: {},
});
export type NannyToScheduler = MessagesOf<typeof nannyToScheduler.spec>;
export type NannyToSchedulerOut = OutgoingOf<typeof nannyToScheduler.spec>;

export const schedulerToNanny = direction('scheduler (to a nanny)', {
  registered,
  error: complaint,
  close: {},
  'restart-workers': {},
  /** A worker the scheduler dropped for silence: kill it (it may be hung in a task). */
  'kill-worker': { address: string, reason: optional(string) },
});
export type SchedulerToNanny = MessagesOf<typeof schedulerToNanny.spec>;
export type SchedulerToNannyOut = OutgoingOf<typeof schedulerToNanny.spec>;

// ---- peers: workers and clients to a worker, tools to a nanny --------------------------------

export const toWorkerPeer = direction('peer', {
  /** Values of keys this worker holds; with `take`, the worker drops them after sending. */
  'get-data': { ...requestId, keys: keyList, take: optional(boolean) },
  'put-data': { ...requestId, keys: keyList, values: list },
  /** Pieces of input `input` of p2p shuffle `shuffle`, run `run`, for `outputs` (pairwise with `pieces`). */
  'shuffle-put': { ...requestId, shuffle: string, run: number, input: number, outputs: list, pieces: list },
});
export type ToWorkerPeer = MessagesOf<typeof toWorkerPeer.spec>;
export type ToWorkerPeerOut = OutgoingOf<typeof toWorkerPeer.spec>;

export const toNannyTool = direction('tool', {
  identity: { ...requestId },
});
export type ToNannyTool = MessagesOf<typeof toNannyTool.spec>;
export type ToNannyToolOut = OutgoingOf<typeof toNannyTool.spec>;

// ---- replies ----------------------------------------------------------------------------------

export interface SchedulerInfo {
  address: string;
  workers: WorkerInfo[];
  tasks: Record<string, number>;
  clients: number;
}

const schedulerInfo: Decoder<SchedulerInfo> = shape({ address: string, workers: listOf(workerInfo), tasks: numberRecord, clients: number });

const storyStatus = oneOf<StoryStatus>('released', 'waiting', 'ready', 'processing', 'memory', 'erred', 'forgotten');
const storyCause = oneOf<StoryCause>('add-data', 'add-worker', 'remove-worker', 'update-graph', 'task-finished', 'task-erred', 'missing-data', 'add-replica', 'release', 'forget', 'batch');
const storyEntry = shape({ seq: number, run: number, key: string, from: storyStatus, to: storyStatus, worker: optional(string), cause: storyCause, time: number });
const storyList: Decoder<StoryEntry[]> = (v, at) => listOf(storyEntry)(v, at).map((e) => ({ ...e, worker: e.worker }));

/** What each request is answered with (besides `{ op: 'reply', id, error }` when it failed). */
export const replies = {
  'who-has': { holders: listOf(listOf(string)) },
  'scheduler-info': { info: schedulerInfo },
  story: { entries: storyList },
  restart: { workers: number },
  'get-data': { values: list, missing: keyList },
  'put-data': { stored: number },
  'shuffle-put': { stored: number },
  identity: { type: string, pid: number, name: optional(string), workers: listOf(string), nworkers: number },
} satisfies Spec;

type Replies = typeof replies;
export type RequestOp = keyof Replies;
export type ReplyTo<Op extends RequestOp> = Received<Replies[Op]>;
export type ReplyBody<Op extends RequestOp> = Sent<Replies[Op]>;

/** Requests: the messages of any direction that expect a reply. */
export type Request = Extract<ClientToScheduler | ToWorkerPeer | ToNannyTool, { op: RequestOp }>;

/** Checks a reply to a request of `op`. */
export function parseReply<Op extends RequestOp>(op: Op, m: Message): ReplyTo<Op> {
  const out: Record<string, unknown> = {};
  for (const [f, decode] of Object.entries(replies[op] as Fields)) {
    const v = decode(m[f], `reply to '${op}': '${f}'`);
    if (v !== undefined) out[f] = v;
  }
  return out as ReplyTo<Op>;
}
