/**
 * Browser workloads (issue 17): a 1e8-element float64 sum and a 1e7-row group-by mean computed in
 * headless Chromium on the Web Worker executor, in a page bundled by esbuild and served cross-origin
 * isolated (the executor in 'shared' mode), side by side with the same computation in Node on the
 * threads scheduler (same chunking) and with DuckDB-Wasm in the same kind of page. The page makes
 * its data in setup (not timed); each timed run is one `page.evaluate` of the computation, timed in
 * the page (`pdaskBench.timed`), so the driver's round trip is not counted, as it is not for Node.
 */
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import * as da from '@pdask/array';
import { closeThreadPools } from '@pdask/core';
import { fromColumns } from '@pdask/dataframe';
import type { JsRun, Workload } from '../harness.js';
import { groupColumns, uniform } from '../random.js';
import { bundleWithEsbuild } from '../../../test/browser/bundle.js';
import { chromiumMissing, launchChromium, serveStatic, type StaticServer } from '../../../test/browser/harness.js';
import type { BenchPage } from './browser-page/page.js';

const SUM_N = 100_000_000;
const SUM_CHUNK = SUM_N / 4;
const GROUP_N = 10_000_000;
const GROUP_PARTS = 4;

const PAGE_DIR = fileURLToPath(new URL('./browser-page/', import.meta.url));
const DUCKDB_FILES = ['duckdb-browser-eh.worker.js', 'duckdb-eh.wasm'];

/** Issue 17's "within 1.2x of Node": at least 1/1.2 (0.833) of Node's speed. */
const WITHIN_1_2X = 0.833;

const PDASK = 'pdask-chromium (Web Workers, shared)';
const NODE = 'pdask-node-threads';
const DUCK = 'duckdb-wasm (Chromium, eh build, 1 thread)';

function duckdbDist(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  } catch {
    return undefined;
  }
}

function unavailable(): string | undefined {
  return chromiumMissing() ?? (duckdbDist() ? undefined : '@duckdb/duckdb-wasm is not installed (npm install in benchmarks/)');
}

interface Ctx {
  browser: Browser;
  page: Page;
  server: StaticServer;
  dir: string;
}

/** Bundles the page (esbuild, platform browser; as the browser tests do) with DuckDB-Wasm's worker and module beside it. */
async function bundle(): Promise<string> {
  const out = await bundleWithEsbuild({ pages: PAGE_DIR, pageEntry: 'page.ts', external: [] });
  const dist = duckdbDist()!;
  for (const f of DUCKDB_FILES) cpSync(join(dist, f), join(out, f));
  return out;
}

async function close(ctx: Partial<Ctx> | undefined): Promise<void> {
  await ctx?.browser?.close();
  await ctx?.server?.close();
  if (ctx?.dir) rmSync(ctx.dir, { recursive: true, force: true });
}

/** A fresh browser on the page served with COOP/COEP, then `prepare` (not timed). */
async function openBench(prepare: (page: Page) => Promise<unknown>): Promise<Ctx> {
  const ctx: Partial<Ctx> = {};
  try {
    ctx.dir = await bundle();
    ctx.server = await serveStatic(ctx.dir);
    ctx.browser = await launchChromium();
    ctx.page = await ctx.browser.newPage();
    const errors: string[] = [];
    ctx.page.on('pageerror', (e) => errors.push(String(e)));
    await ctx.page.goto(`${ctx.server.base}/coi/`);
    await ctx.page.waitForFunction(() => document.title === 'ready' || document.title === 'loading', undefined, { timeout: 30_000 });
    await ctx.page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`the benchmark page did not load: ${errors.join('; ') || 'no error reported'}`);
    });
    const info = (await ctx.page.evaluate('globalThis.pdaskBench.info()')) as ReturnType<BenchPage['info']>;
    if (!info.isolated || info.mode !== 'shared') throw new Error(`the page is not cross-origin isolated (mode ${info.mode}): the benchmark measures 'shared' mode`);
    await prepare(ctx.page);
    return ctx as Ctx;
  } catch (e) {
    await close(ctx);
    throw e;
  }
}

/** Calls `pdaskBench[name](...args)` in the page: one round trip. */
function call<T>(page: Page, name: keyof BenchPage, ...args: number[]): Promise<T> {
  return page.evaluate(`globalThis.pdaskBench.${name}(${args.join(', ')})`) as Promise<T>;
}

function checkSum(v: number): number {
  if (!(v >= SUM_N * 0.49 && v <= SUM_N * 0.51)) throw new Error(`wrong sum ${v}`);
  return v;
}

function checkMeans(r: [number, number][]): void {
  if (r.length !== 10 || !r.every(([k, m], i) => k === i && Math.abs(m - 0.5) < 0.05)) throw new Error(`wrong group means ${JSON.stringify(r)}`);
}



