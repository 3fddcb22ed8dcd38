/**
 * Placement of tasks that all read one input (a broadcast join's small side), decided by the state
 * machine alone (no threads): an input in shared memory costs nothing to reach from any worker, so
 * its holder must not take every reader while the other worker idles; an input a copy would move
 * (another process, ordinary memory) still pulls its readers to its holder.
 */
import { describe, expect, it } from 'vitest';
import { dataNode, ref, taskNode, type GraphNode, type OpRef } from '../src/graph/spec';
import type { Instruction } from '../src/schedule/instructions';
import { LocalityPolicy } from '../src/schedule/placement';
import { SchedulerState } from '../src/schedule/state';

const join: OpRef = { k: 'src', src: '(a, b) => a', name: 'join' };
const PARTS = 20;

/** Sizes of a result: all of it, and what a copy to another worker would move. */
interface Sizes {
  nbytes: number;
  moveBytes: number;
}

/**
 * Runs the inputs (side, l0..l19) where the state puts them, reports them finished with `sizes`,
 * and returns the worker each join task was placed on.
 */
function placeJoins(side: Sizes, part: Sizes): { joins: Map<string, string>; sideOn: string } {
  // A long batch interval: room on each worker for every join, so placement alone decides.
  const s = new SchedulerState({ validate: true, policy: new LocalityPolicy({ initialDepth: 100, targetBatchMs: 1000 }) });
  s.addWorker('a', 1);
  s.addWorker('b', 1);
  const nodes: GraphNode[] = [dataNode('side', 0)];
  for (let i = 0; i < PARTS; i++) nodes.push(dataNode(`l${i}`, i), taskNode(`j${i}`, join, [ref(`l${i}`), ref('side')]));
  const joins = new Map<string, string>();
  const pending: Instruction[] = [...s.updateGraph({ nodes, wanted: Array.from({ length: PARTS }, (_, i) => `j${i}`) })];
  let sideOn = '';
  // Every input finishes before any join does, as when they are in memory before the joins start.
  while (pending.length) {
    const ins = pending.shift()!;
    if (ins.type !== 'run') continue;
    const key = ins.task.key;
    if (key.startsWith('j')) {
      joins.set(key, String(ins.worker));
      continue;
    }
    if (key === 'side') sideOn = String(ins.worker);
    pending.push(...s.taskFinished(key, ins.worker, { ...(key === 'side' ? side : part), durationMs: 0.5 }));
  }
  return { joins, sideOn };
}

const count = (joins: Map<string, string>, w: string) => [...joins.values()].filter((x) => x === w).length;

describe('placement of the readers of one input', () => {
  it('spreads the readers of an input in shared memory over both workers (a copy moves a few hundred bytes)', () => {
    // Issue 12's merge at scale 0.1: a 1.6 MB broadcast side and 1.2 MB partitions, all in
    // SharedArrayBuffers; only their small JS wrappers would be copied.
    const { joins } = placeJoins({ nbytes: 1_600_744, moveBytes: 744 }, { nbytes: 1_200_560, moveBytes: 560 });
    expect(joins.size).toBe(PARTS);
    expect(count(joins, 'a')).toBe(PARTS / 2);
    expect(count(joins, 'b')).toBe(PARTS / 2);
  });

  it('keeps the readers of an input a copy would move (ordinary memory, another process) on its holder', () => {
    const { joins, sideOn } = placeJoins({ nbytes: 1_600_744, moveBytes: 1_600_744 }, { nbytes: 1_200_560, moveBytes: 1_200_560 });
    expect(joins.size).toBe(PARTS);
    // The 1.6 MB side outweighs any 1.2 MB partition: every join goes where it is.
    expect(count(joins, sideOn)).toBe(PARTS);
  });
});
