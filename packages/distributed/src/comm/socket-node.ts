/**
 * Node's socket for `connect` (package.json `imports` '#pdask/socket', default condition): an
 * in-process link to a listener in this process when there is one, else a `ws` WebSocket with the
 * token header and the TLS material.
 */
import { WebSocket } from 'ws';
import { connectInProcess, type CommSocket } from './local-link';
import { ConnectionRefusedError } from './refused';
import { certificateError, TOKEN_HEADER, type TlsMaterial } from './security';
import { MAX_MESSAGE_BYTES } from './shards';

export interface SocketOptions {
  token: string;
  role: string;
  tls?: TlsMaterial;
  timeoutMs?: number;
  /**
   * A unix socket on which the same listener accepts this connection (a LocalCluster's scheduler,
   * for its own workers): the same WebSocket and token, without the TCP stack (see transport.ts).
   */
  socketPath?: string;
}

const refusedToken = (address: string): ConnectionRefusedError =>
  new ConnectionRefusedError(`${address} refused the connection: wrong or missing authentication token (HTTP 401)`);

/**
 * The masking key of the frames this side sends. Masking exists so that script in a web page
 * cannot make a browser's WebSocket write chosen bytes through an intermediary cache; a Node peer
 * runs no such script, and an all-zero key (which `ws` then skips: no random bytes drawn, no copy
 * of every frame XORed with the key) is a valid one. Browsers mask their own frames.
 */
function zeroMask(mask: Uint8Array): void {
  mask.fill(0);
}

export function openSocket(address: string, url: string, opts: SocketOptions): CommSocket | Promise<CommSocket> {
  if (!opts.tls && opts.role === 'client') {
    const local = connectInProcess(address, opts.token, opts.role);
    if (local === 'refused') throw refusedToken(address);
    if (local) return local;
  }
  if (opts.socketPath !== undefined && !opts.tls) {
    const u = new URL(url);
    url = `ws+unix://${opts.socketPath}:${u.pathname}${u.search}`;
  }
  return new Promise<CommSocket>((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { [TOKEN_HEADER]: opts.token },
      maxPayload: MAX_MESSAGE_BYTES,
      perMessageDeflate: false,
      generateMask: zeroMask,
      handshakeTimeout: opts.timeoutMs ?? 10_000,
      ...(opts.tls ?? {}),
    });
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      ws.terminate();
      reject(e);
    };
    ws.on('unexpected-response', (_req, res) => {
      if (res.statusCode === 401) return fail(refusedToken(address));
      if (res.statusCode !== 403) return fail(new Error(`${address} answered HTTP ${res.statusCode}: not a pdask endpoint?`));
      // The reason (an origin not allowed) is the body.
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => (body += s.slice(0, 500)));
      res.on('end', () => fail(new ConnectionRefusedError(`${address} refused the connection (HTTP 403): ${body.trim() || 'forbidden'}`)));
      res.on('error', () => fail(new ConnectionRefusedError(`${address} refused the connection (HTTP 403)`)));
    });
    ws.once('error', (e) => fail(certificateError(address, e) ?? new Error(`Cannot connect to ${address}: ${e.message}`)));
    ws.once('open', () => {
      if (settled) return;
      settled = true;
      ws.removeAllListeners('error');
      resolve(ws);
    });
  });
}
