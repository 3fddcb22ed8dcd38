/**
 * Copies of results that will be held for a while, on the workers that have lived longest. When
 * workers die often, a result held once is lost with its worker, and recomputing it means
 * recomputing its inputs too, which were released as soon as it was made: a graph whose results
 * wait long for their readers (a reduction's inputs, graph outputs) can then lose work faster than
 * it is done. One extra copy of each such small result on another worker, preferably the oldest
 * (Dask's heuristic of trusting a worker the longer it has lived), makes one death lose nothing.
 */
import type { Key, TaskState, WorkerId } from '@pdask/core';

export interface ReplicaTarget {
  readonly id: WorkerId;
  /** When it joined (ms): the oldest is preferred. */
  readonly startedAt: number;
  /** Paused workers (memory pressure) take no copies. */
  readonly paused: boolean;
}

/**
 * Whether losing a result would cost more than its own task: it is read by a task still waiting
 * for other inputs (held until then), or it is wanted by a caller and either was made from inputs
 * that may be gone by now (recomputing it means recomputing them) or was scattered (it cannot be
 * remade at all). A wanted result made from nothing is one task to redo: copying it would double
 * the traffic of every submit/result round trip.
 */
export function longLived(ts: TaskState): boolean {
  if (ts.wanted > 0 && (ts.deps.length > 0 || ts.scattered)) return true;
  for (const d of ts.dependents) if (d.status === 'waiting') return true;
  return false;
}

/** Whether a result may need a copy (in memory on one worker only, and long-lived), whatever its size. */
export function mayReplicate(ts: TaskState): boolean {
  return ts.status === 'memory' && ts.whoHas.length === 1 && longLived(ts);
}

/**
 * For each result in memory on one worker only, long-lived and at most `maxBytes`: the worker to
 * copy it to (the oldest other one) and the holder to copy it from. Grouped by target worker.
 */
export function planReplicas(
  candidates: Iterable<TaskState>,
  workers: Iterable<ReplicaTarget>,
  maxBytes: number,
): Map<WorkerId, { keys: Key[]; holders: WorkerId[] }> {
  const plan = new Map<WorkerId, { keys: Key[]; holders: WorkerId[] }>();
  if (maxBytes <= 0) return plan;
  const oldest = [...workers].filter((w) => !w.paused).sort((a, b) => a.startedAt - b.startedAt);
  if (oldest.length < 2) return plan;
  for (const ts of candidates) {
    if (ts.nbytes > maxBytes || !mayReplicate(ts)) continue;
    const holder = ts.whoHas[0].id;
    const target = oldest[0].id === holder ? oldest[1].id : oldest[0].id;
    let e = plan.get(target);
    if (!e) plan.set(target, (e = { keys: [], holders: [] }));
    e.keys.push(ts.key);
    e.holders.push(holder);
  }
  return plan;
}
