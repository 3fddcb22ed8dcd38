import { describe, expect, it } from 'vitest';
import { toArgSpec } from '../src/graph/args';
import { cull } from '../src/graph/cull';
import { fuseLinear } from '../src/graph/fuse';
import { inlineDataIndexed } from '../src/graph/inline';
import { HighLevelGraph, layerNode, MaterializedLayer } from '../src/graph/high-level';
import { IndexedGraph } from '../src/graph/indexed';
import { argDeps, dataNode, ref, remoteValueSymbol, taskNode, type Graph, type GraphNode, type OpRef } from '../src/graph/spec';
import { delayed } from '../src/delayed/delayed';
import { collectionSymbol } from '../src/collection/protocol';
import type { LayerNode } from '../src/graph/high-level';

const op: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };
const graphOf = (...nodes: GraphNode[]): Graph => new Map(nodes.map((n) => [n.key, n]));

describe('argument specs', () => {
  it('finds Delayed values nested in arrays and objects, once each, in order', () => {
    const a = delayed(1, { name: 'a' });
    const b = delayed(2, { name: 'b' });
    const parents: LayerNode[] = [];
    const spec = toArgSpec({ x: [a, 3, { y: b }], z: a }, parents);
    expect(spec.t).toBe('obj');
    expect(argDeps([spec])).toEqual([a.key, b.key]);
    expect(parents).toHaveLength(3);
  });

  it('keeps containers without lazy values as one literal, untouched', () => {
    const value = { list: [1, 2, 3], nested: { s: 'x' } };
    const spec = toArgSpec(value, []);
    expect(spec).toEqual({ t: 'lit', v: value });
    expect((spec as { v: unknown }).v).toBe(value);
  });
});

describe('cull', () => {
  it('keeps exactly what the requested keys need', () => {
    const g = graphOf(
      dataNode('a', 1),
      dataNode('b', 2),
      taskNode('c', op, [ref('a'), ref('a')]),
      taskNode('d', op, [ref('b'), ref('c')]),
      taskNode('unused', op, [ref('a'), ref('b')]),
    );
    expect([...cull(g, ['c']).keys()]).toEqual(['a', 'c']);
    expect([...cull(g, ['d']).keys()]).toEqual(['a', 'b', 'c', 'd']);
  });

  it('names a missing key', () => {
    const g = graphOf(taskNode('c', op, [ref('a'), ref('b')]), dataNode('a', 1));
    expect(() => cull(g, ['c'])).toThrow(/missing key 'b', needed by 'c'/);
    expect(() => cull(graphOf(dataNode('a', 1)), ['zzz'])).toThrow(/Cannot compute key 'zzz'/);
  });
});

describe('fuseLinear', () => {
  it('fuses a linear chain into its tail, keeping outputs and fan-in intact', () => {
    const g = graphOf(
      dataNode('x', 1),
      taskNode('a', op, [ref('x'), { t: 'lit', v: 1 }]),
      taskNode('b', op, [ref('a'), { t: 'lit', v: 1 }]),
      taskNode('c', op, [ref('b'), { t: 'lit', v: 1 }]),
      dataNode('y', 5),
      taskNode('d', op, [ref('c'), ref('y')]),
    );
    const f = fuseLinear(g, ['d']);
    expect([...f.keys()]).toEqual(['c', 'y', 'd']);
    const c = f.get('c')!;
    expect(c.kind).toBe('fused');
    expect(c.kind === 'fused' && c.members.map((m) => m.key)).toEqual(['x', 'a', 'b', 'c']);
    expect(c.deps).toEqual([]);
    // 'd' reads two inputs, so 'c' is not merged into it.
    expect(f.get('d')!.kind).toBe('task');
  });

  it('does not fuse a node that is itself an output, or that has two readers', () => {
    const g = graphOf(dataNode('x', 1), taskNode('a', op, [ref('x'), ref('x')]), taskNode('b', op, [ref('a'), ref('a')]), taskNode('c', op, [ref('a'), ref('a')]));
    expect([...fuseLinear(g, ['b', 'c']).keys()]).toEqual(['a', 'b', 'c']);
    const chain = graphOf(dataNode('x', 1), taskNode('a', op, [ref('x'), ref('x')]));
    expect([...fuseLinear(chain, ['a', 'x']).keys()]).toEqual(['x', 'a']);
  });

  it('never fuses a data node holding a remote value (a persisted reference) into its reader', () => {
    const remote = { [remoteValueSymbol]: true };
    const g = graphOf(dataNode('x', remote), taskNode('a', op, [ref('x')]), taskNode('b', op, [ref('a')]));
    const f = fuseLinear(g, ['b']);
    expect([...f.keys()]).toEqual(['x', 'b']);
    const b = f.get('b')!;
    expect(b.kind === 'fused' && b.members.map((m) => m.key)).toEqual(['a', 'b']);
    expect(f.get('x')).toEqual(dataNode('x', remote));
  });
});

describe('high-level graphs', () => {
  it('materialises layers parents-first and records layer dependencies', () => {
    const l1 = layerNode(new MaterializedLayer('one', [dataNode('x', 1)]));
    const l2 = layerNode(new MaterializedLayer('two', [taskNode('y', op, [ref('x'), ref('x')])]), [l1]);
    const hlg = HighLevelGraph.fromRoots([l2]);
    expect([...hlg.layers.keys()]).toEqual(['one', 'two']);
    expect(hlg.dependencies.get('two')).toEqual(['one']);
    expect([...hlg.materialize().keys()]).toEqual(['x', 'y']);
  });

  it('builds and materialises a 10,000-task delayed chain without recursion limits', () => {
    const inc = (x: number) => x + 1;
    let d = delayed(inc)(0);
    for (let i = 1; i < 10_000; i++) d = delayed(inc)(d);
    const g = IndexedGraph.fromLayers(d[collectionSymbol]().roots);
    expect(g.size).toBe(10_000);
    // Every task reads exactly the previous one.
    for (let i = 1; i < g.size; i++) expect(g.depList[g.depStart[i]]).toBe(i - 1);
  });
});

describe('inlineDataIndexed', () => {
  it('moves data read by one task into its arguments; shared, output and remote data stay nodes', () => {
    const remote = { [remoteValueSymbol]: true };
    const g = IndexedGraph.fromNodes([
      dataNode('once', [1, 2]),
      dataNode('twice', 5),
      dataNode('out', 7),
      dataNode('far', remote),
      taskNode('a', op, [{ t: 'arr', items: [ref('once'), { t: 'lit', v: 0 }] }, ref('twice'), ref('far')]),
      taskNode('b', op, [ref('twice'), ref('out')]),
    ]);
    const f = inlineDataIndexed(g, g.idsOf(['a', 'b', 'out']));
    expect(f.nodes.map((n) => n.key)).toEqual(['twice', 'out', 'far', 'a', 'b']);
    const a = f.nodes[f.index.get('a')!];
    expect(a.kind === 'task' && a.args[0]).toEqual({ t: 'arr', items: [{ t: 'lit', v: [1, 2] }, { t: 'lit', v: 0 }] });
    expect(a.deps).toEqual(['twice', 'far']);
    expect(f.nodes[f.index.get('b')!].deps).toEqual(['twice', 'out']);
    // Nothing to inline: the same graph object.
    const none = IndexedGraph.fromNodes([dataNode('x', 1), taskNode('y', op, [ref('x')])]);
    expect(inlineDataIndexed(none, none.idsOf(['x', 'y']))).toBe(none);
  });
});
