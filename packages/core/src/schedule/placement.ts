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
}

/**
 * Data locality first (the worker already holding most input bytes), then the least loaded.
 * Queue depth adapts to measured task durations: tiny tasks are sent in deep batches to amortise
 * the ~80 µs cross-thread round trip, long tasks in shallow ones so no worker hoards work.
 */
export class LocalityPolicy implements PlacementPolicy {
  private readonly targetBatchMs: number;
  private readonly initialDepth: number;
  private readonly minDepth: number;
  private readonly maxDepth: number;

  constructor(opts: LocalityPolicyOptions = {}) {
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

  choose(ts: TaskState, candidates: readonly WorkerState[]): WorkerState {
    if (candidates.length === 1) return candidates[0];
    let best = candidates[0];
    let bestLocal = -1;
    let bestLoad = Infinity;
    for (const w of candidates) {
      let local = 0;
      for (const d of ts.deps) if (d.whoHas.includes(w)) local += d.nbytes + 1;
      const load = w.processing.size / w.nthreads;
      if (local > bestLocal || (local === bestLocal && load < bestLoad)) {
        best = w;
        bestLocal = local;
        bestLoad = load;
      }
    }
    return best;
  }
}

/** One task at a time per thread: for debugging and for executors without queues. */
export class OneAtATimePolicy implements PlacementPolicy {
  capacity(w: WorkerState): number {
    return w.nthreads;
  }
  choose(_ts: TaskState, candidates: readonly WorkerState[]): WorkerState {
    return candidates.reduce((a, b) => (b.processing.size < a.processing.size ? b : a));
  }
}
