/**
 * The dashboard's HTTP(S) server (node:http): live frames over server-sent events, the snapshot,
 * stories, worker logs, Prometheus metrics, health, and the pages' files from the built bundle.
 */
import { defaultFrameSource, setDefaultFrameSource, type FrameListener, type FrameSource } from './frame-source';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { TlsMaterial } from '../comm/security';
import { authorize, isLoopbackHost, loopbackHostHeader } from './auth';
import { metricsRegistry } from './metrics';
import type { Frame, StoryResponse, WorkerLogResponse } from './protocol';
import type { DashboardSource } from './source';
import { PLACEHOLDER_HTML } from './placeholder';

export interface DashboardServerOptions {
  source: DashboardSource;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8787; 0 = any free port. */
  port?: number;
  /** The cluster's token: required from every request when bound to a non-loopback address. */
  token?: string;
  /** Ask for the token even on a loopback address (tests, shared machines). */
  requireToken?: boolean;
  /** Serve HTTPS with this certificate and key (the cluster's TLS). */
  tls?: TlsMaterial;
  /** Least time between two pushes of delta frames (default 200 ms). */
  intervalMs?: number;
  /** The pages' built files (default: the package's dist/dashboard). */
  staticDir?: string;
}

const PAGES = new Set(['status', 'workers', 'graph', 'exceptions']);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** Where the package's build puts the pages (dist/dashboard), from sources or from the build alike. */
export function defaultStaticDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@pdask/distributed/package.json')), 'dist', 'dashboard');
}

export class DashboardServer implements FrameSource {
  private readonly server: Server;
  private readonly streams = new Set<ServerResponse>();
  /** In-process readers of the same frames (performanceReport). */
  private readonly listeners = new Set<FrameListener>();
  private readonly registry: Registry;
  private timer: NodeJS.Timeout | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly staticDir: string;
  private readonly token: string | undefined;
  private readonly secure: boolean;
  private closed = false;

