/**
 * The dashboard served by a LocalCluster's scheduler, read over loopback: live frames (checked
 * against protocol.ts) counting exactly the 19,999 tasks that ran, /metrics parsed by a Prometheus
 * text-format parser and equal to the scheduler's own numbers, stories and worker logs.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { Snapshot, StoryResponse, WorkerLogResponse } from '../src/dashboard/protocol';
import { checkSnapshot, EventStream, httpGet, useDashboardCluster } from './dashboard-server-helpers';
import { tree, treeSum, until } from './helpers';

const N = 10_000;
const fx = useDashboardCluster({ nWorkers: 2 });

/** Metric families by name, each a list of [labels, value]. */
async function scrape(): Promise<Map<string, { labels: Record<string, string>; value: number }[]>> {
  const r = await httpGet(`${fx.base}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const out = new Map<string, { labels: Record<string, string>; value: number }[]>();
  for (const fam of parsePrometheusTextFormat(r.body)) out.set(fam.name, fam.metrics.map((m) => ({ labels: m.labels ?? {}, value: Number(m.value) })));
  return out;
}

function one(m: Map<string, { labels: Record<string, string>; value: number }[]>, name: string, labels: Record<string, string> = {}): number {
  const rows = (m.get(name) ?? []).filter((r) => Object.entries(labels).every(([k, v]) => r.labels[k] === v));
  if (rows.length !== 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${rows.length} samples`);
  return rows[0].value;
}

