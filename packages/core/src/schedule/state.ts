import { dataNode, type GraphNode, type Key } from '../graph/spec';
import { KilledWorkerError } from './errors';
import type { Instruction } from './instructions';
import { LocalityPolicy, type PlacementPolicy } from './placement';
import { ReadyQueue } from './ready-queue';
import { StoryLog, type StoryCause, type StoryEntry, type StoryLogOptions } from './story';
import { addDependent, addHolder, clearHolders, newTaskState, removeHolder, TaskState, WorkerState, type TaskStatus, type WorkerId } from './task-state';
import { TaskTable } from './task-table';
import { validateState } from './validate';

export interface SchedulerStateOptions {
  policy?: PlacementPolicy;
  /** A task that was running on this many dying workers fails with KilledWorkerError. */
  allowedWorkerDeaths?: number;
  /**
   * Where every status change is recorded (see `story()`): a log shared with other states (an
   * executor's computations), options for a log of this state's own, or false for none.
   * Default: a log of its own keeping the last 10,000 transitions.
   */
  story?: StoryLog | StoryLogOptions | false;
  /**
   * Checks every invariant (`validate()`) after each event and throws at the first broken one.
   * For tests and debugging (executors turn it on under PDASK_VALIDATE_STATE=1): it costs a walk
   * over every task per event.
   */
  validate?: boolean;
}

export interface GraphUpdate {
  nodes: Iterable<GraphNode>;
  /**
   * Optional adjacency over the positions of `nodes` (an IndexedGraph's CSR arrays): inputs are
   * then linked by position instead of by key lookups, which dominate at 100,000s of tasks.
   */
  adjacency?: { readonly depStart: Int32Array; readonly depList: Int32Array };
  /** Keys the caller wants results for (held until `release`). */
  wanted: Iterable<Key>;
  /** Position of a key in `nodes` (e.g. IndexedGraph.index): finds wanted keys without indexing every task. */
  positionOf?: (key: Key) => number | undefined;
  /** Lower runs first; defaults to submission order. `i` is the node's position in `nodes`. */
  priority?: (key: Key, i: number) => number;
  /** Times a failing task is re-run before its error counts. */
  retries?: number;
}

const NONE = Object.freeze([]) as unknown as Instruction[];
const NO_INFO: { nbytes?: number; moveBytes?: number; durationMs?: number } = Object.freeze({});

/**
 * The scheduling state machine: pure, synchronous, no I/O. Events go in (graph submitted, task
 * finished or failed, worker joined or lost, results no longer wanted); instructions come out (run
 * a task somewhere, release a result, a wanted key is ready or failed). The local executors and
 * the network scheduler drive this same object; only how they carry out instructions differs.
 */
export class SchedulerState {
  readonly tasks = new TaskTable();
  readonly workers = new Map<WorkerId, WorkerState>();
  private readonly ready = new ReadyQueue();
  private readonly policy: PlacementPolicy;
  private readonly allowedWorkerDeaths: number;
  private out: Instruction[] = [];
  /** Ready tasks the policy declined to place; retried when placement runs again. */
  private unplaceable: TaskState[] = [];
  private seq = 0;
  private batching = 0;
  /** The one worker, while there is exactly one (fill's candidate list, without an allocation per event). */
  private soleWorker: WorkerState[] = [];
  /** The transition log, or undefined when turned off. */
  readonly storyLog: StoryLog | undefined;
  /** This state's number in its log. */
  private readonly run: number;
  private readonly validating: boolean;

  constructor(opts: SchedulerStateOptions = {}) {
    this.policy = opts.policy ?? new LocalityPolicy();
    this.allowedWorkerDeaths = opts.allowedWorkerDeaths ?? 3;
    const story = opts.story ?? {};
    this.storyLog = story === false ? undefined : story instanceof StoryLog ? story : new StoryLog(story);
    this.run = this.storyLog?.attach() ?? 0;
    this.validating = opts.validate ?? false;
  }

  // ---- events -------------------------------------------------------------------------------

