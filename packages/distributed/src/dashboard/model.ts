/**
 * The dashboard's model: fed what happens (key transitions, tasks ending, workers coming, going and
 * reporting, errors, graphs) and turned into the pages' Snapshot and delta Frames (protocol.ts).
 * Pure: no I/O, no timers, the clock is passed in, so it is tested without sockets.
 */
import type {
  ClusterInfo,
  ExceptionEntry,
  Frame,
  GraphView,
  MemorySample,
  PrefixProgress,
  Snapshot,
  TaskCounts,
  TaskState as DashTaskState,
  TaskStreamEntry,
  WorkerRow,
} from './protocol';
import { keySplit, prefixColor } from './key-split';

/** A key status as the state machine's story names it. */
export type ModelStatus = 'released' | 'waiting' | 'ready' | 'processing' | 'memory' | 'erred' | 'forgotten';

export interface ModelOptions {
  kind: ClusterInfo['kind'];
  scheduler: string;
  dashboard?: string;
  /** Task-stream entries kept, oldest dropped first (default 10,000). */
  taskStreamLimit?: number;
  /** Graphs with at most this many tasks are shown task by task, larger ones by prefix (default 2,000). */
  graphNodeLimit?: number;
  /** Errors kept (default 100). */
  exceptionLimit?: number;
  /** Memory samples kept (default 600) and the least time between two (default 1,000 ms). */
  memorySamples?: number;
  memorySampleMs?: number;
  startedAt: number;
}

export interface WorkerDescription {
  id: string;
  address: string;
  name?: string | null;
  threads: number;
  /** Bytes, 0 or undefined for none. */
  memoryLimit?: number;
  /** Fractions of the limit (Dask's target / spill / pause). */
  target?: number | null;
  spill?: number | null;
  pause?: number | null;
  /** Whether heartbeats will report memory and queue (else the model counts them from transitions). */
  reportsMetrics: boolean;
}

export interface WorkerReport {
  managed: number;
  /** Resident memory of the process (0 when unknown). */
  rss: number;
  spilled: number;
  executing: number;
  queued: number;
  paused: boolean;
  cpu?: number | null;
}

interface KeyRecord {
  prefix: PrefixRecord;
  status: DashTaskState;
  worker: string | undefined;
  nbytes: number;
  id: number;
  deps: readonly string[];
}

interface PrefixRecord extends TaskCounts {
  prefix: string;
  done: number;
  color: string;
  /** Sum and count of finished durations (ms), for occupancy. */
  durationSum: number;
  durationCount: number;
}

interface WorkerRecord {
  desc: WorkerDescription;
  report: WorkerReport | undefined;
  lastSeen: number;
  closing: boolean;
  /** Tasks processing on it by prefix (from transitions). */
  processing: Map<PrefixRecord, number>;
  processingTotal: number;
  /** Results it holds (from transitions) and their bytes. */
  inMemory: number;
  managed: number;
  /** End time of the last task drawn on each thread row. */
  laneEnds: number[];
}

/** Seconds a task of a prefix with no finished task yet is expected to take (Dask's unknown-task-duration). */
const UNKNOWN_TASK_S = 0.5;

function mapStatus(s: ModelStatus): DashTaskState | undefined {
  switch (s) {
    case 'ready':
    case 'waiting':
      return 'waiting';
    case 'forgotten':
      return undefined;
    default:
      return s;
  }
}

export class DashboardModel {
  readonly info: ClusterInfo;
  private readonly keys = new Map<string, KeyRecord>();
  private readonly prefixes = new Map<string, PrefixRecord>();
  private readonly workers = new Map<string, WorkerRecord>();
  private stream: TaskStreamEntry[] = [];
  private streamStart = 0;
  private exceptions: ExceptionEntry[] = [];
  private memory: MemorySample[] = [];
  private lastSample = -Infinity;
  private nextId = 0;
  // What changed since the last takeFrames().
  private newTasks: TaskStreamEntry[] = [];
  private newExceptions: ExceptionEntry[] = [];
  private newMemory: MemorySample[] = [];
  private progressDirty = false;
  private workersDirty = false;
  private graphDirty = false;
  private readonly exceptionLimit: number;
  private readonly memoryLimit: number;
  private readonly memorySampleMs: number;

