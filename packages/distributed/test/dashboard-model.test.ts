/**
 * The dashboard's pure model against hand-computed expectations: counts per prefix through a
 * task's life, the task-stream ring and its thread rows, worker rows (from transitions for
 * threads, from reports for cluster workers), graph modes, delta frames, and Dask's key_split.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DashboardModel, type ModelStatus } from '../src/dashboard/model';
import { authorize, isLoopbackHost, loopbackHostHeader, parseDashboardAddress, TOKEN_COOKIE } from '../src/dashboard/auth';
import { keySplit, prefixColor } from '../src/dashboard/key-split';
import type { Frame, PrefixProgress } from '../src/dashboard/protocol';

const T0 = 1_700_000_000_000;

function model(extra: Partial<ConstructorParameters<typeof DashboardModel>[0]> = {}): DashboardModel {
  return new DashboardModel({ kind: 'threads', scheduler: 'threads', startedAt: T0, ...extra });
}

function row(m: DashboardModel, prefix: string): PrefixProgress {
  const p = m.progress().find((x) => x.prefix === prefix);
  if (!p) throw new Error(`no prefix ${prefix}`);
  return p;
}

/** Drives a key through the statuses given, as the state machine's story would. */
function walk(m: DashboardModel, key: string, path: ModelStatus[], worker?: string): void {
  for (let i = 1; i < path.length; i++) m.transition(key, path[i - 1], path[i], path[i] === 'processing' || path[i] === 'memory' ? worker : undefined);
}

// Made by fixtures/make_key_split.py with Dask 2022.12's key_split.
const KEY_SPLIT = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'key_split.json'), 'utf8')) as { cases: [string, string][] };

describe("keySplit (Dask 2022.12's key_split)", () => {
  it.each(KEY_SPLIT.cases)('%s -> %s', (key, prefix) => expect(keySplit(key)).toBe(prefix));

  it('gives each prefix one stable colour', () => {
    expect(prefixColor('inc')).toBe(prefixColor('inc'));
    expect(prefixColor('inc')).toMatch(/^hsl\(\d+, 65%, 50%\)$/);
    // The tree's two prefixes must be told apart on the task stream (their hues were 3 degrees apart).
    const hue = (p: string) => Number(/^hsl\((\d+),/.exec(prefixColor(p))![1]);
    const apart = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));
    expect(apart(hue('inc'), hue('add'))).toBeGreaterThan(60);
  });
});