/** Runs `pdaskBench[which]()` timed in the page; checks its result; resolves to the page's time (ms). */
async function timedCall<T>(page: Page, which: 'sum' | 'groupbyMean' | 'duckSum' | 'duckGroupbyMean', check: (r: T) => unknown): Promise<number> {
  const [ms, r] = (await page.evaluate(`globalThis.pdaskBench.timed(${JSON.stringify(which)})`)) as [number, T];
  check(r);
  return ms;
}

/** A browser system: timed in the page (timesItself), so the driver's round trip is not counted, as for Node. */
function browserRun(system: string, prepare: (page: Page) => Promise<unknown>, run: (page: Page) => Promise<number>): JsRun<Ctx> {
  return { system, unavailable, setup: () => openBench(prepare), run: (ctx) => run(ctx.page), teardown: close, timesItself: true };
}

function sumWorkload(): Workload {
  const node: JsRun<da.ChunkedArray> = {
    system: NODE,
    setup: () => da.fromArray(uniform(SUM_N, 1), { chunks: SUM_CHUNK, name: 'bench-browser-sum-node' }),
    run: async (dx) => checkSum((await dx.sum().compute({ scheduler: 'threads' })) as number),
    teardown: () => closeThreadPools(),
  };
  return {
    id: 'browser-sum-1e8',
    group: 'browser',
    description:
      `da.fromArray(x, {chunks: ${SUM_CHUNK}}).sum() of 100,000,000 float64 (800 MB, 4 chunks). pdask in headless Chromium: ` +
      "Web Worker executor in 'shared' mode (page served with COOP/COEP; one worker per navigator.hardwareConcurrency), " +
      'data made in the page in setup, each run timed in the page (performance.now, 5 µs; the driver round trip not counted, as for Node); Node: the threads scheduler, same chunks; ' +
      "DuckDB-Wasm: 'select sum(x)' on the same values inserted as an Arrow table, in the same kind of page.",
    repeat: 5,
    warmup: 1,
    items: { count: SUM_N, unit: 'values' },
    reference: NODE,
    js: [
      browserRun(PDASK, async (p) => (await call(p, 'makeSum', SUM_N, SUM_CHUNK), call(p, 'warm')), (p) => timedCall<number>(p, 'sum', checkSum)),
      node,
      browserRun(DUCK, (p) => call(p, 'duckMakeSum', SUM_N), (p) => timedCall<number>(p, 'duckSum', checkSum)),
    ],
    targets: [
      { system: PDASK, vs: NODE, atLeast: WITHIN_1_2X },
      { system: PDASK, vs: DUCK, atLeast: 1 },
    ],
  };
}

function groupbyWorkload(): Workload {
  const node: JsRun<{ k: Int32Array; v: Float64Array }> = {
    system: NODE,
    setup: () => groupColumns(GROUP_N, new SharedArrayBuffer(GROUP_N * 12)),
    run: async ({ k, v }) => {
      const r = await fromColumns({ k, v }, { npartitions: GROUP_PARTS }).groupby('k').col('v').mean().compute({ scheduler: 'threads' });
      checkMeans(r.entries().map(([key, m]) => [Number(key), Number(m)] as [number, number]).sort((a, b) => a[0] - b[0]));
    },
    teardown: () => closeThreadPools(),
  };
  return {
    id: 'browser-groupby-mean-1e7',
    group: 'browser',
    description:
      `fromColumns({k, v}, {npartitions: ${GROUP_PARTS}}).groupby('k').col('v').mean(): 10,000,000 rows, int32 keys 0..9, float64 values ` +
      '(in a SharedArrayBuffer on both sides), partitioning and graph building timed. pdask in headless Chromium: ' +
      "Web Worker executor in 'shared' mode (COOP/COEP page), data made in setup, each run timed in the page (the driver round trip not counted, as for Node); " +
      "Node: the threads scheduler, same partitions; DuckDB-Wasm: 'select k, avg(v) ... group by k' on the same rows as an Arrow table, in the same kind of page.",
    repeat: 5,
    warmup: 1,
    items: { count: GROUP_N, unit: 'rows' },
    reference: NODE,
    js: [
      browserRun(PDASK, async (p) => (await call(p, 'makeGroupby', GROUP_N, GROUP_PARTS), call(p, 'warm')), (p) => timedCall<[number, number][]>(p, 'groupbyMean', checkMeans)),
      node,
      browserRun(DUCK, (p) => call(p, 'duckMakeGroupby', GROUP_N), (p) => timedCall<[number, number][]>(p, 'duckGroupbyMean', checkMeans)),
    ],
    targets: [
      { system: PDASK, vs: NODE, atLeast: WITHIN_1_2X },
      { system: PDASK, vs: DUCK, atLeast: 1 },
    ],
  };
}

export const browserWorkloads: Workload[] = [sumWorkload(), groupbyWorkload()];
