/**
 * Core's p2p shuffle runtime without any collection: typed-array partitions split by value, on
 * the threads executor (pieces between worker threads, unpacks on their owners) and on the sync
 * executor (in-process), against the rows computed here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { IndexedGraph } from '../src/graph/indexed';
import { dataNode, ref, type GraphNode } from '../src/graph/spec';
import { orderIndexed } from '../src/order/order';
import { toOpRef } from '../src/ops/shippable';
import { SyncExecutor } from '../src/execute/sync';
import { closeThreadPools, sharedThreadsExecutor } from '../src/execute/threads/executor';
import type { Executor } from '../src/execute/executor';
import { ownerIndex } from '../src/shuffle/assign';
import { p2pShuffleTasks } from '../src/shuffle/tasks';

afterAll(() => closeThreadPools());

/** Piece o holds the values v with v % nout === o, in order. */
function byRemainder(part: Float64Array, nout: number): Float64Array[] {
  const out: number[][] = Array.from({ length: nout }, () => []);
  for (const v of part) out[v % nout].push(v);
  return out.map((xs) => Float64Array.from(xs));
}

async function run(executor: Executor, ninputs: number, nout: number, rows: number) {
  const parts = Array.from({ length: ninputs }, (_, i) => Float64Array.from({ length: rows }, (_, j) => (j * ninputs + i) * 7));
  const s = p2pShuffleTasks({ id: `t-${ninputs}-${nout}`, ninputs, nout, split: (i) => ({ op: toOpRef(byRemainder), args: [ref(`in-${i}`), { t: 'lit', v: nout }] }) });
  const nodes: GraphNode[] = [...parts.map((p, i) => dataNode(`in-${i}`, p)), ...s.tasks];
  const graph = IndexedGraph.fromNodes(nodes);
  const targets = Array.from({ length: nout }, (_, o) => s.output(o));
  const result = await executor.execute({ graph, targets, priority: orderIndexed(graph) });
  return { parts, targets, result, s };
}

describe('core p2p shuffle runtime', () => {
  it('threads: every output gets its pieces from every input in input order, unpacked on its owner', async () => {
    await closeThreadPools();
    const ex = sharedThreadsExecutor(2);
    for (const [ninputs, nout] of [[5, 3], [1, 1], [3, 8]]) {
      const { parts, targets, result } = await run(ex, ninputs, nout, 50);
      targets.forEach((key, o) => {
        const pieces = result.get(key) as Float64Array[];
        expect(pieces.length).toBe(ninputs);
        pieces.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(parts[i]).filter((v) => v % nout === o)));
        // The unpack ran on the owner of its output (the run's workers are the pool's two threads).
        const ran = ex.story(key).find((e) => e.to === 'processing')!;
        const workers = [...ex.pool.slots.keys()].sort((a, b) => a - b);
        expect(Number(ran.worker)).toBe(workers[ownerIndex(o, nout, workers.length)]);
      });
    }
  }, 30_000);

  it('sync: the same graph in-process', async () => {
    const { parts, targets, result } = await run(new SyncExecutor(), 4, 3, 20);
    targets.forEach((key, o) => {
      const pieces = result.get(key) as Float64Array[];
      pieces.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(parts[i]).filter((v) => v % 3 === o)));
    });
  });
});
