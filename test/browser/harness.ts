/**
 * Serving built pages to headless Chromium from 127.0.0.1, for the browser tests: a static
 * directory, once plainly and once under /coi/ with the COOP/COEP headers that make a page
 * cross-origin isolated (SharedArrayBuffer, shared WebAssembly memory).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
  '.map': 'application/json',
};

export const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

export interface StaticServer {
  /** http://127.0.0.1:PORT */
  readonly base: string;
  close(): Promise<void>;
}

/** Serves `root` at `/` and again at `/coi/` with the isolation headers. */
export async function serveStatic(root: string): Promise<StaticServer> {
  const top = normalize(root + sep);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isolated = url.pathname.startsWith('/coi/');
    const path = isolated ? url.pathname.slice(4) : url.pathname;
    const headers: Record<string, string> = isolated ? { ...ISOLATION_HEADERS } : {};
    // The browser asks for one on its own; no page needs it (a 404 would show as a console error).
    if (path === '/favicon.ico') return void res.writeHead(204, headers).end();
    let file = normalize(join(top, decodeURIComponent(path)));
    if (file.startsWith(top) && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(top) || !existsSync(file)) return void res.writeHead(404, headers).end();
    res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Why the browser tests cannot run here, or undefined (see scripts/test/provision.ts). */
export function chromiumMissing(): string | undefined {
  if (process.env.PDASK_MISSING_CHROMIUM) return process.env.PDASK_MISSING_CHROMIUM;
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`;
}

/** Headless Chromium with a fresh temporary profile (playwright's). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Opens a page and collects its uncaught errors and console errors (workers' too). */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return { page, errors };
}
