/**
 * The nanny's judgement of one worker process's liveness, from the `live` and `timeout` lines its
 * reporting thread writes (see worker/liveness.ts). A worker whose event loop has not ticked for
 * the liveness timeout (a task that never returns), or whose reports stopped altogether (the
 * process is frozen), must be killed: a hung worker holds its tasks, its results and its readers
 * hostage, and nothing else can end it. Pure logic: the nanny does the killing.
 */
import { parseLivenessLine } from '../worker/liveness';

export type LivenessVerdict =
  | { kill: false }
  | { kill: true; cause: string; running: string; timedOut?: { key: string; timeoutMs: number } };

const ALIVE: LivenessVerdict = { kill: false };

/** How often a worker reports, for a liveness timeout: often enough to act within ~1/4 of it. */
export function livenessPeriodMs(timeoutMs: number): number {
  return Math.max(25, Math.min(1000, Math.floor(timeoutMs / 4)));
}

export class ChildLiveness {
  /** When the last report arrived (undefined until the reporting thread has started). */
  private lastReport: number | undefined;
  /** The task running synchronously at the last report ('' for none). */
  running = '';

  constructor(private readonly timeoutMs: number) {}

  /** A line from the worker; a verdict if it is a liveness line, undefined otherwise. */
  onLine(kind: string, rest: string[], now = Date.now()): LivenessVerdict | undefined {
    const l = parseLivenessLine(kind, rest);
    if (!l) return undefined;
    this.lastReport = now;
    if (l.kind === 'timeout') {
      return { kill: true, cause: `ran task '${l.key}' past its timeout of ${l.timeoutMs} ms`, running: l.key, timedOut: { key: l.key, timeoutMs: l.timeoutMs } };
    }
    this.running = l.running;
    if (this.timeoutMs > 0 && l.ageMs > this.timeoutMs) {
      const what = l.running ? `in task '${l.running}'` : 'outside any task';
      return { kill: true, cause: `blocked its event loop for ${(l.ageMs / 1000).toFixed(1)} s ${what} (liveness timeout ${this.timeoutMs / 1000} s)`, running: l.running };
    }
    return ALIVE;
  }

  /** Checked regularly: a worker whose reports stopped is frozen (stopped, or stuck in native code). */
  check(now = Date.now()): LivenessVerdict {
    if (this.timeoutMs <= 0 || this.lastReport === undefined) return ALIVE;
    const silent = now - this.lastReport;
    if (silent <= this.timeoutMs) return ALIVE;
    return { kill: true, cause: `sent no liveness report for ${(silent / 1000).toFixed(1)} s (liveness timeout ${this.timeoutMs / 1000} s)`, running: this.running };
  }
}
