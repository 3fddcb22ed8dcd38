import { IndexedGraph } from '../graph/indexed';
import type { Graph, Key } from '../graph/spec';

/**
 * A static priority for every task (lower runs first), in the spirit of `dask.order`: a depth-first
 * post-order from the outputs, so each branch is finished (and its intermediates freed) before the
 * next one starts. Among the inputs of a task, the one with the smaller upstream graph goes first
 * (ties: graph insertion order), so cheap branches complete and release memory early.
 *
 * Linear in the graph size (plus sorting each task's inputs); iterative, since chains can be
 * 100,000 tasks deep. Throws on a cycle.
 */
export function orderIndexed(g: IndexedGraph): Int32Array {
  const n = g.size;
  const { depStart, depList } = g;

  // Upstream size (shared inputs counted per path, capped: a cheap, monotone proxy), by an
  // iterative post-order DFS that also detects cycles (state 1 = on the stack).
  const upstream = new Float64Array(n);
  const state = new Uint8Array(n);
  const cursor = new Int32Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  for (let r = 0; r < n; r++) {
    if (state[r]) continue;
    state[r] = 1;
    stack[sp++] = r;
    cursor[r] = depStart[r];
    while (sp) {
      const i = stack[sp - 1];
      if (cursor[i] < depStart[i + 1]) {
        const d = depList[cursor[i]++];
        if (state[d] === 1) throw new Error(`order: the task graph has a cycle through '${g.key(d)}'`);
        if (state[d] === 0) {
          state[d] = 1;
          cursor[d] = depStart[d];
          stack[sp++] = d;
        }
        continue;
      }
      sp--;
      state[i] = 2;
      let s = 1;
      for (let e = depStart[i]; e < depStart[i + 1]; e++) s += upstream[depList[e]];
      upstream[i] = Math.min(s, 1e12);
    }
  }

  // Inputs in visiting order: cheapest upstream first, then insertion order.
  const sorted = depList.slice();
  for (let i = 0; i < n; i++) {
    const a = depStart[i];
    const b = depStart[i + 1];
    if (b - a === 2) {
      const x = sorted[a];
      const y = sorted[a + 1];
      if (upstream[y] < upstream[x] || (upstream[y] === upstream[x] && y < x)) {
        sorted[a] = y;
        sorted[a + 1] = x;
      }
    } else if (b - a > 2) {
      const part = Array.from(sorted.subarray(a, b)).sort((x, y) => upstream[x] - upstream[y] || x - y);
      sorted.set(part, a);
    }
  }

  const hasDependents = new Uint8Array(n);
  for (let e = 0; e < depList.length; e++) hasDependents[depList[e]] = 1;

  const priority = new Int32Array(n);
  const visited = new Uint8Array(n);
  /** Given a priority: its result exists once it runs. */
  const done = new Uint8Array(n);
  const dependents = g.dependents();
  let next = 0;
  for (let root = 0; root < n; root++) {
    if (hasDependents[root] || visited[root]) continue;
    visited[root] = 1;
    stack[sp++] = root;
    cursor[root] = depStart[root];
    while (sp) {
      const i = stack[sp - 1];
      let pushed = false;
      while (cursor[i] < depStart[i + 1]) {
        const d = sorted[cursor[i]++];
        if (!visited[d]) {
          visited[d] = 1;
          cursor[d] = depStart[d];
          stack[sp++] = d;
          pushed = true;
          break;
        }
      }
      if (pushed) continue;
      sp--;
      priority[i] = next++;
      done[i] = 1;
      // Dependents it completes run next, even those on the way to another output: a partition
      // read for two reductions is then released once both have taken it, instead of being held
      // until the second reduction's turn comes (which would keep every partition in memory).
      for (let e = dependents.start[i]; e < dependents.start[i + 1]; e++) {
        const j = dependents.list[e];
        if (visited[j] || !allDone(j)) continue;
        visited[j] = 1;
        cursor[j] = depStart[j];
        stack[sp++] = j;
      }
    }
  }
  if (next !== n) throw new Error('order: the task graph has a cycle');

  function allDone(j: number): boolean {
    for (let e = depStart[j]; e < depStart[j + 1]; e++) if (!done[depList[e]]) return false;
    return true;
  }
  return priority;
}

/** `orderIndexed` for a key-based graph: key -> priority. */
export function order(graph: Graph): Map<Key, number> {
  const g = IndexedGraph.fromGraph(graph);
  const p = orderIndexed(g);
  const out = new Map<Key, number>();
  for (let i = 0; i < g.size; i++) out.set(g.key(i), p[i]);
  return out;
}
