/**
 * Before a graph runs: remote values in its data nodes (results persisted in worker threads, a
 * cluster's futures) that the chosen executor cannot read in place are copied to the caller, and
 * persisted values whose worker thread is gone are replaced by the part of their lineage that
 * recomputes them.
 */
import { IndexedGraph } from '../graph/indexed';
import { dataNode, isRemoteValue, ref, taskNode, type GraphNode, type Key } from '../graph/spec';
import { coreOps } from '../ops/index';
import type { Executor } from './executor';
import { LineageInput, ResidentValue, type Lineage } from './threads/resident';
import type { ThreadPool } from './threads/pool';

/** Lineage may itself hold lost persisted values: each round resolves one generation. */
const MAX_ROUNDS = 64;

export async function resolveResidentInputs(graph: IndexedGraph, executor: Executor): Promise<IndexedGraph> {
  let g = graph;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // Persisted in threads, copied in one request per worker; other remote values one by one.
    const toCopy = new Map<ThreadPool, Map<number, number[]>>();
    const toFetch: number[] = [];
    const lost: number[] = [];
    const revived: [number, ResidentValue][] = [];
    g.nodes.forEach((n, i) => {
      if (n.kind !== 'data') return;
      // Brought in by a lineage: the persisted input itself if still referenced, else its lineage.
      if (n.value instanceof LineageInput) {
        const v = n.value.deref();
        if (v) revived.push([i, v]);
        else lost.push(i);
        return;
      }
      if (!isRemoteValue(n.value) || n.value.readableBy(executor)) return;
      const v = n.value;
      if (!(v instanceof ResidentValue)) toFetch.push(i);
      else if (!v.live) lost.push(i);
      else {
        let byHolder = toCopy.get(v.pool);
        if (!byHolder) toCopy.set(v.pool, (byHolder = new Map()));
        const at = byHolder.get(v.holder);
        if (at) at.push(i);
        else byHolder.set(v.holder, [i]);
      }
    });
    if (toCopy.size === 0 && toFetch.length === 0 && lost.length === 0 && revived.length === 0) return g;
    const nodes: GraphNode[] = g.nodes.slice();
    for (const [i, v] of revived) nodes[i] = dataNode(nodes[i].key, v);
    const copies = [...toCopy].flatMap(([pool, byHolder]) => [...byHolder].map(([holder, at]) => ({ pool, holder, at })));
    await Promise.all([
      ...copies.map(async ({ pool, holder, at }) => {
        const ids = at.map((i) => (nodes[i] as { value: ResidentValue }).value.id);
        const got = await pool.fetchResident(holder, ids);
        const missing = new Set(got.missing);
        let vi = 0;
        at.forEach((i, j) => {
          if (missing.has(ids[j])) lost.push(i);
          else nodes[i] = dataNode(nodes[i].key, got.values[vi++]);
        });
      }),
      ...toFetch.map(async (i) => {
        nodes[i] = dataNode(nodes[i].key, await (nodes[i] as { value: { fetch(): Promise<unknown> } }).value.fetch());
      }),
    ]);
    if (lost.length) addLineage(nodes, lost);
    g = IndexedGraph.fromNodes(nodes);
  }
  throw new Error(`pdask: persisted values could not be resolved after ${MAX_ROUNDS} generations of lineage`);
}

/** Replaces lost persisted values by the nodes that computed them (and their missing inputs). */
function addLineage(nodes: GraphNode[], lost: readonly number[]): void {
  const present = new Set<Key>(nodes.map((n) => n.key));
  for (const i of lost) {
    const node = nodes[i];
    const v = (node as { value: { key: Key; lineage: Lineage } }).value;
    const lg = v.lineage.graph;
    const at = lg.index.get(v.key);
    if (at === undefined) throw new Error(`pdask internal error: the lineage of '${v.key}' does not compute it`);
    if (node.key === v.key) {
      nodes[i] = lg.nodes[at];
    } else {
      // Another collection's name for the same value: read it through an alias.
      nodes[i] = coreOps.identity.task(node.key, ref(v.key));
      if (!present.has(v.key)) {
        nodes.push(lg.nodes[at]);
        present.add(v.key);
      }
    }
    const stack = [at];
    while (stack.length) {
      const j = stack.pop()!;
      for (let e = lg.depStart[j]; e < lg.depStart[j + 1]; e++) {
        const d = lg.depList[e];
        const k = lg.nodes[d].key;
        if (present.has(k)) continue;
        present.add(k);
        nodes.push(lg.nodes[d]);
        stack.push(d);
      }
    }
  }
}