  constructor(opts: ModelOptions) {
    this.info = {
      kind: opts.kind,
      scheduler: opts.scheduler,
      dashboard: opts.dashboard ?? '',
      startedAt: opts.startedAt,
      now: opts.startedAt,
      taskStreamLimit: positive('taskStreamLimit', opts.taskStreamLimit ?? 10_000),
      graphNodeLimit: positive('graphNodeLimit', opts.graphNodeLimit ?? 2_000),
    };
    this.exceptionLimit = positive('exceptionLimit', opts.exceptionLimit ?? 100);
    this.memoryLimit = positive('memorySamples', opts.memorySamples ?? 600);
    this.memorySampleMs = opts.memorySampleMs ?? 1_000;
  }

  // ---- events -------------------------------------------------------------------------------

  /** A key's status changed (one story entry). */
  transition(key: string, from: ModelStatus, to: ModelStatus, worker: string | undefined): void {
    let rec = this.keys.get(key);
    const next = mapStatus(to);
    if (!rec) {
      if (next === undefined) return;
      const prefix = this.prefix(keySplit(key));
      rec = { prefix, status: next, worker: undefined, nbytes: 0, id: this.nextId++, deps: [] };
      this.keys.set(key, rec);
      prefix[next]++;
      this.graphDirty = true;
    } else {
      const prev = rec.status;
      // ready → waiting, or a replica added to a result in memory: nothing the pages count.
      if (prev === next) return;
      this.leave(rec);
      if (next === undefined) {
        rec.prefix[prev]--;
        this.keys.delete(key);
        this.progressDirty = true;
        this.graphDirty = true;
        return;
      }
      rec.prefix[prev]--;
      rec.prefix[next]++;
      this.graphDirty = true;
      rec.status = next;
    }
    if (from === 'processing' && to === 'memory') rec.prefix.done++;
    this.progressDirty = true;
    if (next === 'processing' && worker !== undefined) {
      rec.worker = worker;
      const w = this.workers.get(worker);
      if (w) {
        w.processing.set(rec.prefix, (w.processing.get(rec.prefix) ?? 0) + 1);
        w.processingTotal++;
        this.workersDirty = true;
      }
    } else if (next === 'memory') {
      // Counted on its first holder only.
      rec.worker = worker;
      const w = worker !== undefined ? this.workers.get(worker) : undefined;
      if (w) {
        w.inMemory++;
        w.managed += rec.nbytes;
        this.workersDirty = true;
      }
    } else rec.worker = undefined;
  }

  /** Undoes a key's contribution to its worker's processing or memory counts. */
  private leave(rec: KeyRecord): void {
    const w = rec.worker !== undefined ? this.workers.get(rec.worker) : undefined;
    if (!w) return;
    if (rec.status === 'processing') {
      const n = w.processing.get(rec.prefix) ?? 0;
      if (n <= 1) w.processing.delete(rec.prefix);
      else w.processing.set(rec.prefix, n - 1);
      w.processingTotal--;
    } else if (rec.status === 'memory') {
      w.inMemory--;
      w.managed -= rec.nbytes;
    }
    this.workersDirty = true;
  }

