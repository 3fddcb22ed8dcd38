import type { TaskState } from './task-state';

/** Past this many members a TaskSet hashes them (a search through the list would cost more). */
const SMALL = 16;

/**
 * A worker's tasks (running or queued, or results it holds): a list while small, a `Set` beyond.
 * A local executor runs 100,000s of tiny tasks through sets of a few members (the sync executor's
 * one running task, the results waiting for a sibling), and a `Set`'s add and delete of a new
 * object (its identity hash made, its table rehashed as it fills with deleted entries) cost more
 * than the rest of scheduling the task. Members keep their insertion order, as in a `Set`.
 * Not to be changed while iterated.
 */
export class TaskSet implements Iterable<TaskState> {
  private list: TaskState[] = [];
  private hashed: Set<TaskState> | undefined;

  get size(): number {
    return this.hashed === undefined ? this.list.length : this.hashed.size;
  }

  has(ts: TaskState): boolean {
    return this.hashed === undefined ? this.list.includes(ts) : this.hashed.has(ts);
  }

  add(ts: TaskState): this {
    if (this.hashed !== undefined) {
      this.hashed.add(ts);
      return this;
    }
    const list = this.list;
    if (list.includes(ts)) return this;
    if (list.length < SMALL) list.push(ts);
    else {
      // Once large it stays a Set (a worker that held many tasks is likely to again).
      this.hashed = new Set(list);
      this.hashed.add(ts);
      this.list = [];
    }
    return this;
  }

  delete(ts: TaskState): boolean {
    if (this.hashed !== undefined) return this.hashed.delete(ts);
    const list = this.list;
    const last = list.length - 1;
    // The most recent member is the usual one to go (a task finishing where it was just placed).
    if (last >= 0 && list[last] === ts) {
      list.pop();
      return true;
    }
    const i = list.indexOf(ts);
    if (i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  clear(): void {
    if (this.hashed !== undefined) this.hashed.clear();
    else this.list.length = 0;
  }

  values(): IterableIterator<TaskState> {
    return this.hashed === undefined ? this.list.values() : this.hashed.values();
  }

  [Symbol.iterator](): IterableIterator<TaskState> {
    return this.values();
  }
}
