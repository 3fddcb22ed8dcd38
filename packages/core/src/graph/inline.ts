import { IndexedGraph } from './indexed';
import { isRemoteValue, type ArgSpec, type DataNode, type GraphNode, type Key, type TaskNode } from './spec';

/**
 * Inlines data read by a single task into that task's arguments (Dask's `inline` of constants).
 * A data node is otherwise a task of its own: it is placed on some worker before its reader is,
 * often not the worker its reader's other inputs go to, which costs a fetch between threads per
 * input (the seed's `(dx + dy).sum()`: 8 block nodes, 4 readers). Outputs, data read by several
 * tasks (it would be copied into each) and remote values (references resolved by the executor)
 * stay nodes.
 */
export function inlineDataIndexed(g: IndexedGraph, outputs: readonly number[]): IndexedGraph {
  const n = g.size;
  const { start } = g.dependents();
  const isOutput = new Uint8Array(n);
  for (const o of outputs) isOutput[o] = 1;
  const values = new Map<Key, unknown>();
  for (let i = 0; i < n; i++) {
    const node = g.nodes[i];
    if (node.kind !== 'data' || isOutput[i] || start[i + 1] - start[i] !== 1 || isRemoteValue(node.value)) continue;
    values.set(node.key, node.value);
  }
  if (values.size === 0) return g;
  const nodes: GraphNode[] = [];
  for (let i = 0; i < n; i++) {
    const node = g.nodes[i];
    if (values.has(node.key)) continue;
    nodes.push(node.deps.some((d) => values.has(d)) ? substitute(node, values) : node);
  }
  return IndexedGraph.fromNodes(nodes);
}

function substitute(node: GraphNode, values: ReadonlyMap<Key, unknown>): GraphNode {
  const deps = node.deps.filter((d) => !values.has(d));
  switch (node.kind) {
    case 'task':
      return { ...node, args: substituteArgs(node.args, values), deps };
    case 'data':
      return node;
    case 'fused':
      return {
        ...node,
        members: node.members.map((m): TaskNode | DataNode => (m.kind === 'task' ? { ...m, args: substituteArgs(m.args, values), deps: m.deps.filter((d) => !values.has(d)) } : m)),
        deps,
      };
  }
}

function substituteArgs(args: readonly ArgSpec[], values: ReadonlyMap<Key, unknown>): ArgSpec[] {
  return args.map((a): ArgSpec => {
    switch (a.t) {
      case 'ref':
        return values.has(a.key) ? { t: 'lit', v: values.get(a.key) } : a;
      case 'arr':
        return { t: 'arr', items: substituteArgs(a.items, values) };
      case 'obj':
        return { t: 'obj', entries: a.entries.map(([k, x]) => [k, substituteArgs([x], values)[0]] as const) };
      default:
        return a;
    }
  });
}
