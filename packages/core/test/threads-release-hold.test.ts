/**
 * Releases alone wait for a busy worker's next batch of tasks (execute/threads/release-hold.ts).
 *
 * The pool's two workers are scripted here (no threads): the test sees every message the
 * computation sends, runs the tasks itself, and decides which worker reports what and when, so
 * the order of events is the same on every run. Data movement between workers is not under
 * test: the scripted workers share one store of results.
 */
import { describe, expect, it } from 'vitest';
import { delayed, type Delayed } from '../src/delayed/delayed';
import type { OpRef } from '../src/graph/spec';
import { prepareOps, runNode } from '../src/execute/run-node';
import { readRun } from '../src/execute/threads/batch-wire';
import { ThreadsExecutor } from '../src/execute/threads/executor';
import { ThreadPool, type PoolListener, type Slot } from '../src/execute/threads/pool';
import type { FromWorker, RunSpec, ToWorker } from '../src/execute/threads/protocol';
import { HOLD_MAX_IDS, HOLD_MS, ReleaseHold } from '../src/execute/threads/release-hold';
import { OpInterner } from '../src/execute/threads/wire';

type Batch = Extract<ToWorker, { t: 'batch' }>;

/** A message sent to a scripted worker, with the tasks it had not reported yet when it was sent. */
interface Sent {
  readonly to: number;
  readonly msg: ToWorker;
  readonly unreported: number;
}

/** A two-worker pool whose workers are this object: tasks run when the test says so. */
class ScriptedWorkers {
  readonly pool = new ThreadPool({ size: 2 });
  readonly executor: ThreadsExecutor;
  readonly sent: Sent[] = [];
  /** Tasks run by each worker, by graph id. */
  readonly ran: Set<number>[] = [new Set(), new Set()];
  private readonly queues: RunSpec[][] = [[], []];
  private readonly ops: OpRef[][] = [[], []];
  private readonly values = new Map<number, unknown>();
  private readonly listeners = new Set<PoolListener>();

  constructor() {
    const pool = this.pool;
    pool.start = () => {
      for (const id of [0, 1]) pool.slots.set(id, scriptedSlot(id));
      return Promise.resolve();
    };
    pool.subscribe = (l) => {
      this.listeners.add(l);
      return () => void this.listeners.delete(l);
    };
    pool.send = (slot, msg) => this.receive(slot.id, msg);
    this.executor = new ThreadsExecutor(pool);
  }

  queued(w: number): number {
    return this.queues[w].length;
  }

  /** Worker `w` runs its next `n` tasks and reports them in one message. */
  report(w: number, n: number): void {
    const done = this.queues[w].splice(0, n);
    const ok: number[] = [];
    const values: unknown[] = [];
    for (const spec of done) {
      if (prepareOps(spec.node) !== undefined) throw new Error('scripted workers run synchronous functions only');
      const v = runNode(spec.node, (id) => this.values.get(id));
      this.values.set(spec.node.key, v);
      this.ran[w].add(spec.node.key);
      // nbytes, moveBytes, and 1 ms each: long enough that no small graph runs on one worker alone.
      ok.push(spec.seq, 8, 8, 1);
      if (spec.ret !== 0) values.push(spec.seq, v);
    }
    const msg: FromWorker = { t: 'done', ok, failed: [], missing: [], values: values.length ? values : undefined };
    for (const l of [...this.listeners]) l.onMessage(this.pool.slots.get(w)!, msg);
  }

  /** Both workers report their queued tasks `n` at a time, in turn, until neither has any. */
  drain(n: number): void {
    while (this.queued(0) + this.queued(1) > 0) for (const w of [0, 1]) if (this.queued(w) > 0) this.report(w, n);
  }

  batches(): { to: number; batch: Batch; unreported: number }[] {
    return this.sent.flatMap((s) => (s.msg.t === 'batch' ? [{ to: s.to, batch: s.msg, unreported: s.unreported }] : []));
  }

  /** The ids released to worker `w`, in order. */
  releasedTo(w: number): number[] {
    return this.batches().flatMap((b) => (b.to === w ? [...(b.batch.release ?? [])] : []));
  }

  private receive(w: number, msg: ToWorker): void {
    this.sent.push({ to: w, msg, unreported: this.queues[w].length });
    if (msg.t !== 'batch') return;
    for (const [id, op] of msg.ops ?? []) this.ops[w][id] = op;
    if (msg.run) readRun(msg.run, msg.cid, this.ops[w], this.queues[w]);
  }
}

function scriptedSlot(id: number): Slot {
  const worker = { ref() {}, unref() {}, terminate: () => Promise.resolve(0) };
  return { id, worker, control: {}, current: new Int32Array(2).fill(-1), ops: new OpInterner(), exited: new Promise<void>(() => undefined), alive: true } as unknown as Slot;
}

const inc = (i: number): number => i + 1;
const add = (a: number, b: number): number => a + b;

