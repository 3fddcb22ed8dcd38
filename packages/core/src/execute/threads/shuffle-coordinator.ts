/**
 * The pool's side of the peer-to-peer shuffle, for one computation. It finds the shuffles in the
 * graph; when the first transfer of a shuffle is placed it starts a run (which workers take part,
 * hence who owns each output) and announces it to every worker before that transfer is sent;
 * unpack tasks are placed only on their output's owner. When a worker of a run is lost, the run
 * is abandoned and the shuffle restarts (Dask's behaviour): its transfers and barrier are
 * invalidated and run again in a new run; outputs already unpacked on live workers are kept.
 */
import { hasNodeBuiltins, nodeBuiltin } from '../../platform/node-builtins';
import { get as configGet } from '../../config/config';
import { parseBytes } from '../../config/bytes';
import type { GraphNode, Key } from '../../graph/spec';
import type { PlacementPolicy } from '../../schedule/placement';
import type { TaskState, WorkerState } from '../../schedule/task-state';
import { ownerIndex } from '../../shuffle/assign';
import { shuffleTaskInfo } from '../../shuffle/tasks';
import type { ThreadPool } from './pool';

interface ShuffleInGraph {
  nout: number;
  /** Keys of the nodes doing the transfers and the barrier (fused nodes included). */
  keys: Key[];
}

interface Run {
  readonly run: number;
  readonly workers: readonly number[];
  dead: boolean;
}

export class ShuffleCoordinator {
  private readonly shuffles = new Map<string, ShuffleInGraph>();
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly pool: ThreadPool,
    private readonly cid: number,
    nodes: readonly GraphNode[],
  ) {
    for (const node of nodes) {
      const info = shuffleTaskInfo(node);
      if (!info || info.kind === 'unpack') continue;
      let s = this.shuffles.get(info.id);
      if (!s) this.shuffles.set(info.id, (s = { nout: 0, keys: [] }));
      if (info.kind === 'transfer') s.nout = info.nout;
      s.keys.push(node.key);
    }
  }

  /** Whether the graph holds a shuffle at all (else nothing here costs anything). */
  get active(): boolean {
    return this.shuffles.size > 0;
  }

  /** The placement policy with the shuffle's constraints on top of `base`. */
  policy(base: PlacementPolicy): PlacementPolicy {
    if (!this.active) return base;
    return {
      capacity: (w) => base.capacity(w),
      choose: (ts, candidates) => this.choose(base, ts, candidates),
    };
  }

  private choose(base: PlacementPolicy, ts: TaskState, candidates: readonly WorkerState[]): WorkerState | undefined {
    const info = shuffleTaskInfo(ts.node);
    if (!info || info.kind === 'barrier') return base.choose(ts, candidates);
    if (info.kind === 'transfer') {
      const run = this.ensureRun(info.id);
      // A worker that joined after the run started owns nothing in it and has no run to send in.
      const members = candidates.filter((w) => run.workers.includes(Number(w.id)));
      return members.length ? base.choose(ts, members) : undefined;
    }
    const run = this.runs.get(info.id);
    const s = this.shuffles.get(info.id);
    if (!run || run.dead || !s) return undefined;
    const owner = String(run.workers[ownerIndex(info.output, s.nout, run.workers.length)]);
    return candidates.find((w) => w.id === owner);
  }

  private ensureRun(id: string): Run {
    const known = this.runs.get(id);
    if (known && !known.dead) return known;
    const slots = [...this.pool.slots.values()].filter((s) => s.alive);
    const run: Run = { run: this.pool.seq(), workers: slots.map((s) => s.id).sort((a, b) => a - b), dead: false };
    this.runs.set(id, run);
    const budget = parseBytes(configGet<number | string>('shuffle.memory-budget', '256MiB'), "config 'shuffle.memory-budget'");
    const dir = configGet<string | null>('temporary-directory', null) ?? (hasNodeBuiltins() ? nodeBuiltin<typeof import('node:os')>('node:os', 'the shuffle').tmpdir() : '');
    // Sent before the batch holding the transfer: the same port keeps the order.
    for (const slot of slots) this.pool.send(slot, { t: 'shuffle-run', cid: this.cid, id, run: run.run, workers: run.workers, budget, dir });
    return run;
  }

  /** A worker is gone: the keys to invalidate, of every shuffle whose current run it took part in. */
  workerLost(worker: number): Key[] {
    const keys: Key[] = [];
    for (const [id, run] of this.runs) {
      if (run.dead || !run.workers.includes(worker)) continue;
      run.dead = true;
      keys.push(...this.shuffles.get(id)!.keys);
    }
    return keys;
  }
}
