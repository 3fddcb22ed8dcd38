import type { TaskState } from './task-state';

/** Holes past this many, and past half the list, are squeezed out. */
const MIN_SQUEEZE = 32;

/**
 * A worker's tasks (running or queued, or results it holds), in insertion order, as in a `Set`.
 *
 * No hashing: a `Set`'s add and delete of an object never hashed before (its identity hash made,
 * its table rehashed as it fills with deleted entries) cost more than the rest of scheduling a
 * tiny task, and a graph of 100,000s of them puts each through two such sets four times (placed,
 * finished, held, released). Members sit in a list; a member's position is kept on the TaskState
 * itself (`setAt`), so `has` and `delete` look at one slot. A TaskState has one such field and
 * may be in several sets (its worker's processing set, then its holders' sets: rarely two at
 * once), so the first set to take the field owns it while the task is a member, and any other
 * set keeps that task's position in a `Map` of its own. Deleting leaves a hole, squeezed out once
 * holes are most of the list (tasks leave a worker's sets roughly in the order they joined).
 *
 * Why the field is never misread: a set reads it only after finding the task absent from its own
 * map, and then trusts it only if its own list holds the task at that position, which is true
 * only if this set put it there under the field (a task it keeps in its map leaves the list when
 * it leaves the map). Not to be changed while iterated.
 */
export class TaskSet implements Iterable<TaskState> {
  private list: (TaskState | undefined)[] = [];
  private count = 0;
  /** Positions of the members whose `setAt` another set owns. */
  private others: Map<TaskState, number> | undefined;

  get size(): number {
    return this.count;
  }

  has(ts: TaskState): boolean {
    return this.positionOf(ts) >= 0;
  }

  add(ts: TaskState): this {
    if (this.positionOf(ts) >= 0) return this;
    const at = this.list.length;
    this.list.push(ts);
    this.count++;
    if (ts.setAt < 0) ts.setAt = at;
    else (this.others ??= new Map()).set(ts, at);
    return this;
  }

  delete(ts: TaskState): boolean {
    let at: number;
    const others = this.others;
    const kept = others !== undefined && others.size !== 0 ? others.get(ts) : undefined;
    if (kept !== undefined) {
      others!.delete(ts);
      at = kept;
    } else {
      at = ts.setAt;
      if (at < 0 || this.list[at] !== ts) return false;
      ts.setAt = -1;
    }
    const list = this.list;
    this.count--;
    if (at === list.length - 1) list.pop();
    else list[at] = undefined;
    if (this.count === 0) list.length = 0;
    else if (list.length - this.count > MIN_SQUEEZE && (list.length - this.count) * 2 > list.length) this.squeeze();
    return true;
  }

  clear(): void {
    for (const ts of this.list) if (ts !== undefined && this.ownsField(ts)) ts.setAt = -1;
    this.list = [];
    this.count = 0;
    this.others = undefined;
  }

  *values(): IterableIterator<TaskState> {
    for (const ts of this.list) if (ts !== undefined) yield ts;
  }

  [Symbol.iterator](): IterableIterator<TaskState> {
    return this.values();
  }

  /** Where `ts` is in the list, or -1. */
  private positionOf(ts: TaskState): number {
    const others = this.others;
    if (others !== undefined && others.size !== 0) {
      const kept = others.get(ts);
      if (kept !== undefined) return kept;
    }
    const at = ts.setAt;
    return at >= 0 && this.list[at] === ts ? at : -1;
  }

  /** Whether a member's `setAt` is this set's (it is not among the others). */
  private ownsField(ts: TaskState): boolean {
    return this.others === undefined || !this.others.has(ts);
  }

  private squeeze(): void {
    const list = this.list;
    const others = this.others;
    let n = 0;
    for (let i = 0; i < list.length; i++) {
      const ts = list[i];
      if (ts === undefined) continue;
      if (others !== undefined && others.has(ts)) others.set(ts, n);
      else ts.setAt = n;
      list[n++] = ts;
    }
    list.length = n;
  }
}
