/**
 * Dask's --idle-timeout: a scheduler with no work and no clients for that long shuts down, so a
 * forgotten batch job's cluster frees its nodes.
 */
import type { Scheduler } from './scheduler';

/** Nothing queued, waiting or running, and nobody connected who could submit more. */
export function isIdle(info: { tasks: Record<string, number>; clients: number }): boolean {
  return info.clients === 0 && (info.tasks.waiting ?? 0) + (info.tasks.ready ?? 0) + (info.tasks.processing ?? 0) === 0;
}

/** Closes `scheduler` once it has been idle for `timeoutMs`; returns a function that stops watching. */
export function closeWhenIdle(scheduler: Scheduler, timeoutMs: number, log: (line: string) => void = () => undefined): () => void {
  let idleSince: number | undefined;
  // Checked a few times per timeout (as Dask does), so it fires at most a quarter late.
  const every = Math.max(20, Math.min(timeoutMs / 4, 10_000));
  const timer = setInterval(() => {
    if (!isIdle(scheduler.info())) {
      idleSince = undefined;
      return;
    }
    const now = Date.now();
    idleSince ??= now;
    if (now - idleSince >= timeoutMs) {
      clearInterval(timer);
      log(`Idle for ${Number((timeoutMs / 1000).toFixed(3))} s (no work, no clients): shutting down`);
      void scheduler.close();
    }
  }, every);
  timer.unref();
  void scheduler.finished.then(() => clearInterval(timer));
  return () => clearInterval(timer);
}
