/**
 * Liveness of a worker process, as its nanny sees it. A task that loops forever blocks the
 * worker's event loop: it can no longer heartbeat, answer peers, or say which task it is stuck in.
 * So the main thread only writes into shared memory — a tick every period, and the key (and
 * deadline, with a per-task timeout) of the task it is running synchronously — and a small thread
 * of its own reads that memory and tells the nanny over the nanny channel:
 *
 *   `live\t<ms since the event loop last ticked>\t<key of the task running now, or empty>`
 *   `timeout\t<key>\t<timeout ms>` once a task's deadline has passed
 *
 * The nanny kills a process whose loop has not ticked for its liveness timeout, or whose lines
 * stopped (the whole process is frozen), and names the task in its report to the scheduler. The
 * thread also ends a process whose nanny died: the main thread's own orphan check cannot run while
 * a task blocks it.
 */
import { Worker as Thread } from 'node:worker_threads';
import type { Key } from '@pdask/core';

export const LIVE_LINE = 'live';
export const TIMEOUT_LINE = 'timeout';

/**
 * Int32 slots (times in ms since `base`): the main thread's last tick; a sequence number, odd while
 * the main thread rewrites the keys (a seqlock: the reader retries or skips a torn read); the
 * length of the key running synchronously; the earliest deadline of a running task with a timeout,
 * its timeout and its key's length. Keys follow: the running one, then the one with the deadline.
 */
const TICK = 0;
const SEQ = 1;
const RUN_LEN = 2;
const DEADLINE = 3;
const TIMEOUT_MS = 4;
const DEADLINE_LEN = 5;
const HEADER = 8;
/** How often the thread looks at the shared memory (it writes only on a change or each period). */
const POLL_MS = 50;
/** Longer keys are cut: the nanny needs them only to name the task. */
const MAX_KEY_BYTES = 1024;

const SOURCE = `
const { writeSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const { fd, buffer, base, everyMs } = workerData;
const ints = new Int32Array(buffer, 0, ${HEADER});
const runBytes = new Uint8Array(buffer, ${HEADER * 4}, ${MAX_KEY_BYTES});
const deadlineBytes = new Uint8Array(buffer, ${HEADER * 4 + MAX_KEY_BYTES}, ${MAX_KEY_BYTES});
const decoder = new TextDecoder();
const text = (bytes, n) => (n > 0 ? decoder.decode(bytes.slice(0, n)).replace(/[\\t\\n]/g, ' ') : '');
let reported = '';
let lastKey = '';
let lastWrite = 0;
const parent = process.ppid;
function read() {
  for (let tries = 0; tries < 3; tries++) {
    const seq = Atomics.load(ints, ${SEQ});
    if (seq % 2 === 1) continue;
    const r = {
      running: text(runBytes, Atomics.load(ints, ${RUN_LEN})),
      deadline: Atomics.load(ints, ${DEADLINE}),
      timeoutMs: Atomics.load(ints, ${TIMEOUT_MS}),
      deadlineKey: text(deadlineBytes, Atomics.load(ints, ${DEADLINE_LEN})),
    };
    if (Atomics.load(ints, ${SEQ}) === seq) return r;
  }
  return undefined;
}
let nannyGone = false;
setInterval(() => {
  const now = Date.now() - base;
  const age = Math.max(0, now - Atomics.load(ints, ${TICK}));
  if (process.ppid !== parent) {
    // Orphaned (the nanny died) while the main thread is stuck: nobody else can end this process.
    // A main thread still ticking ends it itself, gracefully (and removes its directories).
    if (age > 2 * everyMs + 1000) process.kill(process.pid, 'SIGKILL');
    return;
  }
  if (nannyGone) return;
  try {
    const r = read();
    if (r && r.deadline > 0 && now >= r.deadline && reported !== r.deadlineKey + '@' + r.deadline) {
      reported = r.deadlineKey + '@' + r.deadline;
      writeSync(fd, '${TIMEOUT_LINE}\\t' + r.deadlineKey + '\\t' + r.timeoutMs + '\\n');
    }
    const key = r ? r.running : '';
    // Every period, and as soon as another task is seen running: a worker killed for its memory
    // right after a task started is then still blamed on that task.
    if (key === lastKey && now - lastWrite < everyMs) return;
    lastKey = key;
    lastWrite = now;
    writeSync(fd, '${LIVE_LINE}\\t' + age + '\\t' + key + '\\n');
  } catch {
    nannyGone = true; // its end of the channel is closed; keep watching for orphaning
  }
}, Math.min(everyMs, ${POLL_MS}));
`;