  /**
   * Data put straight onto a worker (Dask's scatter): in memory there and wanted by the caller.
   * It has no computation, so if every copy is lost its readers fail instead of recomputing it.
   */
  addData(entries: readonly { readonly key: Key; readonly worker: WorkerId; readonly nbytes?: number; readonly index?: number }[]): Instruction[] {
    this.begin('add-data');
    for (const e of entries) {
      const w = this.workers.get(e.worker);
      if (!w) throw new Error(`addData: unknown worker '${e.worker}'`);
      let ts = this.tasks.get(e.key);
      if (!ts) {
        ts = new TaskState(e.key, dataNode(e.key, undefined), this.seq);
        ts.seq = this.seq++;
        // A driver that adds data before the graph reading it names its position in that graph.
        if (e.index !== undefined) ts.index = e.index;
        this.tasks.addAll([ts]);
        // Only a key known by its data alone is beyond recomputing; a task given a value keeps its computation.
        ts.scattered = true;
      }
      if (ts.status !== 'memory') {
        const wasActive = ts.status === 'waiting' || ts.status === 'ready' || ts.status === 'processing';
        // Given the value, a run of the task is pointless: its worker drops it, and its later
        // report only adds a replica. Left on the worker's books it would hold a slot for ever.
        this.unassign(ts);
        this.setStatus(ts, 'memory', w);
        for (const dt of ts.dependents) if (dt.status === 'waiting' && --dt.waitingOn === 0) this.makeReady(dt);
        // Nor are its inputs needed for it any more (they would stay in memory otherwise).
        if (wasActive) {
          for (const d of ts.deps) {
            d.waiters--;
            this.maybeRelease(d);
            this.maybeCancel(d);
          }
        }
      }
      ts.nbytes = e.nbytes ?? ts.nbytes;
      ts.moveBytes = ts.nbytes;
      if (!ts.whoHas.includes(w)) {
        addHolder(ts, w);
        w.has.add(ts);
      }
      ts.wanted++;
      this.out.push({ type: 'memory', key: ts.key, task: ts });
    }
    return this.finish();
  }

  addWorker(id: WorkerId, nthreads = 1): Instruction[] {
    if (this.workers.has(id)) throw new Error(`Worker '${id}' is already known`);
    this.begin('add-worker');
    this.workers.set(id, new WorkerState(id, nthreads));
    this.noteWorkers();
    return this.finish();
  }

  /**
   * A worker is gone with everything it held. Tasks it was running go back to be placed again;
   * results that only it held are recomputed if still needed. `suspects` are the tasks that may
   * have killed it (the one mid-run, or the last one run if it died idle, e.g. from a timer the
   * task left behind): each counts a death, and fails as KilledWorker at the limit.
   */
  removeWorker(id: WorkerId, opts: { suspects?: Iterable<Key>; cause?: string } = {}): Instruction[] {
    const w = this.workers.get(id);
    if (!w) return [];
    this.begin('remove-worker');
    this.workers.delete(id);
    this.noteWorkers();
    const suspects = new Set(opts.suspects ?? []);
    const killed = (ts: TaskState): boolean => {
      if (!suspects.has(ts.key)) return false;
      ts.suspicious++;
      // Dask's allowed-failures: that many deaths are forgiven; the next one fails the task.
      if (ts.suspicious <= this.allowedWorkerDeaths) return false;
      this.markErred(ts, new KilledWorkerError(ts.key, ts.suspicious, opts.cause), ts.key);
      return true;
    };

    const lost: TaskState[] = [];
    for (const ts of [...w.has]) if (this.dropReplica(ts, w)) lost.push(ts);

    // Judge lost results before anything re-requests them (requeued readers would).
    const recompute = lost.filter((ts) => {
      if (ts.scattered) {
        this.markErred(ts, new Error(`Scattered data '${ts.key}' was lost with worker '${id}'; it cannot be recomputed`), ts.key);
        return false;
      }
      return !killed(ts);
    });
    const requeue: TaskState[] = [];
    for (const ts of w.processing) {
      ts.processingOn = undefined;
      if (!killed(ts)) requeue.push(ts);
    }
    w.processing.clear();
    for (const ts of requeue) if (ts.status === 'processing') this.toWaitingOrReady(ts);
    for (const ts of recompute) {
      if (ts.status === 'released' && (ts.wanted > 0 || ts.waiters > 0)) this.need([ts]);
    }
    return this.finish();
  }

