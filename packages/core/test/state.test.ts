import { describe, expect, it } from 'vitest';
import { dataNode, ref, taskNode, type GraphNode, type OpRef } from '../src/graph/spec';
import { KilledWorkerError } from '../src/schedule/errors';
import type { Instruction } from '../src/schedule/instructions';
import { LocalityPolicy, OneAtATimePolicy } from '../src/schedule/placement';
import { SchedulerState, type SchedulerStateOptions } from '../src/schedule/state';

const add: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };
const t = (key: string, ...deps: string[]): GraphNode => taskNode(key, add, deps.map(ref));

const runs = (ins: Instruction[]) => ins.filter((i) => i.type === 'run').map((i) => (i.type === 'run' ? `${i.task.key}@${i.worker}` : ''));
const releases = (ins: Instruction[]) => ins.filter((i) => i.type === 'release').map((i) => (i.type === 'release' ? `${i.key}@${i.worker}` : ''));
const ofType = (ins: Instruction[], type: Instruction['type']) => ins.filter((i) => i.type === type);

/** Every state in these tests checks all its invariants after each event. */
const checked = (opts: SchedulerStateOptions = {}) => new SchedulerState({ validate: true, ...opts });

/** x, y -> z = x + y;  z, y -> w */
const diamond = (): GraphNode[] => [dataNode('x', 1), dataNode('y', 2), t('z', 'x', 'y'), t('w', 'z', 'y')];

