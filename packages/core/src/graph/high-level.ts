import type { Graph, GraphNode, Key } from './spec';

/**
 * One collection operation (a `delayed` call, an array `add`, a bag `map`): it can produce its
 * low-level tasks on demand, so graph construction stays cheap and only `compute()` pays for
 * materialisation.
 */
/**
 * What a layer's builder knows about its results before anything runs: collections use it to
 * choose where a graph runs and to refuse results too large for memory before allocating them.
 */
export interface LayerInfo {
  /** Bytes of all the layer's results together (NaN: unknown). */
  readonly bytes?: number;
  /** Bytes of the layer's largest single result. */
  readonly largestBlock?: number;
  /** The layer runs user functions (its cost is unknown). */
  readonly userCode?: boolean;
  /** The layer reads objects only the calling thread has (e.g. in-memory stores). */
  readonly callerThread?: boolean;
}

export interface Layer {
  readonly name: string;
  /** Low-level nodes of this layer. May be generated lazily. */
  materialize(): Iterable<GraphNode>;
  /** A short label for visualisation and debugging (e.g. "add", "from-array"). */
  readonly label?: string;
  readonly info?: LayerInfo;
}

export class MaterializedLayer implements Layer {
  constructor(
    readonly name: string,
    private readonly nodes: readonly GraphNode[],
    readonly label?: string,
    readonly info?: LayerInfo,
  ) {}
  materialize(): Iterable<GraphNode> {
    return this.nodes;
  }
}

/** A layer whose nodes are generated when the graph is materialised, not when it is built. */
export class GeneratedLayer implements Layer {
  constructor(
    readonly name: string,
    readonly label: string,
    private readonly nodes: () => Iterable<GraphNode>,
    readonly info?: LayerInfo,
  ) {}
  materialize(): Iterable<GraphNode> {
    return this.nodes();
  }
}

/**
 * A layer linked to the layers it reads. Collections hold the node of their output layer; the
 * whole high-level graph is recovered by walking parents. Because nothing is merged eagerly, a
 * chain of n operations costs O(n) to build (Dask's dict merging makes it O(n²)).
 */
export class LayerNode {
  /** Walk marker: the id of the last walk that visited this node (cheaper than a visited set). */
  mark = 0;
  /**
   * Position of this layer's node in the graph being materialised, when the layer has exactly one
   * (-1 otherwise): written by IndexedGraph.fromLayers as the walk reaches it, read by its readers.
   */
  at = -1;
  constructor(
    readonly layer: Layer,
    readonly parents: readonly LayerNode[],
    /**
     * Its keys were minted for this node alone (a random id, as an impure `delayed` call's), so
     * no other layer node defines them, except ones made to redefine them (persisted results),
     * which do not say this. Materialising then needs no lookup to find a key defined twice.
     */
    readonly freshKeys = false,
  ) {}
}

export function layerNode(layer: Layer, parents: readonly LayerNode[] = []): LayerNode {
  return new LayerNode(layer, parents);
}

/** A layer node whose keys were just minted for it (see LayerNode.freshKeys). */
export function freshLayerNode(layer: Layer, parents: readonly LayerNode[] = []): LayerNode {
  return new LayerNode(layer, parents, true);
}

let walks = 0;

/** Layers by name plus layer-level dependencies, in dependency order (parents first). */
export class HighLevelGraph {
  constructor(
    readonly layers: ReadonlyMap<string, Layer>,
    readonly dependencies: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** Walks from the given output layers to every layer they depend on. */
  static fromRoots(roots: readonly LayerNode[]): HighLevelGraph {
    const layers = new Map<string, Layer>();
    const deps = new Map<string, string[]>();
    forEachLayer(roots, (ln) => {
      if (layers.has(ln.layer.name)) return;
      layers.set(ln.layer.name, ln.layer);
      deps.set(
        ln.layer.name,
        ln.parents.map((p) => p.layer.name),
      );
    });
    return new HighLevelGraph(layers, deps);
  }

  /** The low-level graph: every layer's nodes, parents first. */
  materialize(): Graph {
    const g: Graph = new Map();
    for (const layer of this.layers.values()) {
      for (const node of layer.materialize()) g.set(node.key, node);
    }
    return g;
  }
}

/**
 * Visits every layer reachable from `roots` once, parents before children. Iterative: chains of
 * layers may be 100,000 deep.
 */
export function forEachLayer(roots: readonly LayerNode[], visit: (ln: LayerNode) => void): void {
  // Walks are synchronous, so a fresh id per walk marks visited nodes unambiguously.
  const walk = ++walks;
  const stack: LayerNode[] = [];
  const cursor: number[] = [];
  for (const r of roots) {
    if (r.mark === walk) continue;
    r.mark = walk;
    stack.push(r);
    cursor.push(0);
    while (stack.length) {
      const top = stack.length - 1;
      const ln = stack[top];
      if (cursor[top] < ln.parents.length) {
        const p = ln.parents[cursor[top]++];
        if (p.mark !== walk) {
          p.mark = walk;
          stack.push(p);
          cursor.push(0);
        }
        continue;
      }
      stack.pop();
      cursor.pop();
      visit(ln);
    }
  }
}

/** Convenience: the materialised low-level graph reachable from some layer nodes. */
export function materialize(roots: readonly LayerNode[]): Graph {
  return HighLevelGraph.fromRoots(roots).materialize();
}

export type { Key };
