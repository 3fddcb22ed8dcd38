import { describe, expect, it } from 'vitest';
import type { GraphNode, OpRef } from '../src/graph/spec';
import { readRun, RunWriter } from '../src/execute/threads/batch-wire';
import type { RunSpec } from '../src/execute/threads/protocol';
import { OpInterner } from '../src/execute/threads/wire';
import { AWAIT_LOCAL, RESIDENT_BASE } from '../src/execute/threads/protocol';

const inc: OpRef = { k: 'src', name: 'inc', src: '(x) => x + 1' } as OpRef;
const add: OpRef = { k: 'src', name: 'add', src: '(a, b) => a + b' } as OpRef;
const ids: Record<string, number> = { a: 3, b: 4, c: 5, d: 6, e: 7, t: 8 };
const idOf = (k: string): number => ids[k];

/** Writes the nodes as one batch, clones it as postMessage would, and reads it back. */
function roundTrip(tasks: { seq: number; ret: number; fetch: number[] | 0; node: GraphNode }[]): RunSpec[] {
  const ops = new OpInterner();
  const w = new RunWriter();
  for (const t of tasks) w.add(t.seq, t.ret, t.fetch, t.node, ops, idOf);
  const byId: OpRef[] = [];
  for (const [id, op] of ops.takeFresh() ?? []) byId[id] = op;
  const out: RunSpec[] = [];
  readRun(structuredClone(w.take()), 9, byId, out);
  return out;
}

describe('a batch of tasks as numbers (batch-wire)', () => {
  it('carries plain tasks: number, other literals, references and functions, with their fetch lists and return modes', () => {
    const block = new Float64Array([1.5, 2.5]);
    const node: GraphNode = {
      kind: 'task',
      key: 'c',
      op: add,
      args: [
        { t: 'ref', key: 'a' },
        { t: 'lit', v: -0 },
        { t: 'lit', v: NaN },
        { t: 'lit', v: 2 ** 53 + 2 },
        { t: 'lit', v: 'text' },
        { t: 'lit', v: { block } },
        { t: 'fn', op: inc },
        { t: 'lit', v: undefined },
      ],
      deps: ['a'],
    };
    const leaf: GraphNode = { kind: 'task', key: 'a', op: inc, args: [{ t: 'lit', v: 41 }], deps: [] };
    const [r1, r2] = roundTrip([
      { seq: 17, ret: 0, fetch: 0, node: leaf },
      { seq: 18, ret: RESIDENT_BASE + 5, fetch: [3, 1, 1, 4, AWAIT_LOCAL, 0], node },
    ]);
    expect(r1).toEqual({ seq: 17, cid: 9, ret: 0, fetch: undefined, node: { kind: 'task', key: 3, op: inc, args: [{ t: 'lit', v: 41 }], deps: [] } });
    expect(r2.seq).toBe(18);
    expect(r2.ret).toBe(2 ** 31 + 5);
    expect(r2.fetch).toEqual([
      [3, 1, true],
      [4, -1, false],
    ]);
    const n = r2.node as Extract<GraphNode<number>, { kind: 'task' }>;
    expect(n.key).toBe(5);
    expect(n.op).toEqual(add);
    expect(n.args[0]).toEqual({ t: 'ref', key: 3 });
    expect(Object.is((n.args[1] as { v: number }).v, -0)).toBe(true);
    expect(Number.isNaN((n.args[2] as { v: number }).v)).toBe(true);
    expect(n.args[3]).toEqual({ t: 'lit', v: 9007199254740994 });
    expect(n.args[4]).toEqual({ t: 'lit', v: 'text' });
    expect(n.args[5]).toEqual({ t: 'lit', v: { block: new Float64Array([1.5, 2.5]) } });
    expect(n.args[6]).toEqual({ t: 'fn', op: inc });
    expect(n.args[7]).toEqual({ t: 'lit', v: undefined });
    expect(n.args).toHaveLength(8);
  });

  it('carries data nodes, nested arguments and fused nodes whole', () => {
    const data: GraphNode = { kind: 'data', key: 'd', value: [1, 'x'], deps: [] };
    const nested: GraphNode = {
      kind: 'task',
      key: 'e',
      op: add,
      args: [{ t: 'arr', items: [{ t: 'ref', key: 'd' }, { t: 'lit', v: 2 }] }, { t: 'obj', entries: [['k', { t: 'lit', v: 'v' }]] }],
      deps: ['d'],
    };
    const fused: GraphNode = {
      kind: 'fused',
      key: 't',
      members: [
        { kind: 'task', key: 'm1', op: inc, args: [{ t: 'ref', key: 'a' }], deps: ['a'] },
        { kind: 'task', key: 't', op: inc, args: [{ t: 'ref', key: 'm1' }], deps: ['m1'] },
      ],
      deps: ['a'],
    };
    const [d, e, t] = roundTrip([
      { seq: 1, ret: 2, fetch: 0, node: data },
      { seq: 2, ret: 1, fetch: 0, node: nested },
      { seq: 3, ret: 0, fetch: [3, 0, 0], node: fused },
    ]);
    expect(d.node).toEqual({ kind: 'data', key: 6, value: [1, 'x'], deps: [] });
    expect(d.ret).toBe(2);
    expect(e.node).toEqual({
      kind: 'task',
      key: 7,
      op: add,
      args: [
        { t: 'arr', items: [{ t: 'ref', key: 6 }, { t: 'lit', v: 2 }] },
        { t: 'obj', entries: [['k', { t: 'lit', v: 'v' }]] },
      ],
      deps: [],
    });
    // The fused members get local ids -1, -2, …; the tail keeps the node's graph id.
    expect(t.node).toEqual({
      kind: 'fused',
      key: 8,
      members: [
        { kind: 'task', key: -1, op: inc, args: [{ t: 'ref', key: 3 }], deps: [] },
        { kind: 'task', key: 8, op: inc, args: [{ t: 'ref', key: -1 }], deps: [] },
      ],
      deps: [],
    });
    expect(t.fetch).toEqual([[3, 0, false]]);
  });
});