/** A balanced binary tree of adds over the leaves inc(lo)..inc(hi - 1): the sum of lo + 1..hi. */
function tree(hi: number, lo = 0): Delayed<number> {
  if (hi - lo === 1) return delayed(inc)(lo);
  const mid = (lo + hi) >> 1;
  return delayed(add)(tree(mid, lo), tree(hi, mid));
}

/** Waits until the computation has sent its first tasks (it starts after an await). */
async function started(w: ScriptedWorkers): Promise<void> {
  for (let i = 0; i < 100 && w.queued(0) + w.queued(1) === 0; i++) await new Promise((r) => setImmediate(r));
}

describe('releases held for a busy worker', () => {
  it('never go alone to a worker with tasks to run, ride with its next tasks, and none is lost', async () => {
    const w = new ScriptedWorkers();
    const leaves = 32;
    const root = tree(leaves);
    const result = root.compute({ scheduler: w.executor });
    await started(w);
    // Synchronous from here: the hold's timer cannot fire, so every release goes by riding or idling.
    w.drain(1);
    expect(await result).toBe((leaves * (leaves + 1)) / 2);

    const batches = w.batches();
    const alone = batches.filter((b) => b.batch.run === undefined && (b.batch.release?.length ?? 0) > 0);
    for (const b of alone) expect(b.unreported, `releases ${b.batch.release?.join(',')} went alone to busy worker ${b.to}`).toBe(0);
    const riding = batches.filter((b) => b.batch.run !== undefined && (b.batch.release?.length ?? 0) > 0);
    expect(riding.length).toBeGreaterThan(0);

    // Every result is released once, to the worker that made it, except the root (wanted) and
    // its two inputs, released by the root's own report, which ends the computation (its end
    // frees them with the rest).
    const ids = [...w.ran[0], ...w.ran[1]];
    expect(ids).toHaveLength(2 * leaves - 1);
    for (const worker of [0, 1]) {
      const released = w.releasedTo(worker);
      expect(new Set(released).size).toBe(released.length);
      for (const id of released) expect(w.ran[worker].has(id)).toBe(true);
    }
    expect(w.releasedTo(0).length + w.releasedTo(1).length).toBe(2 * leaves - 1 - 3);
  });

  it('go out on their own once the hold time is up', async () => {
    const w = new ScriptedWorkers();
    const leaves = 16;
    const result = tree(leaves).compute({ scheduler: w.executor });
    await started(w);
    const releases = (): number => w.releasedTo(0).length + w.releasedTo(1).length;
    // One report at a time, then a pause longer than the hold: releases that arrive during a
    // pause were held, and only the timer can have sent them (nothing else happens meanwhile).
    let byTimer: Sent[] = [];
    for (let turn = 0; byTimer.length === 0 && w.queued(0) + w.queued(1) > 0; turn++) {
      const worker = w.queued(turn % 2) > 0 ? turn % 2 : 1 - (turn % 2);
      w.report(worker, 1);
      const before = w.sent.length;
      const count = releases();
      await new Promise((r) => setTimeout(r, HOLD_MS + 10));
      if (releases() > count) byTimer = w.sent.slice(before);
    }
    expect(byTimer.length).toBeGreaterThan(0);
    // Held because their worker was busy; sent alone, since no task followed.
    for (const s of byTimer) {
      expect(s.msg.t).toBe('batch');
      expect((s.msg as Batch).run).toBeUndefined();
      expect(s.unreported).toBeGreaterThan(0);
    }
    w.drain(1);
    expect(await result).toBe((leaves * (leaves + 1)) / 2);
    expect(releases()).toBe(2 * leaves - 1 - 3);
  });
});

describe('ReleaseHold', () => {
  it('holds only for a busy worker, within its bounds, and flushes once when the time is up', () => {
    const scheduled: (() => void)[] = [];
    let flushed = 0;
    const hold = new ReleaseHold(
      () => flushed++,
      (fn, ms) => {
        expect(ms).toBe(HOLD_MS);
        scheduled.push(fn);
        return setTimeout(() => undefined, 0);
      },
    );
    expect(hold.mayHold({ release: [1, 2], releaseBytes: 16 }, 0)).toBe(false);
    expect(hold.mayHold({ release: new Array<number>(HOLD_MAX_IDS + 1).fill(0), releaseBytes: 8 }, 5)).toBe(false);
    expect(hold.mayHold({ release: [1], releaseBytes: 2 ** 21 }, 5)).toBe(false);
    expect(scheduled).toHaveLength(0);
    expect(hold.mayHold({ release: [1, 2], releaseBytes: 16 }, 3)).toBe(true);
    expect(hold.mayHold({ release: [1, 2, 3], releaseBytes: 24 }, 3)).toBe(true);
    // One timer for everything held, armed again only after it fired.
    expect(scheduled).toHaveLength(1);
    scheduled[0]();
    expect(flushed).toBe(1);
    expect(hold.mayHold({ release: [4], releaseBytes: 8 }, 1)).toBe(true);
    expect(scheduled).toHaveLength(2);
    hold.stop();
  });
});
