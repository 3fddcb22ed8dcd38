/**
 * SIGINT/SIGTERM for the CLIs, listened to from the first line of start-up.
 *
 * Why so early: a supervisor (SLURM, a test, a user's Ctrl-C) may signal as soon as the process
 * shows signs of life (its pid file, its scheduler file), which is before the runtime it has to
 * stop exists. Without a listener Node dies of the signal (no exit code, no clean-up); with one
 * installed late, the same race remains. A signal that comes before `attach` is remembered and
 * acted on as soon as there is something to stop. Repeated signals (scancel signals every process
 * of a step, a job script's trap may signal again) ask the same idempotent stop again.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface StopSignals {
  /** Hands over what a signal stops (a later call replaces it); runs it now if a signal already came. */
  attach(stop: (signal: StopSignal) => void): void;
}

export function listenForStopSignals(log: (line: string) => void): StopSignals {
  let pending: StopSignal | undefined;
  let stop: ((signal: StopSignal) => void) | undefined;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      log(`Received ${sig}, shutting down`);
      if (stop) stop(sig);
      else pending = sig;
    });
  }
  return {
    attach(fn) {
      stop = fn;
      if (pending) fn(pending);
    },
  };
}
