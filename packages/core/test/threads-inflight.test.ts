/**
 * The threads executor's per-task bookkeeping on the main thread (issue 16's tiny-task tree): the
 * table of tasks awaited from workers, and a scheduled task written to a batch by its inputs'
 * graph positions.
 */
import { describe, expect, it } from 'vitest';
import { dataNode, type GraphNode, type OpRef } from '../src/graph/spec';
import { readRun, RunWriter } from '../src/execute/threads/batch-wire';
import { InflightTable } from '../src/execute/threads/inflight';
import type { RunSpec } from '../src/execute/threads/protocol';
import { OpInterner } from '../src/execute/threads/wire';
import { newTaskState, type TaskState } from '../src/schedule/task-state';

const task = (i: number): TaskState => newTaskState(dataNode(`t${i}`, i), 0, i, i);

describe('InflightTable', () => {
  it('finds, forgets and lists tasks by seq, across a window that moves far past its start', () => {
    const tasks = Array.from({ length: 20_000 }, (_, i) => task(i));
    const t = new InflightTable(100);
    // Seqs with holes (other computations' seqs), set out of order at the start.
    t.set(103, tasks[3], 2);
    t.set(101, tasks[1], 1);
    expect(t.size).toBe(2);
    expect(t.get(101)).toBe(tasks[1]);
    expect(t.slotOf(103)).toBe(2);
    expect(t.get(102)).toBeUndefined();
    expect(t.get(99)).toBeUndefined();
    expect(t.get(10_000_000)).toBeUndefined();
    expect(t.delete(102)).toBe(false);
    expect(t.delete(101)).toBe(true);
    expect(t.delete(101)).toBe(false);
    expect(t.get(101)).toBeUndefined();
    expect(t.size).toBe(1);
    // Many more, each reported soon after: the front is dropped as the window moves.
    let deleted = 0;
    for (let i = 4; i < 20_000; i++) {
      t.set(100 + 2 * i, tasks[i], i % 2);
      if (i >= 8 && t.delete(100 + 2 * (i - 4))) deleted++;
    }
    expect(deleted).toBe(20_000 - 8);
    expect(t.size).toBe(1 + 4);
    expect(t.get(103)).toBe(tasks[3]);
    expect([...t.entries()].map(([seq, ts, slot]) => [seq, ts.index, slot])).toEqual([
      [103, 3, 2],
      [100 + 2 * 19_996, 19_996, 0],
      [100 + 2 * 19_997, 19_997, 1],
      [100 + 2 * 19_998, 19_998, 0],
      [100 + 2 * 19_999, 19_999, 1],
    ]);
    t.delete(103);
    // The window has moved past the first seqs: an entry below it (a task sent ahead long ago) is still kept.
    for (let i = 19_996; i < 20_000; i++) t.delete(100 + 2 * i);
    expect(t.size).toBe(0);
    t.set(150, tasks[25], 1);
    t.set(100 + 2 * 20_000, tasks[0], 0);
    expect(t.get(150)).toBe(tasks[25]);
    expect(t.slotOf(150)).toBe(1);
    expect([...t.entries()].map(([seq]) => seq)).toEqual([150, 40_100]);
    // Deleting while listing is allowed.
    for (const [seq] of t.entries()) t.delete(seq);
    expect(t.size).toBe(0);
    expect([...t.entries()]).toEqual([]);
  });
});

describe('RunWriter.addTask', () => {
  const inc: OpRef = { k: 'src', name: 'inc', src: '(x) => x + 1' } as OpRef;
  const add: OpRef = { k: 'src', name: 'add', src: '(a, b) => a + b' } as OpRef;

  it('writes a task by its graph position and its references by their inputs\u2019 positions', () => {
    const a = newTaskState({ kind: 'task', key: 'a', op: inc, args: [{ t: 'lit', v: 1 }], deps: [] }, 0, 0, 11);
    const b = newTaskState({ kind: 'task', key: 'b', op: inc, args: [{ t: 'lit', v: 'two' }], deps: [] }, 0, 1, 12);
    // Reads b twice and a once, and names a key that is not an input (found through `other`).
    const node: GraphNode = {
      kind: 'task',
      key: 'c',
      op: add,
      args: [
        { t: 'ref', key: 'b' },
        { t: 'ref', key: 'a' },
        { t: 'fn', op: inc },
        { t: 'ref', key: 'b' },
        { t: 'ref', key: 'elsewhere' },
      ],
      deps: ['a', 'b'],
    };
    const c = newTaskState(node, 0, 2, 13);
    c.deps = [a, b];
    // A nested argument takes the general form, its references resolved the same way.
    const nested = newTaskState({ kind: 'task', key: 'n', op: add, args: [{ t: 'arr', items: [{ t: 'ref', key: 'a' }] }], deps: ['a'] }, 0, 3, 14);
    nested.deps = [a];
    const ops = new OpInterner();
    const w = new RunWriter();
    const other = (k: string): number => (k === 'elsewhere' ? 99 : -1);
    w.addTask(5, 0, 0, a, ops, other);
    w.addTask(6, 0, 0, b, ops, other);
    w.addTask(7, 2, [11, 1, 1], c, ops, other);
    w.addTask(8, 0, 0, nested, ops, other);
    const byId: OpRef[] = [];
    for (const [id, op] of ops.takeFresh() ?? []) byId[id] = op;
    const out: RunSpec[] = [];
    readRun(structuredClone(w.take()), 3, byId, out);
    expect(out.map((s) => [s.seq, s.ret, s.node.key])).toEqual([
      [5, 0, 11],
      [6, 0, 12],
      [7, 2, 13],
      [8, 0, 14],
    ]);
    expect(out[0].node).toEqual({ kind: 'task', key: 11, op: inc, args: [{ t: 'lit', v: 1 }], deps: [] });
    expect(out[1].node).toMatchObject({ key: 12, op: inc, args: [{ t: 'lit', v: 'two' }] });
    expect(out[2].fetch).toEqual([[11, 1, true]]);
    expect((out[2].node as Extract<GraphNode<number>, { kind: 'task' }>).args).toEqual([
      { t: 'ref', key: 12 },
      { t: 'ref', key: 11 },
      { t: 'fn', op: inc },
      { t: 'ref', key: 12 },
      { t: 'ref', key: 99 },
    ]);
    expect(out[3].node).toMatchObject({ kind: 'task', key: 14, op: add, args: [{ t: 'arr', items: [{ t: 'ref', key: 11 }] }] });
  });
});
