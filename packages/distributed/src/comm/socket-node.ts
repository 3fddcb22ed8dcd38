/**
 * Node's socket for `connect` (package.json `imports` '#pdask/socket', default condition): an
 * in-process link to a listener in this process when there is one, else a `ws` WebSocket with the
 * token header and the TLS material.
 */
import { WebSocket } from 'ws';
import { connectInProcess, type CommSocket } from './local-link';
import { connectFramed, FramedRefusal } from './framed-handshake';
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
   * for its own workers): the same token and messages in length-prefixed frames, without the TCP
   * stack and WebSocket (see framed-socket.ts).
   */
  socketPath?: string;
}

const refusedToken = (address: string): ConnectionRefusedError =>
  new ConnectionRefusedError(`${address} refused the connection: wrong or missing authentication token (HTTP 401)`);

/**
 * Frames up to this many bytes are masked with a fixed non-zero key, larger ones with the all-zero key.
 * Masking exists so that script in a web page cannot make a browser's WebSocket write chosen bytes
 * through an intermediary cache; a Node peer runs no such script, so the key need not be random
 * (browsers mask their own frames). The key decides how `ws` writes a frame: masked with a non-zero
 * key, header and payload are one new buffer (the payload XORed into it) written with one `write`;
 * with the zero key the payload is sent from its own memory, header and payload as two buffers in a
 * `writev`. For a small frame (a task's `done` report: ~170 bytes) the copy costs less than the
 * second buffer's trip through the stream (a helper measured, under load: the worker's CPU per
 * dist-roundtrip ~5 µs less); `ws` XORs in a JavaScript loop, ~4 ns a byte on the 2-core machine
 * measured, so past ~1 KiB the copy costs more than it saves, and a large frame (an array's bytes)
 * is sent from its own memory.
 */
export const MERGED_FRAME_BYTES = 512;

/** The non-zero key of small frames (any non-zero key does; this one is fixed). */
const SMALL_FRAME_KEY = [0x70, 0x64, 0x61, 0x73];

/**
 * The masking of one socket's frames: `next(bytes)` is told the size of each frame before it is
 * framed (`ws` frames synchronously in `send`), and `generateMask` (`ws`'s option) fills the key.
 */
export function frameMasking(): { next(bytes: number): void; generateMask(mask: Uint8Array): void } {
  let small = false;
  return {
    next(bytes) {
      small = bytes <= MERGED_FRAME_BYTES;
    },
    generateMask(mask) {
      // Four stores: Buffer.prototype.fill's argument checks cost more than the key.
      if (small) {
        mask[0] = SMALL_FRAME_KEY[0];
        mask[1] = SMALL_FRAME_KEY[1];
        mask[2] = SMALL_FRAME_KEY[2];
        mask[3] = SMALL_FRAME_KEY[3];
      } else mask[0] = mask[1] = mask[2] = mask[3] = 0;
    },
  };
}

type SendData = Parameters<WebSocket['send']>[0];
type SendOptions = { mask?: boolean; binary?: boolean; compress?: boolean; fin?: boolean };
type SendCallback = (err?: Error) => void;

/** Bytes `ws` will frame for `data` (other kinds count as large: they keep the zero key). */
function frameBytes(data: SendData): number {
  if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) return data.byteLength;
  if (typeof data === 'string') return Buffer.byteLength(data);
  return Infinity;
}

/** `ws`'s WebSocket, telling its masking the size of each frame it sends. */
class MaskingWebSocket extends WebSocket {
  masking?: ReturnType<typeof frameMasking>;

  override send(data: SendData, options?: SendOptions | SendCallback, cb?: SendCallback): void {
    this.masking?.next(frameBytes(data));
    if (typeof options === 'function') super.send(data, options);
    else super.send(data, options ?? {}, cb);
  }
}

export function openSocket(address: string, url: string, opts: SocketOptions): CommSocket | Promise<CommSocket> {
  if (!opts.tls && opts.role === 'client') {
    const local = connectInProcess(address, opts.token, opts.role);
    if (local === 'refused') throw refusedToken(address);
    if (local) return local;
  }
  if (opts.socketPath !== undefined && !opts.tls) {
    const u = new URL(url);
    return connectFramed(opts.socketPath, { token: opts.token, path: `${u.pathname}${u.search}` }, opts.timeoutMs ?? 10_000).catch((e: Error) => {
      throw e instanceof FramedRefusal ? refusedToken(address) : new Error(`Cannot connect to ${address} through ${opts.socketPath}: ${e.message}`);
    });
  }
  return new Promise<CommSocket>((resolve, reject) => {
    const masking = frameMasking();
    const ws = new MaskingWebSocket(url, {
      headers: { [TOKEN_HEADER]: opts.token },
      maxPayload: MAX_MESSAGE_BYTES,
      perMessageDeflate: false,
      generateMask: masking.generateMask,
      handshakeTimeout: opts.timeoutMs ?? 10_000,
      ...(opts.tls ?? {}),
    });
    ws.masking = masking;
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
