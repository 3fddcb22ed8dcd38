import type { Key } from '../graph/spec';
import type { PlacementPolicy } from './placement';
import type { TaskState, TaskStatus, WorkerId, WorkerState } from './task-state';
import type { TaskTable } from './task-table';

/** The state machine broke one of its own invariants: a bug in it, or in the driver feeding it. */
export class InvalidStateError extends Error {
  override name = 'InvalidStateError';
  constructor(
    /** The key (or worker, for worker-wide invariants) where it was found. */
    readonly at: Key,
    readonly invariant: string,
    readonly found: string,
  ) {
    super(`Invalid scheduler state at '${at}': ${invariant}; found ${found}`);
  }
}

/** What validation reads of a SchedulerState, private parts included. */
export interface StateView {
  readonly tasks: TaskTable;
  readonly workers: ReadonlyMap<WorkerId, WorkerState>;
  /** The ready queue's entries, stale ones included. */
  readonly queued: readonly TaskState[];
  /** An entry of the ready queue out of order (ReadyQueue.misplaced), if any. */
  readonly misplaced?: { readonly task: TaskState; readonly before: TaskState; readonly part: string };
  /** Ready tasks the policy declined, kept for the next placement pass. */
  readonly unplaceable: readonly TaskState[];
  readonly policy: PlacementPolicy;
  readonly allowedWorkerDeaths: number;
  /** Placement has run since the last event (false inside a batch). */
  readonly placed: boolean;
}

const isActive = (s: TaskStatus): boolean => s === 'waiting' || s === 'ready' || s === 'processing';

const keysOf = (list: readonly TaskState[]): string => `[${list.map((t) => `'${t.key}' (${t.status})`).join(', ')}]`;

function count<T>(list: readonly T[], x: T): number {
  let n = 0;
  for (const y of list) if (y === x) n++;
  return n;
}

/**
 * Checks every invariant of the scheduling state and throws an InvalidStateError at the first
 * one broken. The invariants are those the event handlers rely on without re-checking: e.g.
 * taskFinished decrements `waitingOn` of waiting readers, so it must equal their inputs not in
 * memory, or a task would start early or never.
 */
