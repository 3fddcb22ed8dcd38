/**
 * Who may see the dashboard. Bound to a loopback address it is open (like Dask's, only this machine
 * reaches it); bound anywhere else it asks for the cluster's token: `Authorization: Bearer <token>`,
 * or once as `?token=<token>` in a link, which sets an HttpOnly cookie for the rest of the visit.
 * The decision is a pure function of the request, tested without sockets.
 */
import { tokenMatches } from '../comm/security';

export const TOKEN_COOKIE = 'pdask-dashboard-token';

/** Whether a host to bind to is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

export interface AuthRequest {
  /** Path and query, as in IncomingMessage.url. */
  url: string;
  authorization?: string;
  cookie?: string;
}

export type AuthDecision =
  | { ok: true }
  /** The token came in the query: set the cookie and send the browser to the same URL without it. */
  | { ok: true; setCookie: string; redirect: string }
  | { ok: false; reason: string };

export function authorize(req: AuthRequest, token: string | undefined, secure: boolean): AuthDecision {
  if (token === undefined) return { ok: true };
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.authorization ?? '')?.[1];
  if (bearer !== undefined) return tokenMatches(token, bearer) ? { ok: true } : { ok: false, reason: 'wrong token' };
  const cookie = readCookie(req.cookie, TOKEN_COOKIE);
  if (cookie !== undefined && tokenMatches(token, cookie)) return { ok: true };
  const url = new URL(req.url, 'http://dashboard.invalid');
  const given = url.searchParams.get('token');
  if (given !== null) {
    if (!tokenMatches(token, given)) return { ok: false, reason: 'wrong token' };
    url.searchParams.delete('token');
    return {
      ok: true,
      setCookie: `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
      redirect: `${url.pathname}${url.search}`,
    };
  }
  return { ok: false, reason: 'this dashboard needs the cluster token' };
}

/**
 * Whether a request's Host header names this machine. A dashboard open without a token answers
 * only such requests: a web page elsewhere cannot then read it through a DNS name rebound to
 * 127.0.0.1 (the browser would send that name as the host).
 */
export function loopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined) return true;
  const name = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host.trim())?.[1];
  return name !== undefined && isLoopbackHost(name);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** `host:port`, `:port`, `port` or `[v6]:port` (Dask's dashboard_address forms); default host 127.0.0.1. */
export function parseDashboardAddress(address: string): { host: string; port: number } {
  const s = address.trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const m = /^(?:(\[[^\]]+\]|[^:[\]]*):)?(\d+)$/.exec(s);
  if (!m) throw new Error(`Invalid dashboard address '${address}': expected HOST:PORT, :PORT or PORT (e.g. 127.0.0.1:8787)`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`Invalid port in dashboard address '${address}'`);
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '') || '127.0.0.1';
  return { host, port };
}
