/**
 * TaskStates are made by one object literal with the class's prototype (so that V8 allocates them
 * straight in the old generation): `new TaskState` and the state machine's own tasks must still be
 * TaskStates with their defaults, each with fields of its own.
 */
import { describe, expect, it } from 'vitest';
import { dataNode, ref, taskNode, type GraphNode, type OpRef } from '../src/graph/spec';
import { OneAtATimePolicy } from '../src/schedule/placement';
import { SchedulerState } from '../src/schedule/state';
import { TaskState } from '../src/schedule/task-state';

const add: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };

describe('TaskState made by a literal', () => {
  it('new TaskState is an instance with the documented defaults and the class accessors', () => {
    const ts = new TaskState('a', dataNode('a', 1), 5);
    expect(ts).toBeInstanceOf(TaskState);
    expect(ts.key).toBe('a');
    expect(ts.priority).toBe(5);
    expect(ts.status).toBe('released');
    expect([ts.deps.length, ts.dependents.length, ts.whoHas.length]).toEqual([0, 0, 0]);
    expect([ts.waitingOn, ts.waiters, ts.wanted, ts.nbytes, ts.index]).toEqual([0, 0, 0, 0, -1]);
    expect(ts.processingOn).toBeUndefined();
    expect([ts.suspicious, ts.retriesLeft, ts.scattered, ts.error]).toEqual([0, 0, false, undefined]);
    ts.nbytes = 100;
    expect(ts.moveBytes).toBe(100);
  });

  it("the state's tasks are TaskStates numbered in submission order, and a rare field set on one is its own", () => {
    const nodes: GraphNode[] = [dataNode('x', 1), dataNode('y', 2), taskNode('z', add, [ref('x'), ref('y')])];
    const st = new SchedulerState({ policy: new OneAtATimePolicy(), story: false });
    st.addWorker('w', 1);
    st.updateGraph({ nodes, wanted: ['z'], retries: 2, priority: (_k, i) => 10 - i });
    const [x, y, z] = ['x', 'y', 'z'].map((k) => st.tasks.get(k)!);
    for (const ts of [x, y, z]) expect(ts).toBeInstanceOf(TaskState);
    expect([x.seq, y.seq, z.seq]).toEqual([0, 1, 2]);
    expect([x.index, y.index, z.index]).toEqual([0, 1, 2]);
    expect([x.priority, y.priority, z.priority]).toEqual([10, 9, 8]);
    expect(z.deps).toEqual([x, y]);
    expect(x.retriesLeft).toBe(2);
    x.retriesLeft = 0;
    x.error = new Error('only x');
    expect([y.retriesLeft, z.retriesLeft]).toEqual([2, 2]);
    expect([y.error, z.error]).toEqual([undefined, undefined]);
  });
});
