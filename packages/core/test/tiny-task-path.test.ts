/**
 * The allocation-free paths of the tiny-task work (issue 16): each is checked against a plain
 * computation of the same thing, not against its own output.
 */
import { describe, expect, it } from 'vitest';
import { add, inputsOf } from './graph-inputs';
import { delayed } from '../src/delayed/delayed';
import { layerNode, MaterializedLayer, type LayerNode } from '../src/graph/high-level';
import { IndexedGraph } from '../src/graph/indexed';
import { arr, dataNode, lit, ref, taskNode, type ArgSpec, type GraphNode } from '../src/graph/spec';
import { OneAtATimePolicy } from '../src/schedule/placement';
import { ReadyQueue } from '../src/schedule/ready-queue';
import { SchedulerState } from '../src/schedule/state';
import { TaskState } from '../src/schedule/task-state';

const one = (node: GraphNode, parents: LayerNode[] = []): LayerNode => layerNode(new MaterializedLayer(node.key, [node]), parents);


describe('IndexedGraph.fromLayers finds inputs through parent layers', () => {
  it('links the same inputs as a lookup of every key, with one-node, many-node, redefined and non-parent inputs', () => {
    const a = one(dataNode('a', 1));
    // A two-node layer: its readers cannot use the one-node shortcut.
    const pair = layerNode(new MaterializedLayer('pair', [dataNode('p0', 2), dataNode('p1', 3)]));
    const b = one(taskNode('b', add, [ref('a'), ref('p1')]), [a, pair]);
    // 'a' redefined by a later layer: the later node wins, at the first position.
    const a2 = one(dataNode('a', 10), [b]);
    // Reads 'p0' although its only parent layer is b (the key comes from a grandparent layer).
    const c = one(taskNode('c', add, [ref('b'), ref('p0')]), [a2]);
    const d = one(taskNode('d', add, [ref('c'), ref('a')]), [c, a2]);
    const g = IndexedGraph.fromLayers([d]);
    const byLookup = IndexedGraph.fromNodes(g.nodes);
    expect(inputsOf(g)).toEqual(inputsOf(byLookup));
    expect(inputsOf(g)).toEqual({ a: [], p0: [], p1: [], b: ['a', 'p1'], c: ['b', 'p0'], d: ['c', 'a'] });
    expect(g.nodes.find((n) => n.key === 'a')).toMatchObject({ kind: 'data', value: 10 });
  });

  it('stays right after another walk moved a shared layer elsewhere', () => {
    const x = one(dataNode('x', 1));
    const y = one(taskNode('y', add, [ref('x'), lit(1)]), [x]);
    // A first graph in which x sits at another position than it will below.
    IndexedGraph.fromLayers([one(dataNode('w', 0)), one(dataNode('v', 0)), y]);
    const z = one(taskNode('z', add, [ref('q'), ref('y')]), [one(dataNode('q', 5)), y]);
    const g = IndexedGraph.fromLayers([z]);
    expect(inputsOf(g)).toEqual(inputsOf(IndexedGraph.fromNodes(g.nodes)));
  });

  it('computes a delayed tree with shared and repeated inputs on sync', async () => {
    const inc = (x: number) => x + 1;
    const sum3 = (a: number, b: number, c: number) => a + b + c;
    const leaves = Array.from({ length: 9 }, (_, i) => delayed(inc)(i));
    const mids = [0, 3, 6].map((i) => delayed(sum3)(leaves[i], leaves[i + 1], leaves[i]));
    const top = delayed(sum3)(mids[0], mids[1], mids[2]);
    // leaf i is i + 1; each mid is 2 * (i + 1) + (i + 2) for i = 0, 3, 6.
    const expected = [0, 3, 6].reduce((s, i) => s + 2 * (i + 1) + (i + 2), 0);
    expect(await top.compute({ scheduler: 'sync' })).toBe(expected);
  });
});

describe('taskNode dependencies', () => {
  it('lists each referenced key once, in first-seen order, for short and long argument lists', () => {
    expect(taskNode('t', add, [ref('a'), ref('b'), ref('a')]).deps).toEqual(['a', 'b']);
    const keys = Array.from({ length: 40 }, (_, i) => `k${i % 23}`);
    const expected = [...new Set(keys)];
    const nested: ArgSpec[] = [arr(keys.map((k) => ref(k))), lit(1), ref('k3'), ref('last')];
    expect(taskNode('t', add, nested).deps).toEqual([...expected, 'last']);
    const flat: ArgSpec[] = keys.map((k) => ref(k));
    expect(taskNode('t', add, flat).deps).toEqual(expected);
  });
});

