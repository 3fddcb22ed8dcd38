import { forEachLayer, type LayerNode } from './high-level';
import { KeyIndex } from './key-index';
import type { Graph, GraphNode, Key } from './spec';

const NO_PARENTS: readonly LayerNode[] = [];

/**
 * A graph with integer ids and compressed adjacency (CSR). Culling, fusing and ordering walk
 * these arrays instead of string-keyed maps: at 100,000s of tasks per compute, that is the
 * difference between milliseconds and seconds.
 */
export class IndexedGraph {
  private dependentsCache?: { start: Int32Array; list: Int32Array };
  /**
   * The largest block a layer it was materialised from declares (LayerInfo.largestBlock), in
   * bytes; 0 when built otherwise. Gathered on the same walk, so the memory check needs no other.
   */
  largestBlock = 0;

  constructor(
    readonly nodes: readonly GraphNode[],
    readonly index: ReadonlyMap<Key, number>,
    /** Dependencies of node i are depList[depStart[i] .. depStart[i + 1]). */
    readonly depStart: Int32Array,
    readonly depList: Int32Array,
  ) {}

  get size(): number {
    return this.nodes.length;
  }

  key(i: number): Key {
    return this.nodes[i].key;
  }

  /** Builds the index of a node list; names the first dependency that is missing. */
  static fromNodes(nodes: readonly GraphNode[], index?: ReadonlyMap<Key, number>): IndexedGraph {
    return IndexedGraph.link(nodes, index);
  }

  /**
   * `definedBy[i]`, when given, is the layer node that made node i: a dependency produced by one
   * of its parents' one-node layers is found at that parent's position (`LayerNode.at`) by
   * comparing keys, without a lookup in the index (a Delayed graph has one such edge per input).
   */
  private static link(nodes: readonly GraphNode[], index?: ReadonlyMap<Key, number>, definedBy?: readonly LayerNode[]): IndexedGraph {
    let idx = index;
    if (!idx) {
      const m = new Map<Key, number>();
      for (let i = 0; i < nodes.length; i++) m.set(nodes[i].key, i);
      idx = m;
    }
    let total = 0;
    for (const n of nodes) total += n.deps.length;
    const depStart = new Int32Array(nodes.length + 1);
    const depList = new Int32Array(total);
    let p = 0;
    for (let i = 0; i < nodes.length; i++) {
      depStart[i] = p;
      const ds = nodes[i].deps;
      const parents = definedBy === undefined ? NO_PARENTS : definedBy[i].parents;
      for (let j = 0; j < ds.length; j++) {
        let d: number | undefined;
        for (let q = 0; q < parents.length; q++) {
          const at = parents[q].at;
          // Checked by key, so a position left by another walk can only miss, never mislead.
          if (at >= 0 && at < nodes.length && nodes[at].key === ds[j]) {
            d = at;
            break;
          }
        }
        if (d === undefined) d = idx.get(ds[j]);
        if (d === undefined) throw new Error(`Task graph is missing key '${ds[j]}', needed by '${nodes[i].key}'`);
        depList[p++] = d;
      }
    }
    depStart[nodes.length] = p;
    return new IndexedGraph(nodes, idx, depStart, depList);
  }

  static fromGraph(graph: Graph): IndexedGraph {
    return IndexedGraph.fromNodes([...graph.values()]);
  }

  /**
   * Materialises the layers reachable from some output layers, parents first, each key once.
   */
  static fromLayers(roots: readonly LayerNode[]): IndexedGraph {
    const nodes: GraphNode[] = [];
    // Made at the first layer whose keys may be defined elsewhere too; until then (a graph of
    // `delayed` calls throughout) no key is hashed: see LayerNode.freshKeys and KeyIndex.
    let index: Map<Key, number> | undefined;
    const definedBy: LayerNode[] = [];
    let largest = 0;
    forEachLayer(roots, (ln) => {
      const b = ln.layer.info?.largestBlock;
      if (b !== undefined && b > largest) largest = b;
      let count = 0;
      let last = -1;
      const made = ln.layer.materialize();
      if (index === undefined && ln.freshKeys) {
        // Keys minted for this layer node alone: none can be defined already.
        if (Array.isArray(made)) {
          const list = made as readonly GraphNode[];
          for (let j = 0; j < list.length; j++) {
            nodes.push(list[j]);
            definedBy.push(ln);
          }
          count = list.length;
        } else {
          for (const node of made) {
            nodes.push(node);
            definedBy.push(ln);
            count++;
          }
        }
        last = nodes.length - 1;
        ln.at = count === 1 ? last : -1;
        return;
      }
      if (index === undefined) {
        index = new Map<Key, number>();
        for (let i = 0; i < nodes.length; i++) index.set(nodes[i].key, i);
      }
      for (const node of made) {
        count++;
        last = index.get(node.key) ?? -1;
        if (last < 0) {
          last = nodes.length;
          index.set(node.key, last);
          nodes.push(node);
          definedBy.push(ln);
        } else {
          nodes[last] = node; // a later layer redefining a key wins, as in a dict merge
          definedBy[last] = ln;
        }
      }
      // Parents are visited first: their readers find a one-node layer's result here.
      ln.at = count === 1 ? last : -1;
    });
    const g = IndexedGraph.link(nodes, index ?? new KeyIndex(nodes), definedBy);
    g.largestBlock = largest;
    return g;
  }

  /** Readers of each node, in CSR form (computed once). */
  dependents(): { start: Int32Array; list: Int32Array } {
    if (this.dependentsCache) return this.dependentsCache;
    const n = this.size;
    const count = new Int32Array(n + 1);
    for (let e = 0; e < this.depList.length; e++) count[this.depList[e] + 1]++;
    for (let i = 0; i < n; i++) count[i + 1] += count[i];
    const start = count.slice();
    const fillAt = count.slice(0, n);
    const list = new Int32Array(this.depList.length);
    for (let i = 0; i < n; i++) {
      for (let e = this.depStart[i]; e < this.depStart[i + 1]; e++) list[fillAt[this.depList[e]]++] = i;
    }
    this.dependentsCache = { start, list };
    return this.dependentsCache;
  }

  /** The nodes whose flag is set, in the same order, re-indexed. */
  subset(keep: Uint8Array): IndexedGraph {
    const nodes: GraphNode[] = [];
    for (let i = 0; i < this.size; i++) if (keep[i]) nodes.push(this.nodes[i]);
    return IndexedGraph.fromNodes(nodes);
  }

  toGraph(): Graph {
    const g: Graph = new Map();
    for (const n of this.nodes) g.set(n.key, n);
    return g;
  }

  /** Ids of some keys; names the first one that is not in the graph. */
  idsOf(keys: Iterable<Key>): number[] {
    const out: number[] = [];
    for (const k of keys) {
      const i = this.index.get(k);
      if (i === undefined) throw new Error(`Cannot compute key '${k}': it is not in the task graph`);
      out.push(i);
    }
    return out;
  }
}