export function validateState(v: StateView): void {
  const fail = (at: Key, invariant: string, found: string): never => {
    throw new InvalidStateError(at, invariant, found);
  };

  const known = new Set<TaskState>();
  for (const ts of v.tasks.values()) {
    if (known.has(ts)) fail(ts.key, 'each task is in the table once', 'it twice');
    known.add(ts);
    if (v.tasks.get(ts.key) !== ts) fail(ts.key, 'the table finds a task under its own key', 'another state under that key');
  }
  if (known.size !== v.tasks.size) fail('*', 'the table size counts each task once', `size ${v.tasks.size} for ${known.size} tasks`);

  const queued = new Set<TaskState>(v.queued);
  for (const ts of v.unplaceable) queued.add(ts);

  let processing = 0;
  let replicas = 0;
  for (const ts of known) {
    const k = ts.key;
    const st = ts.status;

    // Links: inputs and readers are known tasks that point back, as often as they are listed.
    const nodeDeps = ts.node.deps;
    if (ts.deps.length !== nodeDeps.length) fail(k, "its inputs are its node's dependencies", `${ts.deps.length} inputs for ${nodeDeps.length} dependencies`);
    for (let i = 0; i < ts.deps.length; i++) {
      const d = ts.deps[i];
      if (d.key !== nodeDeps[i]) fail(k, "its inputs are its node's dependencies, in order", `input ${i} is '${d.key}', not '${nodeDeps[i]}'`);
      if (!known.has(d)) fail(k, 'its inputs are in the table', `'${d.key}' is not (forgotten or replaced)`);
      if (count(d.dependents, ts) !== count(ts.deps, d)) fail(k, "its inputs list it as their reader", `'${d.key}' lists it ${count(d.dependents, ts)} times`);
    }
    let activeReaders = 0;
    for (const dt of ts.dependents) {
      if (!known.has(dt)) fail(k, 'its readers are in the table', `'${dt.key}' is not`);
      if (!dt.deps.includes(ts)) fail(k, 'its readers list it as an input', `'${dt.key}' does not`);
      if (isActive(dt.status)) activeReaders++;
    }

    // Counters.
    if (ts.wanted < 0 || ts.waiters < 0 || ts.waitingOn < 0 || ts.retriesLeft < 0 || ts.suspicious < 0) {
      fail(k, 'its counters are not negative', `wanted ${ts.wanted}, waiters ${ts.waiters}, waitingOn ${ts.waitingOn}, retriesLeft ${ts.retriesLeft}, suspicious ${ts.suspicious}`);
    }
    // Each reader still to run holds its inputs: finishing, failing or cancelling it lets go.
    if (ts.waiters !== activeReaders) fail(k, 'waiters counts its readers still to run (waiting, ready or processing)', `waiters ${ts.waiters}, such readers ${activeReaders}`);

    // Holders.
    for (let i = 0; i < ts.whoHas.length; i++) {
      const w = ts.whoHas[i];
      if (ts.whoHas.indexOf(w) !== i) fail(k, 'each holder is listed once', `'${w.id}' twice`);
      if (v.workers.get(w.id) !== w) fail(k, 'its holders are current workers', `'${w.id}' is gone`);
      if (!w.has.has(ts)) fail(k, "its holders' has-sets contain it", `'${w.id}' does not`);
    }
    replicas += ts.whoHas.length;
    if ((st === 'memory') !== ts.whoHas.length > 0) fail(k, 'it has holders exactly when in memory', `status ${st} with holders [${ts.whoHas.map((w) => w.id).join(', ')}]`);

    // Where it runs.
    const on = ts.processingOn;
    if ((st === 'processing') !== (on !== undefined)) fail(k, 'it has a worker to run on exactly when processing', `status ${st}, processingOn ${on?.id ?? 'none'}`);
    if (on) {
      processing++;
      if (v.workers.get(on.id) !== on) fail(k, 'it runs on a current worker', `'${on.id}' is gone`);
      if (!on.processing.has(ts)) fail(k, "its worker's processing set contains it", `'${on.id}' does not`);
    }

    if (isActive(st)) {
      if (ts.scattered) fail(k, 'scattered data is never computed', `status ${st}`);
      if (ts.suspicious > v.allowedWorkerDeaths) fail(k, 'a task that killed more than allowedWorkerDeaths workers is not run again', `status ${st} after ${ts.suspicious} deaths`);
      for (const d of ts.deps) {
        if (d.status === 'erred') fail(k, 'a task to run has no failed input', `'${d.key}' erred`);
        // A released input nobody is computing would leave this task waiting for ever.
        if (d.status !== 'memory' && !isActive(d.status)) fail(k, 'the inputs of a task to run are in memory or being computed', `'${d.key}' ${d.status}`);
      }
    }
    switch (st) {
      case 'released':
        if (ts.wanted > 0) fail(k, 'a wanted key is being computed, in memory or failed', `released, wanted ${ts.wanted}`);
        break;
      case 'waiting': {
        const missing = ts.deps.filter((d) => d.status !== 'memory');
        if (ts.waitingOn !== missing.length) fail(k, 'waitingOn counts its inputs not in memory', `waitingOn ${ts.waitingOn}, missing ${keysOf(missing)}`);
        if (missing.length === 0) fail(k, 'a waiting task has an input to wait for', 'every input in memory');
        break;
      }
      case 'ready': {
        const missing = ts.deps.filter((d) => d.status !== 'memory');
        if (missing.length) fail(k, 'a ready task has every input in memory', `missing ${keysOf(missing)}`);
        if (!queued.has(ts)) fail(k, 'a ready task is in the ready queue (or held back by the policy)', 'it is in neither');
        break;
      }
      case 'memory':
        if (ts.wanted === 0 && ts.waiters === 0) fail(k, 'a result in memory is wanted or read by a task to run', 'neither: it should have been released');
        break;
      case 'erred':
        if (ts.errorOrigin === undefined) fail(k, 'a failed task names the key whose failure it is', 'no errorOrigin');
        break;
      case 'processing':
        break;
      default:
        fail(k, 'its status is one of released, waiting, ready, processing, memory, erred', `'${String(st)}'`);
    }
  }

  // Workers: their sets mirror the tasks' processingOn and whoHas.
  let inProcessingSets = 0;
  let inHasSets = 0;
  let room = false;
  for (const [id, w] of v.workers) {
    if (w.id !== id) fail(id, 'a worker is known under its own id', `'${w.id}'`);
    for (const ts of w.processing) {
      if (!known.has(ts)) fail(ts.key, `worker '${id}' processes known tasks`, 'it is not in the table');
      if (ts.processingOn !== w) fail(ts.key, `worker '${id}' processes only tasks placed on it`, `status ${ts.status}, processingOn ${ts.processingOn?.id ?? 'none'}`);
    }
    for (const ts of w.has) {
      if (!known.has(ts)) fail(ts.key, `worker '${id}' holds known tasks`, 'it is not in the table');
      if (!ts.whoHas.includes(w)) fail(ts.key, `worker '${id}' holds only results that list it as a holder`, `status ${ts.status}, holders [${ts.whoHas.map((x) => x.id).join(', ')}]`);
    }
    inProcessingSets += w.processing.size;
    inHasSets += w.has.size;
    if (w.processing.size < v.policy.capacity(w)) room = true;
  }
  if (inProcessingSets !== processing) fail('*', "the workers' processing sets hold every processing task once", `${inProcessingSets} entries for ${processing} tasks`);
  if (inHasSets !== replicas) fail('*', "the workers' has-sets hold every replica once", `${inHasSets} entries for ${replicas} replicas`);

  // The ready queue: sorted parts by (priority, seq); entries that left 'ready' are skipped when popped.
  const wrong = v.misplaced;
  if (wrong) fail(wrong.task.key, `the ready queue's ${wrong.part} is ordered by (priority, seq)`, `it is queued behind '${wrong.before.key}', which runs after it`);
  const heap = v.queued;
  for (const ts of queued) {
    if (ts.status === 'ready' && !known.has(ts)) fail(ts.key, 'ready tasks in the queue are known', 'it is not in the table');
  }
  // After placement no worker has room while a queued task is ready (the policy declined those in `unplaceable`).
  if (v.placed && room) {
    for (const ts of heap) if (ts.status === 'ready') fail(ts.key, 'placement leaves no ready task queued while a worker has room', 'it is still queued');
  }
}