describe('ReadyQueue', () => {
  it('pops by (priority, seq), skipping tasks no longer ready', () => {
    const q = new ReadyQueue();
    const all: TaskState[] = [];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 500; i++) {
      const ts = new TaskState(`t${i}`, dataNode(`t${i}`, i), Math.floor(rand() * 50));
      ts.seq = i;
      ts.status = 'ready';
      all.push(ts);
      q.push(ts);
    }
    for (const ts of all) if (rand() < 0.3) ts.status = 'waiting';
    const expected = all
      .filter((t) => t.status === 'ready')
      .sort((a, b) => a.priority - b.priority || a.seq - b.seq)
      .map((t) => t.key);
    const popped: string[] = [];
    for (let ts = q.pop(); ts; ts = q.pop()) popped.push(ts.key);
    expect(popped).toEqual(expected);
  });

  it('pops the most urgent ready task when pushes in increasing, decreasing and random order interleave with pops', () => {
    const q = new ReadyQueue();
    // Reference: the ready tasks pushed and not yet popped, the most urgent found by a scan.
    const queued = new Set<TaskState>();
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let n = 0;
    const make = (priority: number): TaskState => {
      const ts = new TaskState(`t${n}`, dataNode(`t${n}`, n), priority);
      ts.seq = n++;
      ts.status = 'ready';
      return ts;
    };
    const popped: string[] = [];
    const expected: string[] = [];
    for (let round = 0; round < 60; round++) {
      const kind = round % 3;
      const base = Math.floor(rand() * 1000);
      // Runs of pushes: increasing (a graph's leaves), decreasing (readers completed one by one), random; equal priorities too.
      for (let i = 0; i < 20; i++) {
        const p = kind === 0 ? base + i : kind === 1 ? base - i : Math.floor(rand() * 40);
        const ts = make(p);
        q.push(ts);
        queued.add(ts);
      }
      // Some tasks stop being ready while queued (they must be skipped), some become ready again.
      for (const ts of queued) {
        if (ts.status === 'waiting' && rand() < 0.3) {
          // Ready again: pushed once more, its earlier entry now a duplicate the queue must not return twice.
          ts.status = 'ready';
          q.push(ts);
        } else if (rand() < 0.1) ts.status = 'waiting';
      }
      for (let i = 0; i < 12; i++) {
        let best: TaskState | undefined;
        for (const ts of queued) if (ts.status === 'ready' && (!best || ts.priority < best.priority || (ts.priority === best.priority && ts.seq < best.seq))) best = ts;
        const got = q.pop();
        expected.push(best?.key ?? '-');
        popped.push(got?.key ?? '-');
        if (got) {
          got.status = 'processing';
          queued.delete(got);
        }
      }
    }
    expect(popped).toEqual(expected);
    expect(popped.filter((k) => k !== '-').length).toBeGreaterThan(600);
  });
});

describe('holder lists', () => {
  it('a result leaving one worker leaves the other results of that worker in place', () => {
    const s = new SchedulerState({ validate: true, policy: new OneAtATimePolicy() });
    s.addWorker('a', 1);
    s.updateGraph({ nodes: [dataNode('x', 1), dataNode('y', 2), taskNode('z', add, [ref('x'), ref('y')])], wanted: ['z'], priority: (_k, i) => i });
    s.taskFinished('x', 'a');
    s.taskFinished('y', 'a');
    const holders = (k: string) => s.tasks.get(k)!.whoHas.map((w) => w.id);
    expect([holders('x'), holders('y'), s.status('z')]).toEqual([['a'], ['a'], 'processing']);
    // z could not read x on a: that copy is forgotten (x is recomputed), y's stays.
    s.taskMissingData('z', 'a', [{ dep: 'x', holder: 'a' }]);
    expect(holders('x')).toEqual([]);
    expect(holders('y')).toEqual(['a']);
    expect(s.status('y')).toBe('memory');
    expect(s.status('x')).toBe('processing');
  });

  it('a second holder of one result leaves the other results of the first worker alone', () => {
    const s = new SchedulerState({ validate: true, policy: new OneAtATimePolicy() });
    s.addWorker('a', 2);
    s.updateGraph({ nodes: [dataNode('x', 1), dataNode('y', 2), taskNode('z', add, [ref('x'), ref('y')])], wanted: ['z'], priority: (_k, i) => i });
    s.taskFinished('x', 'a');
    s.taskFinished('y', 'a');
    s.addWorker('b', 1);
    s.addReplicas([{ key: 'x', worker: 'b' }]);
    const holders = (k: string) => s.tasks.get(k)!.whoHas.map((w) => w.id);
    expect(holders('x')).toEqual(['a', 'b']);
    expect(holders('y')).toEqual(['a']);
    s.removeWorker('b');
    expect(holders('x')).toEqual(['a']);
    expect(holders('y')).toEqual(['a']);
    expect(s.status('x')).toBe('memory');
  });
});
