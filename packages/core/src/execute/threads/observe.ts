/**
 * What an onlooker (a dashboard) can learn from a thread pool while it computes: every status
 * change of a key, each task's end with its duration, failures, threads coming and going, and the
 * graphs submitted. Core only calls these hooks; it has no I/O of its own for them. With nobody
 * observing, each hook costs one property read.
 */
import type { Key } from '../../graph/spec';
import { StoryLog, type StoryCause, type StoryStatus } from '../../schedule/story';
import type { WorkerId } from '../../schedule/task-state';

export interface TransitionObserver {
  (key: Key, from: StoryStatus, to: StoryStatus, worker: WorkerId | undefined, cause: StoryCause): void;
}

/**
 * A StoryLog that also hands each transition to an observer. Transitions are far too many for the
 * ring to keep between two looks (a 20,000-task graph makes ~80,000), so a dashboard counting
 * states per key prefix must see each one as it happens.
 */
export class ObservedStoryLog extends StoryLog {
  private transitionObserver: TransitionObserver | undefined;
  private observedCause: StoryCause = 'update-graph';

  /** Sets (or, with undefined, removes) the one observer; returns the previous one. */
  observe(observer: TransitionObserver | undefined): TransitionObserver | undefined {
    const before = this.transitionObserver;
    this.transitionObserver = observer;
    return before;
  }

  override begin(cause: StoryCause, readClock = true): void {
    super.begin(cause, readClock);
    this.observedCause = cause;
  }

  override record(run: number, key: Key, from: StoryStatus, to: StoryStatus, worker: WorkerId | undefined): void {
    super.record(run, key, from, to, worker);
    const o = this.transitionObserver;
    if (o !== undefined) o(key, from, to, worker, this.observedCause);
  }
}

/** A task as a graph view needs it: its key and the keys it reads. */
export interface ObservedNode {
  readonly key: Key;
  readonly deps: readonly Key[];
}

/** Hooks a ThreadPool calls while computations run on it (all optional). Worker ids are thread slot ids. */
export interface PoolObserver {
  /** Every status change of every key of every computation on the pool. */
  transition?: TransitionObserver;
  /** A computation's graph, before it runs. */
  graph?(nodes: readonly ObservedNode[]): void;
  /** A computation ended (its state is dropped with no further transitions): its graph again. */
  graphDone?(nodes: readonly ObservedNode[]): void;
  /** A task finished on a thread; `stop` is when its report arrived (Date.now() clock). */
  taskDone?(worker: number, key: Key, nbytes: number, durationMs: number, stop: number): void;
  /** A task failed on a thread (the error as rebuilt from the worker's report, with its stack). */
  taskErred?(worker: number | undefined, key: Key, error: unknown, time: number): void;
  workerAdded?(worker: number): void;
  workerLost?(worker: number, cause: string): void;
}
