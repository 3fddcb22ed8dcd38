/** What the scheduler reads of workers' liveness reports and of tasks' timeouts. */
import type { Key } from '@pdask/core';
import { ProtocolError } from '../protocol/messages';

/**
 * The tasks to suspect when a worker vanished without a word: those its last heartbeat said were
 * running and that are still assigned to it. Never a task merely queued there (it did not run).
 */
export function heartbeatSuspects(running: readonly Key[], stillThere: (key: Key) => boolean): Key[] {
  return running.filter(stillThere);
}

/** The `timeoutMs` of an update-graph message (a per-task timeout for its tasks), if any. */
export function readTaskTimeout(m: Record<string, unknown>): number | undefined {
  const v = m.timeoutMs;
  if (v === undefined || v === null || v === 0) return undefined;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ProtocolError("'update-graph' message: 'timeoutMs' must be a number of milliseconds > 0");
  return v;
}
