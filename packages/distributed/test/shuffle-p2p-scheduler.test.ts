/**
 * The scheduler's side of the p2p shuffle without processes (scheduler-shuffles.ts): runs
 * announced to every worker, unpacks restricted to their output's owner, a new run after a worker
 * of the run is lost or after the run ended, and the end of a run when its barrier is released.
 */
import { lit, ownerIndex, p2pShuffleTasks, type Key, type OpRef, type TaskState } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import type { SchedulerToWorkerOut } from '../src/protocol/wire';
import { SchedulerShuffles } from '../src/shuffle/scheduler-shuffles';

const split: OpRef = { k: 'mod', spec: '@pdask/core/ops', name: 'identity' } as OpRef;

function setup(workers: string[]) {
  const sent: [string, SchedulerToWorkerOut][] = [];
  const status = new Map<Key, TaskState['status']>();
  const live = [...workers];
  const shuffles = new SchedulerShuffles({ workers: () => [...live], send: (w, m) => sent.push([w, m]), status: (k) => status.get(k) });
  const s = p2pShuffleTasks({ id: 'sh', ninputs: 4, nout: 6, split: () => ({ op: split, args: [lit(0)] }) });
  shuffles.addGraph(s.tasks);
  const ts = (key: Key): TaskState => ({ key }) as TaskState;
  return { sent, status, live, shuffles, s, ts };
}

describe('SchedulerShuffles', () => {
  it('the first transfer starts a run announced to every worker; unpacks go to their owners only', () => {
    const { sent, shuffles, s, ts } = setup(['tcp://b:2', 'tcp://a:1']);
    expect(shuffles.restricts(s.transfers[0])).toBe(true);
    expect(shuffles.restricts('other')).toBe(false);
    expect(shuffles.workersFor(ts('other'))).toBeUndefined();
    const members = shuffles.workersFor(ts(s.transfers[0]))!;
    expect([...members].sort()).toEqual(['tcp://a:1', 'tcp://b:2']);
    expect(sent).toEqual([
      ['tcp://a:1', { op: 'shuffle-run', shuffle: 'sh', run: 1, workers: ['tcp://a:1', 'tcp://b:2'] }],
      ['tcp://b:2', { op: 'shuffle-run', shuffle: 'sh', run: 1, workers: ['tcp://a:1', 'tcp://b:2'] }],
    ]);
    // The same run for the other transfers and the barrier.
    shuffles.workersFor(ts(s.transfers[3]));
    shuffles.workersFor(ts(s.barrier));
    expect(sent.length).toBe(2);
    const sorted = ['tcp://a:1', 'tcp://b:2'];
    for (let o = 0; o < 6; o++) expect([...shuffles.workersFor(ts(s.output(o)))!]).toEqual([sorted[ownerIndex(o, 6, 2)]]);
  });

  it('a lost member restarts the shuffle: transfers and barrier to invalidate, unpacks wait, a new run on the live workers', () => {
    const { sent, live, shuffles, s, ts } = setup(['tcp://a:1', 'tcp://b:2']);
    shuffles.workersFor(ts(s.transfers[0]));
    expect(shuffles.workerLost('tcp://c:3')).toEqual([]);
    live.splice(live.indexOf('tcp://b:2'), 1);
    expect(shuffles.workerLost('tcp://b:2').sort()).toEqual([...s.transfers, s.barrier].sort());
    expect(shuffles.workersFor(ts(s.output(0)))!.size).toBe(0);
    expect([...shuffles.workersFor(ts(s.transfers[2]))!]).toEqual(['tcp://a:1']);
    expect(sent.at(-1)).toEqual(['tcp://a:1', { op: 'shuffle-run', shuffle: 'sh', run: 2, workers: ['tcp://a:1'] }]);
    // Lost once only: the dead run is not restarted again.
    expect(shuffles.workerLost('tcp://b:2')).toEqual([]);
  });

  it("releasing the barrier ends the run; a transfer placed later starts a new one; forget ends what is left", () => {
    const { sent, status, shuffles, s, ts } = setup(['tcp://a:1', 'tcp://b:2']);
    shuffles.workersFor(ts(s.transfers[0]));
    // Released before it finished (e.g. a cancelled computation): the run goes on.
    shuffles.released(s.barrier);
    expect(sent.length).toBe(2);
    status.set(s.barrier, 'memory');
    shuffles.finished(s.barrier);
    shuffles.released(s.barrier);
    expect(sent.slice(2)).toEqual([
      ['tcp://a:1', { op: 'shuffle-end', shuffle: 'sh', run: 1 }],
      ['tcp://b:2', { op: 'shuffle-end', shuffle: 'sh', run: 1 }],
    ]);
    expect(shuffles.workersFor(ts(s.output(0)))!.size).toBe(0);
    shuffles.workersFor(ts(s.transfers[1]));
    expect(sent.at(-1)![1]).toMatchObject({ op: 'shuffle-run', run: 2 });
    const n = sent.length;
    const all = new Set<Key>([...s.tasks.map((t) => t.key)]);
    shuffles.forget((k) => all.has(k));
    expect(sent.slice(n)).toEqual([
      ['tcp://a:1', { op: 'shuffle-end', shuffle: 'sh', run: 2 }],
      ['tcp://b:2', { op: 'shuffle-end', shuffle: 'sh', run: 2 }],
    ]);
    expect(shuffles.restricts(s.transfers[0])).toBe(false);
  });
});