describe('dashboard of a LocalCluster', () => {
  it('publishes its address to the cluster and to clients', () => {
    expect(fx.cluster.dashboardLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/status$/);
    expect(fx.client.dashboardLink).toBe(fx.cluster.dashboardLink);
  });

  it('counts exactly the 19,999 tasks that ran, per prefix, in live frames, the snapshot and /metrics', async () => {
    const stream = await EventStream.open(`${fx.base}/api/events`);
    try {
      // 10,000 inc leaves and 9,999 pairwise adds; the client holds the root's future.
      const future = fx.client.compute(tree(N));
      expect(await future.result()).toBe(treeSum(N));
      await until(() => stream.prefix('add')?.done === N - 1 && stream.prefix('inc')?.done === N, 10_000, 'the progress frames');
      expect(stream.error).toBeUndefined();
      // Every task ran once; all but the held root were released (kept while the graph's future lives).
      await until(() => stream.prefix('add')?.released === N - 2, 10_000, 'the releases');
      expect(stream.prefix('inc')).toMatchObject({ done: N, released: N, memory: 0, waiting: 0, processing: 0, erred: 0, total: N });
      expect(stream.prefix('add')).toMatchObject({ done: N - 1, released: N - 2, memory: 1, waiting: 0, processing: 0, erred: 0, total: N - 1 });
      // Computations only: inputs fetched from the other worker add 'transfer' entries (dashboard-io.test.ts).
      const computed = stream.tasks.filter((t) => t.kind === 'compute');
      for (const [p, n] of [['inc', N], ['add', N - 1]] as const) expect(new Set(computed.filter((t) => t.prefix === p).map((t) => t.key)).size).toBe(n);
      expect(computed.length).toBe(2 * N - 1);
      expect(stream.tasks.every((t) => t.kind === 'compute' || t.kind === 'transfer')).toBe(true);
      expect(stream.frames[0].type).toBe('snapshot');
      expect(new Set(stream.frames.map((f) => f.type))).toEqual(new Set(['snapshot', 'tasks', 'progress', 'workers', 'memory', 'graph']));
      // The task stream's rows are the workers' threads.
      const ids = new Set(stream.workers.map((w) => w.id));
      expect(ids).toEqual(new Set(fx.cluster.scheduler.workers.keys()));
      for (const t of stream.tasks) expect(t.thread).toBe(0);

      const snap = JSON.parse((await httpGet(`${fx.base}/api/snapshot`)).body) as Snapshot;
      checkSnapshot(snap);
      expect(snap.cluster).toMatchObject({ kind: 'distributed', scheduler: fx.cluster.schedulerAddress, dashboard: fx.cluster.dashboardLink, taskStreamLimit: 10_000 });
      expect(snap.taskStream.length).toBe(10_000);
      // Above the node limit the graph is summarised by prefix: inc feeds add, add feeds add.
      expect(snap.graph.mode).toBe('prefixes');
      if (snap.graph.mode === 'prefixes') {
        const id = new Map(snap.graph.nodes.map((n) => [n.prefix, n.id]));
        expect(snap.graph.edges).toEqual([[id.get('inc'), id.get('add')]]);
        expect(snap.graph.nodes.find((n) => n.prefix === 'add')).toMatchObject({ total: N - 1, memory: 1 });
      }

      // /metrics: the model's counts, and the scheduler's own, as a Prometheus parser reads them.
      const info = fx.cluster.scheduler.info();
      const m = await scrape();
      for (const [p, n] of [['inc', N], ['add', N - 1]] as const) {
        expect(one(m, 'pdask_tasks_done_total', { prefix: p })).toBe(n);
        expect(one(m, 'pdask_tasks_finished_total', { prefix: p })).toBe(n);
        expect(one(m, 'pdask_tasks', { prefix: p, state: 'waiting' })).toBe(0);
      }
      expect(one(m, 'pdask_tasks', { prefix: 'inc', state: 'released' })).toBe(N);
      expect(one(m, 'pdask_tasks', { prefix: 'add', state: 'memory' })).toBe(1);
      expect(info.tasks).toMatchObject({ memory: 1, released: 2 * N - 2 });
      for (const [state, n] of Object.entries(info.tasks)) expect(one(m, 'pdask_scheduler_tasks', { state }), state).toBe(n);
      expect(one(m, 'pdask_workers')).toBe(2);
      expect(one(m, 'pdask_transfer_bytes_total')).toBe(fx.cluster.scheduler.transferBytes);
      // Adds read leaves computed on the other worker: those inputs were fetched.
      expect(fx.cluster.scheduler.transferBytes).toBeGreaterThan(0);
      expect(m.has('nodejs_eventloop_lag_seconds')).toBe(true);
      const managed = (m.get('pdask_worker_memory_bytes') ?? []).filter((r) => r.labels.type === 'managed');
      expect(managed.map((r) => r.labels.worker).sort()).toEqual([...ids].sort());
      future.release();
    } finally {
      stream.close();
    }
  }, 30_000);

  it("serves a key's story", async () => {
    // The previous graph's keys are forgotten in a burst of 'forgotten' entries that would push this story out of the ring.
    await until(() => fx.cluster.scheduler.info().tasks.released === 0, 10_000, 'the last graph to be forgotten');
    const f = fx.client.submit((x: number) => x * 7, 6);
    expect(await f.result()).toBe(42);
    const story = JSON.parse((await httpGet(`${fx.base}/api/story?key=${encodeURIComponent(f.key)}`)).body) as StoryResponse;
    expect(story.map((e) => e.to)).toContain('processing');
    expect(story[story.length - 1]).toMatchObject({ key: f.key, to: 'memory' });
    expect(fx.cluster.scheduler.workers.has(story[story.length - 1].worker!)).toBe(true);
    expect((await httpGet(`${fx.base}/api/story`)).status).toBe(400);
    f.release();
  });

  it("keeps each worker's last log lines (sent with its heartbeats)", async () => {
    const id = [...fx.cluster.scheduler.workers.keys()][0];
    let log: WorkerLogResponse = { worker: id, lines: [] };
    await until(async () => {
      log = JSON.parse((await httpGet(`${fx.base}/api/worker-log?worker=${encodeURIComponent(id)}`)).body) as WorkerLogResponse;
      return log.lines.some((l) => l.includes(id));
    }, 10_000, "the worker's start-up line");
    expect(log.worker).toBe(id);
    expect((await httpGet(`${fx.base}/api/worker-log?worker=nobody`)).status).toBe(404);
  });
});
