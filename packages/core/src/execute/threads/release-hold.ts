/**
 * Releases held back from a worker until they can ride with its next batch of tasks.
 *
 * On a graph of tiny tasks a worker's report frees inputs held by the other worker (a reader
 * fetched them), so a report is answered with a batch to that worker that carries only those
 * releases: 20-40% of the batches of the 199,999-task tree, each costing a post and a wake-up of
 * a thread that has nothing to run. A worker with tasks of the computation in flight will report
 * soon, and is then usually sent more tasks: its releases wait for that batch.
 *
 * Bounds, so that no release is lost and none delays freeing memory for long: only a worker busy
 * with tasks of the computation is made to wait (an idle one may send nothing for a long time);
 * at most HOLD_MAX_IDS ids and HOLD_MAX_BYTES bytes of results per worker; and everything held
 * goes out at the latest HOLD_MS after the first release was held (a long task, or tasks placed
 * elsewhere). A computation's end clears its results on every worker it touched, so releases
 * still held then are covered by it.
 */

/** Ids held per worker, at most. */
export const HOLD_MAX_IDS = 4096;
/** Bytes of held results per worker, at most (tiny tasks' results are a few bytes each). */
export const HOLD_MAX_BYTES = 1 << 20;
/** The longest a release waits (ms). */
export const HOLD_MS = 2;

/** The held releases for one worker. */
export interface HeldReleases {
  readonly release: readonly number[];
  /** Bytes of the results released (the state's nbytes at release). */
  readonly releaseBytes: number;
}

/** Decides whether a batch of releases alone may wait, and flushes what waits when the time is up. */
export class ReleaseHold {
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `flushHeld` sends every batch still held; `later` schedules it (setTimeout; tests pass their
   * own clock).
   */
  constructor(
    private readonly flushHeld: () => void,
    // Called through a closure: a browser's setTimeout called as a method of this object throws
    // 'Illegal invocation'.
    private readonly later: (fn: () => void, ms: number) => ReturnType<typeof setTimeout> = (fn, ms) => setTimeout(fn, ms),
  ) {}

  /**
   * Whether a worker's batch of releases (and nothing else) may wait for its next batch of tasks.
   * `busy`: tasks of the computation the worker has to run or report.
   */
  mayHold(held: HeldReleases, busy: number): boolean {
    if (busy === 0 || held.release.length > HOLD_MAX_IDS || held.releaseBytes > HOLD_MAX_BYTES) return false;
    this.timer ??= this.later(() => {
      this.timer = undefined;
      this.flushHeld();
    }, HOLD_MS);
    return true;
  }

  /** The computation ended: nothing is held any more (its end frees the workers' results). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
