import { IndexedGraph } from '../../graph/indexed';
import { dataNode, type Key } from '../../graph/spec';
import type { Instruction } from '../../schedule/instructions';
import { LocalityPolicy } from '../../schedule/placement';
import { SchedulerState } from '../../schedule/state';
import type { TaskState } from '../../schedule/task-state';
import { deserializeError, TaskTimeoutError, withTaskKey } from '../errors';
import { validateStateRequested, type ExecuteRequest } from '../executor';
import type { FromWorker, ToWorker } from './protocol';
import { LineageInput, PersistedDataLostError, ResidentValue, type Lineage } from './resident';
import { fusedMemberKey } from './wire';
import { RunWriter } from './batch-wire';
import type { PoolListener, Slot, ThreadPool } from './pool';
import { ShuffleCoordinator } from './shuffle-coordinator';
import { AheadTasks, runsSolo, SOLO_DEPTH, SOLO_MAX_TASKS, SOLO_WORK_MS, type EarlyReport } from './ahead';
import { AWAIT_LOCAL } from './protocol';
import { shareEmbeddedInputs } from './share-inputs';
import { ReadAheadPolicy } from './read-ahead';
import { InflightTable } from './inflight';
import { ReleaseHold } from './release-hold';

let nextCid = 1;

/** Whether a worker holds a task's result (no closure per input, as `some` would make). */
function heldBy(ts: TaskState, worker: string): boolean {
  const holders = ts.whoHas;
  for (let i = 0; i < holders.length; i++) if (holders[i].id === worker) return true;
  return false;
}

interface Outgoing {
  /** The tasks, see batch-wire.ts. */
  run: RunWriter;
  release: number[];
  /** Bytes of the results in `release` (see release-hold.ts). */
  releaseBytes: number;
}

export interface ComputationOptions {
  targetBatchMs: number;
  allowedWorkerDeaths: number;
  /**
   * Persist: wanted results stay in the workers that computed them and the computation resolves
   * to ResidentValue references instead of the values.
   */
  keep?: boolean;
  /** Under a memory limit: bytes of root results a worker thread may have coming (see read-ahead.ts). */
  readAhead?: number;
}

/**
 * One `compute()` on the thread pool: drives a SchedulerState with the pool's workers, turns
 * its instructions into batched messages, and streams wanted results back as they are ready.
 */
export class Computation implements PoolListener {
  private readonly cid = nextCid++;
  private readonly state: SchedulerState;
  /** Peer-to-peer shuffles in the graph: their runs, owners and restarts. */
  private readonly shuffles: ShuffleCoordinator;
  private readonly inflight: InflightTable;
  /** The last task each worker reported finished: the suspect if it dies while idle. */
  private readonly lastFinished = new Map<number, { seq: number; key: Key }>();
  private readonly gathers = new Map<number, TaskState[]>();
  private readonly outgoing = new Map<number, Outgoing>();
  private readonly results = new Map<Key, unknown>();
  private readonly wanted: Set<Key>;
  private settled = false;
  private done = 0;
  /** Inputs already resident in this pool's workers (persisted earlier), by graph position. */
  private readonly resident = new Map<number, ResidentValue>();
  /** Resident ids the workers keep wanted results under (persist), by graph position. */
  private readonly keptAs = new Map<number, { id: number; slot: number }>();
  private readonly keep: boolean;
  private lineageGraph: Lineage | undefined;
  /**
   * Results cross threads under their position in the graph (TaskState.index), not their key.
   * A task's references are its inputs, whose states are at hand: no key lookup on the hot path.
   */
  private idResolver(ts: TaskState): (key: Key) => number {
    const deps = ts.node.deps;
    return (key) => {
      if (key === ts.key) return ts.index;
      for (let j = 0; j < deps.length; j++) if (deps[j] === key) return this.wireId(ts.deps[j].index);
      const id = this.req.graph.index.get(key);
      if (id === undefined) throw new Error(`pdask internal error: key '${key}' is not in the computation's graph`);
      return this.wireId(id);
    };
  }

  /** The graph position of a key that is neither a task nor one of its inputs (a node's other reference). */
  private readonly positionOf = (key: Key): number => {
    const id = this.req.graph.index.get(key);
    if (id === undefined) throw new Error(`pdask internal error: key '${key}' is not in the computation's graph`);
    return id;
  };