  /**
   * A task ended on a worker: a rectangle of the task stream. `thread` is given when the worker
   * says which thread ran it; otherwise the first thread row free at `start` gets it.
   */
  taskStopped(e: { key: string; worker: string; start: number; stop: number; nbytes?: number; thread?: number; kind?: TaskStreamEntry['kind'] }): void {
    const rec = this.keys.get(e.key);
    const prefix = rec ? rec.prefix.prefix : keySplit(e.key);
    if (rec && e.nbytes !== undefined) {
      // Finished reports arrive before the transition to memory: record the size it will hold.
      if (rec.status === 'memory' && rec.worker === e.worker) {
        const w = this.workers.get(e.worker);
        if (w) w.managed += e.nbytes - rec.nbytes;
      }
      rec.nbytes = e.nbytes;
    }
    const p = this.prefixes.get(prefix);
    if (p && e.kind !== 'transfer' && e.kind !== 'spill') {
      p.durationSum += Math.max(0, e.stop - e.start);
      p.durationCount++;
    }
    const w = this.workers.get(e.worker);
    let thread = e.thread ?? 0;
    // Transfers and spills are drawn over a thread's row (half its height) without taking it.
    if (w && e.thread === undefined) thread = e.kind === 'transfer' || e.kind === 'spill' ? this.freeLane(w, e.start) : this.lane(w, e.start, e.stop);
    this.pushTask({ key: e.key, prefix, worker: e.worker, thread, start: e.start, stop: e.stop, kind: e.kind ?? 'compute' });
  }

  /** The first thread row free at `start` (else the one free soonest), left as it is. */
  private freeLane(w: WorkerRecord, start: number): number {
    const ends = w.laneEnds;
    let best = 0;
    for (let i = 0; i < ends.length; i++) {
      if (ends[i] <= start) return i;
      if (ends[i] < ends[best]) best = i;
    }
    return best;
  }

  private lane(w: WorkerRecord, start: number, stop: number): number {
    const ends = w.laneEnds;
    let best = 0;
    for (let i = 0; i < ends.length; i++) {
      if (ends[i] <= start) {
        ends[i] = stop;
        return i;
      }
      if (ends[i] < ends[best]) best = i;
    }
    ends[best] = Math.max(ends[best], stop);
    return best;
  }

  private pushTask(t: TaskStreamEntry): void {
    this.stream.push(t);
    this.newTasks.push(t);
    const limit = this.info.taskStreamLimit;
    if (this.stream.length - this.streamStart > limit) this.streamStart = this.stream.length - limit;
    // Compact now and then rather than shift() per entry.
    if (this.streamStart > limit) {
      this.stream = this.stream.slice(this.streamStart);
      this.streamStart = 0;
    }
    // Trimmed in one go at twice the limit, not one copy per task past it.
    if (this.newTasks.length >= 2 * limit) this.newTasks = this.newTasks.slice(this.newTasks.length - limit);
  }

  taskErred(e: { key: string; worker: string | null; errorType: string; message: string; stack: string; time: number }): void {
    const entry: ExceptionEntry = { ...e, prefix: keySplit(e.key) };
    this.exceptions.push(entry);
    if (this.exceptions.length > this.exceptionLimit) this.exceptions.shift();
    this.newExceptions.push(entry);
    if (this.newExceptions.length > this.exceptionLimit) this.newExceptions.shift();
  }

  /** The tasks of a graph submitted and the keys they read (for the graph view). */
  graphSubmitted(nodes: Iterable<{ key: string; deps: readonly string[] }>): void {
    for (const n of nodes) {
      let rec = this.keys.get(n.key);
      if (!rec) {
        // Known before its first transition: counted once it has one.
        const prefix = this.prefix(keySplit(n.key));
        rec = { prefix, status: 'released', worker: undefined, nbytes: 0, id: this.nextId++, deps: n.deps };
        prefix.released++;
        this.keys.set(n.key, rec);
      } else rec.deps = n.deps;
    }
    this.graphDirty = true;
    this.progressDirty = true;
  }

  workerAdded(d: WorkerDescription, now: number): void {
    const old = this.workers.get(d.id);
    this.workers.set(d.id, {
      desc: d,
      report: undefined,
      lastSeen: now,
      closing: false,
      processing: old?.processing ?? new Map(),
      processingTotal: old?.processingTotal ?? 0,
      inMemory: old?.inMemory ?? 0,
      managed: old?.managed ?? 0,
      laneEnds: new Array<number>(Math.max(1, d.threads)).fill(-Infinity),
    });
    this.workersDirty = true;
  }