/** The main thread's side: cheap writes into shared memory, read by the reporting thread. */
export class LivenessSlot {
  private readonly ints: Int32Array;
  private readonly runBytes: Uint8Array;
  private readonly deadlineBytes: Uint8Array;
  private readonly base = Date.now();
  private readonly encoder = new TextEncoder();

  constructor(readonly buffer = new SharedArrayBuffer(HEADER * 4 + 2 * MAX_KEY_BYTES)) {
    this.ints = new Int32Array(buffer, 0, HEADER);
    this.runBytes = new Uint8Array(buffer, HEADER * 4, MAX_KEY_BYTES);
    this.deadlineBytes = new Uint8Array(buffer, HEADER * 4 + MAX_KEY_BYTES, MAX_KEY_BYTES);
    this.tick();
  }

  get baseMs(): number {
    return this.base;
  }

  tick(): void {
    Atomics.store(this.ints, TICK, Date.now() - this.base);
  }

  /** `key` runs synchronously on the main thread from now on. */
  enter(key: Key): void {
    Atomics.add(this.ints, SEQ, 1);
    Atomics.store(this.ints, RUN_LEN, this.encoder.encodeInto(key, this.runBytes).written);
    Atomics.add(this.ints, SEQ, 1);
  }

  /** Nothing runs synchronously any more. */
  leave(): void {
    Atomics.add(this.ints, SEQ, 1);
    Atomics.store(this.ints, RUN_LEN, 0);
    Atomics.add(this.ints, SEQ, 1);
  }

  /** The running task with the earliest deadline (epoch ms), or none. */
  setDeadline(next: { key: Key; deadline: number; timeoutMs: number } | undefined): void {
    Atomics.add(this.ints, SEQ, 1);
    if (next) {
      Atomics.store(this.ints, DEADLINE_LEN, this.encoder.encodeInto(next.key, this.deadlineBytes).written);
      Atomics.store(this.ints, TIMEOUT_MS, Math.min(next.timeoutMs, 2 ** 31 - 1));
      Atomics.store(this.ints, DEADLINE, Math.max(1, Math.min(next.deadline - this.base, 2 ** 31 - 1)));
    } else Atomics.store(this.ints, DEADLINE, 0);
    Atomics.add(this.ints, SEQ, 1);
  }
}

let processSlot: LivenessSlot | undefined;

/** The slot of this process, when a nanny watches it (undefined in a process without one). */
export function processLiveness(): LivenessSlot | undefined {
  return processSlot;
}

/**
 * Starts ticking on the main thread and reporting from a thread of its own, every `everyMs`.
 * Neither keeps the process alive.
 */
export function startLiveness(fd: number, everyMs: number): LivenessSlot {
  const slot = new LivenessSlot();
  processSlot = slot;
  setInterval(() => slot.tick(), Math.max(10, Math.floor(everyMs / 2))).unref();
  const t = new Thread(SOURCE, {
    eval: true,
    workerData: { fd, buffer: slot.buffer, base: slot.baseMs, everyMs },
    // It only copies a few numbers and a key: keep its heap small.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
  });
  t.unref();
  // A failure to report must not take the worker down; the nanny then just sees no reports.
  t.on('error', () => undefined);
  return slot;
}

/** What the nanny reads from a `live` or `timeout` line. */
export type LivenessLine = { kind: 'live'; ageMs: number; running: Key } | { kind: 'timeout'; key: Key; timeoutMs: number };

export function parseLivenessLine(kind: string, rest: string[]): LivenessLine | undefined {
  if (kind === LIVE_LINE) {
    const ageMs = Number(rest[0]);
    return Number.isFinite(ageMs) ? { kind: 'live', ageMs, running: rest[1] ?? '' } : undefined;
  }
  if (kind === TIMEOUT_LINE) {
    const timeoutMs = Number(rest[1]);
    return rest[0] && Number.isFinite(timeoutMs) ? { kind: 'timeout', key: rest[0], timeoutMs } : undefined;
  }
  return undefined;
}