describe('DashboardModel', () => {
  it('counts tasks per prefix through their lives; done stays when results are released', () => {
    const m = model();
    m.workerAdded({ id: 'thread-0', address: 't0', threads: 1, reportsMetrics: false }, T0);
    walk(m, 'inc-1', ['released', 'waiting', 'ready', 'processing', 'memory'], 'thread-0');
    walk(m, 'inc-2', ['released', 'waiting', 'ready', 'processing'], 'thread-0');
    walk(m, 'inc-3', ['released', 'waiting']);
    walk(m, 'add-1', ['released', 'waiting', 'ready', 'processing', 'erred'], 'thread-0');
    expect(row(m, 'inc')).toMatchObject({ waiting: 1, processing: 1, memory: 1, released: 0, erred: 0, total: 3, done: 1 });
    expect(row(m, 'add')).toMatchObject({ erred: 1, total: 1, done: 0 });
    // Released, then forgotten: gone from the counts but still done.
    walk(m, 'inc-1', ['memory', 'released', 'forgotten']);
    expect(row(m, 'inc')).toMatchObject({ waiting: 1, processing: 1, memory: 0, released: 0, total: 2, done: 1 });
    // A replica added to a result in memory counts nothing.
    walk(m, 'inc-2', ['processing', 'memory'], 'thread-0');
    m.transition('inc-2', 'memory', 'memory', 'thread-1');
    expect(row(m, 'inc')).toMatchObject({ memory: 1, processing: 0, total: 2, done: 2 });
  });

  it('rows of threads: processing, executing/queued and held results from transitions, bytes from reports', () => {
    const m = model();
    m.workerAdded({ id: 'thread-0', address: 't0', threads: 1, reportsMetrics: false }, T0);
    for (const k of ['a-1', 'a-2', 'a-3']) walk(m, k, ['released', 'ready', 'processing'], 'thread-0');
    m.taskStopped({ key: 'a-1', worker: 'thread-0', start: T0, stop: T0 + 100, nbytes: 800, thread: 0 });
    walk(m, 'a-1', ['processing', 'memory'], 'thread-0');
    const [w] = m.workerRows();
    // 2 processing on 1 thread: 1 executing, 1 queued; occupancy = 2 x the prefix's mean 0.1 s.
    expect(w).toMatchObject({ id: 'thread-0', executing: 1, queued: 1, inMemory: 1, memory: { managed: 800, unmanaged: 0, spilled: 0, limit: null } });
    expect(w.occupancy).toBeCloseTo(0.2, 10);
    walk(m, 'a-1', ['memory', 'released']);
    expect(m.workerRows()[0]).toMatchObject({ inMemory: 0, memory: { managed: 0 } });
  });

  it('rows of cluster workers come from their reports; removed workers disappear', () => {
    const m = model({ kind: 'distributed', scheduler: 'tcp://127.0.0.1:1' });
    m.workerAdded({ id: 'w1', address: 'tcp://127.0.0.1:2', name: 'one', threads: 2, memoryLimit: 1000, target: 0.6, spill: 0.7, pause: 0.8, reportsMetrics: true }, T0);
    m.workerReport('w1', { managed: 100, rss: 350, spilled: 40, executing: 2, queued: 5, paused: true, cpu: 87.5 }, T0 + 5);
    expect(m.workerRows()).toEqual([
      {
        id: 'w1',
        address: 'tcp://127.0.0.1:2',
        name: 'one',
        threads: 2,
        memory: { managed: 100, unmanaged: 250, spilled: 40, limit: 1000, target: 0.6, spill: 0.7, pause: 0.8 },
        cpu: 87.5,
        executing: 2,
        queued: 5,
        inMemory: 0,
        occupancy: 0,
        status: 'paused',
        lastSeen: T0 + 5,
      },
    ]);
    m.workerRemoved('w1');
    expect(m.workerRows()).toEqual([]);
  });

  it('keeps the last taskStreamLimit tasks and puts overlapping tasks on free thread rows', () => {
    const m = model({ taskStreamLimit: 3 });
    m.workerAdded({ id: 'w', address: 'w', threads: 2, reportsMetrics: true }, T0);
    m.taskStopped({ key: 'a-1', worker: 'w', start: 0, stop: 10 });
    m.taskStopped({ key: 'a-2', worker: 'w', start: 5, stop: 12 }); // overlaps a-1: second row
    m.taskStopped({ key: 'a-3', worker: 'w', start: 10, stop: 20 }); // row 0 is free from 10
    m.taskStopped({ key: 'b-1', worker: 'w', start: 12, stop: 13 }); // row 1 is free from 12
    const s = m.snapshot(T0);
    expect(s.taskStream.map((t) => [t.key, t.thread])).toEqual([
      ['a-2', 1],
      ['a-3', 0],
      ['b-1', 1],
    ]);
    expect(s.taskStream[2]).toEqual({ key: 'b-1', prefix: 'b', worker: 'w', thread: 1, start: 12, stop: 13, kind: 'compute' });
    for (let i = 0; i < 20; i++) m.taskStopped({ key: `c-${i}`, worker: 'w', start: 100 + i, stop: 101 + i });
    expect(m.snapshot(T0).taskStream.map((t) => t.key)).toEqual(['c-17', 'c-18', 'c-19']);
    // A push between two frames carries the last 3 too, however many ended since the previous one.
    const tasks = m.takeFrames(T0).find((f) => f.type === 'tasks');
    expect(tasks?.type === 'tasks' && tasks.append.map((t) => t.key)).toEqual(['c-17', 'c-18', 'c-19']);
  });

  it('shows the graph task by task up to graphNodeLimit, by prefix above', () => {
    const m = model({ graphNodeLimit: 3 });
    m.graphSubmitted([
      { key: 'x-1', deps: [] },
      { key: 'x-2', deps: [] },
      { key: 'sum-1', deps: ['x-1', 'x-2'] },
    ]);
    walk(m, 'x-1', ['released', 'ready']);
    const g = m.graph();
    expect(g.mode).toBe('tasks');
    if (g.mode !== 'tasks') return;
    const id = (k: string): number => g.nodes.find((n) => n.key === k)!.id;
    expect(g.nodes.find((n) => n.key === 'x-1')!.state).toBe('waiting');
    expect(g.nodes.find((n) => n.key === 'sum-1')).toMatchObject({ prefix: 'sum', state: 'released' });
    expect(g.edges.sort()).toEqual([
      [id('x-1'), id('sum-1')],
      [id('x-2'), id('sum-1')],
    ].sort());
    m.graphSubmitted([{ key: 'y-1', deps: ['sum-1'] }]);
    const p = m.graph();
    expect(p.mode).toBe('prefixes');
    if (p.mode !== 'prefixes') return;
    const pid = (name: string): number => p.nodes.find((n) => n.prefix === name)!.id;
    expect(p.nodes.map((n) => [n.prefix, n.total]).sort()).toEqual([
      ['sum', 1],
      ['x', 2],
      ['y', 1],
    ]);
    expect(p.edges.sort()).toEqual([
      [pid('x'), pid('sum')],
      [pid('sum'), pid('y')],
    ].sort());
  });

  it('sends only what changed, once', () => {
    const m = model({ memorySampleMs: 1000 });
    m.workerAdded({ id: 'thread-0', address: 't0', threads: 1, reportsMetrics: false }, T0);
    const first = m.takeFrames(T0);
    expect(first.map((f) => f.type).sort()).toEqual(['memory', 'workers']);
    expect(m.takeFrames(T0 + 10)).toEqual([]);
    walk(m, 'inc-1', ['released', 'ready', 'processing'], 'thread-0');
    m.taskErred({ key: 'inc-1', worker: 'thread-0', errorType: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at f', time: T0 + 20 });
    m.taskStopped({ key: 'inc-1', worker: 'thread-0', thread: 0, start: T0, stop: T0 + 20, kind: 'error' });
    const frames = m.takeFrames(T0 + 30);
    const byType = new Map(frames.map((f) => [f.type, f]));
    expect([...byType.keys()].sort()).toEqual(['exceptions', 'graph', 'progress', 'tasks', 'workers']);
    expect((byType.get('exceptions') as Extract<Frame, { type: 'exceptions' }>).append).toEqual([
      { key: 'inc-1', prefix: 'inc', worker: 'thread-0', errorType: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at f', time: T0 + 20 },
    ]);
    expect((byType.get('tasks') as Extract<Frame, { type: 'tasks' }>).append).toHaveLength(1);
    // A memory sample once a second.
    expect(m.takeFrames(T0 + 1000).map((f) => f.type)).toEqual(['memory']);
    expect(m.snapshot(T0 + 1000).memory.map((s) => s.time)).toEqual([T0, T0 + 1000]);
  });

  it('forgets the keys of an ended computation; done stays', () => {
    const m = model();
    m.workerAdded({ id: 'thread-0', address: 't0', threads: 1, reportsMetrics: false }, T0);
    m.graphSubmitted([{ key: 'a-1', deps: [] }, { key: 'a-2', deps: ['a-1'] }]);
    walk(m, 'a-1', ['released', 'ready', 'processing', 'memory'], 'thread-0');
    m.forget(['a-1', 'a-2']);
    expect(row(m, 'a')).toMatchObject({ total: 0, released: 0, memory: 0, done: 1 });
    expect(m.workerRows()[0]).toMatchObject({ inMemory: 0 });
    expect(m.graph()).toEqual({ mode: 'tasks', nodes: [], edges: [] });
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => model({ taskStreamLimit: 0 })).toThrow(/taskStreamLimit must be a positive integer, got 0/);
  });
});

describe('dashboard access', () => {
  const token = 'secret-token';
  it('is open without a token to ask for (loopback)', () => {
    expect(authorize({ url: '/status' }, undefined, false)).toEqual({ ok: true });
  });
  it('refuses a request without the token, or with a wrong one', () => {
    expect(authorize({ url: '/status' }, token, false)).toMatchObject({ ok: false });
    expect(authorize({ url: '/status', authorization: 'Bearer nope' }, token, false)).toMatchObject({ ok: false });
    expect(authorize({ url: '/status?token=nope' }, token, false)).toMatchObject({ ok: false });
    expect(authorize({ url: '/status', cookie: `${TOKEN_COOKIE}=nope` }, token, false)).toMatchObject({ ok: false });
  });
  it('accepts the bearer header, the cookie, and a ?token= login that sets an HttpOnly cookie', () => {
    expect(authorize({ url: '/metrics', authorization: `Bearer ${token}` }, token, false)).toEqual({ ok: true });
    expect(authorize({ url: '/status', cookie: `a=b; ${TOKEN_COOKIE}=${token}` }, token, false)).toEqual({ ok: true });
    expect(authorize({ url: `/status?x=1&token=${token}` }, token, true)).toEqual({
      ok: true,
      setCookie: `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Secure`,
      redirect: '/status?x=1',
    });
  });
  it('answers without a token only requests naming this machine (DNS rebinding)', () => {
    for (const h of [undefined, '127.0.0.1:8787', 'localhost:8787', '[::1]:8787', 'localhost']) expect(loopbackHostHeader(h), String(h)).toBe(true);
    for (const h of ['evil.example:8787', '10.0.0.5:8787', '127.0.0.1.evil.example', '']) expect(loopbackHostHeader(h), h).toBe(false);
  });

  it('tells loopback hosts apart and reads dashboard addresses', () => {
    expect(['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.5', 'example.org'].some(isLoopbackHost)).toBe(false);
    expect(parseDashboardAddress('127.0.0.1:8787')).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(parseDashboardAddress(':0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseDashboardAddress('8788')).toEqual({ host: '127.0.0.1', port: 8788 });
    expect(parseDashboardAddress('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(() => parseDashboardAddress('nowhere')).toThrow(/Invalid dashboard address 'nowhere'/);
  });
});
