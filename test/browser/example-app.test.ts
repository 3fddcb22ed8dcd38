/**
 * The browser example app (examples/browser): built with its own build script, opened in headless
 * Chromium cross-origin isolated and not, given a small Parquet file through its <input type=file>;
 * the group-by means it shows are those of the file's rows (computed here from first principles),
 * the chunked array's figures likewise, its progress bar reached 100%, and the task graph is SVG.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '@pdask/core';
import { fromColumns } from '@pdask/dataframe';
import { buildExample } from '../../examples/browser/build';
import { chromiumMissingForTests, launchChromium, openPage, serveStatic, type StaticServer } from './harness';

const missing = await chromiumMissingForTests();
if (missing) console.warn(`SKIPPED: the browser example app test: ${missing}`);

const ROWS = 103;
/** Keys 0..4 (int32, not in order), values with a fraction, one NaN-free float column. */
const keyAt = (i: number): number => (i * 7) % 5;
const valueAt = (i: number): number => i * 0.5 - 20;

let browser: Browser;
let server: StaticServer;
const dirs: string[] = [];
let parquet: string;

beforeAll(async () => {
  if (missing) return;
  const out = mkdtempSync(join(tmpdir(), 'pdask-example-app-'));
  dirs.push(out);
  await buildExample(join(out, 'site'));
  const k = Int32Array.from({ length: ROWS }, (_, i) => keyAt(i));
  const v = Float64Array.from({ length: ROWS }, (_, i) => valueAt(i));
  // Row groups of 10 rows: the page reads 11 partitions, the last one of 3 rows.
  await fromColumns({ k, v }, { npartitions: 1 }).toParquet(join(out, 'data'), { rowGroupSize: 10, scheduler: 'sync' });
  parquet = join(out, 'data', 'part.0.parquet');
  readFileSync(parquet);
  server = await serveStatic(join(out, 'site'));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await closeThreadPools();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function expectedMeans(): [string, string][] {
  const sums = new Map<number, [number, number]>();
  for (let i = 0; i < ROWS; i++) {
    const [s, n] = sums.get(keyAt(i)) ?? [0, 0];
    sums.set(keyAt(i), [s + valueAt(i), n + 1]);
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([key, [s, n]]) => [String(key), String(Number((s / n).toPrecision(12)))]);
}

describe.skipIf(!!missing)('the browser example app', () => {
  for (const isolated of [true, false]) {
    it(`groups a chosen Parquet file on Web Workers with a progress bar and draws the graph (${isolated ? 'shared' : 'transfer'} mode)`, async () => {
      const { page, errors } = await openPage(browser, `${server.base}${isolated ? '/coi/' : '/'}`);
      try {
        await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
        expect(await page.textContent('#mode')).toContain(isolated ? "'shared' mode" : "'transfer' mode");
        await page.setInputFiles('#file', parquet);
        await page.waitForFunction(() => ['done', 'error'].includes((globalThis as unknown as { pdaskApp: { phase: string } }).pdaskApp.phase), undefined, { timeout: 40_000 });
        expect(await page.textContent('#status')).toBe('done');
        expect(await page.textContent('#status')).not.toContain('Error');

        const table = (sel: string) => page.$$eval(`${sel} tr`, (trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent ?? '')));
        const groups = await table('#groupby');
        expect(groups[0]).toEqual(['k', 'mean(v)']);
        expect(groups.slice(1)).toEqual(expectedMeans());

        let sum = 0;
        let sq = 0;
        for (let i = 0; i < ROWS; i++) sum += valueAt(i);
        const mean = sum / ROWS;
        for (let i = 0; i < ROWS; i++) sq += (valueAt(i) - mean) ** 2;
        const [head, row] = await table('#array');
        expect(head).toEqual(['length', 'chunks', 'mean', 'std', 'min', 'max']);
        expect(row.slice(0, 2)).toEqual([String(ROWS), '11']);
        expect(Number(row[2])).toBeCloseTo(mean, 10);
        expect(Number(row[3])).toBeCloseTo(Math.sqrt(sq / ROWS), 10);
        expect(row.slice(4).map(Number)).toEqual([valueAt(0), valueAt(ROWS - 1)]);

        const bar = await page.$eval('progress.pdask-progress-bar', (p) => [p.getAttribute('value'), p.getAttribute('max')]);
        expect(bar[0]).toBe(bar[1]);
        const last = await page.evaluate(() => (globalThis as unknown as { pdaskApp: { last: { fraction: number; finished: boolean }; updates: number } }).pdaskApp);
        expect(last.last).toMatchObject({ fraction: 1, finished: true });
        expect(last.updates).toBeGreaterThan(2);
        expect(await page.textContent('.pdask-progress-text')).toContain('(100%)');

        expect(await page.$eval('#graph', (g) => g.firstElementChild?.tagName.toLowerCase())).toBe('svg');
        expect(await page.$$eval('#graph svg g.node', (ns) => ns.length)).toBeGreaterThan(3);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
