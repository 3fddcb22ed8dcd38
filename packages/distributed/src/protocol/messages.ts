/**
 * Values carried inside messages (errors, worker descriptions) and the error for a message that
 * breaks the protocol (protocol/wire.ts checks every received message and throws it).
 */
import type { SerializedError } from '@pdask/core';

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export function serializedError(x: unknown): SerializedError {
  const e = x as Partial<SerializedError> | null;
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    return {
      className: typeof e.className === 'string' ? e.className : 'Error',
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: e.message,
      stack: typeof e.stack === 'string' ? e.stack : undefined,
      code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined,
    };
  }
  return { className: 'Error', name: 'Error', message: 'A task failed with an unreadable error' };
}

/** What the scheduler tells clients about a worker. */
export interface WorkerInfo {
  id: string;
  address: string;
  name: string;
  nthreads: number;
  /** Where it runs: SLURMD_NODENAME under SLURM, else the host name. */
  node: string;
  host: string;
  pid: number;
  memoryLimit: number;
  resources: Record<string, number>;
  /** Latest heartbeat metrics. */
  metrics: WorkerMetrics;
}

export interface WorkerMetrics {
  managedBytes: number;
  spilledBytes: number;
  spilledKeys: number;
  rss: number;
  queued: number;
  executing: number;
  paused: boolean;
  tasksRun: number;
  /** Shuffle pieces this worker has written to spill files since it started (p2p shuffles). */
  shuffleSpilledFiles?: number;
}

export const EMPTY_METRICS: WorkerMetrics = {
  managedBytes: 0,
  spilledBytes: 0,
  spilledKeys: 0,
  rss: 0,
  queued: 0,
  executing: 0,
  paused: false,
  tasksRun: 0,
};