  workerRemoved(id: string): void {
    if (this.workers.delete(id)) this.workersDirty = true;
  }

  workerClosing(id: string): void {
    const w = this.workers.get(id);
    if (w) {
      w.closing = true;
      this.workersDirty = true;
    }
  }

  workerReport(id: string, r: WorkerReport, now: number): void {
    const w = this.workers.get(id);
    if (!w) return;
    w.report = r;
    w.lastSeen = now;
    this.workersDirty = true;
  }

  /** Tasks dropped with no transition (a thread-pool computation that ended): as if forgotten. */
  forget(keys: Iterable<string>): void {
    for (const k of keys) {
      const rec = this.keys.get(k);
      if (rec) this.transition(k, rec.status, 'forgotten', undefined);
    }
  }

  /** Every task dropped at once (a scheduler restart): counts go to zero, `done` stays. */
  clearTasks(): void {
    for (const p of this.prefixes.values()) p.waiting = p.processing = p.memory = p.released = p.erred = 0;
    for (const w of this.workers.values()) {
      w.processing.clear();
      w.processingTotal = w.inMemory = w.managed = 0;
    }
    this.keys.clear();
    this.progressDirty = this.workersDirty = this.graphDirty = true;
  }

  // ---- views --------------------------------------------------------------------------------

  snapshot(now: number): Snapshot {
    this.info.now = now;
    return {
      version: 1,
      cluster: { ...this.info },
      workers: this.workerRows(),
      prefixes: this.progress(),
      taskStream: this.stream.slice(this.streamStart),
      exceptions: this.exceptions.slice(),
      memory: this.memory.slice(),
      graph: this.graph(),
    };
  }

  /**
   * The delta frames since the previous call (nothing when nothing changed). Takes a memory
   * sample first when one is due.
   */
  takeFrames(now: number): Frame[] {
    this.info.now = now;
    this.sample(now);
    const frames: Frame[] = [];
    const limit = this.info.taskStreamLimit;
    if (this.newTasks.length) frames.push({ type: 'tasks', now, append: this.newTasks.length > limit ? this.newTasks.slice(-limit) : this.newTasks });
    if (this.progressDirty) frames.push({ type: 'progress', now, prefixes: this.progress() });
    if (this.workersDirty) frames.push({ type: 'workers', now, workers: this.workerRows() });
    if (this.newMemory.length) frames.push({ type: 'memory', now, append: this.newMemory });
    if (this.newExceptions.length) frames.push({ type: 'exceptions', now, append: this.newExceptions });
    if (this.graphDirty) frames.push({ type: 'graph', now, graph: this.graph() });
    this.newTasks = [];
    this.newMemory = [];
    this.newExceptions = [];
    this.progressDirty = this.workersDirty = this.graphDirty = false;
    return frames;
  }

  private sample(now: number): void {
    if (now - this.lastSample < this.memorySampleMs || this.workers.size === 0) return;
    this.lastSample = now;
    const s: MemorySample = { time: now, managed: 0, unmanaged: 0, spilled: 0 };
    for (const w of this.workers.values()) {
      const m = this.memoryOf(w);
      s.managed += m.managed;
      s.unmanaged += m.unmanaged;
      s.spilled += m.spilled;
    }
    this.memory.push(s);
    if (this.memory.length > this.memoryLimit) this.memory.shift();
    this.newMemory.push(s);
  }

  progress(): PrefixProgress[] {
    const out: PrefixProgress[] = [];
    for (const p of this.prefixes.values()) {
      const total = p.waiting + p.processing + p.memory + p.released + p.erred;
      if (total === 0 && p.done === 0) continue;
      out.push({
        prefix: p.prefix,
        waiting: p.waiting,
        processing: p.processing,
        memory: p.memory,
        released: p.released,
        erred: p.erred,
        total,
        done: p.done,
        color: p.color,
      });
    }
    return out;
  }

