import { afterAll, describe, expect, it, vi } from 'vitest';
import * as config from '../src/config/config';
import { delayed } from '../src/delayed/delayed';
import { story } from '../src/execute/story';
import { SyncExecutor } from '../src/execute/sync';
import { closeThreadPools, ThreadsExecutor } from '../src/execute/threads/executor';
import { ThreadPool } from '../src/execute/threads/pool';
import { dataNode, ref, taskNode, type GraphNode, type OpRef } from '../src/graph/spec';
import { OneAtATimePolicy } from '../src/schedule/placement';
import { SchedulerState } from '../src/schedule/state';
import { StoryLog, type StoryEntry } from '../src/schedule/story';
import { InvalidStateError } from '../src/schedule/validate';

afterAll(() => closeThreadPools());

const add: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };
const t = (key: string, ...deps: string[]): GraphNode => taskNode(key, add, deps.map(ref));
/** The parts of an entry a test can predict (seq and time are checked separately). */
const brief = (e: StoryEntry) => [e.from, e.to, e.worker ?? '-', e.cause].join(' ');

describe('StoryLog', () => {
  it('keeps the last `capacity` transitions, oldest first, with their sequence numbers', () => {
    let clock = 100;
    const log = new StoryLog({ capacity: 3, clock: () => clock++ });
    const run = log.attach();
    for (let i = 0; i < 5; i++) {
      log.begin(i % 2 ? 'task-finished' : 'update-graph');
      log.record(run, `k${i % 2}`, 'released', 'waiting', i === 3 ? 'w1' : undefined);
    }
    expect(log.total).toBe(5);
    expect(log.size).toBe(3);
    expect(log.entries().map((e) => [e.seq, e.key, e.time, e.cause, e.worker])).toEqual([
      [2, 'k0', 102, 'update-graph', undefined],
      [3, 'k1', 103, 'task-finished', 'w1'],
      [4, 'k0', 104, 'update-graph', undefined],
    ]);
    expect(log.story('k0').map((e) => e.seq)).toEqual([2, 4]);
    expect(log.story('k1').map((e) => e.seq)).toEqual([3]);
    log.clear();
    expect(log.entries()).toEqual([]);
  });

  it('grows its columns as needed up to the capacity, and then wraps', () => {
    const log = new StoryLog({ capacity: 3000 });
    const run = log.attach();
    for (let i = 0; i < 7000; i++) log.record(run, `k${i % 10}`, 'waiting', 'ready', undefined);
    expect(log.size).toBe(3000);
    const all = log.entries();
    expect(all[0].seq).toBe(4000);
    expect(all[2999].seq).toBe(6999);
    expect(all.every((e, i) => e.key === `k${(4000 + i) % 10}`)).toBe(true);
    expect(log.story('k7').length).toBe(300);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new StoryLog({ capacity: 0 })).toThrow(/positive integer, got 0/);
  });
});

describe('SchedulerState.story', () => {
  it("records each status change of a key with its worker and the event that caused it", () => {
    const s = new SchedulerState({ policy: new OneAtATimePolicy(), validate: true });
    s.addWorker('a', 1);
    const prio: Record<string, number> = { x: 0, y: 1, z: 2 };
    s.updateGraph({ nodes: [dataNode('x', 1), dataNode('y', 2), t('z', 'x', 'y')], wanted: ['z'], priority: (k) => prio[k] });
    s.taskFinished('x', 'a');
    s.batch((st) => st.taskFinished('y', 'a'));
    s.taskFinished('z', 'a');
    s.release(['z']);
    s.forgetReleased();
    expect(s.story('z').map(brief)).toEqual([
      'released waiting - update-graph',
      'waiting ready - task-finished',
      // Placement happens once for the whole batch.
      'ready processing a batch',
      'processing memory a task-finished',
      'memory released - release',
      'released forgotten - forget',
    ]);
    expect(s.story('x').map(brief)).toEqual([
      'released waiting - update-graph',
      'waiting ready - update-graph',
      'ready processing a update-graph',
      'processing memory a task-finished',
      'memory released - task-finished',
      'released forgotten - forget',
    ]);
    const seqs = s.story('z').map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((p, q) => p - q));
    expect(s.story('nope')).toEqual([]);
  });

  it('names the worker whose loss released a result, and the one a failed task ran on', () => {
    const s = new SchedulerState({ validate: true });
    s.addWorker('a', 1);
    s.updateGraph({ nodes: [t('x'), t('y', 'x')], wanted: ['x', 'y'] });
    s.taskFinished('x', 'a');
    s.taskErred('y', 'a', new Error('boom'));
    s.addWorker('b', 1);
    s.removeWorker('a');
    expect(s.story('y').slice(-1).map(brief)).toEqual(['processing erred a task-erred']);
    expect(s.story('x').slice(3).map(brief)).toEqual(['processing memory a task-finished', 'memory released a remove-worker', 'released waiting - remove-worker', 'waiting ready - remove-worker', 'ready processing b remove-worker']);
  });

  it('shares a log between states, telling them apart by run; records nothing when off', () => {
    const log = new StoryLog();
    for (let i = 0; i < 2; i++) {
      const s = new SchedulerState({ story: log });
      s.addWorker('a', 1);
      s.updateGraph({ nodes: [t('x')], wanted: ['x'] });
    }
    expect(log.story('x').map((e) => `${e.run}:${e.to}`)).toEqual(['1:waiting', '1:ready', '1:processing', '2:waiting', '2:ready', '2:processing']);
    const off = new SchedulerState({ story: false });
    off.addWorker('a', 1);
    off.updateGraph({ nodes: [t('x')], wanted: ['x'] });
    expect(off.storyLog).toBeUndefined();
    expect(off.story('x')).toEqual([]);
  });
});