  /** The id workers know a result by: its graph position, or its resident id if persisted earlier. */
  private wireId(index: number): number {
    return this.resident.size === 0 ? index : (this.resident.get(index)?.id ?? index);
  }
  /** The one worker a small computation runs on (see ahead.ts), or undefined: the whole pool. */
  private solo: number | undefined;
  /** Tasks sent to the solo worker before their inputs are in memory (see ahead.ts). */
  private readonly ahead = new AheadTasks();
  /** Tasks sent ahead that the state has now placed, whose reports came already: finished next. */
  private adopted: { ts: TaskState; seq: number; slot: number; report: EarlyReport }[] | undefined;
  /** Time (ms) and number of the tasks reported: the pool's hint for its next computation. */
  private workMs = 0;
  private reported = 0;
  /** Workers sent anything by this computation: only they need to hear that it ended. */
  private readonly touched = new Set<number>();
  private resolve!: (v: Map<Key, unknown>) => void;
  private reject!: (e: unknown) => void;
  /** With a task timeout: when each worker was first seen running its current task of ours. */
  private readonly runningSince = new Map<number, { seq: number; since: number }>();
  private watchdog: NodeJS.Timeout | undefined;
  /** Batches of releases alone wait for the worker's next tasks (see release-hold.ts); undefined: never. */
  private readonly hold: ReleaseHold | undefined;

  constructor(
    private readonly pool: ThreadPool,
    private readonly req: ExecuteRequest,
    opts: ComputationOptions,
  ) {
    this.inflight = new InflightTable(pool.seq());
    this.shuffles = new ShuffleCoordinator(pool, this.cid, req.graph.nodes);
    const placed = this.shuffles.policy(new LocalityPolicy({ targetBatchMs: opts.targetBatchMs }));
    const base = opts.readAhead === undefined ? placed : new ReadAheadPolicy(placed, opts.readAhead);
    this.state = new SchedulerState({
      // Only a small graph may run solo; a large one keeps the policy as it is (no extra call per task).
      policy:
        req.graph.size > SOLO_MAX_TASKS
          ? base
          : {
              capacity: (w) => (this.solo === undefined ? base.capacity(w) : Math.min(SOLO_DEPTH, base.capacity(w))),
              choose: (ts, candidates) => base.choose(ts, candidates),
            },
      allowedWorkerDeaths: opts.allowedWorkerDeaths,
      // One log per pool, shared by its computations: story(key) answers after they end.
      story: pool.stories,
      validate: validateStateRequested(),
    });
    this.wanted = new Set(req.targets);
    this.keep = opts.keep ?? false;
    // Under a memory limit every release counts at once; a shuffle's transfers are large.
    if (opts.readAhead === undefined && !this.shuffles.active) this.hold = new ReleaseHold(() => this.flushHeld());
  }

  /** The graph this persist ran, its persisted inputs remembered weakly (see LineageInput). */
  private get lineage(): Lineage {
    if (!this.lineageGraph) {
      const g = this.req.graph;
      if (this.resident.size === 0) this.lineageGraph = { graph: g };
      else {
        const nodes = g.nodes.slice();
        for (const [i, v] of this.resident) nodes[i] = dataNode(nodes[i].key, new LineageInput(v));
        this.lineageGraph = { graph: IndexedGraph.fromNodes(nodes, g.index) };
      }
    }
    return this.lineageGraph;
  }

