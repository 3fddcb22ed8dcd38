/** What the scheduler reads of workers' liveness reports. */
import type { Key } from '@pdask/core';

/**
 * The tasks to suspect when a worker vanished without a word: those its last heartbeat said were
 * running and that are still assigned to it. Never a task merely queued there (it did not run).
 */
export function heartbeatSuspects(running: readonly Key[], stillThere: (key: Key) => boolean): Key[] {
  return running.filter(stillThere);
}
