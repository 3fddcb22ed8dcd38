/**
 * The pure part of the peer-to-peer shuffle: who owns each output, the graph's shape (O(inputs +
 * outputs) tasks, kept apart by fusion), the piece store's budget and spilling, and the state
 * machine's invalidation (what a restart relies on). No threads.
 */
import { describe, expect, it } from 'vitest';
import { fuseLinear } from '../src/graph/fuse';
import { lit, ref, taskNode, type GraphNode } from '../src/graph/spec';
import { coreOps } from '../src/ops/index';
import { SchedulerState } from '../src/schedule/state';
import { ownerIndex, outputsByOwner, owners } from '../src/shuffle/assign';
import { PieceStore, type SpillTarget } from '../src/shuffle/pieces';
import { p2pShuffleTasks, shuffleTaskInfo } from '../src/shuffle/tasks';

describe('output owners', () => {
  it('contiguous blocks, each worker floor or ceil of outputs/workers, in order', () => {
    for (const [nout, w] of [[1, 1], [1, 3], [7, 2], [10, 3], [3, 5], [100, 7]]) {
      const o = owners(nout, w);
      const counts = new Array(w).fill(0);
      for (let i = 0; i < nout; i++) {
        counts[o[i]]++;
        if (i > 0) expect(o[i]).toBeGreaterThanOrEqual(o[i - 1]);
      }
      const used = counts.filter((c) => c > 0);
      expect(Math.max(...used) - Math.min(...used)).toBeLessThanOrEqual(1);
      expect(used.length).toBe(Math.min(nout, w));
      expect(outputsByOwner(nout, w).flat()).toEqual(Array.from({ length: nout }, (_, i) => i));
    }
    expect(ownerIndex(5, 10, 2)).toBe(1);
    expect(ownerIndex(4, 10, 2)).toBe(0);
    expect(() => ownerIndex(10, 10, 2)).toThrow(/outside 0..9/);
    expect(() => ownerIndex(0, 1, 0)).toThrow(/at least one worker/);
  });
});

const split = { op: coreOps.identity.ref, args: [] };

describe('the shuffle graph', () => {
  it('inputs + outputs + 2 tasks, whatever the sizes', () => {
    for (const [nin, nout] of [[1, 1], [3, 1], [1, 4], [50, 70]]) {
      const s = p2pShuffleTasks({ id: 'sh', ninputs: nin, nout, split: (i) => ({ op: split.op, args: [ref(`in-${i}`)] }) });
      expect(s.tasks.length).toBe(nin + nout + 2);
      expect(s.output(0)).toBe('sh-unpack-0');
      const roles = s.tasks.map((t) => shuffleTaskInfo(t)?.kind ?? 'other');
      expect(roles.filter((r) => r === 'transfer').length).toBe(nin);
      expect(roles.filter((r) => r === 'unpack').length).toBe(nout);
      expect(roles.filter((r) => r === 'barrier').length).toBe(1);
    }
    expect(() => p2pShuffleTasks({ id: 'x', ninputs: 0, nout: 1, split: () => split })).toThrow(/ninputs/);
  });

  it('one input and one output: fusion keeps transfer, barrier and unpack apart', () => {
    const s = p2pShuffleTasks({ id: 'sh', ninputs: 1, nout: 1, split: () => ({ op: split.op, args: [ref('in-0')] }) });
    const graph = new Map<string, GraphNode>();
    graph.set('in-0', taskNode('in-0', coreOps.identity.ref, [lit(1)]));
    for (const t of s.tasks) graph.set(t.key, t);
    graph.set('out', taskNode('out', coreOps.identity.ref, [ref(s.output(0))]));
    const fused = [...fuseLinear(graph, ['out']).values()];
    const kinds = fused.map((n) => shuffleTaskInfo(n)?.kind).filter(Boolean).sort();
    expect(kinds).toEqual(['barrier', 'transfer', 'unpack']);
    // The unpack was fused with its reader: the fused node still plays the unpack's role.
    const unpack = fused.find((n) => shuffleTaskInfo(n)?.kind === 'unpack')!;
    expect(unpack.key).toBe('out');
    expect(shuffleTaskInfo(unpack)).toEqual({ kind: 'unpack', id: 'sh', output: 0 });
  });
});

