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
import { missingPiece } from '../helpers/provisioned';

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
  /** Every request answered, in order (clear it with `log.length = 0`). */
  readonly log: ServedRequest[];
  close(): Promise<void>;
}

export interface ServedRequest {
  /** The path below the isolation prefix (`/coi/x` logs as `/x`). */
  path: string;
  isolated: boolean;
  range: string | null;
  status: number;
  /** Bytes of body sent. */
  bytes: number;
}

export interface ServeOptions {
  /** Files served from memory (path from the root, e.g. '/data.parquet'), besides those of `root`. */
  files?: Record<string, Uint8Array | string>;
}

/** A content validator, as a static server sends one (remote readers reuse a footer while it holds). */
function etagOf(b: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return `"${b.length}-${(h >>> 0).toString(16)}"`;
}

/**
 * Serves `root` at `/` and again at `/coi/` with the isolation headers. Single `Range: bytes=a-b`
 * requests are answered 206 (remote Parquet/CSV readers), and every request is logged with the
 * bytes it was sent, so a test can assert what a reader fetched.
 */
export async function serveStatic(root: string, opts: ServeOptions = {}): Promise<StaticServer> {
  const top = normalize(root + sep);
  const memory = new Map(Object.entries(opts.files ?? {}).map(([k, v]) => [k, typeof v === 'string' ? new TextEncoder().encode(v) : v]));
  const log: ServedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isolated = url.pathname.startsWith('/coi/');
    const path = isolated ? url.pathname.slice(4) : url.pathname;
    const headers: Record<string, string> = isolated ? { ...ISOLATION_HEADERS } : {};
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    const send = (status: number, body: Uint8Array | undefined, more: Record<string, string> = {}): void => {
      log.push({ path, isolated, range, status, bytes: req.method === 'HEAD' || !body ? 0 : body.length });
      res.writeHead(status, { ...headers, ...more, ...(body ? { 'content-length': String(body.length) } : {}) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    // The browser asks for one on its own; no page needs it (a 404 would show as a console error).
    if (path === '/favicon.ico') return send(204, undefined);
    let body = memory.get(path);
    if (!body) {
      let file = normalize(join(top, decodeURIComponent(path)));
      if (file.startsWith(top) && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!file.startsWith(top) || !existsSync(file)) return send(404, undefined);
      body = readFileSync(file);
    }
    const base = { 'content-type': TYPES[extname(path === '/' || path.endsWith('/') ? 'index.html' : path)] ?? 'application/octet-stream', etag: etagOf(body), 'accept-ranges': 'bytes' };
    const m = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    if (!m) return send(200, body, base);
    const start = Number(m[1]);
    const end = Math.min(m[2] === '' ? body.length - 1 : Number(m[2]), body.length - 1);
    if (start >= body.length || end < start) return send(416, new Uint8Array(0), { ...base, 'content-range': `bytes */${body.length}` });
    send(206, body.subarray(start, end + 1), { ...base, 'content-range': `bytes ${start}-${end}/${body.length}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    log,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Why Chromium cannot run here now, or undefined (the benchmarks' check: no provisioning there). */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`;
}

/** The tests' check: waits while the test setup installs Chromium (scripts/test/provision.ts), then looks. */
export async function chromiumMissingForTests(): Promise<string | undefined> {
  return (await missingPiece('chromium')) ?? chromiumMissing();
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
