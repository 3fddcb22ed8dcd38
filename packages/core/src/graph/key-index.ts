import type { GraphNode, Key } from './spec';

/**
 * Positions of the keys of a node list whose keys are known to be distinct, as a ReadonlyMap,
 * hashed into a real Map only once lookups have cost as much as making it. A graph of 100,000s
 * of tiny tasks is linked through its layers (IndexedGraph.fromLayers) and run by position, so
 * its keys are looked up a handful of times (the outputs), and inserting every one of them into
 * a Map was the largest single cost of computing it. Until then a lookup scans the nodes from the
 * end: outputs come last (parents are materialised first), so theirs stop at once.
 */
export class KeyIndex implements ReadonlyMap<Key, number> {
  private map: Map<Key, number> | undefined;
  /** Nodes scanning may still visit before making the map is cheaper. */
  private budget: number;

  constructor(private readonly nodes: readonly GraphNode[]) {
    this.budget = nodes.length;
  }

  get size(): number {
    return this.nodes.length;
  }

  get(key: Key): number | undefined {
    if (this.map !== undefined) return this.map.get(key);
    if (this.budget <= 0) return this.built().get(key);
    const nodes = this.nodes;
    const n = nodes.length;
    for (let i = n - 1; i >= 0; i--) {
      if (nodes[i].key === key) {
        this.budget -= n - i;
        return i;
      }
    }
    this.budget -= n;
    return undefined;
  }

  has(key: Key): boolean {
    return this.get(key) !== undefined;
  }

  forEach(fn: (value: number, key: Key, map: ReadonlyMap<Key, number>) => void, thisArg?: unknown): void {
    this.built().forEach((v, k) => fn.call(thisArg, v, k, this));
  }

  entries(): MapIterator<[Key, number]> {
    return this.built().entries();
  }

  keys(): MapIterator<Key> {
    return this.built().keys();
  }

  values(): MapIterator<number> {
    return this.built().values();
  }

  [Symbol.iterator](): MapIterator<[Key, number]> {
    return this.built().entries();
  }

  private built(): Map<Key, number> {
    if (this.map === undefined) {
      const m = new Map<Key, number>();
      for (let i = 0; i < this.nodes.length; i++) m.set(this.nodes[i].key, i);
      this.map = m;
    }
    return this.map;
  }
}
