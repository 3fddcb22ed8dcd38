/**
 * Root-task queuing under a memory limit (Dask's queuing of root tasks, `worker-saturation`): tasks
 * without inputs (reading a file, making a chunk) are given to a worker only while its queue holds
 * few of them, so that reading proceeds no faster than what was read is reduced. Without it a
 * worker is handed a queue's depth of roots at once (32 before any task time is measured) and
 * runs them before the tasks that reduce their results, which arrive behind them in its queue:
 * 32 partitions of 128 MB each, per worker thread, read before the first is reduced.
 *
 * A worker may hold `MIN_ROOTS_PER_THREAD` roots per thread (one running, one next: no idle gap),
 * more only while the largest root result seen so far times the roots queued fits in `readAhead`
 * bytes: tiny roots (a chunk of zeros) still go in deep batches. Non-root tasks are placed as the
 * base policy says: they are what frees memory.
 */
import type { PlacementPolicy } from '../../schedule/placement';
import type { TaskState, WorkerState } from '../../schedule/task-state';

export const MIN_ROOTS_PER_THREAD = 2;

/** A task without inputs (a data node is no task: it is in memory from the start). */
const isRoot = (ts: TaskState): boolean => ts.deps.length === 0 && ts.node.kind !== 'data';

export class ReadAheadPolicy implements PlacementPolicy {
  /** The largest result of a root task seen (bytes); 0 until one is seen. */
  private rootBytes = 0;
  /** Roots whose size was counted already. */
  private readonly seen = new WeakSet<TaskState>();

  constructor(
    private readonly base: PlacementPolicy,
    /** Bytes of root results a worker thread may have coming (queued or running). */
    private readonly readAhead: number,
  ) {
    if (!(readAhead > 0)) throw new RangeError(`read-ahead must be a number of bytes > 0, got ${readAhead}`);
  }

  capacity(w: WorkerState): number {
    return this.base.capacity(w);
  }

  choose(ts: TaskState, candidates: readonly WorkerState[]): WorkerState | undefined {
    // The inputs of a task about to run are the freshest measure of what a root makes.
    for (const d of ts.deps) this.note(d);
    if (!isRoot(ts)) return this.base.choose(ts, candidates);
    let open: WorkerState[] | undefined;
    for (const w of candidates) if (this.hasRoomForRoot(w)) (open ??= []).push(w);
    // Waits (unplaceable) until a root running somewhere finishes: the next placement retries it.
    return open ? this.base.choose(ts, open) : undefined;
  }

  private note(d: TaskState): void {
    if (d.status !== 'memory' || !isRoot(d) || this.seen.has(d)) return;
    this.seen.add(d);
    if (d.nbytes > this.rootBytes) this.rootBytes = d.nbytes;
  }

  /** Whether one more root fits in `w`'s queue. */
  private hasRoomForRoot(w: WorkerState): boolean {
    const floor = MIN_ROOTS_PER_THREAD * w.nthreads;
    const allowed = this.rootBytes > 0 ? Math.max(floor, Math.floor(this.readAhead / this.rootBytes) * w.nthreads) : floor;
    let roots = 0;
    for (const t of w.processing) if (isRoot(t) && ++roots >= allowed) return false;
    return true;
  }
}
