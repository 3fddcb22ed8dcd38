import { IndexedGraph } from './indexed';
import type { Graph, Key } from './spec';

/** Keeps only what the given nodes need (transitively), in the same order. */
export function cullIndexed(g: IndexedGraph, targets: readonly number[]): IndexedGraph {
  const keep = new Uint8Array(g.size);
  const stack: number[] = [];
  let kept = 0;
  for (const t of targets) {
    if (!keep[t]) {
      keep[t] = 1;
      kept++;
      stack.push(t);
    }
  }
  while (stack.length) {
    const i = stack.pop()!;
    for (let e = g.depStart[i]; e < g.depStart[i + 1]; e++) {
      const d = g.depList[e];
      if (!keep[d]) {
        keep[d] = 1;
        kept++;
        stack.push(d);
      }
    }
  }
  return kept === g.size ? g : g.subset(keep);
}

/** Keeps only the nodes the requested keys need (transitively), preserving insertion order. */
export function cull(graph: Graph, keys: Iterable<Key>): Graph {
  const g = IndexedGraph.fromGraph(graph);
  const out = cullIndexed(g, g.idsOf(keys));
  return out === g ? graph : out.toGraph();
}
