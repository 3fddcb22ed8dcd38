import type { Key } from '../graph/spec';
import type { TaskState } from './task-state';

/**
 * Tasks by key. A local executor submits a whole graph of 100,000s of tasks and then only ever
 * hands TaskStates back; inserting every key into a Map it never reads would cost more than
 * scheduling them. So bulk additions are appended to a list and indexed on the first lookup.
 */
export class TaskTable {
  private readonly byKey = new Map<Key, TaskState>();
  private pending: TaskState[] = [];

  get size(): number {
    return this.byKey.size + this.pending.length;
  }

  /** Adds tasks known to have new, distinct keys. Takes the list: the caller must not change it. */
  addAll(states: TaskState[]): void {
    if (this.pending.length === 0) this.pending = states;
    else for (const ts of states) this.pending.push(ts);
  }

  get(key: Key): TaskState | undefined {
    this.index();
    return this.byKey.get(key);
  }

  has(key: Key): boolean {
    this.index();
    return this.byKey.has(key);
  }

  delete(key: Key): boolean {
    this.index();
    return this.byKey.delete(key);
  }

  *values(): IterableIterator<TaskState> {
    this.index();
    yield* this.byKey.values();
  }

  private index(): void {
    if (this.pending.length === 0) return;
    for (const ts of this.pending) this.byKey.set(ts.key, ts);
    this.pending = [];
  }
}
