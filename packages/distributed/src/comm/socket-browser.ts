/**
 * A browser's socket for `connect` (package.json `imports` '#pdask/socket', `browser` condition):
 * the page's own WebSocket, adapted to what a Comm needs of `ws`'s. The token travels as a
 * subprotocol (token-protocol.ts): a page cannot set headers. TLS is the browser's: a wss://
 * (tls://) address is trusted when the browser trusts its certificate; `tls` files cannot apply.
 */
import type { CommSocket } from './local-link';
import { PDASK_PROTOCOL, tokenProtocol } from './token-protocol';
import type { TlsMaterial } from './security';

export interface SocketOptions {
  token: string;
  role: string;
  tls?: TlsMaterial;
  timeoutMs?: number;
}

type Listener = (...args: never[]) => void;

/** The page's WebSocket as a CommSocket: fragments are joined (a browser sends whole messages only). */
class BrowserSocket implements CommSocket {
  binaryType: 'nodebuffer' | 'arraybuffer' | 'fragments' = 'fragments';
  private readonly listeners = new Map<string, Listener[]>();
  private parts: Uint8Array[] = [];

  constructor(private readonly ws: WebSocket) {
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('message', (ev: MessageEvent) => {
      const d: unknown = ev.data;
      if (d instanceof ArrayBuffer) this.emit('message', [new Uint8Array(d)], true);
      else this.emit('message', [new TextEncoder().encode(String(d))], false);
    });
    ws.addEventListener('close', (ev: CloseEvent) => this.emit('close', ev.code, ev.reason));
  }

  on(event: 'message' | 'close' | 'error', fn: Listener): this {
    const list = this.listeners.get(event) ?? [];
    list.push(fn);
    this.listeners.set(event, list);
    return this;
  }

  private emit(event: string, ...args: unknown[]): void {
    for (const fn of this.listeners.get(event) ?? []) (fn as (...a: unknown[]) => void)(...args);
  }

  send(data: Uint8Array, opts: { binary: boolean; fin: boolean }, cb?: (err?: Error) => void): void {
    this.parts.push(data);
    if (!opts.fin) return;
    const parts = this.parts;
    this.parts = [];
    let message: Uint8Array;
    if (parts.length === 1) message = parts[0];
    else {
      let n = 0;
      for (const p of parts) n += p.byteLength;
      message = new Uint8Array(n);
      n = 0;
      for (const p of parts) {
        message.set(p, n);
        n += p.byteLength;
      }
    }
    try {
      this.ws.send(message);
      if (cb) queueMicrotask(() => cb());
    } catch (e) {
      if (cb) queueMicrotask(() => cb(e as Error));
      else throw e;
    }
  }

  close(code?: number, reason?: string): void {
    // Browsers allow only 1000 and 3000–4999 from a page, and a reason of at most 123 bytes.
    try {
      this.ws.close(code === 1000 || (code !== undefined && code >= 3000 && code <= 4999) ? code : 1000, reason);
    } catch {
      this.ws.close();
    }
  }

  terminate(): void {
    this.ws.close();
  }
}

export function openSocket(address: string, url: string, opts: SocketOptions): Promise<CommSocket> {
  if (opts.tls) {
    throw new Error(
      `Connecting to ${address}: TLS files ({ tls }) cannot be used in a browser; the browser checks the scheduler's certificate itself (use a wss:// or tls:// address)`,
    );
  }
  if (typeof WebSocket !== 'function') throw new Error('This environment has no global WebSocket');
  return new Promise<CommSocket>((resolve, reject) => {
    const ws = new WebSocket(url, [PDASK_PROTOCOL, tokenProtocol(opts.token)]);
    let settled = false;
    const timer = setTimeout(() => fail(`no answer within ${opts.timeoutMs ?? 10_000} ms`), opts.timeoutMs ?? 10_000);
    function fail(why: string): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.close();
      reject(new Error(`Cannot connect to ${address}: ${why}`));
    }
    // A browser does not show a page why a handshake failed (the HTTP status is hidden from it).
    ws.addEventListener('error', () =>
      fail(
        "the connection was refused or failed. A browser does not tell a page why: check the address, the token, that the scheduler's allowed origins " +
          `include this page's origin (${globalThis.location?.origin ?? 'unknown'}; pdask-scheduler --allowed-origin), and for wss:// that the browser trusts the certificate`,
      ),
    );
    ws.addEventListener('open', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(new BrowserSocket(ws));
    });
  });
}