describe('SchedulerState.validate', () => {
  /** A state with x in memory on a, y waiting for z, z running on a. */
  const made = () => {
    const s = new SchedulerState({ policy: new OneAtATimePolicy() });
    s.addWorker('a', 1);
    s.updateGraph({ nodes: [t('x'), t('z'), t('y', 'x', 'z')], wanted: ['y'], priority: (k) => ['x', 'z', 'y'].indexOf(k) });
    s.taskFinished('x', 'a');
    return s;
  };
  const broken = (corrupt: (s: SchedulerState) => void): InvalidStateError => {
    const s = made();
    s.validate();
    corrupt(s);
    try {
      s.validate();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidStateError);
      return e as InvalidStateError;
    }
    throw new Error('validate() found nothing');
  };

  it('finds a wrong count of missing inputs', () => {
    const e = broken((s) => (s.tasks.get('y')!.waitingOn = 2));
    expect(e.message).toBe("Invalid scheduler state at 'y': waitingOn counts its inputs not in memory; found waitingOn 2, missing ['z' (processing)]");
    expect([e.at, e.invariant]).toEqual(['y', 'waitingOn counts its inputs not in memory']);
  });

  it("finds a running task missing from its worker's processing set", () => {
    const e = broken((s) => s.workers.get('a')!.processing.clear());
    expect(e.message).toBe("Invalid scheduler state at 'z': its worker's processing set contains it; found 'a' does not");
  });

  it('finds a holder that does not know it holds the result', () => {
    const e = broken((s) => s.workers.get('a')!.has.clear());
    expect(e.message).toBe("Invalid scheduler state at 'x': its holders' has-sets contain it; found 'a' does not");
  });

  it('finds a result in memory that nothing needs', () => {
    const e = broken((s) => {
      const y = s.tasks.get('y')!;
      y.status = 'released';
      y.waitingOn = 0;
      y.wanted = 0;
    });
    expect(e.at).toBe('x');
    expect(e.invariant).toBe('waiters counts its readers still to run (waiting, ready or processing)');
    expect(e.found).toBe('waiters 1, such readers 0');
  });

  it('finds a waiting task whose input nobody computes', () => {
    const e = broken((s) => {
      const z = s.tasks.get('z')!;
      s.workers.get('a')!.processing.delete(z);
      z.processingOn = undefined;
      z.status = 'released';
    });
    expect(e.message).toBe("Invalid scheduler state at 'y': the inputs of a task to run are in memory or being computed; found 'z' released");
  });

  it('finds a ready task left out of the ready queue', () => {
    const e = broken((s) => {
      const z = s.tasks.get('z')!;
      s.workers.get('a')!.processing.delete(z);
      z.processingOn = undefined;
      z.status = 'ready';
    });
    expect(e.message).toBe("Invalid scheduler state at 'z': a ready task is in the ready queue (or held back by the policy); found it is in neither");
  });

  it('finds a broken link between a task and its readers', () => {
    const e = broken((s) => {
      const x = s.tasks.get('x')!;
      x.dependents = [s.tasks.get('y')!, s.tasks.get('y')!];
      x.waiters = 2;
    });
    expect(e.message).toBe("Invalid scheduler state at 'y': its inputs list it as their reader; found 'x' lists it 2 times");
  });
});

