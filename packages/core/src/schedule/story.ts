import type { Key } from '../graph/spec';
import type { TaskStatus, WorkerId } from './task-state';

/** A key's status in a story: a task's status, or 'forgotten' once dropped by forgetReleased. */
export type StoryStatus = TaskStatus | 'forgotten';

/** The event that caused a transition (one per public SchedulerState event method). */
export type StoryCause =
  | 'add-data'
  | 'add-worker'
  | 'remove-worker'
  | 'update-graph'
  | 'task-finished'
  | 'task-erred'
  | 'missing-data'
  | 'add-replica'
  | 'release'
  | 'forget'
  | 'batch'
  | 'invalidate';

/** One status change of one key (Dask's transition story). */
export interface StoryEntry {
  /** Position in its log: increases by one per entry, across every state sharing the log. */
  readonly seq: number;
  /** Which SchedulerState wrote it (1, 2, …, in the order they attached to the log). */
  readonly run: number;
  readonly key: Key;
  readonly from: StoryStatus;
  readonly to: StoryStatus;
  /** The worker concerned: where it runs, which holder reported it, or whose loss caused it. */
  readonly worker: WorkerId | undefined;
  readonly cause: StoryCause;
  /** When the event began (the log's clock; default Date.now(), ms since the epoch). */
  readonly time: number;
}

export interface StoryLogOptions {
  /** Entries kept; older ones are overwritten (default 10,000). */
  capacity?: number;
  /** Read once per event, not per transition (tiny tasks make millions of transitions a second). */
  clock?: () => number;
}

const INITIAL_SLOTS = 1024;

/**
 * A bounded ring of transitions. Columns rather than an object per entry: recording is a few
 * array stores (no allocation on the scheduler's hot path), and an entry object is only built
 * when somebody asks for a story. The columns grow by doubling up to the capacity, so a state
 * that makes a handful of transitions does not pay for 10,000 slots.
 */
export class StoryLog {
  readonly capacity: number;
  private readonly clock: () => number;
  private keys: (Key | undefined)[] = [];
  private froms: StoryStatus[] = [];
  private tos: StoryStatus[] = [];
  private workers: (WorkerId | undefined)[] = [];
  private causes: StoryCause[] = [];
  private times = new Float64Array(0);
  private runs = new Int32Array(0);
  private slots = 0;
  /** Slot of the next entry: entry `seq` is always in slot `seq % capacity`. */
  private cursor = 0;
  /** Entries ever recorded; the next entry's seq. */
  private written = 0;
  private runsAttached = 0;
  private cause: StoryCause = 'update-graph';
  private now = 0;

  constructor(opts: StoryLogOptions = {}) {
    const capacity = opts.capacity ?? 10_000;
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`StoryLog capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.clock = opts.clock ?? Date.now;
  }

  /** Entries recorded so far, including those overwritten. */
  get total(): number {
    return this.written;
  }

  /** Entries currently kept. */
  get size(): number {
    return Math.min(this.written, this.capacity);
  }

  /** A number for a new writer, told apart in its entries' `run`. */
  attach(): number {
    return ++this.runsAttached;
  }

  /**
   * Starts an event: its transitions share this cause and one reading of the clock. `readClock`
   * false keeps the last reading: the events of one batch (a worker's report of 100s of tasks)
   * share the batch's, as a clock read costs more than the rest of a tiny task's transition.
   */
  begin(cause: StoryCause, readClock = true): void {
    this.cause = cause;
    if (readClock) this.now = this.clock();
  }

  record(run: number, key: Key, from: StoryStatus, to: StoryStatus, worker: WorkerId | undefined): void {
    let i = this.cursor;
    if (i === this.slots) {
      if (this.slots < this.capacity) this.grow();
      else i = 0;
    }
    this.cursor = i + 1;
    this.written++;
    this.keys[i] = key;
    this.froms[i] = from;
    this.tos[i] = to;
    this.workers[i] = worker;
    this.causes[i] = this.cause;
    this.times[i] = this.now;
    this.runs[i] = run;
  }

  /** Every kept transition of `key`, oldest first. */
  story(key: Key): StoryEntry[] {
    const out: StoryEntry[] = [];
    const first = this.written - this.size;
    for (let seq = first; seq < this.written; seq++) {
      const i = seq % this.capacity;
      if (this.keys[i] === key) out.push(this.entry(seq, i));
    }
    return out;
  }

  /** Every kept transition, oldest first. */
  entries(): StoryEntry[] {
    const out: StoryEntry[] = [];
    for (let seq = this.written - this.size; seq < this.written; seq++) out.push(this.entry(seq, seq % this.capacity));
    return out;
  }

  clear(): void {
    this.keys.fill(undefined);
    this.workers.fill(undefined);
    this.written = 0;
    this.cursor = 0;
  }

  private entry(seq: number, i: number): StoryEntry {
    return {
      seq,
      run: this.runs[i],
      key: this.keys[i]!,
      from: this.froms[i],
      to: this.tos[i],
      worker: this.workers[i],
      cause: this.causes[i],
      time: this.times[i],
    };
  }

  private grow(): void {
    const slots = Math.min(this.capacity, Math.max(INITIAL_SLOTS, this.slots * 2));
    const times = new Float64Array(slots);
    times.set(this.times);
    this.times = times;
    const runs = new Int32Array(slots);
    runs.set(this.runs);
    this.runs = runs;
    // Filled up front so the arrays stay packed (holes make every store slower).
    for (let i = this.slots; i < slots; i++) {
      this.keys.push(undefined);
      this.froms.push('released');
      this.tos.push('released');
      this.workers.push(undefined);
      this.causes.push('update-graph');
    }
    this.slots = slots;
  }
}