  private constructor(private readonly opts: DashboardServerOptions) {
    const host = opts.host ?? '127.0.0.1';
    // Anything but loopback is reachable from other machines: then the token is required.
    const needToken = opts.requireToken === true || !isLoopbackHost(host);
    if (needToken && !opts.token) throw new Error(`The dashboard on ${host} is reachable from other machines and needs the cluster's token`);
    this.token = needToken ? opts.token : undefined;
    this.secure = !!(opts.tls?.cert && opts.tls.key);
    this.intervalMs = opts.intervalMs ?? 200;
    if (!(this.intervalMs > 0)) throw new Error(`dashboard intervalMs must be positive, got ${this.intervalMs}`);
    this.staticDir = resolve(opts.staticDir ?? defaultStaticDir());
    this.registry = metricsRegistry(opts.source);
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.route(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`dashboard error: ${(e as Error).message}\n`);
      });
    };
    this.server = this.secure ? createHttpsServer({ cert: opts.tls!.cert, key: opts.tls!.key }, handler) : createHttpServer(handler);
  }

  static async start(opts: DashboardServerOptions): Promise<DashboardServer> {
    const s = new DashboardServer(opts);
    await new Promise<void>((ok, fail) => {
      s.server.once('error', (e: NodeJS.ErrnoException) =>
        fail(e.code === 'EADDRINUSE' ? new Error(`The dashboard port ${opts.port ?? 8787} on ${opts.host ?? '127.0.0.1'} is in use (give another with --dashboard-address, or 0 for any free port)`) : e),
      );
      s.server.listen(opts.port ?? 8787, opts.host ?? '127.0.0.1', () => ok());
    });
    s.server.unref();
    // Memory is sampled even while no page is open, so a page opened later shows the history.
    s.timer = setInterval(() => s.tick(), s.intervalMs);
    s.timer.unref();
    s.keepAlive = setInterval(() => {
      for (const r of s.streams) r.write(': keep-alive\n\n');
    }, 15_000);
    s.keepAlive.unref();
    // performanceReport records the dashboard started last, as Dask's reads the current client's.
    setDefaultFrameSource(s);
    return s;
  }

  /** FrameSource: the frames `/api/events` sends, in process (a snapshot first, then the deltas). */
  subscribe(listener: FrameListener): () => void {
    this.tick();
    this.listeners.add(listener);
    listener({ type: 'snapshot', data: this.opts.source.model.snapshot(Date.now()) });
    return () => void this.listeners.delete(listener);
  }

  flush(): void {
    this.tick();
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get host(): string {
    return this.opts.host ?? '127.0.0.1';
  }

  /** The status page's address, as printed at start-up (`http://127.0.0.1:8787/status`). */
  get link(): string {
    const h = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
    return `${this.secure ? 'https' : 'http'}://${h.includes(':') ? `[${h}]` : h}:${this.port}/status`;
  }

  /** Open event streams (pages connected). */
  get clients(): number {
    return this.streams.size;
  }

  private tick(): void {
    const now = Date.now();
    if (this.streams.size === 0 && this.listeners.size === 0) {
      // Nobody watching: keep the memory history, let the deltas go (a new page gets a snapshot).
      this.opts.source.model.takeFrames(now);
      return;
    }
    this.broadcast(this.opts.source.model.takeFrames(now));
  }

  private broadcast(frames: Frame[]): void {
    if (frames.length === 0) return;
    for (const l of this.listeners) for (const f of frames) l(f);
    if (this.streams.size === 0) return;
    const text = frames.map(sse).join('');
    for (const r of this.streams) r.write(text);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const path = url.pathname;
    if (path === '/health') return text(res, 200, 'ok\n');
    if (this.token === undefined && !loopbackHostHeader(req.headers.host)) {
      return text(res, 421, `421 Misdirected Request: this dashboard answers requests for 127.0.0.1 or localhost only (got Host: ${req.headers.host})\n`);
    }
    const auth = authorize({ url: req.url ?? '/', authorization: req.headers.authorization, cookie: req.headers.cookie }, this.token, this.secure);
    if (!auth.ok) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="pdask dashboard"' });
      res.end(`401 Unauthorized: ${auth.reason}. Open the dashboard with ?token=<the cluster's token> (from the scheduler file), or send Authorization: Bearer <token>.\n`);
      return;
    }
    if ('redirect' in auth) {
      res.writeHead(303, { 'set-cookie': auth.setCookie, location: auth.redirect, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'only GET\n');
    const model = this.opts.source.model;
    switch (path) {
      case '/':
        res.writeHead(302, { location: '/status' });
        res.end();
        return;
      case '/api/events':
        return this.events(req, res);
      case '/api/snapshot':
        return json(res, model.snapshot(Date.now()));
      case '/api/story': {
        const key = url.searchParams.get('key');
        if (key === null) return text(res, 400, 'give ?key=<task key>\n');
        const body: StoryResponse = this.opts.source.story(key);
        return json(res, body);
      }
      case '/api/worker-log': {
        const worker = url.searchParams.get('worker');
        if (worker === null) return text(res, 400, 'give ?worker=<worker id>\n');
        const lines = this.opts.source.workerLog(worker);
        if (lines === undefined) return text(res, 404, `no worker '${worker}'\n`);
        const body: WorkerLogResponse = { worker, lines };
        return json(res, body);
      }
      case '/metrics': {
        const body = await this.registry.metrics();
        res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
        res.end(body);
        return;
      }
    }
    this.serveStatic(path, res);
  }

  private events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    // What changed since the last push goes to the pages already open; the new one starts from here.
    this.tick();
    const now = Date.now();
    res.write(`retry: 2000\n\n${sse({ type: 'snapshot', data: this.opts.source.model.snapshot(now) })}`);
    this.streams.add(res);
    const drop = (): void => void this.streams.delete(res);
    req.on('close', drop);
    res.on('close', drop);
  }

  private serveStatic(path: string, res: ServerResponse): void {
    let rel: string;
    try {
      rel = decodeURIComponent(path).replace(/^\/+/, '');
    } catch {
      return text(res, 400, 'bad path\n');
    }
    const name = PAGES.has(rel) ? `${rel}.html` : rel;
    const file = resolve(this.staticDir, name);
    if (!file.startsWith(this.staticDir + sep)) return text(res, 404, 'not found\n');
    if (existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(readFileSync(file));
      return;
    }
    if (PAGES.has(rel)) {
      // The pages are not built (a checkout before the dashboard's build ran): say so, with the data links.
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(PLACEHOLDER_HTML(rel, this.staticDir));
      return;
    }
    text(res, 404, 'not found\n');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (defaultFrameSource() === this) setDefaultFrameSource(null);
    this.listeners.clear();
    clearInterval(this.timer);
    clearInterval(this.keepAlive);
    for (const r of this.streams) r.end();
    this.streams.clear();
    await new Promise<void>((ok) => {
      this.server.close(() => ok());
      this.server.closeAllConnections();
    });
  }
}

function sse(f: Frame): string {
  return `event: ${f.type}\ndata: ${JSON.stringify(f)}\n\n`;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
