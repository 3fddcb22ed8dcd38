/** Reading the dashboard over loopback: an SSE client that checks every frame against protocol.ts. */
import { get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Frame, PrefixProgress, Snapshot, TaskStreamEntry, WorkerRow } from '../src/dashboard/protocol';
import { Client, LocalCluster, type LocalClusterOptions } from '../src/index';
import { requireBuild } from './helpers';

export function httpGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((ok, fail) => {
    get(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', fail);
  });
}

const num = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
const STATES = ['waiting', 'processing', 'memory', 'released', 'erred'];

function checkPrefix(p: PrefixProgress): void {
  expect(typeof p.prefix).toBe('string');
  for (const s of [...STATES, 'total', 'done']) expect(num((p as unknown as Record<string, unknown>)[s]), `${p.prefix}.${s}`).toBe(true);
  expect(p.total).toBe(p.waiting + p.processing + p.memory + p.released + p.erred);
  expect(typeof p.color).toBe('string');
}

function checkWorker(w: WorkerRow): void {
  expect(typeof w.id).toBe('string');
  expect(typeof w.address).toBe('string');
  expect(w.name === null || typeof w.name === 'string').toBe(true);
  for (const f of ['threads', 'executing', 'queued', 'inMemory', 'occupancy', 'lastSeen'] as const) expect(num(w[f]), f).toBe(true);
  for (const f of ['managed', 'unmanaged', 'spilled'] as const) expect(num(w.memory[f]), f).toBe(true);
  for (const f of ['limit', 'target', 'spill', 'pause'] as const) expect(w.memory[f] === null || num(w.memory[f]), f).toBe(true);
  expect(w.cpu === null || num(w.cpu)).toBe(true);
  expect(['running', 'paused', 'closing']).toContain(w.status);
}

function checkTask(t: TaskStreamEntry): void {
  expect(typeof t.key).toBe('string');
  expect(typeof t.prefix).toBe('string');
  expect(typeof t.worker).toBe('string');
  expect(Number.isInteger(t.thread)).toBe(true);
  expect(num(t.start) && num(t.stop) && t.stop >= t.start).toBe(true);
  expect(['compute', 'transfer', 'spill', 'error']).toContain(t.kind);
}

/** Checks a snapshot's shape field by field (the pages trust these types). */
export function checkSnapshot(s: Snapshot): void {
  expect(s.version).toBe(1);
  expect(['distributed', 'threads']).toContain(s.cluster.kind);
  for (const f of ['startedAt', 'now', 'taskStreamLimit', 'graphNodeLimit'] as const) expect(num(s.cluster[f])).toBe(true);
  s.workers.forEach(checkWorker);
  s.prefixes.forEach(checkPrefix);
  s.taskStream.forEach(checkTask);
  expect(Array.isArray(s.exceptions) && Array.isArray(s.memory)).toBe(true);
  expect(['tasks', 'prefixes']).toContain(s.graph.mode);
}

export function checkFrame(f: Frame): void {
  switch (f.type) {
    case 'snapshot':
      return checkSnapshot(f.data);
    case 'tasks':
      return f.append.forEach(checkTask);
    case 'progress':
      return f.prefixes.forEach(checkPrefix);
    case 'workers':
      return f.workers.forEach(checkWorker);
    case 'memory':
      for (const m of f.append) expect(num(m.time) && num(m.managed) && num(m.unmanaged) && num(m.spilled)).toBe(true);
      return;
    case 'exceptions':
      for (const e of f.append) expect(typeof e.key === 'string' && typeof e.stack === 'string' && typeof e.errorType === 'string').toBe(true);
      return;
    case 'graph':
      expect(['tasks', 'prefixes']).toContain(f.graph.mode);
      return;
    default:
      throw new Error(`unknown frame ${JSON.stringify(f).slice(0, 80)}`);
  }
}

/**
 * An open `/api/events` stream: every frame is parsed, checked and applied to a running view
 * (the latest progress and workers, all task-stream entries seen).
 */
export class EventStream {
  frames: Frame[] = [];
  progress: PrefixProgress[] = [];
  workers: WorkerRow[] = [];
  tasks: TaskStreamEntry[] = [];
  /** Every worker id ever listed. */
  seenWorkers = new Set<string>();
  error: unknown;
  private res: IncomingMessage | undefined;

  static open(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
    const s = new EventStream();
    return new Promise((ok, fail) => {
      const req = get(url, { headers }, (res) => {
        s.res = res;
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (d: string) => {
          buf += d;
          let end: number;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, end);
            buf = buf.slice(end + 2);
            try {
              s.onBlock(block);
            } catch (e) {
              s.error ??= e;
            }
          }
        });
        ok(s);
      });
      req.on('error', fail);
    });
  }

  private onBlock(block: string): void {
    let event: string | undefined;
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (event === undefined) return; // retry: or a keep-alive comment
    const f = JSON.parse(data) as Frame;
    expect(f.type).toBe(event);
    checkFrame(f);
    this.frames.push(f);
    if (f.type === 'snapshot') {
      this.progress = f.data.prefixes;
      this.workers = f.data.workers;
      this.tasks.push(...f.data.taskStream);
    } else if (f.type === 'progress') this.progress = f.prefixes;
    else if (f.type === 'workers') this.workers = f.workers;
    else if (f.type === 'tasks') this.tasks.push(...f.append);
    for (const w of this.workers) this.seenWorkers.add(w.id);
  }

  prefix(name: string): PrefixProgress | undefined {
    return this.progress.find((p) => p.prefix === name);
  }

  close(): void {
    this.res?.destroy();
  }
}

/**
 * A LocalCluster serving its dashboard on a loopback port, with a client (and the live event
 * stream when asked), started before the tests of the enclosing describe block and closed after
 * them. Its fields throw when read outside those tests rather than hand out undefined.
 */
export class DashboardCluster {
  private parts: { cluster: LocalCluster; client: Client; base: string; events?: EventStream } | undefined;

  constructor(opts: Omit<LocalClusterOptions, 'dashboardAddress'>, withEvents: boolean) {
    beforeAll(async () => {
      requireBuild();
      const cluster = await LocalCluster.start({ ...opts, dashboardAddress: '127.0.0.1:0' });
      const client = await Client.connect(cluster, { setAsDefault: false });
      const base = cluster.dashboardLink!.replace(/\/status$/, '');
      this.parts = { cluster, client, base, events: withEvents ? await EventStream.open(`${base}/api/events`) : undefined };
    }, 30_000);
    afterAll(async () => {
      this.parts?.events?.close();
      await this.parts?.client.close();
      await this.parts?.cluster.close();
    });
  }

  private get started(): NonNullable<DashboardCluster['parts']> {
    if (!this.parts) throw new Error('the dashboard cluster is used outside the tests of its describe block');
    return this.parts;
  }
  get cluster(): LocalCluster { return this.started.cluster; }
  get client(): Client { return this.started.client; }
  /** The dashboard's root URL (its link without `/status`). */
  get base(): string { return this.started.base; }
  get events(): EventStream {
    const e = this.started.events;
    if (!e) throw new Error('this dashboard cluster was started without its event stream');
    return e;
  }
}

/** Registers a {@link DashboardCluster} for the enclosing describe block (or file). */
export function useDashboardCluster(opts: Omit<LocalClusterOptions, 'dashboardAddress'>, { events = false } = {}): DashboardCluster {
  return new DashboardCluster(opts, events);
}
