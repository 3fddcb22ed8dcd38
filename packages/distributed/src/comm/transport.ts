/**
 * The transport: WebSocket (the `ws` library) over TCP or TLS. Each WebSocket message holds a
 * batch of protocol messages; messages sent in the same turn of the event loop leave together
 * (Dask's BatchedSend), which is what makes 100,000s of tiny task messages per second affordable.
 * A batch is a msgpack header plus one binary part per typed array / Arrow table in it (see
 * `encodeMessage`): the parts are sent as fragments of the one WebSocket message, each straight
 * from its own memory (clients' frames get the masking copy WebSocket requires), and received
 * as fragments (`binaryType = 'fragments'`), so parts are not joined into one buffer on arrival.
 * A batch larger than a shard (config `distributed.comm.shard-bytes`, 64 MiB) goes out as several
 * WebSocket messages, one at a time (see shards.ts): no value size is bounded by `MAX_PAYLOAD`.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { decodeMessage, encodeMessage } from '../protocol/codec';
import { formatAddress, isSecure, isWildcardHost, reachableHost, toWsUrl, type Protocol } from './address';
import { DEFAULT_SHARD_BYTES, MAX_MESSAGE_BYTES, ShardAssembler, shardBytes, splitIntoShards } from './shards';
import { certificateError, TOKEN_HEADER, tokenMatches, type TlsMaterial } from './security';
import { acceptInProcess, connectInProcess, type CommSocket } from './local-link';

export type Message = { op: string } & Record<string, unknown>;

/** Largest single WebSocket message accepted; larger batches arrive as shards of `shardBytes()`. */
const MAX_PAYLOAD = MAX_MESSAGE_BYTES;

function toParts(data: RawData): Uint8Array[] {
  if (Array.isArray(data)) return data;
  if (data instanceof ArrayBuffer) return [new Uint8Array(data)];
  return [data];
}

/** One open connection: batched sends, decoded batches in. */
export class Comm {
  private queue: Message[] = [];
  private scheduled = false;
  private closed = false;
  private onMsg: (m: Message) => void = () => undefined;
  private readonly closeHandlers: ((reason: string) => void)[] = [];
  /** Remote peer's name for logs. */
  peer = '';
  private readonly assembler = new ShardAssembler();
  /** WebSocket messages waiting for a sharded message ahead of them to be written. */
  private readonly outbox: Uint8Array[][] = [];
  private writing = false;
  /** Set by `close()` while shards are still being written: the reason to close with once they are. */
  private closing: string | undefined;

  /** `shard`: batches larger than this go out as several WebSocket messages. */
  constructor(
    readonly ws: CommSocket,
    private readonly shard: number = DEFAULT_SHARD_BYTES,
  ) {
    ws.binaryType = 'fragments';
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('close', (code, reason) => this.markClosed(`connection closed (${code}${reason.length ? `: ${reason.toString()}` : ''})`));
    // Protocol errors (garbage frames) end the connection; they must never throw out of the process.
    ws.on('error', (e) => this.markClosed(`connection error: ${e.message}`));
  }

  get isClosed(): boolean {
    return this.closed || this.closing !== undefined;
  }

  onMessage(fn: (m: Message) => void): void {
    this.onMsg = fn;
  }

  onClose(fn: (reason: string) => void): void {
    if (this.closed) queueMicrotask(() => fn('closed'));
    else this.closeHandlers.push(fn);
  }

