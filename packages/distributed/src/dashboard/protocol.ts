/**
 * What the dashboard's server sends its pages. One contract between the server side (model fed by a
 * scheduler or a thread pool, HTTP routes) and the pages (bundled at build time), so each can be built
 * and tested without the other: the server is tested by parsing these frames, the pages by feeding
 * them recorded frames.
 *
 * Transport: server-sent events on `GET /api/events` (`event: <frame.type>`, `data: <JSON>`). The first
 * frame on every connection is a `snapshot`; later frames are deltas pushed at most every
 * `intervalMs`. The same snapshot as one JSON document: `GET /api/snapshot`. Times are milliseconds
 * since the Unix epoch (`Date.now()` clock of the server).
 */

/** Dask's task states as the dashboard counts them (per task prefix). */
export type TaskCounts = {
  waiting: number;
  processing: number;
  memory: number;
  released: number;
  erred: number;
};

/** A task prefix is the key's name without its token and indices, as Dask's `key_split`. */
export interface PrefixProgress extends TaskCounts {
  prefix: string;
  /** All tasks of this prefix the scheduler knows (the sum of the counts). */
  total: number;
  /** Tasks of this prefix that have ever finished (stays when results are released). */
  done: number;
  /** CSS colour, stable per prefix (the same prefix has the same colour on every page and report). */
  color: string;
}

export interface WorkerMemory {
  /** Bytes of task results the worker holds in memory (Dask's "managed"). */
  managed: number;
  /** Process memory beyond the managed bytes (RSS − managed), 0 for threads. */
  unmanaged: number;
  /** Bytes of results spilled to disk. */
  spilled: number;
  /** The worker's memory limit in bytes, null when it has none. */
  limit: number | null;
  /** Fractions of the limit (Dask's target / spill / pause), null when not set. */
  target: number | null;
  spill: number | null;
  pause: number | null;
}

export interface WorkerRow {
  /** Stable id: the worker's address for a cluster, `thread-<i>` for a thread pool. */
  id: string;
  address: string;
  name: string | null;
  threads: number;
  memory: WorkerMemory;
  /** Percent of one core over the last reporting interval, null when unknown. */
  cpu: number | null;
  executing: number;
  queued: number;
  /** Results held. */
  inMemory: number;
  /** Expected seconds of queued and running work (Dask's occupancy). */
  occupancy: number;
  status: 'running' | 'paused' | 'closing';
  lastSeen: number;
}

/** One rectangle of the task stream. */
export interface TaskStreamEntry {
  key: string;
  prefix: string;
  /** WorkerRow.id */
  worker: string;
  /** Thread index within the worker (one task-stream row per worker thread). */
  thread: number;
  start: number;
  stop: number;
  kind: 'compute' | 'transfer' | 'spill' | 'error';
}

export interface ExceptionEntry {
  key: string;
  prefix: string;
  worker: string | null;
  /** The error's class name, e.g. `TypeError`. */
  errorType: string;
  message: string;
  stack: string;
  time: number;
}

/** Dask's task story: one transition of a key. */
export interface StoryEntry {
  key: string;
  from: string;
  to: string;
  worker: string | null;
  cause: string;
  time: number;
}

export type TaskState = keyof TaskCounts;

/** The graph being executed: every task when small, a summary by prefix above `graphNodeLimit`. */
export type GraphView =
  | {
      mode: 'tasks';
      nodes: { id: number; key: string; prefix: string; state: TaskState }[];
      /** [from, to]: `from` is an input of `to` (node ids). */
      edges: [number, number][];
    }
  | {
      mode: 'prefixes';
      nodes: (PrefixProgress & { id: number })[];
      /** [from, to] between prefix node ids: some task of `from` is an input of a task of `to`. */
      edges: [number, number][];
    };

export interface MemorySample {
  time: number;
  /** Sums over workers. */
  managed: number;
  unmanaged: number;
  spilled: number;
}

export interface ClusterInfo {
  kind: 'distributed' | 'threads';
  /** The scheduler's address (`ws://…`), or `threads` for a local pool. */
  scheduler: string;
  dashboard: string;
  startedAt: number;
  now: number;
  /** Tasks the task stream keeps (the oldest are dropped first). */
  taskStreamLimit: number;
  graphNodeLimit: number;
}

export interface Snapshot {
  version: 1;
  cluster: ClusterInfo;
  workers: WorkerRow[];
  prefixes: PrefixProgress[];
  taskStream: TaskStreamEntry[];
  exceptions: ExceptionEntry[];
  memory: MemorySample[];
  graph: GraphView;
}

/** Frames on `/api/events`. Deltas replace whole lists except where they say "append". */
export type Frame =
  | { type: 'snapshot'; data: Snapshot }
  | { type: 'tasks'; now: number; append: TaskStreamEntry[] }
  | { type: 'progress'; now: number; prefixes: PrefixProgress[] }
  | { type: 'workers'; now: number; workers: WorkerRow[] }
  | { type: 'memory'; now: number; append: MemorySample[] }
  | { type: 'exceptions'; now: number; append: ExceptionEntry[] }
  | { type: 'graph'; now: number; graph: GraphView };

/**
 * Other routes the pages use: `GET /api/story?key=<key>` → `StoryEntry[]`;
 * `GET /api/worker-log?worker=<id>` → `{ worker: string; lines: string[] }` (the worker's last log lines).
 * Pages: `/status`, `/workers`, `/graph`, `/exceptions` (with the task story), `/` redirects to `/status`.
 * Not pages: `/metrics` (Prometheus text format), `/health` (`ok`).
 */
export type StoryResponse = StoryEntry[];
export interface WorkerLogResponse {
  worker: string;
  lines: string[];
}
