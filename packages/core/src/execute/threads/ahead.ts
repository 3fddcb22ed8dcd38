/**
 * Small computations of tiny tasks on one worker, with their later tasks sent ahead.
 *
 * Spreading a graph over the pool pays, per extra worker, a message to wake it and a peer round
 * trip for results another worker reads; and a task is normally sent only once its inputs are in
 * memory, one more round trip to the main thread per level of the graph. For a graph of a few
 * tiny tasks (the seed case: four chunk sums and their total) those round trips are the whole
 * cost. So a computation small enough runs on one worker (the scheduler state sees only that
 * worker), and a task whose inputs are all running on that worker is sent along with them at
 * once: the worker runs it when its inputs are stored there (see worker-main.ts, AWAIT_LOCAL),
 * and the whole graph costs one round trip.
 *
 * "Small enough" is judged from the pool's previous computation: its mean task time times the
 * number of tasks here under SOLO_WORK_MS (a second worker saves at most half of that, less than
 * the round trips and wake-ups it costs). A pool's first computation, or one after long tasks,
 * uses every worker; once the tasks reported add up to more than that, the solo mode ends at
 * once (the other workers join).
 */
import type { TaskState } from '../../schedule/task-state';

/** Work (ms, estimated) below which one worker beats two: half of it is less than two thread round trips. */
export const SOLO_WORK_MS = 0.4;
/** Graphs larger than this always use the whole pool (and never send tasks ahead). */
export const SOLO_MAX_TASKS = 64;
/**
 * Tasks the solo worker is given at once (the tasks sent ahead not counted): if the hint was
 * wrong (longer tasks than the last computation's), the others join at the first report and
 * share what is not queued yet; this bounds what stays on the one worker.
 */
export const SOLO_DEPTH = 8;

/** Whether a computation of `tasks` tasks should run on one worker, given the mean task time of the pool's last computation. */
export function runsSolo(tasks: number, lastMeanTaskMs: number): boolean {
  return tasks <= SOLO_MAX_TASKS && lastMeanTaskMs * tasks <= SOLO_WORK_MS;
}

/** A done report for a task sent ahead that arrived before the scheduler state placed it. */
export interface EarlyReport {
  readonly nbytes: number;
  readonly moveBytes: number;
  readonly durationMs: number;
  readonly hasValue: boolean;
  readonly value: unknown;
}

interface Sent {
  readonly seq: number;
  readonly slot: number;
  early: EarlyReport | undefined;
}

/**
 * The tasks sent ahead of the scheduler state: by task (until the state places them) and by seq
 * (to recognise their reports). The state keeps them `waiting`; when it places one on the worker
 * it was sent to, the driver adopts the seq instead of sending it again.
 */
export class AheadTasks {
  private readonly byTask = new Map<TaskState, Sent>();
  private readonly bySeq = new Map<number, TaskState>();

  get size(): number {
    return this.byTask.size;
  }

  has(ts: TaskState): boolean {
    return this.byTask.has(ts);
  }

  /** The worker `ts` was sent ahead to, if it was. */
  slotOf(ts: TaskState): number | undefined {
    return this.byTask.get(ts)?.slot;
  }

  add(ts: TaskState, seq: number, slot: number): void {
    this.byTask.set(ts, { seq, slot, early: undefined });
    this.bySeq.set(seq, ts);
  }

  /** Keeps a report for a task the state has not placed yet; false if `seq` is not ahead. */
  noteEarly(seq: number, report: EarlyReport): boolean {
    const ts = this.bySeq.get(seq);
    if (ts === undefined) return false;
    this.byTask.get(ts)!.early = report;
    return true;
  }

  isAhead(seq: number): boolean {
    return this.bySeq.has(seq);
  }

  /**
   * The state placed `ts` on `slot`: its seq if it was sent there ahead (it is then no longer
   * ahead), with its report if that came already; undefined if it must be sent now.
   */
  adopt(ts: TaskState, slot: number): Sent | undefined {
    const sent = this.byTask.get(ts);
    if (sent === undefined) return undefined;
    this.byTask.delete(ts);
    this.bySeq.delete(sent.seq);
    // Placed elsewhere (the pool changed): the copy sent ahead runs for nothing, its report is ignored.
    return sent.slot === slot ? sent : undefined;
  }

  /**
   * Forgets every task sent ahead: after a failure, a missing input or a lost worker the state
   * may recompute inputs elsewhere, where a task waiting on its worker would never see them.
   * Forgotten tasks are sent again when the state places them; the early copies' reports are ignored.
   */
  abandon(): void {
    this.byTask.clear();
    this.bySeq.clear();
  }
}