  /** Adds tasks (keys already known keep their state: shared work runs once) and wanted keys. */
  updateGraph(update: GraphUpdate): Instruction[] {
    this.begin('update-graph');
    const states: TaskState[] = [];
    const known = this.tasks.size > 0;
    // Into an empty state every task is fresh: one list serves as both.
    const fresh: TaskState[] = known ? [] : states;
    const retries = update.retries ?? 0;
    let i = -1;
    for (const node of update.nodes) {
      i++;
      const existing = known ? this.tasks.get(node.key) : undefined;
      if (existing) {
        states.push(existing);
        continue;
      }
      const ts = newTaskState(node, update.priority ? update.priority(node.key, i) : this.seq, this.seq++, i);
      if (retries !== 0) ts.retriesLeft = retries;
      if (known) fresh.push(ts);
      states.push(ts);
    }
    this.tasks.addAll(fresh);
    const adj = update.adjacency;
    if (adj) {
      const firstFresh = this.seq - fresh.length;
      for (let j = 0; j < states.length; j++) {
        const ts = states[j];
        if (ts.seq < firstFresh) continue; // known before this update: already linked
        const from = adj.depStart[j];
        const n = adj.depStart[j + 1] - from;
        if (n === 0) continue;
        // Sized once: pushing onto an empty array reserves 17 slots, for 100,000s of tasks.
        const deps: TaskState[] = n === 1 ? [states[adj.depList[from]]] : n === 2 ? [states[adj.depList[from]], states[adj.depList[from + 1]]] : new Array<TaskState>(n);
        const asList = [ts];
        for (let e = 0; e < n; e++) {
          const dep = states[adj.depList[from + e]];
          deps[e] = dep;
          addDependent(dep, ts, asList);
        }
        ts.deps = deps;
      }
    } else {
      // Checked before any link is made, so that a rejected graph leaves the state as it was.
      for (const ts of fresh) {
        for (const d of ts.node.deps) {
          if (this.tasks.has(d)) continue;
          for (const f of fresh) this.tasks.delete(f.key);
          throw new Error(`Task '${ts.key}' depends on '${d}', which is neither in the graph nor known`);
        }
      }
      for (const ts of fresh) {
        if (ts.node.deps.length === 0) continue;
        const asList = [ts];
        ts.deps = ts.node.deps.map((d) => {
          const dep = this.tasks.get(d)!;
          addDependent(dep, ts, asList);
          return dep;
        });
      }
    }
    const wanted: TaskState[] = [];
    for (const k of update.wanted) {
      const at = update.positionOf?.(k);
      const ts = at === undefined ? this.tasks.get(k) : states[at];
      if (!ts) throw new Error(`Wanted key '${k}' is not in the graph`);
      wanted.push(ts);
    }
    // Keys already settled are reported here; those that fail now are reported by markErred.
    let settled: TaskState[] | undefined;
    for (const ts of wanted) {
      ts.wanted++;
      if (ts.status === 'memory' || ts.status === 'erred') (settled ??= []).push(ts);
    }
    this.need(wanted);
    if (settled) {
      for (const ts of settled) {
        if (ts.status === 'memory') this.out.push({ type: 'memory', key: ts.key, task: ts });
        else this.out.push({ type: 'erred', key: ts.key, error: ts.error, origin: ts.errorOrigin! });
      }
    }
    return this.finish();
  }

  taskFinished(task: TaskState | Key, worker: WorkerId, info: { nbytes?: number; moveBytes?: number; durationMs?: number } = NO_INFO): Instruction[] {
    this.begin('task-finished');
    const ts = this.lookup(task);
    const w = this.workers.get(worker);
    if (!ts || !w || ts.status !== 'processing' || ts.processingOn !== w) {
      // A stale report (the task was moved after its worker was presumed lost); if the result
      // exists and is still useful, record the extra replica.
      if (ts && w && ts.status === 'memory' && !ts.whoHas.includes(w)) {
        addHolder(ts, w);
        w.has.add(ts);
      }
      return this.finish();
    }
    w.processing.delete(ts);
    ts.processingOn = undefined;
    if (info.durationMs !== undefined) {
      w.avgDurationMs = w.avgDurationMs < 0 ? info.durationMs : 0.8 * w.avgDurationMs + 0.2 * info.durationMs;
    }
    this.setStatus(ts, 'memory', w);
    ts.nbytes = info.nbytes ?? 0;
    ts.moveBytes = info.moveBytes ?? ts.nbytes;
    addHolder(ts, w);
    w.has.add(ts);
    for (const dt of ts.dependents) {
      if (dt.status === 'waiting' && --dt.waitingOn === 0) this.makeReady(dt);
    }
    for (const dep of ts.deps) {
      dep.waiters--;
      this.maybeRelease(dep);
    }
    if (ts.wanted > 0) this.out.push({ type: 'memory', key: ts.key, task: ts });
    this.maybeRelease(ts);
    return this.finish();
  }

