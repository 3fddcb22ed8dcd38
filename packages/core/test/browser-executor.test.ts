/**
 * The threads executor on module Web Workers in headless Chromium: a page bundled by esbuild
 * (worker named by URL) and one bundled by vite (worker from a createWorker factory) run the
 * seed's delayed, array and bag examples with the same answers as Node's worker threads and as
 * first principles, served plainly ('transfer' mode) and cross-origin isolated ('shared' mode);
 * and a worker terminated mid-compute is replaced with the result still exact.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeThreadPools, tokenize } from '@pdask/core';
import { chromiumMissingForTests, launchChromium, openPage, serveStatic, type StaticServer } from '../../../test/browser/harness';
import { bundleWithEsbuild, bundleWithVite } from '../../../test/browser/bundle';
import { runSeedExamples, TOKEN_INPUT, xAt, yAt, type SeedResults } from '../../../test/browser/pages/seed-examples';

const missing = await chromiumMissingForTests();
if (missing) console.warn(`SKIPPED: the Web Worker executor tests: ${missing}`);

interface PageInfo {
  mode: string;
  platform: string;
  workers: number;
  cores: number;
  isolated: boolean;
  token: string;
}
type PageApi = {
  run(): Promise<SeedResults>;
  info(): PageInfo;
  killMidCompute(): Promise<{ sum: number; before: number[]; after: number[]; size: number }>;
  refusals(): Promise<Record<string, string>>;
};

let browser: Browser;
const servers: StaticServer[] = [];
const dirs: string[] = [];
const bases: Record<'esbuild' | 'vite', string> = { esbuild: '', vite: '' };
let nodeResults: SeedResults;

/** From first principles: sums of the example's inputs, the bag's squares, 0..1000's mean. */
function expected(): SeedResults {
  let arraySum = 0;
  for (let i = 0; i < 10000; i++) arraySum += xAt(i) + yAt(i);
  let bagSum = 0;
  for (let i = 0; i < 10000; i += 2) bagSum += i * i;
  return { delayedAdd: 11, delayedChain: 55, arraySum, arrayUnevenMean: 500, bagSum, bagCount: 3334 };
}

beforeAll(async () => {
  if (missing) return;
  const [esb, vite] = await Promise.all([bundleWithEsbuild(), bundleWithVite()]);
  dirs.push(esb, vite);
  for (const [name, dir] of [['esbuild', esb], ['vite', vite]] as const) {
    const s = await serveStatic(dir);
    servers.push(s);
    bases[name] = s.base;
  }
  browser = await launchChromium();
  nodeResults = await runSeedExamples();
  await closeThreadPools();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function inPage<T>(url: string, fn: (api: PageApi) => Promise<T> | T): Promise<{ value: T; info: PageInfo }> {
  const { page, errors } = await openPage(browser, url);
  try {
    await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 20_000 });
    const value = (await page.evaluate(`(${fn.toString()})(globalThis.pdaskTest)`)) as T;
    const info = (await page.evaluate('globalThis.pdaskTest.info()')) as PageInfo;
    expect(errors).toEqual([]);
    return { value, info };
  } finally {
    await page.close();
  }
}

describe.skipIf(!!missing)('the threads executor on Web Workers', () => {
  it('the bundles import no Node built-in (esbuild, platform browser, would have failed on one)', () => {
    for (const dir of dirs) {
      const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
      expect(files.length).toBeGreaterThan(1);
      for (const f of files) expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(/\b(from|import)\s*["'](node:)?(worker_threads|fs|os|path|crypto|util|zlib|module)["']|require\(["'](node:)?(worker_threads|fs|os|path|crypto)["']\)/);
    }
  });

  it('Node computes the seed examples as first principles say (the reference)', () => {
    expect(nodeResults).toEqual(expected());
  });

  for (const bundler of ['esbuild', 'vite'] as const) {
    for (const isolated of [false, true]) {
      it(`a page bundled by ${bundler}, ${isolated ? 'cross-origin isolated: shared' : 'not isolated: transfer'} mode, computes the seed examples as Node does`, async () => {
        const { value, info } = await inPage(`${bases[bundler]}${isolated ? '/coi/' : '/'}`, (api) => api.run());
        expect(info.isolated).toBe(isolated);
        expect(info.mode).toBe(isolated ? 'shared' : 'transfer');
        expect(info.platform).toBe('web');
        expect(info.workers).toBe(info.cores);
        expect(info.token).toBe(tokenize(TOKEN_INPUT));
        expect(value).toEqual(nodeResults);
      });
    }
  }

  for (const isolated of [false, true]) {
    it(`a worker terminated mid-compute is replaced and the result is exact (${isolated ? 'shared' : 'transfer'} mode)`, async () => {
      const { value } = await inPage(`${bases.esbuild}${isolated ? '/coi/' : '/'}`, (api) => api.killMidCompute());
      // sum of 3 * (0..47)
      expect(value.sum).toBe(3 * ((47 * 48) / 2));
      expect(value.size).toBe(value.before.length);
      expect(value.after).not.toEqual(value.before);
      expect(value.after.filter((id) => !value.before.includes(id))).toHaveLength(1);
    });
  }

  it('in a page, Node-only functions and options are refused by name', async () => {
    const { value } = await inPage(`${bases.esbuild}/`, (api) => api.refusals());
    expect(value.readText).toMatch(/^NodeOnlyError: reading files by pattern needs Node's node:module, which this platform \(a browser/);
    expect(value.noSource).toMatch(/^NoWorkerSourceError: .*setWorkerSource\(\{ workerUrl \}\)/);
    expect(value.heapLimit).toMatch(/threads\.max-old-generation-mb \(64\) cannot be honoured/);
  });
});
