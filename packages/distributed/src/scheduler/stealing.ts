import type { SchedulerState } from '@pdask/core';
import type { WorkerRecord } from './records';

/**
 * Work stealing, decided from the state machine's view: when a worker has nothing to do (so the
 * ready queue is empty: placement would have fed it) while another has a deep queue of tasks it
 * has not started, ask that one to hand back about half of its surplus. The returned tasks go
 * back through the state machine (as if their inputs had gone missing) and are placed again,
 * least-loaded first.
 */
export function planSteal(state: SchedulerState, workers: ReadonlyMap<string, WorkerRecord>): { victim: string; count: number } | undefined {
  let idle = 0;
  let victim: { id: string; surplus: number } | undefined;
  for (const w of state.workers.values()) {
    const rec = workers.get(w.id);
    if (!rec || rec.metrics.paused) continue;
    const queued = w.processing.size - w.nthreads;
    if (w.processing.size === 0) idle++;
    else if (queued >= 4 && !rec.stealing && (!victim || queued > victim.surplus)) victim = { id: w.id, surplus: queued };
  }
  if (!idle || !victim) return undefined;
  const count = Math.floor((victim.surplus * idle) / (idle + 1));
  return count > 0 ? { victim: victim.id, count } : undefined;
}
