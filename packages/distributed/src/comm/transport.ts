/**
 * The transport: WebSocket (the `ws` library) over TCP or TLS. Each WebSocket message holds a
 * batch of protocol messages (see comm.ts, the connection, and connect.ts, the client side, which
 * browsers use too). This module is the Node server side: `listen`, which authenticates each
 * upgrade by token (a header, or a subprotocol from a browser) and, where configured, by origin.
 * A batch larger than a shard (config `distributed.comm.shard-bytes`, 64 MiB) goes out as several
 * WebSocket messages, one at a time (see shards.ts): no value size is bounded by `MAX_PAYLOAD`.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { formatAddress, isSecure, isWildcardHost, reachableHost, type Protocol } from './address';
import { MAX_MESSAGE_BYTES, shardBytes } from './shards';
import { TOKEN_HEADER, tokenMatches, type TlsMaterial } from './security';
import { acceptInProcess } from './local-link';
import { Comm } from './comm';
import { listenFramed } from './framed-handshake';
import { offeredProtocols, PDASK_PROTOCOL, tokenFromProtocols } from './token-protocol';
import { checkOrigin } from '../scheduler/allowed-origins';

/** Largest single WebSocket message accepted; larger batches arrive as shards of `shardBytes()`. */
const MAX_PAYLOAD = MAX_MESSAGE_BYTES;

export interface ListenOptions {
  host?: string;
  port?: number;
  token: string;
  tls?: TlsMaterial;
  /** Scheme of the published address (default tcp, or tls with `tls`); must agree with `tls`. */
  protocol?: Protocol;
  /** New authenticated connection; `role` from the URL (worker, client, nanny, peer); no `req` for an in-process link. */
  onConnection: (comm: Comm, role: string, req?: IncomingMessage) => void;
  /** Also accept in-process links from clients in this process (the scheduler does; see local-link.ts). */
  inProcess?: boolean;
  /**
   * Origins (`https://host:port`) whose pages may connect; an upgrade carrying another Origin
   * header gets 403. Requests without one (Node clients, workers) are not concerned. Undefined:
   * no origin check (workers and nannies, which a browser client only reaches with the token).
   */
  allowedOrigins?: readonly string[];
  /**
   * Also accept connections on this unix socket (same token and handlers, but length-prefixed
   * frames instead of WebSocket: framed-socket.ts): a LocalCluster's workers use it, since a round
   * trip over it costs less than over loopback TCP and `ws` (see the README, sessions 11 and 14).
   * Not with TLS.
   */
  socketPath?: string;
}

export interface Listener {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens for authenticated connections. Requests without the token get 401 before upgrading. */
export async function listen(opts: ListenOptions): Promise<Listener> {
  const host = opts.host ?? '127.0.0.1';
  const shard = shardBytes();
  if (opts.protocol && isSecure(opts.protocol) !== !!opts.tls) {
    throw new Error(
      isSecure(opts.protocol)
        ? `Protocol ${opts.protocol} needs a TLS certificate and key (--tls-cert, --tls-key)`
        : `Protocol ${opts.protocol} is unencrypted, but TLS files were given: use --protocol tls, or drop the --tls-* options`,
    );
  }
  const server: HttpServer = opts.tls ? createHttpsServer({ ...opts.tls }) : createHttpServer();
  const sockets = new Set<Socket>();
  onlyUpgrades(server, sockets);
  const wss = new WebSocketServer({
    server,
    maxPayload: MAX_PAYLOAD,
    perMessageDeflate: false,
    verifyClient: (info, cb) => {
      if (opts.allowedOrigins) {
        const verdict = checkOrigin(info.req.headers.origin, opts.allowedOrigins);
        if (!verdict.ok) return cb(false, 403, verdict.reason, { 'content-type': 'text/plain' });
      }
      const header = info.req.headers[TOKEN_HEADER];
      const given = typeof header === 'string' ? header : tokenFromProtocols(offeredProtocols(info.req.headers['sec-websocket-protocol']));
      if (tokenMatches(opts.token, given)) cb(true);
      else cb(false, 401, 'Unauthorized: wrong or missing pdask token');
    },
    // A browser client offers `pdask` and its token as subprotocols: it needs one of them back.
    handleProtocols: (offered) => (offered.has(PDASK_PROTOCOL) ? PDASK_PROTOCOL : false),
  });
  wss.on('error', () => undefined);
  /** A new authenticated connection of `role`, named `peer` in logs. */
  const accepted = (comm: Comm, role: string, peer: string, req?: IncomingMessage): void => {
    comm.peer = peer;
    try {
      opts.onConnection(comm, role, req);
    } catch (e) {
      comm.close(`rejected: ${(e as Error).message}`);
    }
  };
  wss.on('connection', (ws, req) => {
    const role = roleOf(req.url);
    accepted(new Comm(ws, shard), role, `${role}@${req.socket.remoteAddress}:${req.socket.remotePort}`, req);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const socketPath = opts.socketPath;
  const unixServer =
    socketPath !== undefined && !opts.tls
      ? await listenFramed(socketPath, opts.token, (socket, path) => {
          const role = roleOf(path);
          // A unix socket has no remote address: the peer is named by the socket's path.
          accepted(new Comm(socket, shard), role, `${role}@unix:${socketPath}`);
        })
      : undefined;
  const port = (server.address() as AddressInfo).port;
  // Bound to every interface: publish one that other machines can use, never 0.0.0.0.
  const address = formatAddress({ secure: !!opts.tls, host: isWildcardHost(host) ? reachableHost().host : host, port, protocol: opts.protocol });
  const closeLocal =
    opts.inProcess && !opts.tls
      ? acceptInProcess(address, opts.token, (socket, role) => accepted(new Comm(socket, shard), role, `${role}@in-process`))
      : undefined;
  return {
    address,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        closeLocal?.();
        for (const c of wss.clients) c.terminate();
        wss.close();
        for (const s of sockets) s.destroy();
        unixServer?.close();
        server.close(() => resolve());
      }),
  };
}

/**
 * An HTTP server that only upgrades: its sockets are tracked (to destroy them on close), bytes that
 * are not HTTP (port scanners, garbage) just lose their connection, a plain request gets 426.
 */
function onlyUpgrades(server: HttpServer, sockets: Set<Socket>): void {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  server.on('request', (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('pdask: this port speaks the pdask protocol over WebSocket\n');
  });
}

/** The role a connection's request path names (`?role=worker`). */
function roleOf(path: string | undefined): string {
  return new URL(path ?? '/', 'http://x').searchParams.get('role') ?? 'peer';
}

export { ConnectionRefusedError } from './refused';
export { connect, type ConnectOptions } from './connect';
export { Comm, drainInOrder, whenBatchEnds, type Message } from './comm';
