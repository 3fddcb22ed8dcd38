import { describe, expect, it } from 'vitest';
import { order } from '../src/order/order';
import { dataNode, ref, taskNode, type Graph, type GraphNode, type OpRef } from '../src/graph/spec';

const add: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };

/** A binary reduction tree over `n` leaves: leaves 'l0'.., inner nodes 's<level>-<i>'. */
function tree(n: number): { graph: Graph; root: string } {
  const nodes: GraphNode[] = [];
  let level = Array.from({ length: n }, (_, i) => {
    nodes.push(dataNode(`l${i}`, i));
    return `l${i}`;
  });
  let depth = 0;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      if (i + 1 === level.length) {
        next.push(level[i]);
        continue;
      }
      const k = `s${depth}-${i / 2}`;
      nodes.push(taskNode(k, add, [ref(level[i]), ref(level[i + 1])]));
      next.push(k);
    }
    level = next;
    depth++;
  }
  return { graph: new Map(nodes.map((x) => [x.key, x])), root: level[0] };
}

/** Runs tasks one at a time in priority order and returns the most results held at once. */
function peakMemory(graph: Graph, prio: Map<string, number>): number {
  const readers = new Map<string, number>();
  for (const n of graph.values()) for (const d of n.deps) readers.set(d, (readers.get(d) ?? 0) + 1);
  const keys = [...graph.keys()].sort((a, b) => prio.get(a)! - prio.get(b)!);
  let live = 0;
  let peak = 0;
  const done = new Set<string>();
  for (const k of keys) {
    for (const d of graph.get(k)!.deps) expect(done.has(d)).toBe(true); // a valid topological order
    done.add(k);
    live++;
    peak = Math.max(peak, live);
    for (const d of graph.get(k)!.deps) {
      const r = readers.get(d)! - 1;
      readers.set(d, r);
      if (r === 0) live--;
    }
  }
  return peak;
}

describe('order', () => {
  it('finishes each branch before starting the next (depth-first)', () => {
    const { graph } = tree(4);
    const p = order(graph);
    const seq = [...p.entries()].sort((a, b) => a[1] - b[1]).map(([k]) => k);
    expect(seq).toEqual(['l0', 'l1', 's0-0', 'l2', 'l3', 's0-1', 's1-0']);
  });

  it('keeps memory logarithmic on a 4096-leaf reduction (a breadth-first order would hold 4096)', () => {
    const { graph } = tree(4096);
    const peak = peakMemory(graph, order(graph));
    expect(peak).toBeLessThanOrEqual(Math.log2(4096) + 2);
  });

  it('runs a cheap input before an expensive one', () => {
    const nodes: GraphNode[] = [dataNode('x0', 0)];
    for (let i = 1; i <= 5; i++) nodes.push(taskNode(`x${i}`, add, [ref(`x${i - 1}`), ref(`x${i - 1}`)]));
    nodes.push(dataNode('cheap', 1), taskNode('out', add, [ref('x5'), ref('cheap')]));
    const p = order(new Map(nodes.map((n) => [n.key, n])));
    expect(p.get('cheap')).toBe(0);
    expect(p.get('out')).toBe(7);
  });

  it('handles a 200,000-deep chain iteratively and reports cycles', () => {
    const nodes: GraphNode[] = [dataNode('c0', 0)];
    for (let i = 1; i < 200_000; i++) nodes.push(taskNode(`c${i}`, add, [ref(`c${i - 1}`), { t: 'lit', v: 1 }]));
    const p = order(new Map(nodes.map((n) => [n.key, n])));
    expect(p.get('c0')).toBe(0);
    expect(p.get('c199999')).toBe(199_999);
    const cyc = new Map<string, GraphNode>([
      ['a', taskNode('a', add, [ref('b'), ref('b')])],
      ['b', taskNode('b', add, [ref('a'), ref('a')])],
    ]);
    expect(() => order(cyc)).toThrow(/cycle/);
  });
});
