/**
 * The token check of a framed connection (framed-socket.ts), in place of the WebSocket upgrade's
 * header: the client's first frame is a hello with its token and request path (the role is in its
 * query, as in a WebSocket URL); the listener answers welcome, or closes with code 4401 for a
 * wrong token, before any message is exchanged.
 */
import { connect as netConnect, createServer, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { CLOSE, CLOSE_UNAUTHORIZED, closePayload, frame, FramedSocket, FrameReader, HELLO, WELCOME } from './framed-socket';
import { tokenMatches } from './security';

/** What a client says first. */
interface Hello {
  token: string;
  path: string;
}

/** Feeds a socket's bytes to a reader; a malformed stream ends the connection. */
function read(socket: Socket, reader: FrameReader): void {
  socket.on('data', (chunk: Buffer) => {
    try {
      reader.push(chunk);
    } catch (e) {
      socket.destroy(new Error(`malformed frame: ${(e as Error).message}`));
    }
  });
}

/**
 * Listens on a unix socket for framed connections; `accept` gets each one that gave the token,
 * with its request path. A connection that says nothing valid within `helloMs` is dropped.
 * `close` stops listening (removing the file) and ends every connection.
 */
export async function listenFramed(path: string, token: string, accept: (socket: FramedSocket, path: string) => void, helloMs = 10_000): Promise<{ close(): void }> {
  // A file left by a process that died holding it would make listen fail.
  rmSync(path, { force: true });
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => socket.destroy(), helloMs);
    timer.unref();
    const reader = new FrameReader((kind, payload) => {
      clearTimeout(timer);
      const hello = kind === HELLO ? parseHello(payload) : undefined;
      if (!hello) {
        socket.destroy();
        return;
      }
      if (!tokenMatches(token, hello.token)) {
        socket.end(frame(CLOSE, closePayload(CLOSE_UNAUTHORIZED, 'Unauthorized: wrong or missing pdask token')));
        reader.onFrame = () => undefined;
        return;
      }
      socket.write(frame(WELCOME, new Uint8Array(0)));
      accept(new FramedSocket(socket, reader), hello.path);
    });
    read(socket, reader);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    close: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

function parseHello(payload: Buffer): Hello | undefined {
  try {
    const h = JSON.parse(payload.toString('utf8')) as Partial<Hello>;
    return typeof h.token === 'string' && typeof h.path === 'string' ? { token: h.token, path: h.path } : undefined;
  } catch {
    return undefined;
  }
}

/** The listener closed the connection for a wrong token. */
export class FramedRefusal extends Error {}

/**
 * Connects to a framed listener on a unix socket and says hello; resolves once welcomed, rejects
 * with a FramedRefusal for a wrong token, or with the error that stopped the connection.
 */
export function connectFramed(path: string, hello: Hello, timeoutMs: number): Promise<FramedSocket> {
  return new Promise<FramedSocket>((resolve, reject) => {
    const socket = netConnect(path);
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(new Error(`no answer from ${path} within ${timeoutMs} ms`)), timeoutMs);
    socket.once('error', fail);
    socket.once('close', () => fail(new Error(`${path} closed the connection during the handshake`)));
    const reader = new FrameReader((kind, payload) => {
      if (kind === WELCOME) {
        settled = true;
        clearTimeout(timer);
        socket.removeListener('error', fail);
        socket.removeAllListeners('close');
        resolve(new FramedSocket(socket, reader));
      } else if (kind === CLOSE && payload.byteLength >= 2 && payload.readUInt16BE(0) === CLOSE_UNAUTHORIZED) fail(new FramedRefusal(payload.subarray(2).toString('utf8')));
      else fail(new Error(`${path} answered the handshake with frame kind ${kind}`));
    });
    read(socket, reader);
    socket.once('connect', () => {
      socket.write(frame(HELLO, Buffer.from(JSON.stringify(hello))));
    });
  });
}
