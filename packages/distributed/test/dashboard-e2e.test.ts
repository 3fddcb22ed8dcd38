/**
 * The dashboard end to end: a real LocalCluster (2 worker processes) with its dashboard, the built
 * pages in headless Chromium reading the real server. A 19,999-task tree (10,000 `inc` leaves,
 * 9,999 pairwise `add`s) is counted exactly per prefix on the status and graph pages, each worker
 * has its row, the task stream's canvas is drawn in the prefixes' colours; then a worker process
 * is SIGKILLed mid-run, leaves the rows and its replacement joins. Screenshots of every page go to
 * test-output/dashboard/e2e-*.png; with PDASK_UPDATE_DASHBOARD_PICTURE=1, the status page after the
 * kill also to docs/dashboard-status.png (the README's picture; a committed file, so not on every run).
 * The frame time of the status page during the run is logged.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { delayed, type Delayed } from '@pdask/core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingPiece } from '../../../test/helpers/provisioned';
import { Client, LocalCluster } from '../src/index';
import { prefixColor } from '../src/dashboard/key-split';
import { recordFrames, stopFrames } from './fixtures/frame-times';
import { PKG, requireBuild, until } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(PKG, 'test-output', 'dashboard');
const README_PICTURE = join(PKG, 'docs', 'dashboard-status.png');
const DASHBOARD_DIST = join(PKG, 'dist', 'dashboard');
const N = 10_000;

/** Why Chromium is missing here (the test setup, scripts/test/provision.ts, may still be installing it: this waits). */
const missing = await missingPiece('chromium');
if (missing) console.warn(`SKIPPED: the dashboard's end-to-end headless-Chromium test: ${missing}`);

