/**
 * The events of one batch (a worker's report of many tasks) share one reading of the story's
 * clock: a clock read per tiny task cost more than the rest of its transition.
 */
import { describe, expect, it } from 'vitest';
import { dataNode, ref, taskNode, type GraphNode, type OpRef } from '../src/graph/spec';
import { OneAtATimePolicy } from '../src/schedule/placement';
import { SchedulerState } from '../src/schedule/state';
import { StoryLog } from '../src/schedule/story';

const add: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };
const t = (key: string, ...deps: string[]): GraphNode => taskNode(key, add, deps.map(ref));

describe('story times in a batch', () => {
  it('one clock reading for the events of a batch, one for its placement; each event outside a batch reads its own', () => {
    let clock = 1000;
    let reads = 0;
    const log = new StoryLog({
      clock: () => {
        reads++;
        return clock++;
      },
    });
    const s = new SchedulerState({ policy: new OneAtATimePolicy(), story: log });
    s.addWorker('a', 2);
    const prio: Record<string, number> = { x: 0, y: 1, z: 2 };
    s.updateGraph({ nodes: [dataNode('x', 1), dataNode('y', 2), t('z', 'x', 'y')], wanted: ['z'], priority: (k) => prio[k] });
    const before = reads;
    s.batch((st) => {
      st.taskFinished('x', 'a');
      st.taskFinished('y', 'a');
    });
    // Two events in the batch, then placing z: two readings, not three.
    expect(reads - before).toBe(2);
    const finished = log.entries().filter((e) => e.to === 'memory');
    expect(finished.map((e) => [e.key, e.cause])).toEqual([
      ['x', 'task-finished'],
      ['y', 'task-finished'],
    ]);
    expect(finished[0].time).toBe(finished[1].time);
    const placed = log.story('z').find((e) => e.to === 'processing')!;
    expect(placed.cause).toBe('batch');
    expect(placed.time).toBe(finished[0].time + 1);
    // Outside a batch every event reads the clock.
    const z = s.taskFinished('z', 'a');
    expect(z.map((i) => i.type)).toEqual(['release', 'release', 'memory']);
    expect(log.story('z').at(-1)!.time).toBe(placed.time + 1);
  });
});
