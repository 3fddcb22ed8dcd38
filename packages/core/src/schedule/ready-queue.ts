import type { TaskState } from './task-state';

/**
 * A binary min-heap of tasks by (priority, seq). Entries whose task left the 'ready' state are
 * skipped on pop instead of being searched for and removed.
 *
 * The keys are kept beside the tasks in typed arrays: a graph's leaves are all ready at once
 * (100,000 in the tiny-task tree), and comparing through the TaskStates made every sift step a
 * cache miss per child.
 */
export class ReadyQueue {
  private heap: TaskState[] = [];
  private prio = new Float64Array(64);
  private seqs = new Float64Array(64);

  get size(): number {
    return this.heap.length;
  }

  push(ts: TaskState): void {
    const h = this.heap;
    let i = h.length;
    if (i === this.prio.length) this.grow();
    const prio = this.prio;
    const seqs = this.seqs;
    const p0 = ts.priority;
    const s0 = ts.seq;
    h.push(ts);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!(p0 < prio[p] || (p0 === prio[p] && s0 < seqs[p]))) break;
      h[i] = h[p];
      prio[i] = prio[p];
      seqs[i] = seqs[p];
      i = p;
    }
    h[i] = ts;
    prio[i] = p0;
    seqs[i] = s0;
  }

  /** Every entry, stale ones included, in heap order (for validation). */
  entries(): readonly TaskState[] {
    return this.heap;
  }

  /** The most urgent task still ready, or undefined. */
  pop(): TaskState | undefined {
    const h = this.heap;
    const prio = this.prio;
    const seqs = this.seqs;
    while (h.length) {
      const top = h[0];
      const last = h.pop()!;
      const n = h.length;
      if (n) {
        // Sift the last entry down from the root.
        const lp = prio[n];
        const ls = seqs[n];
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= n) break;
          const r = l + 1;
          let m = l;
          if (r < n && (prio[r] < prio[l] || (prio[r] === prio[l] && seqs[r] < seqs[l]))) m = r;
          if (!(prio[m] < lp || (prio[m] === lp && seqs[m] < ls))) break;
          h[i] = h[m];
          prio[i] = prio[m];
          seqs[i] = seqs[m];
          i = m;
        }
        h[i] = last;
        prio[i] = lp;
        seqs[i] = ls;
      }
      if (top.status === 'ready') return top;
    }
    return undefined;
  }

  private grow(): void {
    const prio = new Float64Array(this.prio.length * 2);
    prio.set(this.prio);
    this.prio = prio;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }
}

/** Whether `a` is more urgent than `b`: lower priority, then earlier submission. */
export function runsBefore(a: TaskState, b: TaskState): boolean {
  return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
}