describe('SchedulerState', () => {
  it('runs tasks as their inputs arrive, in priority order, and releases inputs nobody needs', () => {
    const s = checked({ policy: new OneAtATimePolicy() });
    s.addWorker('a', 1);
    const prio: Record<string, number> = { x: 1, y: 0, z: 2, w: 3 };
    let ins = s.updateGraph({ nodes: diamond(), wanted: ['w'], priority: (k) => prio[k] });
    expect(runs(ins)).toEqual(['y@a']); // one slot; y is more urgent than x
    ins = s.taskFinished('y', 'a');
    expect(runs(ins)).toEqual(['x@a']);
    ins = s.taskFinished('x', 'a');
    expect(runs(ins)).toEqual(['z@a']);
    ins = s.taskFinished('z', 'a');
    expect(releases(ins)).toEqual(['x@a']); // x's only reader is done; y is still read by w
    expect(runs(ins)).toEqual(['w@a']);
    ins = s.taskFinished('w', 'a');
    expect(releases(ins).sort()).toEqual(['y@a', 'z@a']);
    expect(ofType(ins, 'memory')).toMatchObject([{ type: 'memory', key: 'w' }]);
    ins = s.release(['w']);
    expect(releases(ins)).toEqual(['w@a']);
    expect(s.counts().released).toBe(4);
  });

  it('fails a task and everything downstream, reporting the wanted keys with the origin', () => {
    const s = checked();
    s.addWorker('a', 1);
    const nodes = [dataNode('x', 1), t('bad', 'x'), t('after', 'bad'), t('ok', 'x')];
    s.updateGraph({ nodes, wanted: ['after', 'ok'] });
    s.taskFinished('x', 'a');
    const boom = new Error('boom');
    const ins = s.taskErred('bad', 'a', boom);
    expect(ofType(ins, 'erred')).toEqual([{ type: 'erred', key: 'after', error: boom, origin: 'bad' }]);
    expect(s.status('after')).toBe('erred');
    expect(s.status('ok')).not.toBe('erred');
    // The failure is remembered: asking for it again reports it at once.
    const again = s.updateGraph({ nodes: [], wanted: ['after'] });
    expect(ofType(again, 'erred')).toHaveLength(1);
  });

  it('a retried task whose input was lost meanwhile waits for it again instead of running', () => {
    const s = checked();
    s.addWorker('a', 1);
    s.addWorker('b', 1);
    let ins = s.updateGraph({ nodes: [t('x'), t('y', 'x'), t('z', 'x')], wanted: ['y', 'z'], retries: 1 });
    const [xAt] = runs(ins);
    const holder = xAt.split('@')[1];
    ins = s.taskFinished('x', holder);
    const placed = new Map(runs(ins).map((r) => r.split('@') as [string, string]));
    expect([...placed.keys()].sort()).toEqual(['y', 'z']);
    // z cannot fetch x from its only holder: x is forgotten there and computed again.
    ins = s.taskMissingData('z', placed.get('z')!, [{ dep: 'x', holder }]);
    expect(s.status('x')).not.toBe('memory');
    // y, still running, fails and has a retry left: it must wait for x, not run without it.
    ins = s.taskErred('y', placed.get('y')!, new Error('flaky'));
    expect(s.status('y')).toBe('waiting');
    expect(runs(ins).filter((r) => r.startsWith('y@'))).toEqual([]);
  });

  it('retries a failing task before failing it', () => {
    const s = checked();
    s.addWorker('a', 1);
    s.updateGraph({ nodes: [t('f')], wanted: ['f'], retries: 2 });
    expect(runs(s.taskErred('f', 'a', new Error('1')))).toEqual(['f@a']);
    expect(runs(s.taskErred('f', 'a', new Error('2')))).toEqual(['f@a']);
    expect(ofType(s.taskErred('f', 'a', new Error('3')), 'erred')).toHaveLength(1);
  });

  it('shares work between graphs: a key already in memory is not run again', () => {
    const s = checked();
    s.addWorker('a', 1);
    s.updateGraph({ nodes: [dataNode('x', 1), t('y', 'x')], wanted: ['y'] });
    s.taskFinished('x', 'a');
    s.taskFinished('y', 'a');
    const ins = s.updateGraph({ nodes: [dataNode('x', 1), t('y', 'x'), t('z', 'y')], wanted: ['z'] });
    expect(runs(ins)).toEqual(['z@a']);
  });

  it('places a task where its largest input is', () => {
    const s = checked({ policy: new LocalityPolicy({ initialDepth: 100 }) });
    s.addWorker('a', 1);
    s.addWorker('b', 1);
    s.updateGraph({ nodes: [dataNode('small', 1), dataNode('big', 2), t('sum', 'small', 'big')], wanted: ['sum'] });
    s.taskFinished('small', s.tasks.get('small')!.processingOn!.id, { nbytes: 8 });
    const bigOn = s.tasks.get('big')!.processingOn!.id;
    const ins = s.taskFinished('big', bigOn, { nbytes: 8_000_000 });
    expect(runs(ins)).toEqual([`sum@${bigOn}`]);
  });

  it('a task with a large input on a busy worker waits for it instead of copying the input elsewhere', () => {
    const s = checked({ policy: new LocalityPolicy({ initialDepth: 1 }) });
    s.addWorker('a', 1);
    s.addWorker('b', 1);
    s.addData([{ key: 'big', worker: 'a', nbytes: 8_000_000 }]);
    s.addData([{ key: 'tiny', worker: 'a', nbytes: 8 }]);
    // Both readers' inputs are on a; a has room for one task.
    let ins = s.updateGraph({ nodes: [t('r1', 'big'), t('r2', 'big'), t('s1', 'tiny'), t('s2', 'tiny')], wanted: ['r1', 'r2', 's1', 's2'], priority: (k) => ['r1', 'r2', 's1', 's2'].indexOf(k) });
    // r1 takes a; r2 waits for a (8 MB); the small readers do not wait: one goes to b.
    expect(runs(ins)).toEqual(['r1@a', 's1@b']);
    ins = s.taskFinished('s1', 'b');
    expect(runs(ins)).toEqual(['s2@b']);
    ins = s.taskFinished('r1', 'a');
    expect(runs(ins)).toEqual(['r2@a']);
    // With waiting turned off the large input is copied to the free worker.
    const c = checked({ policy: new LocalityPolicy({ initialDepth: 1, waitForBytes: 0 }) });
    c.addWorker('a', 1);
    c.addWorker('b', 1);
    c.addData([{ key: 'big', worker: 'a', nbytes: 8_000_000 }]);
    expect(runs(c.updateGraph({ nodes: [t('r1', 'big'), t('r2', 'big')], wanted: ['r1', 'r2'] }))).toEqual(['r1@a', 'r2@b']);
  });

  it('does not wait for a large input that every worker reads in place (moveBytes 0: shared memory)', () => {
    const s = checked({ policy: new LocalityPolicy({ initialDepth: 1 }) });
    s.addWorker('a', 1);
    s.addWorker('b', 1);
    s.updateGraph({ nodes: [dataNode('big', 1), t('r1', 'big'), t('r2', 'big')], wanted: ['r1', 'r2'], priority: (k) => ['big', 'r1', 'r2'].indexOf(k) });
    const on = s.tasks.get('big')!.processingOn!.id;
    const other = on === 'a' ? 'b' : 'a';
    // 8 MB, none of it copied by a reader on the other thread: both readers start at once.
    const ins = s.taskFinished('big', on, { nbytes: 8_000_000, moveBytes: 0 });
    expect(runs(ins).sort()).toEqual([`r1@${on}`, `r2@${other}`].sort());
    expect(s.tasks.get('big')!.nbytes).toBe(8_000_000);
    // The same input in ordinary memory: the second reader waits for the holder.
    const c = checked({ policy: new LocalityPolicy({ initialDepth: 1 }) });
    c.addWorker('a', 1);
    c.addWorker('b', 1);
    c.updateGraph({ nodes: [dataNode('big', 1), t('r1', 'big'), t('r2', 'big')], wanted: ['r1', 'r2'], priority: (k) => ['big', 'r1', 'r2'].indexOf(k) });
    const on2 = c.tasks.get('big')!.processingOn!.id;
    expect(runs(c.taskFinished('big', on2, { nbytes: 8_000_000 }))).toEqual([`r1@${on2}`]);
  });

  it('recomputes results lost with a worker, and requeues what it was running', () => {
    const s = checked({ policy: new LocalityPolicy({ initialDepth: 100 }) });
    s.addWorker('a', 1);
    s.updateGraph({ nodes: [dataNode('x', 1), t('y', 'x'), t('z', 'y')], wanted: ['z'] });
    s.taskFinished('x', 'a');
    s.taskFinished('y', 'a'); // x released (y was its only reader); z now running on a
    expect(s.status('x')).toBe('released');
    s.addWorker('b', 1);
    const ins = s.removeWorker('a', { suspects: ['z'] });
    // y was only on a: it must be recomputed, and so must x, which y reads.
    expect(runs(ins)).toEqual(['x@b']);
    expect(s.status('y')).toBe('waiting');
    expect(s.status('z')).toBe('waiting');
    expect(s.tasks.get('z')!.suspicious).toBe(1);
    expect(runs(s.taskFinished('x', 'b'))).toEqual(['y@b']);
    expect(runs(s.taskFinished('y', 'b'))).toEqual(['z@b']);
    expect(ofType(s.taskFinished('z', 'b'), 'memory')).toMatchObject([{ type: 'memory', key: 'z' }]);
  });

  it('fails a task with KilledWorkerError when it takes down one worker more than the allowed failures (as Dask)', () => {
    const s = checked({ allowedWorkerDeaths: 2 });
    s.addWorker('w0', 1);
    s.updateGraph({ nodes: [t('crash')], wanted: ['crash'] });
    for (let i = 0; i < 2; i++) {
      s.addWorker(`w${i + 1}`, 1);
      const ins = s.removeWorker(`w${i}`, { suspects: ['crash'], cause: 'exit code 1' });
      expect(runs(ins)).toEqual([`crash@w${i + 1}`]);
    }
    const ins = s.removeWorker('w2', { suspects: ['crash'], cause: 'exit code 1' });
    const erred = ofType(ins, 'erred');
    expect(erred).toHaveLength(1);
    const err = erred[0].type === 'erred' ? erred[0].error : undefined;
    expect(err).toBeInstanceOf(KilledWorkerError);
    expect((err as Error).message).toMatch(/'crash'.*died, 3 times.*exit code 1/);
  });

  it('a task whose input vanished before it was fetched waits for the recomputed input', () => {
    const s = checked({ policy: new LocalityPolicy({ initialDepth: 100 }) });
    s.addWorker('a', 1);
    s.addWorker('b', 1);
    s.updateGraph({ nodes: [dataNode('x', 1), t('y', 'x')], wanted: ['y'] });
    const xOn = s.tasks.get('x')!.processingOn!.id;
    const other = xOn === 'a' ? 'b' : 'a';
    s.taskFinished('x', xOn);
    // y went to the holder of x; pretend it was placed elsewhere and could not fetch.
    const yOn = s.tasks.get('y')!.processingOn!.id;
    expect(yOn).toBe(xOn);
    const ins = s.removeWorker(xOn);
    expect(runs(ins)).toEqual([`x@${other}`]);
    expect(s.status('y')).toBe('waiting');
    expect(s.taskMissingData('y', other)).toEqual([]); // stale: y is not running on `other`
  });

  it('rejects a graph that references an unknown key', () => {
    const s = checked();
    expect(() => s.updateGraph({ nodes: [t('y', 'nope')], wanted: ['y'] })).toThrow(/'y' depends on 'nope'/);
    // A rejected graph leaves nothing behind.
    expect(s.status('y')).toBeUndefined();
    s.validate();
  });

  it('rejects an unknown wanted key without holding the others', () => {
    const s = checked();
    s.addWorker('a', 1);
    expect(() => s.updateGraph({ nodes: [t('p')], wanted: ['p', 'nope'] })).toThrow(/Wanted key 'nope' is not in the graph/);
    // Before the fix p stayed wanted (wanted 1) but released: never computed nor reported.
    expect(s.tasks.get('p')!.wanted).toBe(0);
    s.validate();
    expect(runs(s.updateGraph({ nodes: [], wanted: ['p'] }))).toEqual(['p@a']);
  });

  it('batches events: one placement pass, all instructions together', () => {
    const s = checked({ policy: new OneAtATimePolicy() });
    s.addWorker('a', 2);
    s.updateGraph({ nodes: [dataNode('p', 1), dataNode('q', 2), t('r', 'p'), t('s', 'q')], wanted: ['r', 's'] });
    const ins = s.batch((st) => {
      st.taskFinished('p', 'a');
      st.taskFinished('q', 'a');
    });
    expect(runs(ins).sort()).toEqual(['r@a', 's@a']);
  });

  it('forgets a replica a worker could not find, and recomputes the input it was the last copy of', () => {
    const s = checked({ policy: new LocalityPolicy({ initialDepth: 100 }) });
    s.addWorker('a', 1);
    s.updateGraph({ nodes: [dataNode('x', 1), t('y', 'x')], wanted: ['y'] });
    s.taskFinished('x', 'a');
    expect(s.status('y')).toBe('processing');
    // 'a' reports that x, which the scheduler believed it held, is gone.
    const ins = s.taskMissingData('y', 'a', [{ dep: 'x', holder: 'a' }]);
    expect(runs(ins)).toEqual(['x@a']);
    expect(s.tasks.get('x')!.whoHas).toEqual([]);
    expect(s.status('y')).toBe('waiting');
    expect(runs(s.taskFinished('x', 'a'))).toEqual(['y@a']);
    expect(ofType(s.taskFinished('y', 'a'), 'memory')).toMatchObject([{ key: 'y' }]);
  });

  it('cancels work nothing needs any more when the caller releases its keys', () => {
    const s = checked({ policy: new OneAtATimePolicy() });
    s.addWorker('a', 1);
    s.updateGraph({ nodes: [dataNode('x', 1), t('y', 'x'), t('z', 'y')], wanted: ['z'] });
    expect(s.status('x')).toBe('processing');
    const ins = s.release(['z']);
    // x was running: cancelled; y and z were waiting: dropped.
    expect(ins.filter((i) => i.type === 'cancel').map((i) => (i.type === 'cancel' ? `${i.key}@${i.worker}` : ''))).toEqual(['x@a']);
    expect([s.status('x'), s.status('y'), s.status('z')]).toEqual(['released', 'released', 'released']);
    // A late report of the cancelled task is ignored, and nothing else is placed.
    expect(s.taskFinished('x', 'a')).toEqual([]);
  });

  it('keeps shared inputs another wanted key still needs when one key is released', () => {
    const s = checked({ policy: new OneAtATimePolicy() });
    s.addWorker('a', 1);
    s.updateGraph({ nodes: [dataNode('x', 1), t('p', 'x'), t('q', 'x')], wanted: ['p', 'q'] });
    s.release(['p']);
    expect(s.status('p')).toBe('released');
    expect(s.status('x')).toBe('processing');
    s.taskFinished('x', 'a');
    expect(s.status('q')).toBe('processing');
  });

  it('forgets finished graphs, but not inputs a held result may need to be recomputed from', () => {
    const s = checked();
    s.addWorker('a', 1);
    s.updateGraph({ nodes: [dataNode('x', 1), t('y', 'x'), dataNode('u', 2), t('v', 'u')], wanted: ['y', 'v'] });
    for (const k of ['x', 'y', 'u', 'v']) if (s.status(k) === 'processing') s.taskFinished(k, 'a');
    for (const k of ['x', 'y', 'u', 'v']) if (s.status(k) === 'processing') s.taskFinished(k, 'a');
    s.release(['v']);
    expect(s.forgetReleased()).toBe(2); // u and v; x stays because y (held) reads it
    expect(s.status('v')).toBeUndefined();
    expect(s.status('u')).toBeUndefined();
    expect(s.status('x')).toBe('released');
    expect(s.status('y')).toBe('memory');
    s.release(['y']);
    expect(s.forgetReleased()).toBe(2);
    expect(s.counts()).toEqual({ released: 0, waiting: 0, ready: 0, processing: 0, memory: 0, erred: 0 });
  });

  it('holds a task the policy declines until the workers change', () => {
    const onlyGpu = {
      capacity: () => 10,
      choose: (_ts: unknown, ws: readonly { id: string }[]) => ws.find((w) => w.id === 'gpu'),
    };
    const s = checked({ policy: onlyGpu as never });
    s.addWorker('cpu', 1);
    expect(runs(s.updateGraph({ nodes: [t('train')], wanted: ['train'] }))).toEqual([]);
    expect(s.status('train')).toBe('ready');
    expect(runs(s.addWorker('gpu', 1))).toEqual(['train@gpu']);
  });

  it('records scattered data, feeds it to readers, and fails them if every copy is lost', () => {
    const s = checked();
    s.addWorker('a', 1);
    s.addWorker('b', 1);
    const ins = s.addData([{ key: 'data', worker: 'a', nbytes: 800 }]);
    expect(ins).toMatchObject([{ type: 'memory', key: 'data' }]);
    expect(runs(s.updateGraph({ nodes: [t('use', 'data')], wanted: ['use'] }))).toEqual(['use@a']);
    const lost = s.removeWorker('a');
    const erred = lost.filter((i) => i.type === 'erred');
    expect(erred.map((i) => i.key).sort()).toEqual(['data', 'use']);
    expect(String((erred[0] as { error: Error }).error.message)).toMatch(/Scattered data 'data' was lost/);
  });
});


