import type { TaskState } from './task-state';

/**
 * Ready tasks by (priority, seq), most urgent first. Entries whose task left the 'ready' state are
 * skipped on pop instead of being searched for and removed.
 *
 * Three sorted parts, each with its most urgent entry at hand: a run of tasks that arrived in
 * increasing order (read from its front), a stack of tasks each more urgent than the one below it
 * (read from its top), and a binary min-heap for the rest. A pop takes the most urgent of the
 * three heads. Static priorities are a depth-first post-order (order/order.ts), so a graph's
 * leaves usually become ready in increasing order and a task completed by a result is usually
 * more urgent than everything queued: both land in the O(1) parts. A heap alone re-sifted every
 * one of them (17 levels for the 100,000 leaves of the tiny-task tree, a cache miss per level).
 *
 * The heap's keys are kept beside its tasks in typed arrays: comparing through the TaskStates
 * made every sift step a cache miss per child.
 */
export class ReadyQueue {
  private heap: TaskState[] = [];
  private prio = new Float64Array(64);
  private seqs = new Float64Array(64);
  /** Increasing (priority, seq) from `runHead` on. */
  private run: TaskState[] = [];
  private runHead = 0;
  /** Decreasing (priority, seq) from the bottom: the top is the most urgent. */
  private stack: TaskState[] = [];

  get size(): number {
    return this.heap.length + this.run.length - this.runHead + this.stack.length;
  }

  push(ts: TaskState): void {
    const stack = this.stack;
    if (stack.length === 0 ? this.size === 0 || !this.headsRunBefore(ts) : runsBefore(ts, stack[stack.length - 1])) {
      // More urgent than every entry on the stack (or, for an empty stack, than some other head
      // too: a task completed by a result usually is), so the stack stays sorted.
      stack.push(ts);
      return;
    }
    const run = this.run;
    if (this.runHead === run.length) {
      if (this.runHead !== 0) {
        run.length = 0;
        this.runHead = 0;
      }
      run.push(ts);
      return;
    }
    if (runsBefore(run[run.length - 1], ts)) {
      run.push(ts);
      return;
    }
    this.pushHeap(ts);
  }

  /** Every entry, stale ones included (for validation). */
  entries(): readonly TaskState[] {
    return [...this.heap, ...this.run.slice(this.runHead), ...this.stack];
  }

  /** The first entry out of order, with what it should run after, or undefined (for validation). */
  misplaced(): { readonly task: TaskState; readonly before: TaskState; readonly part: string } | undefined {
    const h = this.heap;
    for (let i = 1; i < h.length; i++) {
      const p = (i - 1) >> 1;
      if (runsBefore(h[i], h[p])) return { task: h[i], before: h[p], part: 'heap' };
    }
    for (let i = this.runHead + 1; i < this.run.length; i++) {
      if (!runsBefore(this.run[i - 1], this.run[i])) return { task: this.run[i], before: this.run[i - 1], part: 'increasing run' };
    }
    for (let i = 1; i < this.stack.length; i++) {
      if (!runsBefore(this.stack[i], this.stack[i - 1])) return { task: this.stack[i - 1], before: this.stack[i], part: 'stack' };
    }
    return undefined;
  }

  /** The most urgent task still ready, or undefined. */
  pop(): TaskState | undefined {
    for (;;) {
      const stack = this.stack;
      const run = this.run;
      // 0: stack, 1: run, 2: heap.
      let from = -1;
      let best: TaskState | undefined;
      if (stack.length) {
        best = stack[stack.length - 1];
        from = 0;
      }
      if (this.runHead < run.length) {
        const r = run[this.runHead];
        if (best === undefined || runsBefore(r, best)) {
          best = r;
          from = 1;
        }
      }
      if (this.heap.length) {
        const p = this.prio[0];
        if (best === undefined || p < best.priority || (p === best.priority && this.seqs[0] < best.seq)) {
          best = this.heap[0];
          from = 2;
        }
      }
      if (best === undefined) return undefined;
      if (from === 0) stack.pop();
      else if (from === 1) {
        run[this.runHead++] = undefined as unknown as TaskState;
        if (this.runHead === run.length) {
          run.length = 0;
          this.runHead = 0;
        } else if (this.runHead > 4096 && this.runHead * 2 > run.length) {
          this.run = run.slice(this.runHead);
          this.runHead = 0;
        }
      } else this.popHeap();
      if (best.status === 'ready') return best;
    }
  }

  /** Whether some head (run or heap) runs before `ts`: it then cannot go on an empty stack usefully. */
  private headsRunBefore(ts: TaskState): boolean {
    if (this.runHead < this.run.length && runsBefore(this.run[this.runHead], ts)) return true;
    const h = this.heap;
    return h.length > 0 && (this.prio[0] < ts.priority || (this.prio[0] === ts.priority && this.seqs[0] < ts.seq));
  }

  private pushHeap(ts: TaskState): void {
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

  private popHeap(): void {
    const h = this.heap;
    const prio = this.prio;
    const seqs = this.seqs;
    const last = h.pop()!;
    const n = h.length;
    if (n === 0) return;
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
