import type { Key } from '@pdask/core';

/**
 * A task ran past its `timeoutMs` (a `submitWith`/`map` option): the worker process running it was
 * killed (a running JavaScript function cannot be stopped otherwise) and the task failed at once,
 * without trying other workers unless `retries` allows re-runs.
 */
export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError';
  constructor(
    readonly key: Key,
    readonly timeoutMs: number,
    detail = 'its worker process was killed',
  ) {
    super(`Task '${key}' did not finish within its timeout of ${timeoutMs} ms; ${detail}`);
  }
}