describe('SchedulerState: bugs found by validate() and the random event sequences', () => {
  it('data given for a task already running takes it off its worker: the slot is freed and its inputs released', () => {
    const s = checked({ policy: new OneAtATimePolicy() });
    s.addWorker('a', 1);
    const prio: Record<string, number> = { x: 0, y: 1, z: 2 };
    s.updateGraph({ nodes: [dataNode('x', 1), t('y', 'x'), t('z')], wanted: ['y', 'z'], priority: (k) => prio[k] });
    expect(runs(s.taskFinished('x', 'a'))).toEqual(['y@a']);
    const ins = s.addData([{ key: 'y', worker: 'a', nbytes: 8 }]);
    expect(ofType(ins, 'cancel')).toMatchObject([{ key: 'y', worker: 'a' }]);
    expect(releases(ins)).toEqual(['x@a']);
    expect(ofType(ins, 'memory')).toMatchObject([{ key: 'y' }]);
    // Before the fix y stayed in a's processing set: the only slot was taken for ever and z never ran.
    expect(runs(ins)).toEqual(['z@a']);
    expect(s.workers.get('a')!.processing.size).toBe(1);
  });

  it('a scattered key that was released fails its new readers instead of being run as an empty data node', () => {
    const s = checked();
    s.addWorker('a', 1);
    s.addData([{ key: 'd', worker: 'a', nbytes: 8 }]);
    expect(releases(s.release(['d']))).toEqual(['d@a']);
    const ins = s.updateGraph({ nodes: [t('use', 'd')], wanted: ['use'] });
    // Before the fix: 'run d@a', a task whose value is `undefined`.
    expect(runs(ins)).toEqual([]);
    const erred = ofType(ins, 'erred');
    expect(erred).toMatchObject([{ key: 'use', origin: 'd' }]);
    expect(String((erred[0] as { error: Error }).error.message)).toMatch(/Scattered data 'd' was released; it cannot be recomputed/);
  });

  it('a graph reading a failed key does not release inputs that other tasks still need', () => {
    const s = checked({ policy: new OneAtATimePolicy() });
    s.addWorker('a', 1);
    const prio: Record<string, number> = { x: 0, bad: 1, g: 2, e: 3 };
    s.updateGraph({ nodes: [dataNode('x', 1), t('bad'), t('g'), t('e', 'x', 'g')], wanted: ['bad', 'e'], priority: (k) => prio[k] });
    s.taskFinished('x', 'a');
    s.taskErred('bad', 'a', new Error('boom'));
    expect(s.status('g')).toBe('processing'); // e waits for g, and still needs x
    // c reads b, which reads the failed key; c also reads x.
    const ins = s.updateGraph({ nodes: [t('b', 'bad'), t('c', 'b', 'x')], wanted: ['c'] });
    // Before the fix failing c (found via b) took c's unmade claim on x off x's waiters: x was released under e.
    expect(releases(ins)).toEqual([]);
    expect(s.status('x')).toBe('memory');
    expect(s.tasks.get('x')!.waiters).toBe(1);
    // Reported once (it used to be reported twice: by the failure, and as a wanted key found failed).
    expect(ofType(ins, 'erred')).toMatchObject([{ key: 'c', origin: 'bad' }]);
    expect(runs(s.taskFinished('g', 'a'))).toEqual(['e@a']);
  });
});
