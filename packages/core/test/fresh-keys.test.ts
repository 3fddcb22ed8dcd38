/**
 * Materialising graphs of impure `delayed` calls without hashing their keys (issue 16): layer
 * nodes with freshly minted keys skip the key Map, and the graph's key index is made lazily.
 * Checked against a graph indexed the ordinary way (every key hashed), not against itself.
 */
import { describe, expect, it } from 'vitest';
import { add, inputsOf } from './graph-inputs';
import { compute } from '../src/collection/compute';
import { delayed } from '../src/delayed/delayed';
import { freshLayerNode, layerNode, MaterializedLayer, type LayerNode } from '../src/graph/high-level';
import { IndexedGraph } from '../src/graph/indexed';
import { KeyIndex } from '../src/graph/key-index';
import { dataNode, ref, taskNode, type GraphNode } from '../src/graph/spec';

const fresh = (node: GraphNode, parents: LayerNode[] = []): LayerNode => freshLayerNode(new MaterializedLayer(node.key, [node]), parents);
const plain = (node: GraphNode, parents: LayerNode[] = []): LayerNode => layerNode(new MaterializedLayer(node.key, [node]), parents);


describe('fromLayers with fresh keys', () => {
  it('links a graph of fresh layers as a lookup of every key does, and finds every key', () => {
    const a = fresh(dataNode('a', 1));
    const b = fresh(dataNode('b', 2));
    const c = fresh(taskNode('c', add, [ref('a'), ref('b')]), [a, b]);
    // 'a' read by a layer that does not name a's layer as a parent: found through the index.
    const d = fresh(taskNode('d', add, [ref('c'), ref('a')]), [c]);
    const g = IndexedGraph.fromLayers([d]);
    expect(inputsOf(g)).toEqual({ a: [], b: [], c: ['a', 'b'], d: ['c', 'a'] });
    expect(inputsOf(g)).toEqual(inputsOf(IndexedGraph.fromNodes(g.nodes)));
    for (const k of ['a', 'b', 'c', 'd']) expect(g.nodes[g.index.get(k)!].key).toBe(k);
    expect(g.index.get('nope')).toBeUndefined();
    expect(g.idsOf(['d', 'a'])).toEqual([3, 0]);
    expect(() => g.idsOf(['nope'])).toThrow(/'nope'/);
  });

  it('a later layer redefining a fresh key wins at the first position, as without fresh keys', () => {
    const a = fresh(dataNode('a', 1));
    const b = fresh(taskNode('b', add, [ref('a'), ref('a')]), [a]);
    // A persisted result (data) redefining 'b', and a reader of it.
    const b2 = plain(dataNode('b', 20), [b]);
    const c = fresh(taskNode('c', add, [ref('b'), ref('a')]), [b2, a]);
    const g = IndexedGraph.fromLayers([c]);
    expect(g.size).toBe(3);
    expect(g.nodes[g.index.get('b')!]).toMatchObject({ kind: 'data', value: 20 });
    expect(g.index.get('b')).toBe(1);
    expect(inputsOf(g)).toEqual({ a: [], b: [], c: ['b', 'a'] });
    // The same graph with no layer marked fresh: the same nodes in the same order.
    const pa = plain(dataNode('a', 1));
    const pb = plain(taskNode('b', add, [ref('a'), ref('a')]), [pa]);
    const pc = plain(taskNode('c', add, [ref('b'), ref('a')]), [plain(dataNode('b', 20), [pb]), pa]);
    const p = IndexedGraph.fromLayers([pc]);
    expect(p.nodes.map((n) => n.key)).toEqual(g.nodes.map((n) => n.key));
    expect(inputsOf(p)).toEqual(inputsOf(g));
  });

  it('computes a persisted delayed result together with its own graph on sync', async () => {
    const inc = (x: number) => x + 1;
    const x = delayed(inc)(1);
    const px = await x.persist({ scheduler: 'sync' });
    const dbl = (v: number) => 2 * v;
    // x's key is defined by its task (a fresh layer, materialised first) and, in px, by the
    // persisted value (a later layer redefining it).
    const again = delayed(inc)(x);
    const both = delayed(dbl)(px);
    expect(await compute(again, both, x, { scheduler: 'sync' })).toEqual([3, 4, 2]);
  });

  it('computes the same pure key reached through two layer nodes above a fresh one', async () => {
    const divmod = (a: number, b: number) => [Math.floor(a / b), a % b];
    const d = delayed(divmod, { nout: 2 })(17, 5);
    const [q, r] = d;
    // d.get(0) builds a second layer node for q's key (pure keys are deterministic).
    expect(d.get(0).key).toBe(q.key);
    expect(await compute(q, d.get(0), r, { scheduler: 'sync' })).toEqual([3, 3, 2]);
  });

  it('computes a 20,001-task delayed tree on sync to its sum', async () => {
    const inc = (i: number) => i + 1;
    const addF = (a: number, b: number) => a + b;
    let level = Array.from({ length: 10_001 }, (_, i) => delayed(inc)(i));
    while (level.length > 1) {
      const next = [];
      for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(addF)(level[i], level[i + 1]) : level[i]);
      level = next;
    }
    // Sum of i + 1 for i < 10,001.
    expect(await level[0].compute({ scheduler: 'sync' })).toBe((10_001 * 10_002) / 2);
  });
});

describe('KeyIndex', () => {
  it('answers as a Map of the same keys, before and after it makes one', () => {
    const nodes = Array.from({ length: 50 }, (_, i) => dataNode(`k${i}`, i));
    const idx = new KeyIndex(nodes);
    const m = new Map(nodes.map((n, i) => [n.key, i]));
    // Enough lookups (misses scan everything) to exhaust the scanning budget and make the map.
    for (let round = 0; round < 3; round++) {
      for (const k of ['k49', 'k0', 'k17', 'absent']) {
        expect(idx.get(k)).toBe(m.get(k));
        expect(idx.has(k)).toBe(m.has(k));
      }
    }
    expect(idx.size).toBe(50);
    expect([...idx]).toEqual([...m]);
    expect([...idx.keys()]).toEqual([...m.keys()]);
    expect([...idx.values()]).toEqual([...m.values()]);
    const seen: [string, number][] = [];
    idx.forEach((v, k) => seen.push([k, v]));
    expect(seen).toEqual([...m.entries()]);
  });
});
