/** Replicas (Dask's add-keys): copies of a result that workers fetched and keep. */
import { describe, expect, it } from 'vitest';
import { dataNode, ref, taskNode, type GraphNode, type OpRef } from '../src/graph/spec';
import type { Instruction } from '../src/schedule/instructions';
import { OneAtATimePolicy } from '../src/schedule/placement';
import { SchedulerState } from '../src/schedule/state';

const add: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };
const t = (key: string, ...deps: string[]): GraphNode => taskNode(key, add, deps.map(ref));
const runs = (ins: Instruction[]) => ins.filter((i) => i.type === 'run').map((i) => (i.type === 'run' ? `${i.task.key}@${i.worker}` : ''));
const releases = (ins: Instruction[]) => ins.filter((i) => i.type === 'release').map((i) => (i.type === 'release' ? `${i.key}@${i.worker}` : '')).sort();

/** x -> y; x, y -> z: x is read twice, so it stays in memory after y runs. */
function twoWorkers(): SchedulerState {
  const s = new SchedulerState({ validate: true, policy: new OneAtATimePolicy() });
  s.addWorker('a', 1);
  s.addWorker('b', 1);
  s.updateGraph({ nodes: [dataNode('x', 1), t('y', 'x'), t('z', 'x', 'y')], wanted: ['z'], priority: (k) => ({ x: 0, y: 1, z: 2 })[k]! });
  return s;
}

describe('SchedulerState.addReplicas', () => {
  it('a copy of a result on a second worker keeps it in memory when the first worker is lost', () => {
    const s = twoWorkers();
    s.taskFinished('x', 'a');
    expect(s.tasks.get('x')!.whoHas.map((w) => w.id)).toEqual(['a']);
    expect(s.addReplicas([{ key: 'x', worker: 'b' }])).toEqual([]);
    expect(s.tasks.get('x')!.whoHas.map((w) => w.id).sort()).toEqual(['a', 'b']);
    const ins = s.removeWorker('a');
    // Nothing to recompute: x is still on b.
    expect(s.status('x')).toBe('memory');
    expect(s.tasks.get('x')!.whoHas.map((w) => w.id)).toEqual(['b']);
    expect(runs(ins).filter((r) => r.startsWith('x@'))).toEqual([]);
  });

  it('without the copy, the same loss sends x back to be computed again', () => {
    const s = twoWorkers();
    s.taskFinished('x', 'a');
    s.removeWorker('a');
    expect(s.status('x')).not.toBe('memory');
  });

  it('a released result drops every copy, and a copy reported after the release is released at once', () => {
    const s = twoWorkers();
    s.taskFinished('x', 'a');
    s.addReplicas([{ key: 'x', worker: 'b' }]);
    const ins = s.taskFinished('y', s.tasks.get('y')!.processingOn!.id);
    const z = s.tasks.get('z')!.processingOn!.id;
    const done = s.taskFinished('z', z);
    // x's last reader is done: both holders are told to drop it.
    expect([...releases(ins), ...releases(done)].filter((r) => r.startsWith('x@'))).toEqual(['x@a', 'x@b']);
    expect(s.status('x')).toBe('released');
    // A worker that copied x before the release and reports it after: told to drop it, not recorded.
    s.addWorker('c', 1);
    expect(releases(s.addReplicas([{ key: 'x', worker: 'c' }]))).toEqual(['x@c']);
    expect(s.tasks.get('x')!.whoHas).toEqual([]);
  });

  it('ignores unknown keys and workers, and records a holder once', () => {
    const s = twoWorkers();
    s.taskFinished('x', 'a');
    expect(s.addReplicas([{ key: 'nope', worker: 'b' }, { key: 'x', worker: 'gone' }, { key: 'x', worker: 'a' }])).toEqual([]);
    expect(s.tasks.get('x')!.whoHas.map((w) => w.id)).toEqual(['a']);
  });
});