  /** Data nodes holding references to values already in this pool's workers. */
  private residentInputs(): { key: Key; worker: string; nbytes: number; index: number }[] {
    const entries: { key: Key; worker: string; nbytes: number; index: number }[] = [];
    const nodes = this.req.graph.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (n.kind !== 'data' || !(n.value instanceof ResidentValue)) continue;
      const v = n.value;
      if (v.pool !== this.pool) throw new Error(`pdask internal error: '${n.key}' is resident in another thread pool`);
      // Lost between the caller's check and now: the next computation recomputes it.
      if (!v.live) throw new PersistedDataLostError(n.key, new Error(`worker thread ${v.holder} is gone`));
      this.resident.set(i, v);
      entries.push({ key: n.key, worker: String(v.holder), nbytes: v.nbytes, index: i });
    }
    return entries;
  }

  run(): Promise<Map<Key, unknown>> {
    const result = new Promise<Map<Key, unknown>>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (this.wanted.size === 0) return Promise.resolve(this.results);
    const unsubscribe = this.pool.subscribe(this);
    try {
      this.pool.observer?.graph?.(this.req.graph.nodes);
      const resident = this.residentInputs();
      this.solo = this.soloWorker(resident.length > 0);
      for (const slot of this.pool.slots.values()) if (this.solo === undefined || slot.id === this.solo) this.handle(this.state.addWorker(String(slot.id), 1));
      // Before the graph: its readers must find them in memory, not schedule them. (The 'memory'
      // notices this returns are repeated by updateGraph for the wanted ones.)
      if (resident.length) this.state.addData(resident);
      this.handle(
        this.state.updateGraph({
          nodes: this.req.graph.nodes,
          adjacency: this.req.graph,
          positionOf: (k) => this.req.graph.index.get(k),
          wanted: this.req.targets,
          priority: (_k, i) => this.req.priority[i],
          retries: this.req.retries,
        }),
      );
      // Persisting what is already resident needs no worker at all.
      if (!this.maybeSettle()) {
        this.flush();
        this.checkStalled();
        this.startWatchdog();
      }
    } catch (e) {
      this.fail(e);
    }
    return result.finally(() => {
      this.pool.observer?.graphDone?.(this.req.graph.nodes);
      clearInterval(this.watchdog);
      // What is still held is freed by the computation's end, told to every worker it touched.
      this.hold?.stop();
      unsubscribe();
      if (this.reported) this.pool.lastMeanTaskMs = this.workMs / this.reported;
      // A shuffle announced its runs to every worker.
      this.pool.endComputation(this.cid, this.shuffles.active ? undefined : this.touched);
    });
  }

  /** The worker a small computation of tiny tasks runs on alone (see ahead.ts), or undefined. */
  private soloWorker(hasResidentInputs: boolean): number | undefined {
    if (hasResidentInputs || this.keep || this.shuffles.active || this.pool.slots.size < 2) return undefined;
    if (this.req.taskTimeoutMs !== undefined || !runsSolo(this.req.graph.size, this.pool.lastMeanTaskMs)) return undefined;
    for (const slot of this.pool.slots.values()) return slot.id;
    return undefined;
  }

  /**
   * The other workers join: tasks turned out longer than the pool's hint said, or the solo worker
   * was lost. Inside a state.batch (`state` given) their instructions come out with the batch's.
   */
  private leaveSolo(state?: SchedulerState): void {
    if (this.solo === undefined) return;
    this.solo = undefined;
    for (const slot of this.pool.slots.values()) {
      if (this.state.workers.has(String(slot.id))) continue;
      if (state) state.addWorker(String(slot.id), 1);
      else this.handle(this.state.addWorker(String(slot.id), 1));
    }
  }

  /**
   * On the solo worker, sends the readers of tasks just sent whose every input is in memory
   * there, running there, or itself sent ahead there: the worker runs them when their inputs
   * are stored (AWAIT_LOCAL), without a round trip to this thread.
   */
  private sendAhead(sent: readonly TaskState[], slotId: number): void {
    const worker = String(slotId);
    const slot = this.pool.slots.get(slotId);
    if (!slot) return;
    const stack: TaskState[] = [];
    for (const ts of sent) for (const dt of ts.dependents) stack.push(dt);
    while (stack.length) {
      const ts = stack.pop()!;
      if (ts.status !== 'waiting' || this.ahead.has(ts)) continue;
      let fetch: number[] | 0 = 0;
      let local = true;
      for (const d of ts.deps) {
        if (d.status === 'memory' && heldBy(d, worker)) continue;
        if (!((d.status === 'processing' && d.processingOn?.id === worker) || this.ahead.slotOf(d) === slotId)) {
          local = false;
          break;
        }
        (fetch ||= []).push(this.wireId(d.index), AWAIT_LOCAL, 0);
      }
      if (!local) continue;
      const seq = this.pool.seq();
      this.ahead.add(ts, seq, slotId);
      const ret = this.wanted.has(ts.key) ? this.returnMode(ts, slotId) : 0;
      this.out(slotId).run.add(seq, ret, fetch, ts.node, slot.ops, this.idResolver(ts));
      for (const dt of ts.dependents) stack.push(dt);
    }
  }

  /** Finishes tasks sent ahead whose reports came before the state placed them. */
  private finishAdopted(): number {
    let n = 0;
    while (this.adopted !== undefined) {
      const list = this.adopted;
      this.adopted = undefined;
      const observer = this.pool.observer?.taskDone;
      const instructions = this.state.batch((state) => {
        for (const a of list) {
          if (this.inflight.get(a.seq) !== a.ts) continue;
          this.inflight.delete(a.seq);
          if (a.report.hasValue) this.results.set(a.ts.key, a.report.value);
          observer?.(a.slot, a.ts.key, a.report.nbytes, a.report.durationMs, Date.now());
          state.taskFinished(a.ts, String(a.slot), a.report);
          n++;
        }
      });
      this.handle(instructions);
    }
    return n;
  }

  /**
   * Task timeouts: a worker thread cannot be interrupted, only stopped. Each worker publishes the
   * task it is running (Slot.current); one of ours seen running past the timeout fails with
   * TaskTimeoutError and its thread is terminated (the pool starts a replacement).
   */
  private startWatchdog(): void {
    const limit = this.req.taskTimeoutMs;
    if (limit === undefined) return;
    this.watchdog = setInterval(() => this.checkTimeouts(limit), Math.max(5, Math.min(250, limit / 4)));
  }

  private checkTimeouts(limit: number): void {
    if (this.settled) return;
    const now = performance.now();
    for (const slot of this.pool.slots.values()) {
      const seq = slot.current[0];
      const entry = seq >= 0 ? this.inflight.get(seq) : undefined;
      if (!entry || this.inflight.slotOf(seq) !== slot.id) {
        this.runningSince.delete(slot.id);
        continue;
      }
      const seen = this.runningSince.get(slot.id);
      if (!seen || seen.seq !== seq) {
        this.runningSince.set(slot.id, { seq, since: now });
        continue;
      }
      if (now - seen.since < limit) continue;
      this.inflight.delete(seq);
      this.runningSince.delete(slot.id);
      try {
        this.handle(this.state.taskErred(entry, String(slot.id), withTaskKey(new TaskTimeoutError(entry.key, limit), entry.key)));
      } catch (e) {
        this.fail(e);
      }
      void slot.worker.terminate();
    }
  }

  // ---- pool events ----------------------------------------------------------------------------

  onMessage(slot: Slot, msg: FromWorker): void {
    if (this.settled) return;
    const worker = String(slot.id);
    try {
      if (msg.t === 'done') {
        const ok = msg.ok;
        let finished = 0;
        const values = msg.values ?? [];
        let earlyValues: Map<number, unknown> | undefined;
        for (let i = 0; i < values.length; i += 2) {
          const entry = this.inflight.get(values[i] as number);
          if (entry) this.results.set(entry.key, values[i + 1]);
          else if (this.ahead.isAhead(values[i] as number)) (earlyValues ??= new Map()).set(values[i] as number, values[i + 1]);
        }
        const observer = this.pool.observer?.taskDone;
        const now = observer !== undefined ? Date.now() : 0;
        // One placement pass for the whole report, not one per task.
        const instructions = this.state.batch((state) => {
          // One object for the report's tasks: taskFinished reads it and keeps nothing.
          const info = { nbytes: 0, moveBytes: 0, durationMs: 0 };
          let lastSeq = -1;
          let lastTask: TaskState | undefined;
          for (let i = 0; i < ok.length; i += 4) {
            this.reported++;
            this.workMs += ok[i + 3];
            const entry = this.inflight.get(ok[i]);
            if (entry === undefined) {
              // Sent ahead, not yet placed by the state: finished when it is (see finishAdopted).
              if (this.ahead.size) {
                const value = earlyValues?.get(ok[i]);
                this.ahead.noteEarly(ok[i], { nbytes: ok[i + 1], moveBytes: ok[i + 2], durationMs: ok[i + 3], hasValue: earlyValues?.has(ok[i]) ?? false, value });
              }
              continue;
            }
            this.inflight.delete(ok[i]);
            lastSeq = ok[i];
            lastTask = entry;
            finished++;
            if (observer !== undefined) observer(slot.id, entry.key, ok[i + 1], ok[i + 3], now);
            info.nbytes = ok[i + 1];
            info.moveBytes = ok[i + 2];
            info.durationMs = ok[i + 3];
            state.taskFinished(entry, worker, info);
          }
          // Longer tasks than the hint said: the other workers join before the ready tasks are placed.
          if (this.solo !== undefined && this.workMs > SOLO_WORK_MS) this.leaveSolo(state);
          // The report's last task is the suspect if the worker then dies idle: noted once per report.
          if (lastTask !== undefined) this.lastFinished.set(slot.id, { seq: lastSeq, key: lastTask.key });
          // A failure or a lost input may be recomputed anywhere: tasks waiting ahead on a worker would miss it.
          if (msg.failed.length || msg.missing.length) this.ahead.abandon();
          for (const [seq, memberId, err] of msg.failed) {
            const entry = this.inflight.get(seq);
            if (!entry) continue;
            this.inflight.delete(seq);
            const failedKey = fusedMemberKey(entry.node, memberId);
            const error = withTaskKey(deserializeError(err), failedKey);
            this.pool.observer?.taskErred?.(slot.id, entry.key, error, Date.now());
            state.taskErred(entry, worker, error);
          }
            // Triples (seq, input id, peer asked); one task may miss several inputs.
          const missingBySeq = new Map<number, { dep: TaskState; holder: string }[]>();
          const m = msg.missing;
          for (let i = 0; i < m.length; i += 3) {
            const entry = this.inflight.get(m[i]);
            const dep = entry?.deps.find((d) => this.wireId(d.index) === m[i + 1]);
            let list = missingBySeq.get(m[i]);
            if (!list) missingBySeq.set(m[i], (list = []));
            if (dep) list.push({ dep, holder: String(m[i + 2]) });
          }
          for (const [seq, lost] of missingBySeq) {
            const entry = this.inflight.get(seq);
            if (!entry) continue;
            this.inflight.delete(seq);
            state.taskMissingData(entry, worker, lost);
          }
        });
        this.handle(instructions);
        finished += this.finishAdopted();
        this.done += finished;
        if (finished) this.req.onProgress?.(Math.min(this.done, this.req.graph.size), this.req.graph.size);
        if (this.maybeSettle()) return;
      } else if (msg.t === 'gathered') {
        const tasks = this.gathers.get(msg.id);
        if (!tasks) return;
        this.gathers.delete(msg.id);
        if (msg.missing.length) throw new Error(`pdask internal error: results ${msg.missing.join(', ')} vanished before they were gathered`);
        tasks.forEach((ts, i) => this.results.set(ts.key, msg.values[i]));
        this.handle(this.state.release(tasks));
        if (this.maybeSettle()) return;
      }
      this.flush();
      this.checkStalled();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Resolves the computation once every wanted result is here. */
  private maybeSettle(): boolean {
    if (this.results.size !== this.wanted.size) return false;
    this.settled = true;
    this.resolve(this.results);
    return true;
  }

  onWorkerAdded(slot: Slot): void {
    if (this.settled || this.solo !== undefined) return;
    this.handle(this.state.addWorker(String(slot.id), 1));
    this.flush();
  }

  onWorkerLost(slot: Slot, suspectSeq: number, cause: string): void {
    if (this.settled) return;
    // A solo computation sent nothing to the others.
    if (this.solo !== undefined && this.solo !== slot.id) return;
    this.ahead.abandon();
    const suspects: Key[] = [];
    for (const [seq, ts, on] of this.inflight.entries()) {
      if (on !== slot.id) continue;
      if (seq === suspectSeq) suspects.push(ts.key);
      this.inflight.delete(seq);
    }
    const last = this.lastFinished.get(slot.id);
    if (last && last.seq === suspectSeq) suspects.push(last.key);
    this.lastFinished.delete(slot.id);
    this.outgoing.delete(slot.id);
    try {
      const removal = (): Instruction[] => this.state.removeWorker(String(slot.id), { suspects, cause });
      const restart = this.shuffles.workerLost(slot.id);
      this.handle(restart.length ? this.restartShuffles(restart, removal) : removal());
      this.leaveSolo();
      this.flush();
      this.checkStalled();
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * A p2p shuffle lost a worker: its transfers and barrier are invalidated (they run again in a
   * new run) together with the worker's removal, and reports of the runs cancelled are ignored.
   */
  private restartShuffles(keys: Key[], removal: () => Instruction[]): Instruction[] {
    const instructions = this.state.batch((state) => {
      state.invalidate(keys);
      removal();
    });
    const cancelled = new Set<TaskState>();
    for (const ins of instructions) if (ins.type === 'cancel') cancelled.add(ins.task);
    if (cancelled.size) for (const [seq, ts] of this.inflight.entries()) if (cancelled.has(ts)) this.inflight.delete(seq);
    return instructions;
  }

  // ---- instructions ---------------------------------------------------------------------------

  private out(slot: number): Outgoing {
    let o = this.outgoing.get(slot);
    if (!o) this.outgoing.set(slot, (o = { run: new RunWriter(), release: [], releaseBytes: 0 }));
    return o;
  }

  private handle(instructions: readonly Instruction[]): void {
    let gatherNow: TaskState[] | undefined;
    let arrived: TaskState[] | undefined;
    let sent: TaskState[] | undefined;
    for (const ins of instructions) {
      switch (ins.type) {
        case 'run': {
          const slotId = Number(ins.worker);
          const slot = this.pool.slots.get(slotId);
          if (!slot) throw new Error(`pdask internal error: task placed on unknown worker ${ins.worker}`);
          const early = this.ahead.size ? this.ahead.adopt(ins.task, slotId) : undefined;
          if (early !== undefined) {
            this.inflight.set(early.seq, ins.task, slotId);
            if (early.early) (this.adopted ??= []).push({ ts: ins.task, seq: early.seq, slot: slotId, report: early.early });
            break;
          }
          if (this.solo !== undefined) (sent ??= []).push(ins.task);
          const seq = this.pool.seq();
          this.inflight.set(seq, ins.task, slotId);
          if (this.resident.size !== 0 && this.resident.has(ins.task.index)) throw new Error(`pdask internal error: persisted '${ins.task.key}' was scheduled to run`);
          let fetch: number[] | 0 = 0;
          for (const d of ins.task.deps) {
            if (heldBy(d, ins.worker)) continue;
            // The last reader of a result nobody wants may take the holder's copy (no clone).
            const move = d.waiters === 1 && d.wanted === 0 ? 1 : 0;
            (fetch ||= []).push(this.wireId(d.index), Number(d.whoHas[0].id), move);
          }
          // The state's count first: hashing every key (its first hash flattens it, a string
          // made per task that survives with it) cost more than the rest of this per tiny task.
          const ret = ins.task.wanted > 0 && this.wanted.has(ins.task.key) ? this.returnMode(ins.task, slotId) : 0;
          const run = this.out(slotId).run;
          if (this.resident.size === 0) run.addTask(seq, ret, fetch, ins.task, slot.ops, this.positionOf);
          else run.add(seq, ret, fetch, ins.task.node, slot.ops, this.idResolver(ins.task));
          break;
        }
        case 'release':
          // A persisted input stays in its worker's resident store: nothing to drop.
          if (this.resident.size === 0 || !this.resident.has(ins.task.index)) {
            const o = this.out(Number(ins.worker));
            o.release.push(ins.task.index);
            o.releaseBytes += ins.task.nbytes;
          }
          break;
        case 'memory':
          if (!this.wanted.has(ins.key)) break;
          if (this.keep) {
            this.results.set(ins.key, this.reference(ins.task));
            (arrived ??= []).push(ins.task);
            break;
          }
          // Sent back with its report already: just let the worker's copy go when unneeded.
          if (this.results.has(ins.key)) (arrived ??= []).push(ins.task);
          else (gatherNow ??= []).push(ins.task);
          break;
        case 'erred': {
          // A lost persisted input fails its readers (it has no computation here): say what to do.
          const at = this.req.graph.index.get(ins.origin);
          if (at !== undefined && this.resident.has(at)) throw new PersistedDataLostError(ins.origin, ins.error);
          throw ins.error;
        }
      }
    }
    if (sent && this.solo !== undefined) this.sendAhead(sent, this.solo);
    if (gatherNow) this.gather(gatherNow);
    if (arrived) this.handle(this.state.release(arrived));
  }

  /** Wanted results come back with the report (handed over if nothing else reads them), or stay as resident values (persist). */
  private returnMode(ts: TaskState, slot: number): number {
    if (!this.keep) return ts.waiters === 0 ? 2 : 1;
    const id = this.pool.residentId();
    this.keptAs.set(ts.index, { id, slot });
    return id;
  }

  /** The reference a persist returns for a wanted result now in memory. */
  private reference(ts: TaskState): ResidentValue {
    const known = this.resident.get(ts.index);
    if (known) return known;
    const kept = this.keptAs.get(ts.index);
    if (kept === undefined) throw new Error(`pdask internal error: '${ts.key}' was not kept by its worker`);
    return new ResidentValue(this.pool, Number(ts.whoHas[0].id), kept.id, ts.key, ts.nbytes, this.lineage);
  }

  /** Brings wanted results to the caller, moving (not copying) their buffers. */
  private gather(tasks: TaskState[]): void {
    const byHolder = new Map<number, TaskState[]>();
    for (const ts of tasks) {
      const holder = Number(ts.whoHas[0].id);
      let ks = byHolder.get(holder);
      if (!ks) byHolder.set(holder, (ks = []));
      ks.push(ts);
    }
    for (const [holder, ks] of byHolder) {
      const slot = this.pool.slots.get(holder);
      if (!slot) continue; // its loss is being handled: the keys will be recomputed
      this.flushTo(slot);
      const id = this.pool.seq();
      this.gathers.set(id, ks);
      // Move what nothing else reads; copy what later tasks still need, or what is persisted.
      const move = ks.map((ts) => ts.waiters === 0 && !this.resident.has(ts.index));
      this.touched.add(holder);
      this.pool.send(slot, { t: 'gather', cid: this.cid, id, ids: ks.map((ts) => this.wireId(ts.index)), move });
    }
  }

  /** Sends what is pending for a worker; releases alone may wait for its next tasks unless `force`. */
  private flushTo(slot: Slot, force = false): void {
    const o = this.outgoing.get(slot.id);
    if (!o || (o.run.size === 0 && o.release.length === 0)) return;
    if (o.run.size === 0 && !force && this.hold !== undefined && this.hold.mayHold(o, this.busy(slot.id))) return;
    this.outgoing.delete(slot.id);
    this.touched.add(slot.id);
    const run = o.run.size ? o.run.take() : undefined;
    if (run) shareEmbeddedInputs(run);
    const msg: ToWorker = { t: 'batch', cid: this.cid, ops: slot.ops.takeFresh(), run, release: o.release, ended: this.pool.takeEnded(slot) };
    this.pool.send(slot, msg);
  }

  private flush(force = false): void {
    if (this.settled || this.outgoing.size === 0) return;
    for (const id of [...this.outgoing.keys()]) {
      const slot = this.pool.slots.get(id);
      if (slot) this.flushTo(slot, force);
      else this.outgoing.delete(id);
    }
  }

  /** The hold's time is up: every batch still waiting goes. */
  private flushHeld(): void {
    try {
      this.flush(true);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Tasks of this computation a worker has queued or running (its report will come). */
  private busy(slotId: number): number {
    return this.state.workers.get(String(slotId))?.processing.size ?? 0;
  }

  /** Never hang: with nothing running, nothing being fetched and no worker coming, fail loudly. */
  private checkStalled(): void {
    if (this.settled || this.inflight.size > 0 || this.gathers.size > 0 || this.pool.pendingSpawns > 0) return;
    const c = this.state.counts();
    const spawn = this.pool.lastSpawnError ? `; a replacement worker failed to start: ${this.pool.lastSpawnError}` : '';
    this.fail(new Error(`pdask internal error: the computation stalled with no work in flight (${JSON.stringify(c)}, workers: ${this.pool.slots.size})${spawn}`));
  }

  private fail(e: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (this.keep) this.dropKept();
    this.reject(e);
  }

  /**
   * A failed persist returns nothing: what its workers kept (or will keep, for tasks still
   * running) would have no reference to free it, so they are told to drop it now.
   */
  private dropKept(): void {
    const inputs = new Set(this.resident.values());
    const released = new Set<number>();
    for (const v of this.results.values()) {
      if (!(v instanceof ResidentValue) || inputs.has(v)) continue;
      v.release();
      released.add(v.id);
    }
    for (const { id, slot } of this.keptAs.values()) if (!released.has(id)) this.pool.forgetResident(slot, id);
  }
}
