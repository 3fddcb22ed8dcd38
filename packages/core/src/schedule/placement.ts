import type { TaskState, WorkerState } from './task-state';

/** Where a ready task goes, and how much work a worker may hold at once. */
export interface PlacementPolicy {
  /** Tasks a worker may have assigned (running + queued). */
  capacity(w: WorkerState): number;
  /**
   * Picks a worker among those with room (never empty), or none: the task then waits until the
   * set of workers changes (e.g. it is restricted to a worker or resource not present).
   */
  choose(ts: TaskState, candidates: readonly WorkerState[]): WorkerState | undefined;
}

export interface LocalityPolicyOptions {
  /** Queue enough tasks to keep a worker busy this long between two batches of messages. */
  targetBatchMs?: number;
  initialDepth?: number;
  minDepth?: number;
  maxDepth?: number;
  /**
   * A task whose inputs on one busy worker exceed what it would find on any worker with room by
   * this many bytes waits for that worker instead of copying them (0: never wait).
   */
  waitForBytes?: number;
}

/**
 * An input partly in shared memory whose copy moves at most this many bytes (its small JavaScript
 * wrapper: names, types, views) is read in place from any worker, so its holder gains nothing:
 * a copy about as cheap as the cross-thread message any fetch costs.
 */
const IN_PLACE_BYTES = 2 ** 16;

/**
 * Data locality first (the worker already holding most input bytes that a copy would move), then
 * the least loaded. A task with large inputs on a worker that has no room now waits for it:
 * copying megabytes to another thread costs more than the queue ahead of it (which the depth
 * below keeps to a few ms). Bytes every worker reads in place (a result in a SharedArrayBuffer,
 * `TaskState.moveBytes` below its `nbytes`) weigh nothing: waiting for them would leave a core idle.
 * Nor does holding such an input pull a task to its holder (it only breaks ties between equally
 * loaded workers): a broadcast join's small side in shared memory otherwise outranked any queue,
 * and issue 12's merge ran all 20 of its joins on one thread while the other idled. On the
 * distributed scheduler nothing is shared between workers (moveBytes is nbytes): bytes still count.
 * Queue depth adapts to measured task durations: tiny tasks are sent in deep batches to amortise
 * the ~80 µs cross-thread round trip, long tasks in shallow ones so no worker hoards work.
 */
export class LocalityPolicy implements PlacementPolicy {
  private readonly targetBatchMs: number;
  private readonly initialDepth: number;
  private readonly minDepth: number;
  private readonly maxDepth: number;
  private readonly waitForBytes: number;

  constructor(opts: LocalityPolicyOptions = {}) {
    this.waitForBytes = opts.waitForBytes ?? 2 ** 20;
    this.targetBatchMs = opts.targetBatchMs ?? 4;
    this.initialDepth = opts.initialDepth ?? 32;
    this.minDepth = opts.minDepth ?? 2;
    this.maxDepth = opts.maxDepth ?? 2048;
  }

  capacity(w: WorkerState): number {
    let depth = this.initialDepth;
    if (w.avgDurationMs >= 0) {
      depth = Math.ceil(this.targetBatchMs / Math.max(w.avgDurationMs, 1e-4));
      depth = Math.min(this.maxDepth, Math.max(this.minDepth, depth));
    }
    return depth * w.nthreads;
  }

  choose(ts: TaskState, candidates: readonly WorkerState[]): WorkerState | undefined {
    let best = candidates[0];
    let bestLocal = -1;
    let bestLoad = Infinity;
    let bestInPlace = -1;
    if (candidates.length > 1) {
      for (const w of candidates) {
        let local = 0;
        let inPlace = 0;
        for (const d of ts.deps) {
          if (!d.whoHas.includes(w)) continue;
          if (this.readInPlace(d)) inPlace++;
          else local += d.moveBytes + 1;
        }
        const load = w.processing.size / w.nthreads;
        if (local > bestLocal || (local === bestLocal && (load < bestLoad || (load === bestLoad && inPlace > bestInPlace)))) {
          best = w;
          bestLocal = local;
          bestLoad = load;
          bestInPlace = inPlace;
        }
      }
    }
    return this.worthWaiting(ts, best, candidates.length > 1 ? bestLocal : -1) ? undefined : best;
  }

  /**
   * Whether `w`, once it has room, could take `ts`: only such a holder is worth waiting for. A
   * policy that restricts where tasks run (or stops feeding some workers) says so here; otherwise
   * a task restricted away from the holder of a large input would wait for it forever.
   */
  protected mayWaitFor(_ts: TaskState, _w: WorkerState): boolean {
    return true;
  }

  /** Whether every worker reads `d` where it is: some of it is shared and a copy moves little. */
  private readInPlace(d: TaskState): boolean {
    return d.moveBytes < d.nbytes && d.moveBytes <= IN_PLACE_BYTES;
  }

  /** Whether some busy worker that could take the task holds `waitForBytes` more of its inputs than `best`. */
  private worthWaiting(ts: TaskState, best: WorkerState, bestLocal: number): boolean {
    const limit = this.waitForBytes;
    if (limit <= 0) return false;
    let large = false;
    for (const d of ts.deps) if (d.moveBytes >= limit) large = true;
    if (!large) return false;
    if (bestLocal < 0) {
      bestLocal = 0;
      for (const d of ts.deps) if (d.whoHas.includes(best) && !this.readInPlace(d)) bestLocal += d.moveBytes + 1;
    }
    const held = new Map<WorkerState, number>();
    for (const d of ts.deps) if (!this.readInPlace(d)) for (const w of d.whoHas) held.set(w, (held.get(w) ?? 0) + d.moveBytes + 1);
    for (const [w, bytes] of held) if (bytes - bestLocal >= limit && w !== best && this.mayWaitFor(ts, w)) return true;
    return false;
  }
}

/** One task at a time per thread: for debugging and for executors without queues. */
export class OneAtATimePolicy implements PlacementPolicy {
  capacity(w: WorkerState): number {
    return w.nthreads;
  }
  choose(_ts: TaskState, candidates: readonly WorkerState[]): WorkerState {
    // A loop, not reduce: this runs once per task, and the callback was an allocation each time.
    let best = candidates[0];
    for (let i = 1; i < candidates.length; i++) if (candidates[i].processing.size < best.processing.size) best = candidates[i];
    return best;
  }
}