  taskErred(task: TaskState | Key, worker: WorkerId, error: unknown): Instruction[] {
    this.begin('task-erred');
    const ts = this.lookup(task);
    const w = this.workers.get(worker);
    if (!ts || !w || ts.status !== 'processing' || ts.processingOn !== w) return this.finish();
    if (ts.retriesLeft > 0) {
      w.processing.delete(ts);
      ts.processingOn = undefined;
      ts.retriesLeft--;
      // An input may have been lost while it ran: count them again rather than assume it is ready.
      this.toWaitingOrReady(ts);
    } else {
      // markErred takes it off its worker (and the story names the worker).
      this.markErred(ts, error, ts.key);
    }
    return this.finish();
  }

  /**
   * Workers copied these results from a peer (to read them) and keep the copies, as Dask's
   * add-keys: a copy of a result in memory becomes a holder, so losing one worker does not lose
   * a result another already has (with many short-lived workers, lost results cascade into
   * recomputing their released inputs). A copy of a key no longer in memory is released at once.
   */
  addReplicas(entries: readonly { readonly key: TaskState | Key; readonly worker: WorkerId }[]): Instruction[] {
    this.begin('add-replica');
    for (const e of entries) {
      const ts = this.lookup(e.key);
      const w = this.workers.get(e.worker);
      if (!ts || !w) continue;
      if (ts.status !== 'memory') {
        // Not to the worker computing it anew: the release could cross its fresh result.
        if (ts.processingOn !== w) this.out.push({ type: 'release', worker: w.id, key: ts.key, task: ts });
        continue;
      }
      if (!ts.whoHas.includes(w)) {
        addHolder(ts, w);
        w.has.add(ts);
      }
    }
    return this.finish();
  }

  /** The worker could not get some inputs of a task (their holder vanished): wait for them again. */
  /**
   * A worker could not fetch some inputs of a task from the workers said to hold them: those
   * replicas are forgotten (an input with no holder left is recomputed) and the task waits again.
   */
  taskMissingData(
    task: TaskState | Key,
    worker: WorkerId,
    missing: readonly { readonly dep: TaskState | Key; readonly holder: WorkerId }[] = [],
  ): Instruction[] {
    this.begin('missing-data');
    const ts = this.lookup(task);
    const w = this.workers.get(worker);
    if (!ts || !w || ts.status !== 'processing' || ts.processingOn !== w) return this.finish();
    w.processing.delete(ts);
    ts.processingOn = undefined;
    for (const m of missing) {
      const dep = this.lookup(m.dep);
      const holder = this.workers.get(m.holder);
      if (dep && holder) this.dropReplica(dep, holder);
    }
    this.toWaitingOrReady(ts);
    return this.finish();
  }

  /**
   * The caller no longer wants these keys: results nothing else needs are released, and work
   * nothing needs any more — queued or running, and the inputs only it needed — is cancelled.
   */
  release(keys: Iterable<TaskState | Key>): Instruction[] {
    this.begin('release');
    for (const k of keys) {
      const ts = this.lookup(k);
      if (!ts || ts.wanted === 0) continue;
      ts.wanted--;
      this.maybeRelease(ts);
      this.maybeCancel(ts);
    }
    return this.finish();
  }

