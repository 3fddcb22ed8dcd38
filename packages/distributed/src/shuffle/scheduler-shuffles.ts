/**
 * The scheduler's side of the peer-to-peer shuffle on a cluster. It finds the shuffles in each
 * graph; when the first transfer of a shuffle is placed it starts a run (the workers taking part,
 * sorted: hence who owns each output, core's ownerIndex) and announces it to each of them before
 * that transfer is sent (same connection, so the announcement arrives first). Transfers and the
 * barrier run only on the run's workers, an unpack only on its output's owner (restrictions the
 * ClusterPolicy applies). When a worker of the run is lost, the run is abandoned and the shuffle
 * restarts (Dask's behaviour): the scheduler invalidates the transfers and the barrier together with
 * the worker's removal, and the next placement of a transfer starts a new run (outputs already
 * unpacked on live workers are kept by the state machine; their pieces are sent again all the
 * same, since another graph may unpack the same output in a task fused differently). When the barrier's result is released (every unpack
 * reading it is done) the run ends: its workers drop its pieces and spill files.
 */
import { ownerIndex, shuffleTaskInfo, type GraphNode, type Key, type TaskState } from '@pdask/core';
import type { SchedulerToWorkerOut } from '../protocol/wire';

export interface ShuffleHost {
  /** The ids (addresses) of the live workers. */
  workers(): string[];
  send(worker: string, m: SchedulerToWorkerOut): void;
  status(key: Key): TaskState['status'] | undefined;
}

interface Run {
  readonly run: number;
  readonly workers: readonly string[];
  readonly members: ReadonlySet<string>;
  dead: boolean;
  /** Its barrier finished: releasing it ends the run. */
  barrierHeld: boolean;
  /** Its workers were told to drop it: placing a transfer again needs a new run. */
  ended: boolean;
}

interface ShuffleRecord {
  nout: number;
  /** The nodes doing the transfers and the barrier (fused nodes included). */
  readonly keys: Key[];
  /** The nodes unpacking an output (graphs may fuse them with different readers). */
  readonly unpacks: Set<Key>;
  run?: Run;
}

type Role = { readonly id: string; readonly kind: 'transfer' | 'barrier' } | { readonly id: string; readonly kind: 'unpack'; readonly output: number };

const NOWHERE: ReadonlySet<string> = new Set();

export class SchedulerShuffles {
  private readonly shuffles = new Map<string, ShuffleRecord>();
  private readonly roles = new Map<Key, Role>();
  private nextRun = 1;

  constructor(private readonly host: ShuffleHost) {}

  /** Records the shuffle tasks of a graph. */
  addGraph(nodes: readonly GraphNode[]): void {
    for (const node of nodes) {
      const info = shuffleTaskInfo(node);
      if (!info) continue;
      let s = this.shuffles.get(info.id);
      if (!s) this.shuffles.set(info.id, (s = { nout: 0, keys: [], unpacks: new Set() }));
      if (info.kind === 'unpack') {
        s.unpacks.add(node.key);
        this.roles.set(node.key, { id: info.id, kind: 'unpack', output: info.output });
        continue;
      }
      if (info.kind === 'transfer') s.nout = info.nout;
      if (!s.keys.includes(node.key)) s.keys.push(node.key);
      this.roles.set(node.key, { id: info.id, kind: info.kind });
    }
  }

  /** Whether a shuffle restricts where this task runs. */
  restricts(key: Key): boolean {
    return this.roles.has(key);
  }

  /** The workers a shuffle task may run on (undefined: any). Placing a transfer may start a run. */
  workersFor(ts: TaskState): ReadonlySet<string> | undefined {
    const role = this.roles.get(ts.key);
    if (!role) return undefined;
    const s = this.shuffles.get(role.id);
    if (!s) return undefined;
    if (role.kind !== 'unpack') return this.ensureRun(role.id, s).members;
    const run = s.run;
    // Ready only after the barrier, hence in a live run; otherwise it waits for the restart.
    if (!run || run.dead || run.ended) return NOWHERE;
    return new Set([run.workers[ownerIndex(role.output, s.nout, run.workers.length)]]);
  }

  private ensureRun(id: string, s: ShuffleRecord): Run {
    const known = s.run;
    if (known && !known.dead && !known.ended) return known;
    const workers = this.host.workers().sort();
    const run: Run = { run: this.nextRun++, workers, members: new Set(workers), dead: false, barrierHeld: false, ended: false };
    s.run = run;
    for (const w of workers) this.host.send(w, { op: 'shuffle-run', shuffle: id, run: run.run, workers });
    return run;
  }

  /** A task finished: a barrier now in memory will end its run when released. */
  finished(key: Key): void {
    const role = this.roles.get(key);
    if (role?.kind !== 'barrier') return;
    const run = this.shuffles.get(role.id)?.run;
    if (run && !run.dead && this.host.status(key) === 'memory') run.barrierHeld = true;
  }

  /** A result was released: a barrier's ends its run (every unpack reading it is done). */
  released(key: Key): void {
    const role = this.roles.get(key);
    if (role?.kind !== 'barrier') return;
    const s = this.shuffles.get(role.id);
    if (s?.run?.barrierHeld && !s.run.dead) this.end(role.id, s.run);
  }

  private end(id: string, run: Run): void {
    if (run.ended) return;
    run.ended = true;
    const live = new Set(this.host.workers());
    for (const w of run.workers) if (live.has(w)) this.host.send(w, { op: 'shuffle-end', shuffle: id, run: run.run });
  }

  /** A worker is gone: the keys to invalidate, of every shuffle whose current run it took part in. */
  workerLost(worker: string): Key[] {
    const keys: Key[] = [];
    for (const s of this.shuffles.values()) {
      const run = s.run;
      if (!run || run.dead || !run.members.has(worker)) continue;
      run.dead = true;
      keys.push(...s.keys);
    }
    return keys;
  }

  /** Forgets the shuffles whose tasks the scheduler forgot, and tells their workers to drop them. */
  forget(gone: (key: Key) => boolean): void {
    for (const [id, s] of this.shuffles) {
      if (!s.keys.every(gone) || ![...s.unpacks.values()].every(gone)) continue;
      this.shuffles.delete(id);
      for (const k of s.keys) this.roles.delete(k);
      for (const k of s.unpacks.values()) this.roles.delete(k);
      if (s.run) this.end(id, s.run);
    }
  }
}