const inc = (i: number) => i + 1;
const plus = (a: number, b: number) => a + b;

describe('story(key) from the executors', () => {
  it('tells what the sync executor did with a key, across its computations', async () => {
    const ex = new SyncExecutor();
    const z = delayed(plus)(delayed(inc)(1), delayed(inc)(2));
    expect(await z.compute({ scheduler: ex })).toBe(5);
    const first = await story(z.key, { scheduler: ex });
    expect(first.map(brief)).toEqual(['released waiting - update-graph', 'waiting ready - task-finished', 'ready processing sync task-finished', 'processing memory sync task-finished']);
    expect(ex.story(z.key)).toEqual(first);
    expect(await z.compute({ scheduler: ex })).toBe(5);
    const both = await story(z.key, { scheduler: ex });
    expect(both.map((e) => e.run)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('finds the sync executor by name, as compute() does', async () => {
    const z = delayed(plus)(delayed(inc)(10), delayed(inc)(20));
    expect(await z.compute({ scheduler: 'sync' })).toBe(32);
    expect((await story(z.key, { scheduler: 'sync' })).map((e) => e.to)).toEqual(['waiting', 'ready', 'processing', 'memory']);
  });

  it("tells what the threads executor did with a key, on the pool's worker threads", async () => {
    const ex = new ThreadsExecutor(new ThreadPool({ size: 2 }));
    try {
      const z = delayed(plus)(delayed(inc)(1), delayed(inc)(2));
      expect(await z.compute({ scheduler: ex })).toBe(5);
      const entries = await story(z.key, { scheduler: ex });
      expect(entries.map((e) => e.to)).toEqual(['waiting', 'ready', 'processing', 'memory', 'released']);
      const ran = entries.find((e) => e.to === 'processing')!;
      expect([...ex.pool.slots.keys()].map(String)).toContain(ran.worker);
      // Its value travelled back with the report; the worker's copy goes once the caller has it.
      expect(entries[4].cause).toBe('release');
    } finally {
      await ex.close();
    }
  });

  it('refuses an executor that keeps no story', async () => {
    const silent = { name: 'silent', execute: async () => new Map() };
    await expect(story('k', { scheduler: silent })).rejects.toThrow("The 'silent' scheduler keeps no story of its keys");
  });
});

describe('checking mode (config validate-state, PDASK_VALIDATE_STATE=1)', () => {
  it('runs validate() after every event in the executors when asked, and never otherwise', async () => {
    const spy = vi.spyOn(SchedulerState.prototype, 'validate');
    try {
      const z = delayed(plus)(delayed(inc)(1), delayed(inc)(2));
      expect(await z.compute({ scheduler: new SyncExecutor() })).toBe(5);
      expect(spy).not.toHaveBeenCalled();
      const scope = config.set({ 'validate-state': 1 });
      try {
        expect(await z.compute({ scheduler: new SyncExecutor() })).toBe(5);
        // addWorker, updateGraph, three taskFinished.
        expect(spy).toHaveBeenCalledTimes(5);
        spy.mockClear();
        expect(await z.compute({ scheduler: 'threads', numWorkers: 2 })).toBe(5);
        expect(spy.mock.calls.length).toBeGreaterThanOrEqual(4);
      } finally {
        scope.restore();
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('reads PDASK_VALIDATE_STATE from the environment', async () => {
    const before = process.env.PDASK_VALIDATE_STATE;
    process.env.PDASK_VALIDATE_STATE = '1';
    config.refresh();
    const spy = vi.spyOn(SchedulerState.prototype, 'validate');
    try {
      expect(await delayed(inc)(1).compute({ scheduler: new SyncExecutor() })).toBe(2);
      expect(spy).toHaveBeenCalledTimes(3); // addWorker, updateGraph, taskFinished
    } finally {
      spy.mockRestore();
      if (before === undefined) delete process.env.PDASK_VALIDATE_STATE;
      else process.env.PDASK_VALIDATE_STATE = before;
      config.refresh();
    }
  });
});