  /**
   * Drops tasks nothing can need again — released or failed, unwanted, and whose readers are all
   * dropped too (a reader held in memory keeps its inputs: it may have to be recomputed). A
   * long-lived scheduler calls this so that finished graphs do not accumulate. Returns the count.
   */
  forgetReleased(): number {
    const idle = (ts: TaskState): boolean => (ts.status === 'released' || ts.status === 'erred') && ts.wanted === 0;
    const remaining = new Map<TaskState, number>();
    const stack: TaskState[] = [];
    for (const ts of this.tasks.values()) {
      if (!idle(ts)) continue;
      remaining.set(ts, ts.dependents.length);
      if (ts.dependents.length === 0) stack.push(ts);
    }
    this.begin('forget');
    const forgotten = new Set<TaskState>();
    while (stack.length) {
      const ts = stack.pop()!;
      forgotten.add(ts);
      this.storyLog?.record(this.run, ts.key, ts.status, 'forgotten', undefined);
      this.tasks.delete(ts.key);
      for (const d of ts.deps) {
        const r = remaining.get(d);
        if (r === undefined) continue;
        remaining.set(d, r - 1);
        if (r - 1 === 0) stack.push(d);
      }
    }
    // Inputs that stay drop their links to readers that are gone.
    for (const ts of forgotten) {
      for (const d of ts.deps) if (!forgotten.has(d)) d.dependents = d.dependents.filter((x) => !forgotten.has(x));
    }
    if (this.validating) this.validate();
    return forgotten.size;
  }

  /**
   * Applies several events and places ready tasks once at the end (e.g. a worker reports a batch
   * of finished tasks): the instructions of all of them are returned together.
   */
  batch(events: (state: this) => void): Instruction[] {
    // One clock reading for the batch's events (see StoryLog.begin); placement reads it again.
    this.begin('batch');
    this.batching++;
    try {
      events(this);
    } finally {
      this.batching--;
    }
    // Placement below happens for the batch as a whole.
    this.begin('batch');
    return this.finish();
  }

  /**
   * Results no longer valid although their holders live (a p2p shuffle that lost a worker: its
   * transfers must run again, see execute/threads/shuffle-coordinator.ts). Every replica is
   * released, runs in progress are cancelled, readers running on them are requeued, and whatever
   * still needs them waits for them to be computed again.
   */
  invalidate(keys: Iterable<TaskState | Key>): Instruction[] {
    this.begin('invalidate');
    const hit: TaskState[] = [];
    for (const k of keys) {
      const ts = this.lookup(k);
      if (!ts) continue;
      if (ts.status === 'memory') {
        for (const w of [...ts.whoHas]) {
          this.out.push({ type: 'release', worker: w.id, key: ts.key, task: ts });
          this.dropReplica(ts, w);
        }
        hit.push(ts);
      } else if (ts.status === 'processing') {
        this.unassign(ts);
        hit.push(ts);
      }
    }
    const requeue = (ts: TaskState): void => {
      if (ts.status !== 'processing') return;
      this.unassign(ts);
      this.toWaitingOrReady(ts);
    };
    for (const ts of hit) for (const dt of ts.dependents) requeue(dt);
    for (const ts of hit) {
      if (ts.status === 'processing') this.toWaitingOrReady(ts);
      else if (ts.status === 'released' && (ts.wanted > 0 || ts.waiters > 0)) this.need([ts]);
    }
    return this.finish();
  }

  // ---- queries ------------------------------------------------------------------------------

  status(key: Key): TaskState['status'] | undefined {
    return this.tasks.get(key)?.status;
  }

  /** Number of tasks in each status (for progress and tests). */
  counts(): Record<TaskState['status'], number> {
    const c = { released: 0, waiting: 0, ready: 0, processing: 0, memory: 0, erred: 0 };
    for (const ts of this.tasks.values()) c[ts.status]++;
    return c;
  }

  /** The recorded status changes of `key`, oldest first (empty when the log is off or has no entry). */
  story(key: Key): StoryEntry[] {
    return this.storyLog?.story(key) ?? [];
  }

  /**
   * Checks every invariant of the state machine (statuses against inputs, readers, holders,
   * waiting counts, worker sets, the ready queue) and throws an Error naming the first key and
   * invariant broken. Costs a walk over every task and edge.
   */
  validate(): void {
    validateState({
      tasks: this.tasks,
      workers: this.workers,
      queued: this.ready.entries(),
      misplaced: this.ready.misplaced(),
      unplaceable: this.unplaceable,
      policy: this.policy,
      allowedWorkerDeaths: this.allowedWorkerDeaths,
      placed: this.batching === 0,
    });
  }

  private noteWorkers(): void {
    this.soleWorker = this.workers.size === 1 ? [...this.workers.values()] : [];
  }

