/**
 * The pages' state, built only by `applyFrame(state, frame)`: pure (the previous state is never
 * modified, so a renderer can compare old and new by identity) and free of DOM types, so it is
 * unit-tested in Node and shared by the live pages and the performance report.
 *
 * The task stream can hold 100,000 entries and grows by a frame's worth at a time, so it is kept as
 * a list of chunks (each frame's `append` array, shared, never copied): appending is O(1) and
 * dropping the oldest entries past the limit slices at most one chunk.
 */
import type {
  ClusterInfo,
  ExceptionEntry,
  Frame,
  GraphView,
  MemorySample,
  PrefixProgress,
  Snapshot,
  TaskStreamEntry,
  WorkerRow,
} from '../../src/dashboard/protocol.js';

export interface TaskChunks {
  readonly chunks: readonly (readonly TaskStreamEntry[])[];
  readonly length: number;
}

/** Where time went for one prefix, summed over every task entry the state has seen. */
export interface PrefixTime {
  prefix: string;
  tasks: number;
  /** Milliseconds. */
  compute: number;
  transfer: number;
  spill: number;
  errors: number;
}

/** One task-stream row: a thread of a worker (a worker gone from the cluster keeps its rows). */
export interface StreamRow {
  worker: string;
  thread: number;
}

export interface DashboardState {
  readonly connected: boolean;
  readonly cluster: ClusterInfo | null;
  /** Server clock of the latest frame. */
  readonly now: number;
  readonly workers: readonly WorkerRow[];
  readonly prefixes: readonly PrefixProgress[];
  readonly tasks: TaskChunks;
  /** Every worker thread seen, in order of first appearance. */
  readonly rows: readonly StreamRow[];
  /** The earliest start and latest stop of the tasks kept. */
  readonly span: { start: number; stop: number } | null;
  readonly exceptions: readonly ExceptionEntry[];
  readonly memory: readonly MemorySample[];
  readonly graph: GraphView | null;
  readonly prefixTime: ReadonlyMap<string, PrefixTime>;
  /** Bumped whenever the task stream changes, so a renderer knows when to redraw. */
  readonly taskVersion: number;
  readonly frames: number;
}

export interface StoreOptions {
  /** Task entries kept (default: the server's `taskStreamLimit`; Infinity keeps all). */
  taskLimit?: number;
  /** Memory samples kept (default 10,000). */
  memoryLimit?: number;
  /** Exceptions kept (default 1,000). */
  exceptionLimit?: number;
}

const EMPTY_TASKS: TaskChunks = { chunks: [], length: 0 };

export function initialState(): DashboardState {
  return {
    connected: false,
    cluster: null,
    now: 0,
    workers: [],
    prefixes: [],
    tasks: EMPTY_TASKS,
    rows: [],
    span: null,
    exceptions: [],
    memory: [],
    graph: null,
    prefixTime: new Map(),
    taskVersion: 0,
    frames: 0,
  };
}

export function taskLimitOf(state: DashboardState, options: StoreOptions): number {
  return options.taskLimit ?? state.cluster?.taskStreamLimit ?? 100_000;
}

/** The state after `frame`; `state` itself is left as it was. */
export function applyFrame(state: DashboardState, frame: Frame, options: StoreOptions = {}): DashboardState {
  const frames = state.frames + 1;
  switch (frame.type) {
    case 'snapshot':
      return fromSnapshot(frame.data, frames, options);
    case 'tasks':
      return { ...withTasks(state, frame.append, taskLimitOf(state, options)), now: Math.max(state.now, frame.now), frames };
    case 'progress':
      return { ...state, prefixes: frame.prefixes, now: Math.max(state.now, frame.now), frames };
    case 'workers':
      return { ...state, workers: frame.workers, rows: withWorkerRows(state.rows, frame.workers), now: Math.max(state.now, frame.now), frames };
    case 'memory':
      return { ...state, memory: keepLast(state.memory, frame.append, options.memoryLimit ?? 10_000), now: Math.max(state.now, frame.now), frames };
    case 'exceptions':
      return { ...state, exceptions: keepLast(state.exceptions, frame.append, options.exceptionLimit ?? 1_000), now: Math.max(state.now, frame.now), frames };
    case 'graph':
      return { ...state, graph: frame.graph, now: Math.max(state.now, frame.now), frames };
    default: {
      // A frame type this page does not know (a newer server): ignored, as the protocol allows.
      return { ...state, frames };
    }
  }
}

