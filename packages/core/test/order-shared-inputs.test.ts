/**
 * order(): a partition read once for several reductions (compute(a.sum(), a.count(), ...)) is
 * released once all of them took it. Depth-first from each output alone would give the second
 * reduction's tasks priorities after every read of the first, so that every partition is held at
 * once: the whole dataset in memory for a streaming computation.
 */
import { describe, expect, it } from 'vitest';
import { order } from '../src/order/order';
import { ref, taskNode, type Graph, type GraphNode, type OpRef } from '../src/graph/spec';

const op: OpRef = { k: 'src', src: '(...xs) => xs.length', name: 'op' };

/** `n` reads, each feeding a chunk task of each of `r` reductions; each reduction sums its chunks in a binary tree. */
function sharedReads(n: number, r: number): Graph {
  const nodes: GraphNode[] = [];
  for (let i = 0; i < n; i++) nodes.push(taskNode(`read-${i}`, op, []));
  for (let j = 0; j < r; j++) {
    let level = Array.from({ length: n }, (_, i) => {
      nodes.push(taskNode(`chunk${j}-${i}`, op, [ref(`read-${i}`)]));
      return `chunk${j}-${i}`;
    });
    for (let d = 0; level.length > 1; d++) {
      const next: string[] = [];
      for (let i = 0; i < level.length; i += 2) {
        if (i + 1 === level.length) next.push(level[i]);
        else {
          nodes.push(taskNode(`comb${j}-${d}-${i}`, op, [ref(level[i]), ref(level[i + 1])]));
          next.push(`comb${j}-${d}-${i}`);
        }
      }
      level = next;
    }
  }
  return new Map(nodes.map((x) => [x.key, x]));
}

/** Runs the tasks one at a time in priority order: the most read results held at once. */
function peakReadsHeld(graph: Graph, prio: Map<string, number>): number {
  const readers = new Map<string, number>();
  for (const n of graph.values()) for (const d of n.deps) readers.set(d, (readers.get(d) ?? 0) + 1);
  const keys = [...graph.keys()].sort((a, b) => prio.get(a)! - prio.get(b)!);
  const done = new Set<string>();
  let held = 0;
  let peak = 0;
  for (const k of keys) {
    for (const d of graph.get(k)!.deps) expect(done.has(d)).toBe(true);
    done.add(k);
    if (k.startsWith('read-')) peak = Math.max(peak, ++held);
    for (const d of graph.get(k)!.deps) {
      const left = readers.get(d)! - 1;
      readers.set(d, left);
      if (left === 0 && d.startsWith('read-')) held--;
    }
  }
  return peak;
}

describe('order: inputs shared by several reductions', () => {
  for (const [n, r] of [
    [64, 2],
    [33, 3],
    [1, 2],
  ] as const) {
    it(`${n} reads for ${r} reductions: one read held at a time`, () => {
      const g = sharedReads(n, r);
      const prio = order(g);
      expect(new Set(prio.values()).size).toBe(g.size);
      expect(peakReadsHeld(g, prio)).toBe(1);
    });
  }
});
