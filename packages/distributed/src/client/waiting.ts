/** Waiting on several futures: `asCompleted`, `wait`, and a terminal `progress` bar. */
import { checkOptions, progressBar, type OptionSchema } from '@pdask/core';
import { millis } from '../options';
import type { Future } from './future';

/** Yields futures as they finish (or fail), first finished first (Dask's `as_completed`). */
export async function* asCompleted<T>(futures: Iterable<Future<T>>): AsyncGenerator<Future<T>> {
  const pending = new Set(futures);
  const ready: Future<T>[] = [];
  let wake: (() => void) | undefined;
  for (const f of pending) {
    f.addDoneCallback(() => {
      ready.push(f);
      wake?.();
    });
  }
  while (pending.size) {
    if (ready.length === 0) await new Promise<void>((r) => (wake = r));
    wake = undefined;
    const f = ready.shift();
    if (!f) continue;
    pending.delete(f);
    yield f;
  }
}

export interface WaitOptions {
  /** Reject when the futures are not done after this long (Dask's `timeout`, in milliseconds). */
  timeoutMs?: number;
  returnWhen?: 'ALL_COMPLETED' | 'FIRST_COMPLETED';
}

const WAIT_OPTIONS: OptionSchema<WaitOptions> = { timeoutMs: millis, returnWhen: { oneOf: ['ALL_COMPLETED', 'FIRST_COMPLETED'] } };

/** Waits until all (or the first of) the futures finish; never throws for a failed future. */
export async function wait<T>(futures: Iterable<Future<T>>, opts: WaitOptions = {}): Promise<{ done: Set<Future<T>>; notDone: Set<Future<T>> }> {
  checkOptions('wait', opts, WAIT_OPTIONS);
  const all = [...futures];
  const need = opts.returnWhen === 'FIRST_COMPLETED' ? Math.min(1, all.length) : all.length;
  let count = all.filter((f) => f.done()).length;
  if (count < need) {
    await new Promise<void>((resolve, reject) => {
      const timer =
        opts.timeoutMs !== undefined
          ? setTimeout(() => reject(new Error(`wait: ${all.length - count} of ${all.length} futures still pending after ${opts.timeoutMs} ms`)), opts.timeoutMs)
          : undefined;
      for (const f of all) {
        if (f.done()) continue;
        f.addDoneCallback(() => {
          if (++count >= need) {
            if (timer) clearTimeout(timer);
            resolve();
          }
        });
      }
    });
  }
  const done = new Set(all.filter((f) => f.done()));
  return { done, notDone: new Set(all.filter((f) => !done.has(f))) };
}

/** Draws a progress bar on stderr until the futures finish (Dask's `distributed.progress`). */
export async function progress<T>(futures: Future<T> | Iterable<Future<T>>, stream: NodeJS.WriteStream = process.stderr): Promise<void> {
  const all = 'key' in (futures as object) ? [futures as Future<T>] : [...(futures as Iterable<Future<T>>)];
  const bar = progressBar(all.length, stream);
  let done = 0;
  try {
    for await (const _ of asCompleted(all)) bar.update(++done);
  } finally {
    bar.stop();
  }
}
