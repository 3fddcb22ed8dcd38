import { IndexedGraph } from './indexed';
import { isRemoteValue, type DataNode, type FusedNode, type Graph, type GraphNode, type Key, type TaskNode } from './spec';

/**
 * Fuses linear chains: a node whose only reader is the next node, which reads nothing else, is
 * merged into it. Output nodes are never fused away. Only strictly linear chains are fused so the
 * parallelism of trees and fan-outs is untouched (collections fuse elementwise work themselves,
 * at the expression level, where shapes are known).
 */
export function fuseLinearIndexed(g: IndexedGraph, outputs: readonly number[]): IndexedGraph {
  const n = g.size;
  const { start, list } = g.dependents();
  const isOutput = new Uint8Array(n);
  for (const o of outputs) isOutput[o] = 1;
  const nDeps = (i: number): number => g.depStart[i + 1] - g.depStart[i];
  // absorbed[i]: i is merged into its sole reader.
  const absorbed = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    const node = g.nodes[i];
    if (isOutput[i] || start[i + 1] - start[i] !== 1 || node.kind === 'fused') continue;
    if (node.kind === 'data' && isRemoteValue(node.value)) continue;
    const d = list[start[i]];
    if (nDeps(d) !== 1 || g.nodes[d].kind === 'fused') continue;
    absorbed[i] = 1;
    any = true;
  }
  if (!any) return g;

  const nodes: GraphNode[] = [];
  for (let i = 0; i < n; i++) {
    if (absorbed[i]) continue; // emitted inside its chain's tail
    const node = g.nodes[i];
    if (nDeps(i) !== 1 || !absorbed[g.depList[g.depStart[i]]]) {
      nodes.push(node);
      continue;
    }
    const members: (TaskNode | DataNode)[] = [node as TaskNode | DataNode];
    let h = g.depList[g.depStart[i]];
    for (;;) {
      members.push(g.nodes[h] as TaskNode | DataNode);
      if (nDeps(h) === 1 && absorbed[g.depList[g.depStart[h]]]) h = g.depList[g.depStart[h]];
      else break;
    }
    members.reverse();
    const fused: FusedNode = { kind: 'fused', key: node.key, members, deps: members[0].deps };
    nodes.push(fused);
  }
  return IndexedGraph.fromNodes(nodes);
}

export function fuseLinear(graph: Graph, outputs: Iterable<Key>): Graph {
  const g = IndexedGraph.fromGraph(graph);
  const out = fuseLinearIndexed(g, g.idsOf(outputs));
  return out === g ? graph : out.toGraph();
}