function fromSnapshot(s: Snapshot, frames: number, options: StoreOptions): DashboardState {
  const base: DashboardState = {
    ...initialState(),
    connected: true,
    cluster: s.cluster,
    now: s.cluster.now,
    workers: s.workers,
    prefixes: s.prefixes,
    exceptions: s.exceptions.slice(-(options.exceptionLimit ?? 1_000)),
    memory: s.memory.slice(-(options.memoryLimit ?? 10_000)),
    graph: s.graph,
    rows: withWorkerRows([], s.workers),
    frames,
  };
  return withTasks(base, s.taskStream, options.taskLimit ?? s.cluster.taskStreamLimit);
}

function keepLast<T>(old: readonly T[], append: readonly T[], limit: number): readonly T[] {
  if (append.length === 0) return old;
  const all = old.concat(append);
  return all.length > limit ? all.slice(all.length - limit) : all;
}

/** Rows for every thread of `workers` not seen before, after the rows already there. */
function withWorkerRows(rows: readonly StreamRow[], workers: readonly WorkerRow[]): readonly StreamRow[] {
  let out: StreamRow[] | null = null;
  const have = new Set(rows.map(rowKey));
  for (const w of workers) {
    for (let t = 0; t < w.threads; t++) {
      const row = { worker: w.id, thread: t };
      if (have.has(rowKey(row))) continue;
      have.add(rowKey(row));
      (out ??= rows.slice()).push(row);
    }
  }
  return out ?? rows;
}

export function rowKey(row: StreamRow): string {
  return `${row.worker}\u0000${row.thread}`;
}

function withTasks(state: DashboardState, append: readonly TaskStreamEntry[], limit: number): DashboardState {
  if (append.length === 0) return state;
  // Where time went: counted as tasks arrive, so entries dropped from the stream still count.
  const prefixTime = new Map(state.prefixTime);
  let rows: StreamRow[] | null = null;
  const have = new Set(state.rows.map(rowKey));
  let start = state.span?.start ?? Infinity;
  let stop = state.span?.stop ?? -Infinity;
  for (const e of append) {
    const prev = prefixTime.get(e.prefix);
    const t: PrefixTime = prev ? { ...prev } : { prefix: e.prefix, tasks: 0, compute: 0, transfer: 0, spill: 0, errors: 0 };
    const ms = Math.max(0, e.stop - e.start);
    if (e.kind === 'compute') {
      t.tasks++;
      t.compute += ms;
    } else if (e.kind === 'transfer') t.transfer += ms;
    else if (e.kind === 'spill') t.spill += ms;
    else {
      t.errors++;
      t.compute += ms;
    }
    prefixTime.set(e.prefix, t);
    const key = rowKey(e);
    if (!have.has(key)) {
      have.add(key);
      (rows ??= state.rows.slice()).push({ worker: e.worker, thread: e.thread });
    }
    if (e.start < start) start = e.start;
    if (e.stop > stop) stop = e.stop;
  }
  let chunks = state.tasks.chunks.concat([append]);
  let length = state.tasks.length + append.length;
  if (length > limit) {
    let drop = length - limit;
    let i = 0;
    while (drop > 0 && drop >= chunks[i].length) drop -= chunks[i++].length;
    chunks = chunks.slice(i);
    if (drop > 0) chunks = [chunks[0].slice(drop), ...chunks.slice(1)];
    length = limit;
    // The span's start moves with the oldest entry kept (entries arrive roughly in start order).
    start = Infinity;
    for (const c of chunks) for (const e of c) if (e.start < start) start = e.start;
  }
  return {
    ...state,
    tasks: { chunks, length },
    rows: rows ?? state.rows,
    span: length ? { start, stop } : null,
    prefixTime,
    taskVersion: state.taskVersion + 1,
  };
}

/** Every task entry kept, oldest first. */
export function* eachTask(tasks: TaskChunks): Generator<TaskStreamEntry> {
  for (const c of tasks.chunks) yield* c;
}

/** Per-prefix time, largest total first. */
export function prefixTimeSummary(state: DashboardState): (PrefixTime & { share: number })[] {
  const rows = [...state.prefixTime.values()];
  const total = rows.reduce((s, r) => s + r.compute + r.transfer + r.spill, 0);
  return rows
    .map((r) => ({ ...r, share: total > 0 ? (r.compute + r.transfer + r.spill) / total : 0 }))
    .sort((a, b) => b.compute + b.transfer + b.spill - (a.compute + a.transfer + a.spill) || a.prefix.localeCompare(b.prefix));
}
