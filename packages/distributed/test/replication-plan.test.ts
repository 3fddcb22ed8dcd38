/** Which results get a second copy, and where (src/scheduler/replication.ts). */
import { dataNode, ref, SchedulerState, taskNode, type OpRef } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import { planReplicas } from '../src/scheduler/replication';

const add: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };

/** a, b -> r = a + b, and c read by nothing but wanted; workers w1 (oldest) .. w3 (youngest). */
function state(): SchedulerState {
  const s = new SchedulerState({ validate: true });
  for (const w of ['w1', 'w2', 'w3']) s.addWorker(w, 1);
  s.updateGraph({ nodes: [dataNode('a', 1), dataNode('b', 2), taskNode('r', add, [ref('a'), ref('b')]), dataNode('c', 3)], wanted: ['r', 'c'] });
  return s;
}
const workers = (paused: string[] = []) => [
  { id: 'w3', startedAt: 300, paused: paused.includes('w3') },
  { id: 'w1', startedAt: 100, paused: paused.includes('w1') },
  { id: 'w2', startedAt: 200, paused: paused.includes('w2') },
];
/** Reports a task finished on the worker it was placed on; returns that worker. */
function finish(s: SchedulerState, key: string, nbytes = 8): string {
  const w = s.tasks.get(key)!.processingOn!.id;
  s.taskFinished(key, w, { nbytes });
  return w;
}
/** The oldest worker (w1 < w2 < w3) that is not `holder` nor paused. */
const oldestOther = (holder: string, paused: string[] = []) => ['w1', 'w2', 'w3'].find((w) => w !== holder && !paused.includes(w))!;
const plain = (plan: ReturnType<typeof planReplicas>) => Object.fromEntries([...plan].map(([w, e]) => [w, e.keys.map((k, i) => `${k}<-${e.holders[i]}`).sort()]));

describe('planReplicas', () => {
  it('copies a result whose reader still waits, and a wanted one, to the oldest other worker', () => {
    const s = state();
    const ha = finish(s, 'a'); // r still waits for b
    const hc = finish(s, 'c'); // wanted
    expect(s.status('r')).toBe('waiting');
    const ts = ['a', 'c'].map((k) => s.tasks.get(k)!);
    const expected = (paused: string[] = []) => {
      const out: Record<string, string[]> = {};
      for (const [k, h] of [['a', ha], ['c', hc]]) (out[oldestOther(h, paused)] ??= []).push(`${k}<-${h}`);
      for (const v of Object.values(out)) v.sort();
      return out;
    };
    expect(plain(planReplicas(ts, workers(), 1024))).toEqual(expected());
    // A paused worker takes nothing: the next oldest does.
    expect(plain(planReplicas(ts, workers(['w1']), 1024))).toEqual(expected(['w1']));
  });

  it('leaves alone results whose readers are all placed, results held twice, and results over the size', () => {
    const s = state();
    finish(s, 'a');
    finish(s, 'b'); // r is now ready or running: a and b are read at once
    expect(['ready', 'processing']).toContain(s.status('r'));
    expect(plain(planReplicas(['a', 'b'].map((k) => s.tasks.get(k)!), workers(), 1024))).toEqual({});
    const t = state();
    const hc = finish(t, 'c', 4096);
    expect(plain(planReplicas([t.tasks.get('c')!], workers(), 1024))).toEqual({});
    expect(plain(planReplicas([t.tasks.get('c')!], workers(), 0))).toEqual({});
    t.addReplicas([{ key: 'c', worker: oldestOther(hc) }]);
    expect(plain(planReplicas([t.tasks.get('c')!], workers(), 1 << 20))).toEqual({});
  });
});
