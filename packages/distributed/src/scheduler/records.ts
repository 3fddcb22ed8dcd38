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

  /** Whether runs, releases or cancels are waiting to go out as a `compute` message. */
  hasCompute(): boolean {
    return this.run.length > 0 || this.release.length > 0 || this.cancel.length > 0;
  }

  /** Sends what is waiting (if anything) as one `compute` message. */
  sendCompute(): void {
    if (!this.hasCompute()) return;
    // Fields with nothing in them are left out (the worker reads them as empty): each one would
    // be encoded, decoded and checked on every message.
    const m: Extract<SchedulerToWorkerOut, { op: 'compute' }> = { op: 'compute', run: this.run };
    const ops = this.ops.takeFresh();
    if (ops) m.ops = ops;
    if (this.release.length) m.release = this.release;
    if (this.cancel.length) m.cancel = this.cancel;
    if (this.timeouts.length) m.timeouts = this.timeouts;
    if (this.reply.length) m.reply = this.reply;
    this.comm.send(m);
    if (this.reply.length) this.reply = [];
    this.timeouts = [];
    this.run = [];
    this.release = [];
    this.cancel = [];
  }

  /** A `compute` still waiting goes first: the worker gets messages in the order they were made. */
  send(m: SchedulerToWorkerOut): void {
    this.sendCompute();
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