  private memoryOf(w: WorkerRecord): { managed: number; unmanaged: number; spilled: number } {
    const r = w.report;
    if (w.desc.reportsMetrics && r) return { managed: r.managed, unmanaged: Math.max(0, r.rss - r.managed), spilled: r.spilled };
    return { managed: Math.max(0, w.managed), unmanaged: 0, spilled: 0 };
  }

  workerRows(): WorkerRow[] {
    const rows: WorkerRow[] = [];
    for (const w of this.workers.values()) {
      const d = w.desc;
      const r = d.reportsMetrics ? w.report : undefined;
      let occupancy = 0;
      for (const [p, n] of w.processing) occupancy += n * (p.durationCount ? p.durationSum / p.durationCount / 1000 : UNKNOWN_TASK_S);
      const executing = r ? r.executing : Math.min(w.processingTotal, d.threads);
      rows.push({
        id: d.id,
        address: d.address,
        name: d.name ?? null,
        threads: d.threads,
        memory: {
          ...this.memoryOf(w),
          limit: d.memoryLimit ? d.memoryLimit : null,
          target: d.target ?? null,
          spill: d.spill ?? null,
          pause: d.pause ?? null,
        },
        cpu: w.report?.cpu ?? null,
        executing,
        queued: r ? r.queued : Math.max(0, w.processingTotal - executing),
        inMemory: w.inMemory,
        occupancy,
        status: w.closing ? 'closing' : w.report?.paused ? 'paused' : 'running',
        lastSeen: w.lastSeen,
      });
    }
    return rows;
  }

  /** Tasks known now (every status but forgotten). */
  get taskCount(): number {
    return this.keys.size;
  }

  graph(): GraphView {
    if (this.keys.size <= this.info.graphNodeLimit) {
      const nodes: { id: number; key: string; prefix: string; state: DashTaskState }[] = [];
      const edges: [number, number][] = [];
      for (const [key, rec] of this.keys) {
        nodes.push({ id: rec.id, key, prefix: rec.prefix.prefix, state: rec.status });
        for (const d of rec.deps) {
          const dep = this.keys.get(d);
          if (dep) edges.push([dep.id, rec.id]);
        }
      }
      return { mode: 'tasks', nodes, edges };
    }
    const ids = new Map<PrefixRecord, number>();
    const progress = new Map(this.progress().map((p) => [p.prefix, p]));
    const nodes: (PrefixProgress & { id: number })[] = [];
    for (const p of this.prefixes.values()) {
      const row = progress.get(p.prefix);
      if (!row || row.total === 0) continue;
      ids.set(p, nodes.length);
      nodes.push({ ...row, id: nodes.length });
    }
    const seen = new Set<number>();
    const edges: [number, number][] = [];
    for (const rec of this.keys.values()) {
      const to = ids.get(rec.prefix)!;
      for (const d of rec.deps) {
        const dep = this.keys.get(d);
        if (!dep || dep.prefix === rec.prefix) continue;
        const from = ids.get(dep.prefix)!;
        const code = from * 1_000_003 + to;
        if (seen.has(code)) continue;
        seen.add(code);
        edges.push([from, to]);
      }
    }
    return { mode: 'prefixes', nodes, edges };
  }

  private prefix(name: string): PrefixRecord {
    let p = this.prefixes.get(name);
    if (!p) {
      p = { prefix: name, waiting: 0, processing: 0, memory: 0, released: 0, erred: 0, done: 0, color: prefixColor(name), durationSum: 0, durationCount: 0 };
      this.prefixes.set(name, p);
    }
    return p;
  }
}

function positive(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`dashboard: ${name} must be a positive integer, got ${n}`);
  return n;
}