/** sum(inc(i) for i < n) by pairwise adds; each leaf busies its worker `ms` so the run lasts a few seconds. */
function tree(n: number, ms: number): Delayed<number> {
  const inc = (i: number, wait: number): number => {
    const end = performance.now() + wait;
    while (performance.now() < end);
    return i + 1;
  };
  const add = (a: number, b: number): number => a + b;
  let level: Delayed<number>[] = Array.from({ length: n }, (_, i) => delayed(inc)(i, ms));
  while (level.length > 1) {
    const next: Delayed<number>[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

/** [r, g, b] of an `hsl(h, 65%, 50%)` colour (prefixColor's form), as the canvas stores it. */
function hslRgb(css: string): [number, number, number] {
  const m = /^hsl\((\d+), (\d+)%, (\d+)%\)$/.exec(css);
  if (!m) throw new Error(`not an hsl colour: ${css}`);
  const [h, s, l] = [Number(m[1]), Number(m[2]) / 100, Number(m[3]) / 100];
  const a = s * Math.min(l, 1 - l);
  const f = (k: number): number => {
    const t = (k + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(t - 3, 9 - t, 1))));
  };
  return [f(0), f(8), f(4)];
}

let cluster: LocalCluster;
let client: Client;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (missing) return;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser test`);
  if (!existsSync(join(DASHBOARD_DIST, 'status.html'))) throw new Error(`${DASHBOARD_DIST}/status.html is missing: run \`npm run build -w packages/distributed\` first`);
  requireBuild();
  mkdirSync(OUT, { recursive: true });
  cluster = await LocalCluster.start({ nWorkers: 2, dashboardAddress: '127.0.0.1:0' });
  client = await Client.connect(cluster, { setAsDefault: false });
  base = cluster.dashboardLink!.replace(/\/status$/, '');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await client?.close();
  await cluster?.close();
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${base}${path}`);
  await page.waitForFunction(() => (window.pdaskDashboard?.frames ?? 0) >= 1, undefined, { timeout: 10_000 });
  return { page, errors };
}

const attr = (page: Page, selector: string, name: string): Promise<string[]> =>
  page.$$eval(selector, (els, n) => els.map((e) => e.getAttribute(n) ?? ''), name);

/** Waits until the page's rows matching `selector` carry exactly these `data-worker` ids (any order). */
async function rowsAre(page: Page, selector: string, ids: string[], what: string): Promise<void> {
  const want = [...ids].sort().join(' ');
  try {
    await page.waitForFunction(
      ([sel, w]) => Array.from(document.querySelectorAll(sel), (e) => e.getAttribute('data-worker') ?? '').sort().join(' ') === w,
      [selector, want] as const,
      { timeout: 20_000 },
    );
  } catch {
    throw new Error(`${what}: rows ${JSON.stringify(await attr(page, selector, 'data-worker'))}, expected ${JSON.stringify(ids)}`);
  }
}

describe.skipIf(missing !== undefined)('the dashboard of a real LocalCluster in headless Chromium', () => {
  it('counts a 19,999-task tree per prefix, shows each worker and the task stream, and a killed worker leaving and its replacement', async () => {
    const status = await open('/status');
    const workers = await open('/workers');
    const graph = await open('/graph');
    try {
      const ids = [...cluster.scheduler.workers.keys()];
      expect(ids.length).toBe(2);
      await rowsAre(status.page, '#worker-memory tr', ids, 'status memory rows');
      await rowsAre(status.page, '#processing tr', ids, 'status processing rows');
      await rowsAre(workers.page, '#workers-table tbody tr', ids, 'workers table');

      // Animation-frame times of the status page while the run streams in.
      await recordFrames(status.page);

      // 0.4 ms per leaf: the tree takes a few seconds on two workers, long enough to look at mid-run.
      const future = client.compute(tree(N, 0.4));
      await status.page.waitForFunction(() => Number(document.querySelector('#progress tr[data-prefix="inc"]')?.getAttribute('data-done') ?? 0) >= 3000, undefined, { timeout: 20_000 });
      await status.page.screenshot({ path: join(OUT, 'e2e-status-running.png') });
      expect(await future.result()).toBe((N * (N + 1)) / 2);

      // Exactly the tasks that ran, per prefix (inc then add), as a person reads them.
      const done = (page: Page, sel: string): Promise<[string | null, number, string | null | undefined][]> =>
        page.$$eval(sel, (trs) => trs.map((tr) => [tr.getAttribute('data-prefix'), Number(tr.getAttribute('data-done')), tr.querySelector('.done-count')?.textContent]));
      await status.page.waitForFunction(() => document.querySelector('#progress tr[data-prefix="add"]')?.getAttribute('data-done') === '9999', undefined, { timeout: 10_000 });
      expect(await done(status.page, '#progress tr')).toEqual([
        ['inc', N, '10,000 / 10,000'],
        ['add', N - 1, '9,999 / 9,999'],
      ]);
      const frames = await stopFrames(status.page);
      console.log(`[dashboard e2e frame time] during the 19,999-task run, ${frames.summary()}`);

      // The task stream: entries held (the server keeps the newest 10,000) and drawn in both prefixes' colours.
      await status.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const canvas = await status.page.$eval('#task-stream', (el) => {
        const c = el as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const counts: Record<string, number> = {};
        let nonWhite = 0;
        for (let i = 0; i < d.length; i += 4) {
          const key = `${d[i]},${d[i + 1]},${d[i + 2]}`;
          counts[key] = (counts[key] ?? 0) + 1;
          if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) nonWhite++;
        }
        return { entries: Number(c.getAttribute('data-entries')), rects: Number(c.getAttribute('data-rects')), counts, nonWhite, total: c.width * c.height };
      });
      expect(canvas.entries).toBeGreaterThanOrEqual(10_000);
      expect(canvas.rects).toBeGreaterThan(0);
      expect(canvas.nonWhite / canvas.total).toBeGreaterThan(0.05);
      // Anti-aliasing may shift a channel by one: count pixels within 2 of each prefix's colour.
      const near = (rgb: [number, number, number]): number =>
        Object.entries(canvas.counts).reduce((s, [k, n]) => {
          const [r, g, b] = k.split(',').map(Number);
          return Math.abs(r - rgb[0]) <= 2 && Math.abs(g - rgb[1]) <= 2 && Math.abs(b - rgb[2]) <= 2 ? s + n : s;
        }, 0);
      for (const p of ['inc', 'add']) expect(near(hslRgb(prefixColor(p))), p).toBeGreaterThan(50);
      await status.page.screenshot({ path: join(OUT, 'e2e-status.png'), fullPage: true });

      // The graph page: above the node limit, one node per prefix, with the same counts.
      await graph.page.waitForFunction(() => document.querySelector('#prefix-table tbody tr[data-prefix="add"]')?.getAttribute('data-done') === '9999', undefined, { timeout: 10_000 });
      expect(await graph.page.$eval('#graph', (c) => [c.getAttribute('data-mode'), c.getAttribute('data-nodes')])).toEqual(['prefixes', '2']);
      expect(Object.fromEntries((await done(graph.page, '#prefix-table tbody tr')).map(([p, d]) => [p, d]))).toEqual({ inc: N, add: N - 1 });
      await graph.page.screenshot({ path: join(OUT, 'e2e-graph.png'), fullPage: true });

      // The workers page with real data, and a worker's log on click.
      await workers.page.click(`#workers-table tr[data-worker="${ids[0]}"]`);
      await workers.page.waitForFunction(() => document.getElementById('worker-log')?.dataset.worker !== undefined, undefined, { timeout: 10_000 });
      expect(((await workers.page.textContent('#worker-log')) ?? '').length).toBeGreaterThan(0);
      await workers.page.screenshot({ path: join(OUT, 'e2e-workers.png'), fullPage: true });

      // A worker process SIGKILLed mid-run leaves the rows; the cluster's replacement joins them.
      const slow = (x: number): number => {
        const end = Date.now() + 20;
        while (Date.now() < end);
        return 2 * x;
      };
      const fs = client.map(slow, Array.from({ length: 400 }, (_, i) => i));
      await status.page.waitForFunction(() => Number(document.querySelector('#progress tr[data-prefix="slow"]')?.getAttribute('data-done') ?? 0) >= 20, undefined, { timeout: 20_000 });
      const victim = cluster.scheduler.workers.get(ids[1])!;
      process.kill(victim.info.pid, 'SIGKILL');
      await rowsAre(status.page, '#worker-memory tr', [ids[0]], 'status rows after the kill');
      await rowsAre(workers.page, '#workers-table tbody tr', [ids[0]], 'workers table after the kill');
      await until(() => cluster.scheduler.workers.size === 2, 20_000, 'a replacement worker');
      const now = [...cluster.scheduler.workers.keys()];
      const replacement = now.find((id) => id !== ids[0])!;
      expect(replacement).not.toBe(ids[1]);
      await rowsAre(status.page, '#worker-memory tr', now, 'status rows with the replacement');
      await rowsAre(workers.page, '#workers-table tbody tr', now, 'workers table with the replacement');
      // Mid-run with the replacement at work: the README's picture.
      await until(async () => (await status.page.evaluate((id) => window.pdaskDashboard?.state.tasks.chunks.reduce((n, c) => n + c.filter((t) => t.worker === id).length, 0) ?? 0, replacement)) >= 10, 20_000, 'ten tasks on the replacement');
      const finishedAtShot = fs.filter((f) => f.status === 'finished').length;
      if (process.env.PDASK_UPDATE_DASHBOARD_PICTURE === '1') await status.page.screenshot({ path: README_PICTURE });
      await status.page.screenshot({ path: join(OUT, 'e2e-status-kill.png'), fullPage: true });
      console.log(`[dashboard e2e] README picture taken with ${finishedAtShot} of 400 'slow' tasks finished`);
      expect(await client.gather(fs)).toEqual(Array.from({ length: 400 }, (_, i) => 2 * i));
      await workers.page.screenshot({ path: join(OUT, 'e2e-workers-after-kill.png'), fullPage: true });

      expect(status.errors).toEqual([]);
      expect(workers.errors).toEqual([]);
      expect(graph.errors).toEqual([]);
    } finally {
      await status.page.close();
      await workers.page.close();
      await graph.page.close();
    }
  }, 60_000);
});
