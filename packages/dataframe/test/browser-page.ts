/**
 * A loopback HTTP server for the remote-reader tests (read-remote-*.test.ts; the browser pages are
 * served by test/browser/harness.ts): serves byte contents from memory on 127.0.0.1 only, honours
 * single `Range: bytes=a-b` requests (206 with Content-Range), and logs every request with the
 * bytes it sent, so tests can assert what a reader fetched.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Served {
  path: string;
  range: string | null;
  status: number;
  bytes: number;
}

export interface Route {
  body: Uint8Array | string;
  type?: string;
  /** Ignore Range headers (answer 200 with the whole body), as some servers do. */
  noRanges?: boolean;
  /** Extra response headers (e.g. cross-origin isolation for a page). */
  headers?: Record<string, string>;
}

export interface LoopbackServer {
  readonly url: string;
  readonly log: Served[];
  /** Bytes of body sent for `path` since the log was last cleared. */
  bytesServed(path: string): number;
  set(path: string, route: Route): void;
  close(): Promise<void>;
}

/** A cheap content hash for the ETag (FNV-1a). */
function etagOf(b: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16);
}

export async function startServer(routes: Record<string, Route> = {}): Promise<LoopbackServer> {
  const table = new Map(Object.entries(routes));
  const log: Served[] = [];
  const send = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const route = table.get(path);
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    const done = (status: number, body: Uint8Array, headers: Record<string, string>): void => {
      log.push({ path, range, status, bytes: req.method === 'HEAD' ? 0 : body.length });
      res.writeHead(status, { 'Content-Length': String(body.length), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!route) return done(404, new TextEncoder().encode('not found'), { 'Content-Type': 'text/plain' });
    const body = typeof route.body === 'string' ? new TextEncoder().encode(route.body) : route.body;
    // A static server's validator (as nginx sends): the readers reuse a footer while it is unchanged.
    const base = { 'Content-Type': route.type ?? 'application/octet-stream', ETag: `"${body.length}-${etagOf(body)}"`, ...(route.headers ?? {}) };
    const m = range && !route.noRanges ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    if (!m) return done(200, body, route.noRanges ? base : { ...base, 'Accept-Ranges': 'bytes' });
    const start = Number(m[1]);
    const end = Math.min(m[2] === '' ? body.length - 1 : Number(m[2]), body.length - 1);
    if (start >= body.length || end < start) return done(416, new Uint8Array(0), { ...base, 'Content-Range': `bytes */${body.length}` });
    done(206, body.subarray(start, end + 1), { ...base, 'Accept-Ranges': 'bytes', 'Content-Range': `bytes ${start}-${end}/${body.length}` });
  };
  const server = createServer(send);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    bytesServed: (path) => log.filter((r) => r.path === path).reduce((s, r) => s + r.bytes, 0),
    set: (path, route) => void table.set(path, route),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
