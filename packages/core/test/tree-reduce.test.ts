import { describe, expect, it } from 'vitest';
import { Delayed } from '../src/delayed/delayed';
import { layerNode, MaterializedLayer } from '../src/graph/high-level';
import { arr, dataNode, lit, type GraphNode } from '../src/graph/spec';
import { SPLIT_EVERY, splitEveryFor, treeReduce } from '../src/graph/tree-reduce';
import { defineCatalogue } from '../src/ops/registry';

const ops = defineCatalogue('pdask-test/tree-reduce', {
  /** The input value times the given weight. */
  weigh: (w: number, x: number): number => w * x,
  /** Sum of a group, counting how many values each combine saw. */
  add: (parts: number[]): number => parts.reduce((a, b) => a + b, 0),
  /** Final step: the total, tagged so the test sees it ran once at the root. */
  finish: (parts: number[], tag: string): string => `${tag}:${parts.reduce((a, b) => a + b, 0)}`,
});

function inputs(n: number): { node: ReturnType<typeof layerNode>; key: (i: number) => string } {
  const nodes: GraphNode[] = Array.from({ length: n }, (_, i) => dataNode(`x-${i}`, i + 1));
  return { node: layerNode(new MaterializedLayer('x', nodes)), key: (i) => `x-${i}` };
}

describe('treeReduce', () => {
  it('builds partials, levels of at most splitEvery combines, and one aggregate', async () => {
    const x = inputs(20);
    const t = treeReduce(
      {
        name: 'total-abc',
        grid: 20,
        splitEvery: 4,
        partial: (_idx, i) => ops.weigh.call(lit(2), { t: 'ref', key: x.key(i) }),
        combine: (parts) => ops.add.call(arr(parts)),
        aggregate: (parts) => ops.finish.call(arr(parts), lit('sum')),
      },
      [x.node],
    );
    expect(t.keys).toEqual(['total-abc']);
    const nodes = [...t.node.layer.materialize()];
    // 20 partials -> 5 combines -> 2 combines -> the aggregate over 2.
    expect(nodes.filter((n) => n.key.startsWith('total-abc-partial-'))).toHaveLength(20);
    expect(nodes.filter((n) => n.key.startsWith('total-abc-combine0-'))).toHaveLength(5);
    expect(nodes.filter((n) => n.key.startsWith('total-abc-combine1-'))).toHaveLength(2);
    expect(nodes.every((n) => n.deps.length <= 4)).toBe(true);
    expect(nodes.at(-1)!.key).toBe('total-abc');
    // 2 * (1 + ... + 20) = 420
    expect(await new Delayed<string>('total-abc', t.node).compute({ scheduler: 'sync' })).toBe('sum:420');
  });

  it('reduces a grid by boxes per dimension, one tree per group, with the given output keys', async () => {
    // Two groups over a 3 x 5 grid of inputs: group g reads x-(15g + i).
    const x = inputs(30);
    const t = treeReduce(
      {
        name: 'grid-t',
        grid: [3, 5],
        groups: 2,
        splitEvery: [2, 3],
        partial: (idx, i, g) => {
          expect(i).toBe(idx[0] * 5 + idx[1]);
          return ops.weigh.call(lit(1), { t: 'ref', key: x.key(15 * g + i) });
        },
        combine: (parts) => ops.add.call(arr(parts)),
        outputKey: (g) => `out-${g}`,
      },
      [x.node],
    );
    expect(t.keys).toEqual(['out-0', 'out-1']);
    const nodes = [...t.node.layer.materialize()];
    // Level 0: ceil(3/2) x ceil(5/3) = 2 x 2 boxes per group; then 1 x 1 fits: the aggregate.
    expect(nodes.filter((n) => n.key.startsWith('grid-t-combine0-0-'))).toHaveLength(4);
    const boxSizes = nodes.filter((n) => n.key.startsWith('grid-t-combine0-0-')).map((n) => n.deps.length);
    expect(boxSizes).toEqual([6, 4, 3, 2]);
    const [a, b] = await Promise.all(['out-0', 'out-1'].map((k) => new Delayed<number>(k, t.node).compute({ scheduler: 'sync' })));
    expect(a).toBe(120); // 1 + ... + 15
    expect(b).toBe(345); // 16 + ... + 30
  });

  it('combines at least once when asked, and all at once with splitEvery false', () => {
    const x = inputs(3);
    const base = {
      grid: 3,
      partial: (_: readonly number[], i: number) => ops.weigh.call(lit(1), { t: 'ref' as const, key: x.key(i) }),
      combine: (parts: readonly { t: string }[]) => ops.add.call(arr(parts as never)),
    };
    const once = [...treeReduce({ ...base, name: 'a', splitEvery: 8, alwaysCombine: true }, [x.node]).node.layer.materialize()];
    expect(once.map((n) => n.key)).toEqual(['a-partial-0', 'a-partial-1', 'a-partial-2', 'a-combine0-0', 'a']);
    const flat = [...treeReduce({ ...base, name: 'b', splitEvery: false }, [x.node]).node.layer.materialize()];
    expect(flat.map((n) => n.key)).toEqual(['b-partial-0', 'b-partial-1', 'b-partial-2', 'b']);
  });

  it('has one default per kind of collection and checks given values', () => {
    expect(SPLIT_EVERY).toEqual({ array: 16, bag: 8, dataframe: 8, ml: 16 });
    expect(splitEveryFor('dataframe', undefined, 'x')).toBe(8);
    expect(splitEveryFor('bag', false, 'x')).toBe(false);
    expect(() => splitEveryFor('bag', 1, 'Bag.sum')).toThrow('Bag.sum: splitEvery must be an integer >= 2 or false, got 1');
  });
});
