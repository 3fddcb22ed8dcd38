/**
 * Opening a connection, on any platform: the socket comes from `#pdask/socket`, which package.json's
 * `imports` map to socket-node.ts (the `ws` library, TLS files, in-process links) or, under a
 * bundler's `browser` condition, to socket-browser.ts (the page's WebSocket). Nothing here imports
 * a Node built-in, so the browser client can use it.
 */
import { openSocket } from '#pdask/socket';
import { toWsUrl } from './address';
import { Comm } from './comm';
import { shardBytes } from './shards';
import type { TlsMaterial } from './security';

export interface ConnectOptions {
  token: string;
  role: string;
  /** Node only: the certificates to trust (a browser trusts what the browser trusts). */
  tls?: TlsMaterial;
  timeoutMs?: number;
  query?: Record<string, string>;
  /** Node only: reach the listener through this unix socket instead (see socket-node.ts). */
  socketPath?: string;
}

/** Opens an authenticated connection; a refused token is a clear error, not a hang. */
export function connect(address: string, opts: ConnectOptions): Promise<Comm> {
  let shard: number;
  let url: string;
  try {
    url = toWsUrl(address, new URLSearchParams({ role: opts.role, ...(opts.query ?? {}) }).toString());
    shard = shardBytes();
  } catch (e) {
    return Promise.reject(e as Error);
  }
  const wrap = (socket: Awaited<ReturnType<typeof openSocket>>): Comm => {
    const comm = new Comm(socket, shard);
    comm.peer = address;
    return comm;
  };
  let opened: ReturnType<typeof openSocket>;
  try {
    opened = openSocket(address, url, opts);
  } catch (e) {
    return Promise.reject(e as Error);
  }
  // An in-process link comes back at once: its Comm must listen before the peer's first message.
  return opened instanceof Promise ? opened.then(wrap) : Promise.resolve(wrap(opened));
}
