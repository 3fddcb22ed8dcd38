/**
 * The callback form of the progress bar (for pages, notebooks and log lines): `compute({ progress:
 * progress({ onUpdate }) })` calls `onUpdate` as tasks finish, and once more when the computation
 * ends (`finished: true`, also when it fails). No terminal and no Node built-in is involved.
 */

/** What a progress callback is told. */
export interface ProgressUpdate {
  /** Tasks finished so far. */
  readonly done: number;
  /** Tasks in the computation (of the optimised graph that runs). */
  readonly total: number;
  /** done / total (1 for an empty graph). */
  readonly fraction: number;
  /** Milliseconds since the computation started. */
  readonly elapsedMs: number;
  /** True on the last call, when the computation has ended (also when it failed). */
  readonly finished: boolean;
}

export interface ProgressOptions {
  /** Called when a task finishes (at most once per `minIntervalMs`) and when the computation ends. */
  onUpdate: (update: ProgressUpdate) => void;
  /** Fewest milliseconds between two calls while running (default 0: every finished task). */
  minIntervalMs?: number;
}

const REPORTER = Symbol.for('pdask.progress.reporter');

/** A progress reporter for compute()'s `progress` option. */
export interface ProgressReporter {
  readonly [REPORTER]: true;
  /** Starts reporting on a computation of `total` tasks: the handle executors report to. */
  start(total: number): { update: (done: number) => void; stop: () => void };
}

/** Whether a value is a progress reporter (from progress() or domProgress()). */
export function isProgressReporter(x: unknown): x is ProgressReporter {
  return typeof x === 'object' && x !== null && REPORTER in x;
}

/**
 * A progress reporter calling `onUpdate` (Dask's ProgressBar reports to a terminal; this is its
 * form for any other display). Reusable: each computation it is passed to starts from zero.
 */
export function progress(opts: ProgressOptions): ProgressReporter {
  if (typeof opts !== 'object' || opts === null || typeof opts.onUpdate !== 'function') throw new TypeError('progress: pass { onUpdate: (update) => ... }, a function called as tasks finish');
  for (const k of Object.keys(opts)) if (k !== 'onUpdate' && k !== 'minIntervalMs') throw new TypeError(`progress: unknown option '${k}' (options: onUpdate, minIntervalMs)`);
  const every = opts.minIntervalMs ?? 0;
  if (typeof every !== 'number' || !(every >= 0)) throw new TypeError(`progress: minIntervalMs must be a number of milliseconds >= 0, got ${String(every)}`);
  return {
    [REPORTER]: true,
    start(total: number) {
      const t0 = performance.now();
      let last = -Infinity;
      let done = 0;
      const tell = (finished: boolean): void => {
        const now = performance.now();
        last = now;
        opts.onUpdate({ done, total, fraction: total === 0 ? 1 : done / total, elapsedMs: now - t0, finished });
      };
      tell(false);
      return {
        update: (d: number) => {
          done = Math.min(d, total);
          if (performance.now() - last >= every) tell(false);
        },
        stop: () => tell(true),
      };
    },
  };
}
