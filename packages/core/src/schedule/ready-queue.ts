import type { TaskState } from './task-state';

/**
 * A binary min-heap of tasks by (priority, seq). Entries whose task left the 'ready' state are
 * skipped on pop instead of being searched for and removed.
 */
export class ReadyQueue {
  private heap: TaskState[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(ts: TaskState): void {
    const h = this.heap;
    h.push(ts);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!runsBefore(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  /** Every entry, stale ones included, in heap order (for validation). */
  entries(): readonly TaskState[] {
    return this.heap;
  }

  /** The most urgent task still ready, or undefined. */
  pop(): TaskState | undefined {
    const h = this.heap;
    while (h.length) {
      const top = h[0];
      const last = h.pop()!;
      if (h.length) {
        h[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < h.length && runsBefore(h[l], h[m])) m = l;
          if (r < h.length && runsBefore(h[r], h[m])) m = r;
          if (m === i) break;
          [h[i], h[m]] = [h[m], h[i]];
          i = m;
        }
      }
      if (top.status === 'ready') return top;
    }
    return undefined;
  }
}

/** Whether `a` is more urgent than `b`: lower priority, then earlier submission. */
export function runsBefore(a: TaskState, b: TaskState): boolean {
  return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
}
