/**
 * Message shapes on the wire (msgpack objects with an `op`). Everything received is checked
 * before use: these helpers throw a ProtocolError naming the bad field, which the receiver
 * reports back instead of crashing.
 */
import type { SerializedError, StoryCause, StoryEntry, StoryStatus } from '@pdask/core';

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export function str(m: Record<string, unknown>, field: string): string {
  const v = m[field];
  if (typeof v !== 'string') throw new ProtocolError(`'${String(m.op)}' message: '${field}' must be a string`);
  return v;
}

export function optStr(m: Record<string, unknown>, field: string): string | undefined {
  const v = m[field];
  if (v === undefined || v === null) return undefined;
  return str(m, field);
}

export function num(m: Record<string, unknown>, field: string, fallback?: number): number {
  const v = m[field];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ProtocolError(`'${String(m.op)}' message: '${field}' must be a number`);
  return v;
}

export function arr(m: Record<string, unknown>, field: string): unknown[] {
  const v = m[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ProtocolError(`'${String(m.op)}' message: '${field}' must be an array`);
  return v;
}

export function keys(m: Record<string, unknown>, field: string): string[] {
  const a = arr(m, field);
  for (const k of a) if (typeof k !== 'string') throw new ProtocolError(`'${String(m.op)}' message: '${field}' must hold keys (strings)`);
  return a as string[];
}

export function record(m: Record<string, unknown>, field: string): Record<string, unknown> {
  const v = m[field];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ProtocolError(`'${String(m.op)}' message: '${field}' must be an object`);
  return v as Record<string, unknown>;
}

export function numberRecord(m: Record<string, unknown>, field: string): Record<string, number> {
  const r = record(m, field);
  for (const [k, v] of Object.entries(r)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ProtocolError(`'${String(m.op)}' message: '${field}.${k}' must be a number`);
  }
  return r as Record<string, number>;
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

const STORY_STATUSES: readonly string[] = ['released', 'waiting', 'ready', 'processing', 'memory', 'erred', 'forgotten'] satisfies StoryStatus[];
const STORY_CAUSES: readonly string[] = [
  'add-data',
  'add-worker',
  'remove-worker',
  'update-graph',
  'task-finished',
  'task-erred',
  'missing-data',
  'release',
  'forget',
  'batch',
] satisfies StoryCause[];

/** The entries of a 'story' reply (scheduler -> client), each field checked. */
export function storyEntries(m: Record<string, unknown>, field: string): StoryEntry[] {
  return arr(m, field).map((x) => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new ProtocolError(`'${String(m.op)}' message: '${field}' must hold objects`);
    const e = { op: m.op, ...(x as Record<string, unknown>) };
    const from = str(e, 'from');
    const to = str(e, 'to');
    const cause = str(e, 'cause');
    if (!STORY_STATUSES.includes(from) || !STORY_STATUSES.includes(to)) throw new ProtocolError(`'${String(m.op)}' message: unknown status in '${from}' -> '${to}'`);
    if (!STORY_CAUSES.includes(cause)) throw new ProtocolError(`'${String(m.op)}' message: unknown cause '${cause}'`);
    return {
      seq: num(e, 'seq'),
      run: num(e, 'run'),
      key: str(e, 'key'),
      from: from as StoryStatus,
      to: to as StoryStatus,
      worker: optStr(e, 'worker'),
      cause: cause as StoryCause,
      time: num(e, 'time'),
    };
  });
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
