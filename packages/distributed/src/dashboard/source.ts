/**
 * What the dashboard's server reads: the model, and what only the running system can answer
 * (a key's story, a worker's log lines, the scheduler's own counters). A scheduler and a thread
 * pool each provide one.
 */
import type { DashboardModel } from './model';
import type { StoryEntry } from './protocol';

export interface SchedulerCounters {
  /** Tasks by state, as the state machine counts them (Scheduler.info().tasks). */
  tasks: Record<string, number>;
  /** Task results reported finished, by task prefix, since start. */
  finished: Map<string, number>;
  /** Bytes of inputs the scheduler told workers to fetch from peers, since start. */
  transferBytes: number;
  clients: number;
}

export interface DashboardSource {
  readonly model: DashboardModel;
  story(key: string): StoryEntry[];
  /** The worker's last log lines, or undefined for an unknown worker. */
  workerLog(id: string): string[] | undefined;
  /** Counters kept by a network scheduler (absent for a thread pool). */
  counters?(): SchedulerCounters;
}

/** Keeps the last lines of each worker's log. */
export class LogLines {
  private readonly lines = new Map<string, string[]>();
  constructor(private readonly keep = 200) {}

  add(worker: string, lines: readonly string[]): void {
    let list = this.lines.get(worker);
    if (!list) this.lines.set(worker, (list = []));
    list.push(...lines);
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
  }

  get(worker: string): string[] | undefined {
    return this.lines.get(worker)?.slice();
  }

  forget(worker: string): void {
    this.lines.delete(worker);
  }
}