class MemorySpill implements SpillTarget {
  files = new Map<string, unknown>();
  written = 0;
  write(piece: unknown): string {
    const h = `f${this.written++}`;
    this.files.set(h, structuredClone(piece));
    return h;
  }
  read(h: string): unknown {
    return this.files.get(h);
  }
  remove(h: string): void {
    this.files.delete(h);
  }
}

describe('the piece store', () => {
  const sizeOf = (p: unknown): number => (p as Float64Array).byteLength;
  it('keeps pieces within the budget, spills the rest, gives them back in input order and removes them', () => {
    const spill = new MemorySpill();
    const store = new PieceStore({ budget: 120, sizeOf, spill });
    const piece = (x: number): Float64Array => new Float64Array(5).fill(x); // 40 bytes
    store.add(0, 2, piece(2));
    store.add(0, 0, piece(0));
    store.add(1, 1, piece(11));
    expect(store.bytesInMemory).toBe(120);
    store.add(0, 1, piece(1)); // 160 > 120: spilled
    expect(store.spilled).toBe(1);
    expect(spill.files.size).toBe(1);
    expect(store.complete(0, 3)).toBe(true);
    const out = store.take(0, 3) as Float64Array[];
    expect(out.map((p) => p[0])).toEqual([0, 1, 2]);
    expect(spill.files.size).toBe(0);
    expect(store.bytesInMemory).toBe(0 + 40);
    expect(() => store.take(1, 2)).toThrow(/output 1 has no piece from input\(s\) 0/);
  });

  it('a piece sent again replaces the first (a transfer that ran twice)', () => {
    const store = new PieceStore({ budget: Infinity, sizeOf });
    store.add(0, 0, new Float64Array([1]));
    store.add(0, 0, new Float64Array([2]));
    expect(store.bytesInMemory).toBe(8);
    expect((store.take(0, 1)[0] as Float64Array)[0]).toBe(2);
  });

  it('clear removes spilled pieces', () => {
    const spill = new MemorySpill();
    const store = new PieceStore({ budget: 0, sizeOf, spill });
    store.add(0, 0, new Float64Array(3));
    store.add(1, 0, new Float64Array(3));
    expect(spill.files.size).toBe(2);
    store.clear();
    expect(spill.files.size).toBe(0);
    expect(store.pending).toBe(0);
  });
});

describe('SchedulerState.invalidate (a shuffle restart)', () => {
  const t = (key: string, ...deps: string[]) => taskNode(key, coreOps.identity.ref, deps.map((d) => ref(d)));
  it('results in memory are released and recomputed; readers running on them are requeued', () => {
    const s = new SchedulerState({ validate: true });
    s.addWorker('a');
    s.addWorker('b');
    const nodes = [t('in0'), t('in1'), t('tr0', 'in0'), t('tr1', 'in1'), t('bar', 'tr0', 'tr1'), t('up0', 'bar'), t('up1', 'bar')];
    const run = (ins: ReturnType<SchedulerState['updateGraph']>) => ins.filter((i) => i.type === 'run').map((i) => (i.type === 'run' ? [i.task.key, i.worker] : []));
    let placed = run(s.updateGraph({ nodes, wanted: ['up0', 'up1'] }));
    const finish = (key: string, w: string) => run(s.taskFinished(key, w));
    const where = new Map<string, string>();
    const settle = (list: (string | undefined)[][]) => {
      for (const [k, w] of list) where.set(k!, w!);
    };
    settle(placed);
    for (const k of ['in0', 'in1', 'tr0', 'tr1', 'bar']) {
      placed = finish(k, where.get(k)!);
      settle(placed);
    }
    expect(s.status('up0')).toBe('processing');
    expect(s.status('bar')).toBe('memory');
    const ins = s.invalidate(['tr0', 'tr1', 'bar']);
    // The unpacks were running on the old barrier: cancelled and waiting again.
    expect(ins.filter((i) => i.type === 'cancel').map((i) => (i.type === 'cancel' ? i.key : '')).sort()).toEqual(['up0', 'up1']);
    expect(s.status('up0')).toBe('waiting');
    expect(s.status('bar')).toBe('waiting');
    // The transfers run again (their inputs were released: they are recomputed first).
    expect(['waiting', 'ready', 'processing']).toContain(s.status('tr0'));
    expect(s.story('bar').some((e) => e.cause === 'invalidate')).toBe(true);
  });
});
