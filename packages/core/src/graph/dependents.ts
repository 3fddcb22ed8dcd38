import type { Graph, Key } from './spec';

/** key -> keys that read it. */
export function dependentsOf(graph: Graph): Map<Key, Key[]> {
  const out = new Map<Key, Key[]>();
  for (const k of graph.keys()) out.set(k, []);
  for (const node of graph.values()) {
    for (const d of node.deps) out.get(d)?.push(node.key);
  }
  return out;
}
