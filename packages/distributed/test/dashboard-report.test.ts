/**
 * performanceReport: records the frames of a FrameSource while its callback runs and writes one
 * self-contained HTML file; opened in headless Chromium with the network off, the file shows the
 * task stream and where time went per prefix. The source is a fake replaying the recorded run of
 * test/fixtures/dashboard-run.ts; expected figures are summed here from that recording.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingPiece } from '../../../test/helpers/provisioned';
import { OptionError } from '@pdask/core';
import { performanceReport, setDefaultFrameSource, type FrameSource } from '../src/index';
import type { Frame, Snapshot } from '../src/dashboard/protocol';
import { makeDashboardRun, type DashboardRun } from './fixtures/dashboard-run';
import { PKG } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(PKG, 'test-output', 'dashboard');
const missing = await missingPiece('chromium');
if (missing) console.warn(`SKIPPED: opening the performance report in headless Chromium: ${missing}`);

/** What the report page leaves on `window` (dashboard-ui/src/report.ts). */
type ReportWindow = Window & { pdaskReport?: { tasks: number; prefixes: string[] } };

/** A source as the dashboard's model is one: a snapshot to each new listener, then the deltas. */
class FakeSource implements FrameSource {
  readonly listeners = new Set<(f: Frame) => void>();
  flushes = 0;
  constructor(private readonly snapshot: Snapshot) {}
  subscribe(listener: (f: Frame) => void): () => void {
    this.listeners.add(listener);
    listener({ type: 'snapshot', data: this.snapshot });
    return () => this.listeners.delete(listener);
  }
  flush(): void {
    this.flushes++;
  }
  emit(frame: Frame): void {
    for (const l of this.listeners) l(frame);
  }
}

let dir: string;
let run: DashboardRun;
let browser: Browser | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-report-'));
  // The run's clock starts a minute ahead: every task lies after the report's start, as when recorded live.
  run = makeDashboardRun({ t0: Date.now() + 60_000 });
  if (!missing) {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Replays the run's frames, a few per timer turn, as a computation would produce them. */
async function computeWith(source: FakeSource, frames: Frame[]): Promise<string> {
  for (let i = 0; i < frames.length; i += 50) {
    for (const f of frames.slice(i, i + 50)) source.emit(f);
    await new Promise((r) => setTimeout(r, 1));
  }
  return 'the result';
}

function embedded(html: string): { frames: Frame[]; start: number; stop: number; title: string } {
  const m = /<script type="application\/json" id="pdask-report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no embedded report data');
  return JSON.parse(m[1]);
}

describe('performanceReport', () => {
  it('writes one self-contained file with every frame of the callback, and returns its result', async () => {
    const source = new FakeSource(run.snapshot);
    const filename = join(dir, 'report.html');
    const result = await performanceReport({ filename, source, title: 'mean of 8,000 chunks' }, () => computeWith(source, run.frames));
    expect(result).toBe('the result');
    expect(readdirSync(dir)).toEqual(['report.html']);
    expect(source.listeners.size).toBe(0);
    expect(source.flushes).toBe(1);
    const html = readFileSync(filename, 'utf8');
    const data = embedded(html);
    expect(data.frames).toHaveLength(1 + run.frames.length);
    expect(data.frames[0].type).toBe('snapshot');
    expect(data.title).toBe('mean of 8,000 chunks');
    expect(data.stop).toBeGreaterThanOrEqual(data.start);
    // Nothing loaded from elsewhere: no script or stylesheet by URL; the one link is the empty icon.
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html.match(/<link[^>]*>/gi)).toEqual(['<link rel="icon" href="data:,">']);
    expect(html).not.toMatch(/<(?:img|iframe)[^>]*\ssrc=/i);
  });

  it.skipIf(missing !== undefined)('opens offline in Chromium and shows the task stream and the time per prefix', async () => {
    const source = new FakeSource(run.snapshot);
    const filename = join(dir, 'offline.html');
    await performanceReport({ filename, source }, () => computeWith(source, run.frames));
    const context = await browser!.newContext({ offline: true, viewport: { width: 1400, height: 1000 } });
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(pathToFileURL(filename).href);
      await page.waitForFunction(() => (window as ReportWindow).pdaskReport !== undefined);
      expect(await page.evaluate(() => (window as ReportWindow).pdaskReport?.tasks)).toBe(run.entries.length);
      // Computed tasks and compute time per prefix, summed from the recording.
      const expected = new Map<string, { tasks: number; ms: number }>();
      for (const e of run.entries) {
        const x = expected.get(e.prefix) ?? { tasks: 0, ms: 0 };
        if (e.kind === 'compute') x.tasks++;
        if (e.kind === 'compute' || e.kind === 'error') x.ms += e.stop - e.start;
        expected.set(e.prefix, x);
      }
      const rows = await page.$$eval('#prefix-time tbody tr', (trs) =>
        trs.map((tr) => ({ prefix: tr.getAttribute('data-prefix')!, tasks: Number(tr.getAttribute('data-tasks')), ms: Number(tr.getAttribute('data-compute-ms')) })),
      );
      expect(rows.map((r) => r.prefix).sort()).toEqual([...expected.keys()].sort());
      for (const r of rows) {
        expect(r.tasks, r.prefix).toBe(expected.get(r.prefix)!.tasks);
        expect(r.ms, r.prefix).toBeCloseTo(expected.get(r.prefix)!.ms, 6);
      }
      expect(rows.find((r) => r.prefix === 'random_sample')?.tasks).toBe(8000);
      // Largest total first: random_sample's 8,000 tasks of 2-6 ms lead.
      expect(rows[0].prefix).toBe('random_sample');
      const drawn = await page.$eval('#task-stream', (el) => {
        const c = el as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++;
        return { share: n / (c.width * c.height), entries: c.getAttribute('data-entries') };
      });
      expect(drawn.entries).toBe(String(run.entries.length));
      expect(drawn.share).toBeGreaterThan(0.2);
      expect(await page.textContent('.exception')).toContain('ValueError: invalid config');
      mkdirSync(OUT, { recursive: true });
      await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('writes the report when the callback throws, and rethrows its error', async () => {
    const source = new FakeSource(run.snapshot);
    const filename = join(dir, 'failed.html');
    await expect(
      performanceReport({ filename, source }, async () => {
        source.emit(run.frames[0]);
        throw new RangeError('the computation failed');
      }),
    ).rejects.toThrow(/^the computation failed$/);
    expect(embedded(readFileSync(filename, 'utf8')).frames.map((f) => f.type)).toEqual(['snapshot', run.frames[0].type]);
    expect(source.listeners.size).toBe(0);
  });

  it('records the default source when given none, and refuses bad options by name', async () => {
    await expect(performanceReport({ filename: join(dir, 'x.html') }, () => 1)).rejects.toThrow(/no dashboard to record: pass \{ source \}/);
    await expect(performanceReport({ fileName: 'x.html' } as never, () => 1)).rejects.toThrow(OptionError);
    await expect(performanceReport({ fileName: 'x.html' } as never, () => 1)).rejects.toThrow(/unknown option 'fileName'.*did you mean 'filename'/);
    await expect(performanceReport({ filename: '' }, () => 1)).rejects.toThrow(/'filename' must not be empty/);
    const source = new FakeSource(run.snapshot);
    setDefaultFrameSource(source);
    try {
      const filename = join(dir, 'default.html');
      expect(await performanceReport({ filename }, () => 42)).toBe(42);
      expect(embedded(readFileSync(filename, 'utf8')).frames).toHaveLength(1);
    } finally {
      setDefaultFrameSource(null);
    }
  });
});
