/**
 * @pdask/dataframe and @pdask/ml in headless Chromium, in pages bundled by esbuild and by vite from
 * the built packages (dist, as an application bundles them; test/browser/bundle.ts) and served from
 * 127.0.0.1 plainly and cross-origin isolated (test/browser/harness.ts): the seed tutorial's
 * dataframe example, StandardScaler on its frame and the pandas fixture's group-by of a Parquet
 * Blob run on the Web Worker executor ('transfer' and 'shared' modes) with the answers Node gives.
 * On the sync scheduler: the DOM progress bar, visualize() as SVG, readParquet from a URL by Range
 * requests (bytes counted by the server), readCsv from a URL, and path readers refused.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '@pdask/dataframe';
import { bundleWithEsbuild, bundleWithVite, nodeImportsIn } from '../../../test/browser/bundle';
import { chromiumMissingForTests, launchChromium, openPage, serveStatic, type StaticServer } from '../../../test/browser/harness';
import { blobGroupBy, mlExample, seedExample } from '../../../test/browser/dataframe-pages/seed-dataframe';
import { fixture } from './helpers';

const missing = await chromiumMissingForTests();
if (missing) console.warn(`SKIPPED: dataframe and ml in Chromium: ${missing}`);

const PAGES = new URL('../../../test/browser/dataframe-pages/', import.meta.url).pathname;
const N = 60000;

interface Failure {
  name: string;
  message: string;
}
interface RunResult {
  seed: { text: string; index: unknown[]; values: unknown[] };
  ml: number[];
  blob: { index: unknown[]; values: unknown[]; n: number };
  workersStarted: number;
}
interface SyncResult {
  progress: { value: string; max: string; text: string; updates: number; finished: number; monotone: boolean };
  svg: { head: string; nodes: number; hasSvg: boolean };
  url: { n: number; first: number; last: number; columns: string[] };
  csv: { npartitions: number; n: number; sum: number };
  nodeOnly: Failure;
  toCsv: Failure;
  bufferGlobal: string;
}
interface PageInfo {
  mode: string;
  platform: string;
  workers: number;
  cores: number;
  isolated: boolean;
}
type PageApi = { run(): Promise<RunResult>; syncChecks(): Promise<SyncResult>; info(): PageInfo };

let browser: Browser;
const servers: Partial<Record<'esbuild' | 'vite', StaticServer>> = {};
const dirs: string[] = [];
const bundles: string[] = [];
let bigBytes: Uint8Array;
let node: RunResult;

beforeAll(async () => {
  if (missing) return;
  if (!readFileSync(new URL('../dist/web-worker.js', import.meta.url), 'utf8').includes('serveWorker')) throw new Error('packages/dataframe/dist is older than the sources: run npm run build first');
  const data = mkdtempSync(join(tmpdir(), 'pdask-browser-df-'));
  dirs.push(data);
  const building = Promise.all([bundleWithEsbuild({ pages: PAGES, external: [] }), bundleWithVite({ pages: PAGES, external: [] })]);
  const id = Int32Array.from({ length: N }, (_, i) => i);
  const b = Float64Array.from({ length: N }, (_, i) => Math.cos(i * 0.3) * 1e6 + i);
  await dd.fromColumns({ id, b }, { npartitions: 1 }).toParquet(join(data, 'big'), { scheduler: 'sync', rowGroupSize: 1000, compression: null });
  await dd.fromColumns(fixture.data, { npartitions: 1 }).toParquet(join(data, 'fx'), { scheduler: 'sync', rowGroupSize: 100 });
  bigBytes = new Uint8Array(readFileSync(join(data, 'big', 'part.0.parquet')));
  const fx = new Uint8Array(readFileSync(join(data, 'fx', 'part.0.parquet')));
  const csv = ['k,v', ...Array.from({ length: 200 }, (_, i) => `${i % 5},${i}`)].join('\n') + '\n';
  const files = { '/big.parquet': bigBytes, '/fx.parquet': fx, '/data.csv': csv };
  const [esb, vite] = await building;
  dirs.push(esb, vite);
  bundles.push(esb, vite);
  servers.esbuild = await serveStatic(esb, { files });
  servers.vite = await serveStatic(vite, { files });
  browser = await launchChromium();
  // The reference: the same functions in this process, on the sync scheduler.
  const seed = await seedExample({ scheduler: 'sync' });
  node = {
    seed: { text: seed.text, index: seed.index, values: seed.values },
    ml: await mlExample(seed.ddf, { scheduler: 'sync' }),
    blob: await blobGroupBy(new Blob([fx]), { scheduler: 'sync' }),
    workersStarted: 0,
  };
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(Object.values(servers).map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function inPage<T>(url: string, fn: (api: PageApi) => Promise<T>): Promise<{ value: T; info: PageInfo }> {
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

describe.skipIf(!!missing)('dataframe and ml in Chromium', () => {
  it('the bundles import no Node built-in (esbuild, platform browser, fails on one; vite stubs it)', () => {
    expect(bundles).toHaveLength(2);
    const [esb, vite] = bundles;
    expect(nodeImportsIn(esb)).toEqual([]);
    // iconv-lite (readCsv's encodings) tries require('stream') in a try block and maps it to
    // nothing in its package.json "browser" field; vite puts its empty stand-in there instead.
    const stub = /^assets\/(index|worker)-[\w-]+\.js: streamModule = require___vite_browser_external\(\);$/;
    const uses = nodeImportsIn(vite);
    expect(uses.filter((u) => !stub.test(u))).toEqual([]);
  });

  it('Node: the seed example and the Blob group-by agree with pandas', () => {
    expect(node.seed.index).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(node.blob.n).toBe(fixture.data.x.length);
    const p = fixture.groupby_x_y.sum;
    expect(node.blob.index).toEqual(p.index);
    node.blob.values.forEach((v, i) => expect(v).toBeCloseTo(p.values[i] as number, 9));
  });

  for (const bundler of ['esbuild', 'vite'] as const) {
    for (const isolated of [false, true]) {
      it(`a page bundled by ${bundler}, ${isolated ? "cross-origin isolated ('shared')" : "not isolated ('transfer')"}, computes on Web Workers what Node computes`, async () => {
        const { value, info } = await inPage(`${servers[bundler]!.base}${isolated ? '/coi/' : '/'}`, (api) => api.run());
        expect(info).toMatchObject({ isolated, mode: isolated ? 'shared' : 'transfer', platform: 'web' });
        expect(info.workers).toBe(info.cores);
        expect(value.workersStarted).toBe(info.workers);
        expect(value.seed).toEqual(node.seed);
        // @pdask/ml in the page: StandardScaler's column means, as in Node.
        expect(value.ml).toEqual(node.ml);
        expect(value.blob).toEqual(node.blob);
      });
    }
  }

  describe.each(['esbuild', 'vite'] as const)('on the sync scheduler, in the page bundled by %s', (bundler) => {
    let r: SyncResult;
    let server: StaticServer;
    beforeAll(async () => {
      server = servers[bundler]!;
      server.log.length = 0;
      r = (await inPage(`${server.base}/`, (api) => api.syncChecks())).value;
    }, 60_000);

    it('the DOM progress bar ends full, with one finishing update', () => {
      expect(r.progress.value).toBe(r.progress.max);
      expect(Number(r.progress.max)).toBeGreaterThan(4);
      expect(r.progress.text).toMatch(new RegExp(`^${r.progress.max} / ${r.progress.max} tasks \\(100%\\) \\| [0-9.]+s \\| done$`));
      expect(r.progress.finished).toBe(1);
      expect(r.progress.monotone).toBe(true);
      expect(r.progress.updates).toBeGreaterThan(2);
    });

    it('visualize() returns SVG that renders in the page', () => {
      expect(r.svg.head).toMatch(/<svg|<\?xml/);
      expect(r.svg.hasSvg).toBe(true);
      expect(r.svg.nodes).toBeGreaterThan(4);
    });

    it('readParquet from a URL fetches the footer and one column of one row group by Range requests', () => {
      expect(r.url.columns).toEqual(['b']);
      expect(r.url.n).toBe(1000);
      expect(r.url.first).toBe(Math.cos(0) * 1e6);
      expect(r.url.last).toBe(Math.cos(999 * 0.3) * 1e6 + 999);
      const reqs = server.log.filter((q) => q.path === '/big.parquet');
      expect(reqs.length).toBeGreaterThan(1);
      for (const q of reqs) expect(q.status).toBe(206);
      // The footer (a 64 KiB tail) and one 8000-byte chunk of column b, of a 720 kB file.
      expect(bigBytes.length).toBeGreaterThan(700_000);
      expect(reqs.reduce((s, q) => s + q.bytes, 0)).toBeLessThan(100_000);
    });

    it('readCsv from a URL in blocks', () => {
      expect(r.csv.npartitions).toBeGreaterThan(2);
      expect(r.csv.n).toBe(200);
      expect(r.csv.sum).toBe((199 * 200) / 2);
    });

    it('path readers and writers are refused with NodeOnlyError; no global Buffer was installed', () => {
      expect(r.nodeOnly.name).toBe('NodeOnlyError');
      expect(r.nodeOnly.message).toMatch(/runs only in Node; in a browser, readParquet and readCsv take a File, Blob, Response or http\(s\) URL/);
      expect(r.toCsv.name).toBe('NodeOnlyError');
      expect(r.bufferGlobal).toBe('undefined');
    });
  });
});