  /** Drivers that hold the TaskState of an instruction pass it back directly: no key lookup. */
  private lookup(task: TaskState | Key): TaskState | undefined {
    return typeof task === 'string' ? this.tasks.get(task) : task;
  }

  // ---- transitions --------------------------------------------------------------------------

  /** Ends an event: places ready tasks and hands out the instructions (deferred inside batch()). */
  private finish(): Instruction[] {
    if (this.batching > 0) {
      if (this.validating) this.validate();
      return NONE;
    }
    this.fill();
    if (this.validating) this.validate();
    return this.flush();
  }

  private begin(cause: StoryCause): void {
    if (this.storyLog !== undefined) this.storyLog.begin(cause, this.batching === 0);
  }

  /** Every status change goes through here, so that the story misses none. */
  private setStatus(ts: TaskState, to: TaskStatus, w?: WorkerState): void {
    if (this.storyLog !== undefined) this.storyLog.record(this.run, ts.key, ts.status, to, w?.id);
    ts.status = to;
  }

  private flush(): Instruction[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private makeReady(ts: TaskState): void {
    this.setStatus(ts, 'ready');
    this.ready.push(ts);
  }

  /**
   * Forgets that `w` holds `ts`. Returns true when that was the last copy: the result is then
   * lost, and readers that counted it as available wait for it again.
   */
  private dropReplica(ts: TaskState, w: WorkerState): boolean {
    removeHolder(ts, w);
    w.has.delete(ts);
    if (ts.whoHas.length > 0 || ts.status !== 'memory') return false;
    this.setStatus(ts, 'released', w);
    ts.nbytes = 0;
    ts.moveBytes = 0;
    for (const dt of ts.dependents) {
      if (dt.status === 'waiting') dt.waitingOn++;
      else if (dt.status === 'ready') {
        this.setStatus(dt, 'waiting');
        dt.waitingOn = 1;
      }
    }
    return true;
  }

  /** Recounts missing inputs of a task that was queued or running and must be placed again. */
  private toWaitingOrReady(ts: TaskState): void {
    const failed = ts.deps.find((d) => d.status === 'erred');
    if (failed) {
      this.markErred(ts, failed.error, failed.errorOrigin!);
      return;
    }
    let missing = 0;
    const lostInputs: TaskState[] = [];
    for (const d of ts.deps) {
      if (d.status !== 'memory') {
        missing++;
        if (d.status === 'released') lostInputs.push(d);
      }
    }
    this.setStatus(ts, 'waiting');
    ts.waitingOn = missing;
    if (lostInputs.length) this.need(lostInputs);
    if (ts.status === 'waiting' && ts.waitingOn === 0) this.makeReady(ts);
  }

  /**
   * Makes sure the given tasks will be computed: released ones and their released inputs become
   * waiting (or ready), each input counting the new reader in `waiters`. Iterative post-order, so
   * inputs are settled before their readers (chains may be very deep).
   */
  private need(targets: readonly TaskState[]): void {
    // A task turns 'waiting' when pushed, which also marks it visited, and counts as a waiter of
    // its inputs at once: a failure found deeper down fails it (markErred) while it is still on
    // the stack, and must find its inputs' counts already including it. Its count of missing
    // inputs is settled when popped, after all its inputs.
    const stack: TaskState[] = [];
    const cursor: number[] = [];
    for (const t of targets) {
      if (t.status !== 'released') continue;
      this.setStatus(t, 'waiting');
      for (const d of t.deps) d.waiters++;
      stack.push(t);
      cursor.push(0);
      while (stack.length) {
        const top = stack.length - 1;
        const ts = stack[top];
        if (cursor[top] < ts.deps.length) {
          const d = ts.deps[cursor[top]++];
          if (d.status === 'released') {
            this.setStatus(d, 'waiting');
            for (const dd of d.deps) dd.waiters++;
            stack.push(d);
            cursor.push(0);
          }
          continue;
        }
        stack.pop();
        cursor.pop();
        if (ts.status !== 'waiting') continue; // failed meanwhile, with an input
        if (ts.scattered) {
          // Its value was dropped and it has no computation: running its empty data node would
          // hand readers `undefined`.
          this.markErred(ts, new Error(`Scattered data '${ts.key}' was released; it cannot be recomputed (scatter it again)`), ts.key);
          continue;
        }
        ts.waitingOn = 0;
        let failed: TaskState | undefined;
        for (const d of ts.deps) {
          if (d.status === 'erred') failed = d;
          else if (d.status !== 'memory') ts.waitingOn++;
        }
        if (failed) this.markErred(ts, failed.error, failed.errorOrigin!);
        else if (ts.waitingOn === 0) this.makeReady(ts);
      }
    }
  }

  /** Fails a task and, transitively, every task that reads it. */
  private markErred(root: TaskState, error: unknown, origin: Key): void {
    const stack = [root];
    while (stack.length) {
      const ts = stack.pop()!;
      if (ts.status === 'erred') continue;
      const wasActive = ts.status === 'waiting' || ts.status === 'ready' || ts.status === 'processing';
      const on = ts.processingOn;
      if (on) {
        on.processing.delete(ts);
        ts.processingOn = undefined;
      }
      this.setStatus(ts, 'erred', on);
      ts.error = error;
      ts.errorOrigin = origin;
      if (wasActive) {
        for (const d of ts.deps) {
          d.waiters--;
          this.maybeRelease(d);
        }
      }
      if (ts.wanted > 0) this.out.push({ type: 'erred', key: ts.key, error, origin });
      for (const dt of ts.dependents) if (dt.status !== 'erred' && dt.status !== 'memory') stack.push(dt);
    }
  }

  /** Cancels a task still to be computed that nobody wants or waits for, and inputs only it needed. */
  private maybeCancel(root: TaskState): void {
    const stack = [root];
    while (stack.length) {
      const ts = stack.pop()!;
      if (ts.wanted > 0 || ts.waiters > 0) continue;
      if (ts.status !== 'waiting' && ts.status !== 'ready' && ts.status !== 'processing') continue;
      const w = this.unassign(ts);
      this.setStatus(ts, 'released', w);
      for (const d of ts.deps) {
        d.waiters--;
        this.maybeRelease(d);
        stack.push(d);
      }
    }
  }

  /** Takes a task off the worker running it, telling that worker to drop it; returns that worker. */
  private unassign(ts: TaskState): WorkerState | undefined {
    const w = ts.processingOn;
    if (w) {
      w.processing.delete(ts);
      ts.processingOn = undefined;
      this.out.push({ type: 'cancel', worker: w.id, key: ts.key, task: ts });
    }
    return w;
  }

  private maybeRelease(ts: TaskState): void {
    if (ts.status !== 'memory' || ts.waiters > 0 || ts.wanted > 0) return;
    for (const w of ts.whoHas) {
      w.has.delete(ts);
      this.out.push({ type: 'release', worker: w.id, key: ts.key, task: ts });
    }
    clearHolders(ts);
    this.setStatus(ts, 'released');
  }

  private place(ts: TaskState, w: WorkerState): void {
    this.setStatus(ts, 'processing', w);
    ts.processingOn = w;
    w.processing.add(ts);
    this.out.push({ type: 'run', worker: w.id, task: ts });
  }

  /** Places ready tasks, most urgent first, while some worker has room. */
  private fill(): void {
    if (this.workers.size === 0) return;
    if (this.unplaceable.length) {
      for (const ts of this.unplaceable) if (ts.status === 'ready') this.ready.push(ts);
      this.unplaceable = [];
    }
    if (this.ready.size === 0) return;
    if (this.workers.size === 1) {
      // The common local case (sync executor): one candidate, kept in a list made once.
      const only = this.soleWorker;
      const w = only[0];
      const cap = this.policy.capacity(w);
      while (w.processing.size < cap) {
        const ts = this.ready.pop();
        if (!ts) break;
        if (this.policy.choose(ts, only)) this.place(ts, w);
        else this.unplaceable.push(ts);
      }
      return;
    }
    const room: WorkerState[] = [];
    for (const w of this.workers.values()) if (w.processing.size < this.policy.capacity(w)) room.push(w);
    while (room.length) {
      const ts = this.ready.pop();
      if (!ts) break;
      const w = this.policy.choose(ts, room);
      if (!w) {
        this.unplaceable.push(ts);
        continue;
      }
      this.place(ts, w);
      if (w.processing.size >= this.policy.capacity(w)) room.splice(room.indexOf(w), 1);
    }
  }
}
