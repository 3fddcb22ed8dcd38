/** Shared by the graph-linking tests: a tiny add op and a graph's inputs by key. */
import type { IndexedGraph } from '../src/graph/indexed';
import type { OpRef } from '../src/graph/spec';

export const add: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };

/** Inputs of every node by key, read through the CSR arrays. */
export function inputsOf(g: IndexedGraph): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < g.size; i++) {
    const ks: string[] = [];
    for (let e = g.depStart[i]; e < g.depStart[i + 1]; e++) ks.push(g.key(g.depList[e]));
    out[g.key(i)] = ks;
  }
  return out;
}
