/**
 * Large arrays (in the arena, a shared WebAssembly memory) summed repeatedly on the Web Worker
 * pool in a cross-origin isolated page: the pool sends each worker the memory once and refers to
 * it afterwards (packages/core/src/execute/threads/platform-web-shared.ts). The answers are exact
 * (every value a multiple of 1/4), on every round, for uneven and size-1-remainder chunkings, for
 * a second array in the same memory, and after a worker is killed and replaced.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWithEsbuild } from './bundle';
import { chromiumMissingForTests, launchChromium, openPage, serveStatic, type StaticServer } from './harness';

const missing = await chromiumMissingForTests();
if (missing) console.warn(`SKIPPED: the shared-memory Web Worker tests: ${missing}`);

const PAGES = fileURLToPath(new URL('./shared-memory-pages/', import.meta.url));

/** From first principles: the page's values, summed exactly (multiples of 1/4). */
function expected(seed: number, n: number): { sum: number; max: number } {
  let q = 0;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const k = (i * 7 + seed) % 13;
    q += k;
    max = Math.max(max, k / 4);
  }
  return { sum: q / 4, max };
}

let browser: Browser;
let server: StaticServer;
let dir: string;
let page: Page;
let errors: string[];

beforeAll(async () => {
  if (missing) return;
  dir = await bundleWithEsbuild({ pages: PAGES, pageEntry: 'page.ts', external: [] });
  server = await serveStatic(dir);
  browser = await launchChromium();
  ({ page, errors } = await openPage(browser, `${server.base}/coi/`));
  await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(missing)('arena arrays on Web Workers (shared mode)', () => {
  it("runs in 'shared' mode", async () => {
    expect(await page.evaluate('globalThis.pdaskSharedTest.info()')).toEqual({ mode: 'shared', isolated: true });
  });

  it.each([
    [1, 1 << 18, 1 << 16], // 2 MB in 4 even chunks
    [2, (1 << 18) + 1, 1 << 16], // a size-1 last chunk
    [3, 300_001, 70_000], // uneven
  ])('sums array %i (n=%i, chunks %i) exactly on every round', async (seed, n, chunks) => {
    const got = (await page.evaluate(`globalThis.pdaskSharedTest.sums(${seed}, ${n}, ${chunks}, 4)`)) as number[];
    const { sum, max } = expected(seed, n);
    expect(got).toEqual([sum, sum, sum, sum, max]);
    expect(errors).toEqual([]);
  });

  it('sends the memory again to a worker that replaced a killed one', async () => {
    const n = 1 << 18;
    const got = (await page.evaluate(`globalThis.pdaskSharedTest.afterKill(4, ${n}, ${1 << 15})`)) as number[];
    const { sum, max } = expected(4, n);
    expect(got).toEqual([sum, max, sum, sum, max]);
    expect(errors).toEqual([]);
  });
});