  send(msg: Message): void {
    if (this.closed || this.closing) return;
    this.queue.push(msg);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * The message queued last and not encoded yet, if any: a sender may add to it (e.g. one more key
   * to release) instead of queueing another message; nothing queued after it is overtaken.
   */
  get lastQueued(): Message | undefined {
    return this.queue.length ? this.queue[this.queue.length - 1] : undefined;
  }

  /** Sends what is queued now (normally done at the end of the event-loop turn). */
  flush(): void {
    this.scheduled = false;
    if (this.closed || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    let parts: Uint8Array[];
    try {
      parts = encodeMessage(batch);
    } catch {
      // One message holds something that cannot be encoded (e.g. a function): drop that one
      // message, tell its sender, and keep the connection.
      const ok: Message[] = [];
      for (const m of batch) {
        try {
          encodeMessage(m);
          ok.push(m);
        } catch (e) {
          this.onEncodeError(m, e as Error);
        }
      }
      if (ok.length === 0) return;
      parts = encodeMessage(ok);
    }
    let size = 0;
    for (const p of parts) size += p.byteLength;
    if (size <= this.shard && !this.writing) {
      this.sendMessage(parts);
      return;
    }
    // Shards (or a batch behind them) go one WebSocket message at a time, in order.
    if (size <= this.shard) this.outbox.push(parts);
    else for (const m of splitIntoShards(parts, this.shard)) this.outbox.push(m);
    this.pump();
  }

  /** Sends one WebSocket message; fragments let each part go out without being copied into one buffer. */
  private sendMessage(parts: readonly Uint8Array[], done?: (err?: Error) => void): void {
    try {
      const last = parts.length - 1;
      for (let i = 0; i <= last; i++) this.ws.send(parts[i], { binary: true, fin: i === last }, i === last ? done : undefined);
    } catch (e) {
      this.markClosed(`send failed: ${(e as Error).message}`);
      this.ws.terminate();
    }
  }

  /** Writes the outbox, the next message once the previous one has been handed to the socket. */
  private pump(): void {
    if (this.writing || this.closed) return;
    const next = this.outbox.shift();
    if (!next) {
      if (this.closing) this.finishClose(this.closing);
      return;
    }
    this.writing = true;
    this.sendMessage(next, (err) => {
      this.writing = false;
      if (err) {
        this.markClosed(`send failed: ${err.message}`);
        this.ws.terminate();
      } else this.pump();
    });
  }

  /** Whether sharded data is still being sent. */
  get sending(): boolean {
    return this.writing || this.outbox.length > 0;
  }

  /** Called with a message that could not be encoded (default: logged). */
  onEncodeError: (m: Message, e: Error) => void = (m, e) => console.error(`pdask: cannot send a '${m.op}' message: ${e.message}`);

  close(reason = 'closing'): void {
    if (this.closed || this.closing) return;
    this.flush();
    if (this.sending) {
      // Let the shards already due go out first (bounded: a peer that stops reading is cut off).
      this.closing = reason;
      setTimeout(() => this.finishClose(reason), 30_000).unref();
      return;
    }
    this.finishClose(reason);
  }

  private finishClose(reason: string): void {
    if (this.closed) return;
    this.ws.close(1000, reason.slice(0, 120));
    // A peer that does not answer the closing handshake is cut off.
    setTimeout(() => this.ws.terminate(), 1000).unref();
    this.markClosed(reason);
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    let batch: unknown;
    try {
      if (!isBinary) throw new Error('text frame');
      const parts = this.assembler.push(toParts(data));
      if (!parts) return; // more shards to come
      batch = decodeMessage(parts);
      if (!Array.isArray(batch)) throw new Error('a frame is not a batch of messages');
    } catch (e) {
      this.markClosed(`malformed frame from ${this.peer || 'peer'}: ${(e as Error).message}`);
      this.ws.close(1003, 'malformed frame');
      setTimeout(() => this.ws.terminate(), 200).unref();
      return;
    }
    for (const m of batch) {
      if (this.closed) return;
      if (typeof m !== 'object' || m === null || typeof (m as Message).op !== 'string') {
        this.send({ op: 'error', message: 'malformed message: expected an object with an "op" string' });
        continue;
      }
      this.onMsg(m as Message);
    }
  }

  private markClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.outbox.length = 0;
    this.assembler.reset();
    for (const h of this.closeHandlers.splice(0)) {
      try {
        h(reason);
      } catch {
        // a close handler's failure must not hide the others
      }
    }
  }
}

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
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  // Bytes that are not HTTP (port scanners, garbage) just lose their connection.
  server.on('clientError', (_e, socket) => socket.destroy());
  server.on('request', (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('pdask: this port speaks the pdask protocol over WebSocket\n');
  });
  const wss = new WebSocketServer({
    server,
    maxPayload: MAX_PAYLOAD,
    perMessageDeflate: false,
    verifyClient: (info, cb) => {
      const given = info.req.headers[TOKEN_HEADER];
      if (tokenMatches(opts.token, typeof given === 'string' ? given : undefined)) cb(true);
      else cb(false, 401, 'Unauthorized: wrong or missing pdask token');
    },
  });
  wss.on('error', () => undefined);
  wss.on('connection', (ws, req) => {
    const role = new URL(req.url ?? '/', 'http://x').searchParams.get('role') ?? 'peer';
    const comm = new Comm(ws, shard);
    comm.peer = `${role}@${req.socket.remoteAddress}:${req.socket.remotePort}`;
    try {
      opts.onConnection(comm, role, req);
    } catch (e) {
      comm.close(`rejected: ${(e as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Bound to every interface: publish one that other machines can use, never 0.0.0.0.
  const address = formatAddress({ secure: !!opts.tls, host: isWildcardHost(host) ? reachableHost().host : host, port, protocol: opts.protocol });
  const closeLocal =
    opts.inProcess && !opts.tls
      ? acceptInProcess(address, opts.token, (socket, role) => {
          const comm = new Comm(socket, shard);
          comm.peer = `${role}@in-process`;
          try {
            opts.onConnection(comm, role);
          } catch (e) {
            comm.close(`rejected: ${(e as Error).message}`);
          }
        })
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
        server.close(() => resolve());
      }),
  };
}

export class ConnectionRefusedError extends Error {
  override name = 'ConnectionRefusedError';
}

export interface ConnectOptions {
  token: string;
  role: string;
  tls?: TlsMaterial;
  timeoutMs?: number;
  query?: Record<string, string>;
}

/** Opens an authenticated connection; a refused token is a clear error, not a hang. */
export function connect(address: string, opts: ConnectOptions): Promise<Comm> {
  const query = new URLSearchParams({ role: opts.role, ...(opts.query ?? {}) }).toString();
  const url = toWsUrl(address, query);
  let shard: number;
  try {
    shard = shardBytes();
  } catch (e) {
    return Promise.reject(e as Error);
  }
  if (!opts.tls && opts.role === 'client') {
    const local = connectInProcess(address, opts.token, opts.role);
    if (local === 'refused') return Promise.reject(new ConnectionRefusedError(`${address} refused the connection: wrong or missing authentication token (HTTP 401)`));
    if (local) {
      const comm = new Comm(local, shard);
      comm.peer = address;
      return Promise.resolve(comm);
    }
  }
  return new Promise<Comm>((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { [TOKEN_HEADER]: opts.token },
      maxPayload: MAX_PAYLOAD,
      perMessageDeflate: false,
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
      if (res.statusCode === 401) {
        fail(new ConnectionRefusedError(`${address} refused the connection: wrong or missing authentication token (HTTP 401)`));
      } else fail(new Error(`${address} answered HTTP ${res.statusCode}: not a pdask endpoint?`));
    });
    ws.once('error', (e) => fail(certificateError(address, e) ?? new Error(`Cannot connect to ${address}: ${e.message}`)));
    ws.once('open', () => {
      if (settled) return;
      settled = true;
      ws.removeAllListeners('error');
      const comm = new Comm(ws, shard);
      comm.peer = address;
      resolve(comm);
    });
  });
}
