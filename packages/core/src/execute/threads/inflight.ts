import type { TaskState } from '../../schedule/task-state';

/**
 * The tasks of one computation sent to workers and not yet reported, by seq (the pool's message
 * numbers, which only grow): each task's state and the worker it was sent to.
 *
 * Kept in arrays indexed by `seq - base` rather than a `Map`: a graph of tiny tasks puts 100,000s
 * of them through here, and a `Map` insert, lookup and delete plus an entry object per task was a
 * visible share of the main thread's time, the thread that bounds such a computation. The seqs
 * of one computation are nearly contiguous (other computations' and gathers' seqs leave holes),
 * and the front, once reported, is dropped as the window moves on.
 */
export class InflightTable {
  private tasks: (TaskState | undefined)[] = [];
  private slots: number[] = [];
  /** The seq at index 0. */
  private base: number;
  /** Below this index every entry is empty. */
  private low = 0;
  private count = 0;

  /** `base`: the first seq expected (entries below it are still accepted). */
  constructor(base: number) {
    this.base = base;
  }

  get size(): number {
    return this.count;
  }

  set(seq: number, ts: TaskState, slot: number): void {
    if (seq < this.base) this.rebase(seq);
    const i = seq - this.base;
    const tasks = this.tasks;
    while (tasks.length <= i) {
      tasks.push(undefined);
      this.slots.push(-1);
    }
    if (tasks[i] === undefined) this.count++;
    tasks[i] = ts;
    this.slots[i] = slot;
    if (i < this.low) this.low = i;
  }

  /** The task sent under `seq`, if it is still awaited. */
  get(seq: number): TaskState | undefined {
    const i = seq - this.base;
    return i >= 0 && i < this.tasks.length ? this.tasks[i] : undefined;
  }

  /** The worker `seq` was sent to (meaningful only while `get(seq)` is defined). */
  slotOf(seq: number): number {
    return this.slots[seq - this.base];
  }

  delete(seq: number): boolean {
    const i = seq - this.base;
    const tasks = this.tasks;
    if (i < 0 || i >= tasks.length || tasks[i] === undefined) return false;
    tasks[i] = undefined;
    this.count--;
    if (i === this.low) this.advance();
    return true;
  }

  /** Every awaited entry, in seq order (to change the table meanwhile is allowed). */
  *entries(): IterableIterator<[seq: number, ts: TaskState, slot: number]> {
    for (let i = this.low; i < this.tasks.length; i++) {
      const ts = this.tasks[i];
      if (ts !== undefined) yield [i + this.base, ts, this.slots[i]];
    }
  }

  /** A task sent ahead long ago may be placed after the front was dropped: the arrays grow at the front again. */
  private rebase(seq: number): void {
    const n = this.base - seq;
    this.tasks = [...new Array<TaskState | undefined>(n).fill(undefined), ...this.tasks];
    this.slots = [...new Array<number>(n).fill(-1), ...this.slots];
    this.base = seq;
    this.low += n;
  }

  /** Moves `low` past the empty front, and drops that front once it is most of the arrays. */
  private advance(): void {
    const tasks = this.tasks;
    let low = this.low;
    while (low < tasks.length && tasks[low] === undefined) low++;
    this.low = low;
    if (low >= 4096 && low * 2 >= tasks.length) {
      this.tasks = tasks.slice(low);
      this.slots = this.slots.slice(low);
      this.base += low;
      this.low = 0;
    }
  }
}
