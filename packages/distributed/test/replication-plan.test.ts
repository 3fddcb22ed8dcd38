/** Which results get a second copy, and where (src/scheduler/replication.ts). */
import { dataNode, ref, SchedulerState, taskNode, type OpRef } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import { planReplicas } from '../src/scheduler/replication';

const add: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };

/** a, b -> r = a + b (wanted), and c read by nothing but wanted; workers w1 (oldest) .. w3 (youngest). */
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
  it('copies a result whose reader still waits, and a wanted one made from inputs, to the oldest other worker', () => {
    const s = state();
    const ha = finish(s, 'a'); // r still waits for b
    const hc = finish(s, 'c'); // wanted, made from nothing
    expect(s.status('r')).toBe('waiting');
    const expected = (entries: [string, string][], paused: string[] = []) => {
      const out: Record<string, string[]> = {};
      for (const [k, h] of entries) (out[oldestOther(h, paused)] ??= []).push(`${k}<-${h}`);
      for (const v of Object.values(out)) v.sort();
      return out;
    };
    const ts = ['a', 'c'].map((k) => s.tasks.get(k)!);
    // c is one task to redo if lost: no copy (it would double every submit/result round trip).
    expect(plain(planReplicas(ts, workers(), 1024))).toEqual(expected([['a', ha]]));
    // A paused worker takes nothing: the next oldest does.
    expect(plain(planReplicas(ts, workers(['w1']), 1024))).toEqual(expected([['a', ha]], ['w1']));
    finish(s, 'b');
    const hr = finish(s, 'r'); // wanted, and its inputs are released once it is made
    expect(s.status('a')).toBe('released');
    const all = ['a', 'b', 'c', 'r'].map((k) => s.tasks.get(k)!);
    expect(plain(planReplicas(all, workers(), 1024))).toEqual(expected([['r', hr]]));
    expect(plain(planReplicas(all, workers(['w1']), 1024))).toEqual(expected([['r', hr]], ['w1']));
  });

  it('leaves alone results whose readers are all placed, results held twice, and results over the size', () => {
    const s = state();
    finish(s, 'a');
    finish(s, 'b'); // r is now ready or running: a and b are read at once
    expect(['ready', 'processing']).toContain(s.status('r'));
    expect(plain(planReplicas(['a', 'b'].map((k) => s.tasks.get(k)!), workers(), 1024))).toEqual({});
    const t = state();
    finish(t, 'a');
    finish(t, 'b');
    const hr = finish(t, 'r', 4096);
    const r = t.tasks.get('r')!;
    expect(plain(planReplicas([r], workers(), 1024))).toEqual({});
    expect(plain(planReplicas([r], workers(), 0))).toEqual({});
    expect(Object.keys(plain(planReplicas([r], workers(), 1 << 20)))).toEqual([oldestOther(hr)]);
    t.addReplicas([{ key: 'r', worker: oldestOther(hr) }]);
    expect(plain(planReplicas([r], workers(), 1 << 20))).toEqual({});
  });
});
