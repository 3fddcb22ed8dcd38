import { OpInterner, type Key, type OpRef } from '@pdask/core';
import type { Comm } from '../comm/transport';
import { EMPTY_METRICS, type WorkerInfo, type WorkerMetrics } from '../protocol/messages';
import type { SchedulerToClientOut, SchedulerToNannyOut, SchedulerToWorkerOut } from '../protocol/wire';

/** The scheduler's view of a connected worker process. */
export class WorkerRecord {
  readonly ops = new OpInterner();
  run: unknown[] = [];
  release: Key[] = [];
  cancel: Key[] = [];
  /** Tasks of `run` a client waits for (their small results come back inline). */
  reply: Key[] = [];
  lastSeen = Date.now();
  /** When it registered: the longest-lived workers get the copies of long-lived results. */
  readonly startedAt = Date.now();
  metrics: WorkerMetrics = { ...EMPTY_METRICS };
  /** Closed on purpose (worker said goodbye): no suspects, no grace period. */
  graceful = false;
  removed = false;
  /** Pending steal request, to ask one victim at a time. */
  stealing = false;
  /** Per-task timeouts of the tasks in `run`: (key, ms) pairs. */
  timeouts: unknown[] = [];
  /** The tasks it said it was running, in its last heartbeat. */
  running: Key[] = [];
  /** When its nanny was asked to kill it (it missed its heartbeats). */
  killAskedAt: number | undefined;

  constructor(
    readonly comm: Comm,
    readonly info: Omit<WorkerInfo, 'metrics'>,
    readonly nanny: string | undefined,
  ) {}

  get id(): string {
    return this.info.id;
  }

  send(m: SchedulerToWorkerOut): void {
    this.comm.send(m);
  }

  toInfo(): WorkerInfo {
    return { ...this.info, metrics: this.metrics };
  }
}

/** A connected client: the keys it holds (a multiset: each hold is released once). */
export class ClientRecord {
  readonly ops: OpRef[] = [];
  readonly wanted = new Map<Key, number>();
  /** Keys whose finished tasks count toward a computation's progress, by graph id. */
  readonly progress = new Map<number, { done: number; total: number; sent: number }>();

  constructor(
    readonly id: string,
    readonly comm: Comm,
    readonly name: string,
  ) {}

  send(m: SchedulerToClientOut): void {
    this.comm.send(m);
  }
}

export class NannyRecord {
  constructor(
    readonly id: string,
    readonly comm: Comm,
    readonly name: string,
  ) {}

  send(m: SchedulerToNannyOut): void {
    this.comm.send(m);
  }
}
