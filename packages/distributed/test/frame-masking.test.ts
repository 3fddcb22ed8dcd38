import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { MERGED_FRAME_BYTES, openSocket } from '../src/comm/socket-node';
import type { CommSocket } from '../src/comm/local-link';

/** A frame as read off the wire (RFC 6455 §5.2), payload still masked. */
interface RawFrame {
  fin: boolean;
  masked: boolean;
  key: number[];
  payload: Uint8Array;
}

/** Splits the bytes a client wrote into its frames. */
function frames(bytes: Uint8Array): RawFrame[] {
  const out: RawFrame[] = [];
  let at = 0;
  while (at < bytes.length) {
    const fin = (bytes[at] & 0x80) !== 0;
    const masked = (bytes[at + 1] & 0x80) !== 0;
    let len = bytes[at + 1] & 0x7f;
    at += 2;
    if (len === 126) {
      len = (bytes[at] << 8) | bytes[at + 1];
      at += 2;
    } else if (len === 127) {
      len = Number(new DataView(bytes.buffer, bytes.byteOffset + at, 8).getBigUint64(0));
      at += 8;
    }
    const key = masked ? [...bytes.subarray(at, at + 4)] : [];
    if (masked) at += 4;
    out.push({ fin, masked, key, payload: bytes.subarray(at, at + len) });
    at += len;
  }
  return out;
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A bare `ws` server on loopback that records the raw bytes each client writes and the messages `ws` reads from them. */
async function recordingServer(): Promise<{ url: string; raw: Uint8Array[]; messages: Buffer[]; got(n: number): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const raw: Uint8Array[] = [];
  const messages: Buffer[] = [];
  const waiters: (() => void)[] = [];
  wss.on('connection', (ws, req) => {
    // Before ws's own listener, which unmasks the payload in place.
    req.socket.prependListener('data', (d: Buffer) => raw.push(new Uint8Array(d)));
    ws.on('message', (d) => {
      messages.push(d as Buffer);
      for (const w of waiters.splice(0)) w();
    });
  });
  close = () => new Promise<void>((r) => wss.close(() => r()));
  const got = async (n: number): Promise<void> => {
    while (messages.length < n) await new Promise<void>((r) => waiters.push(r));
  };
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, raw, messages, got };
}

describe("a Node peer's frame masking", () => {
  it('masks small frames with a non-zero key (ws then writes header and payload as one buffer) and large ones with the zero key (payload sent from its own memory)', async () => {
    const server = await recordingServer();
    const sock: CommSocket = await openSocket(server.url.replace('ws:', 'tcp:'), server.url, { token: 't', role: 'worker' });
    const small = new Uint8Array(170).map((_, i) => (i * 7 + 3) & 0xff);
    const large = new Uint8Array(MERGED_FRAME_BYTES + 1).map((_, i) => (i * 13 + 1) & 0xff);
    sock.send(small, { binary: true, fin: true });
    sock.send(large, { binary: true, fin: true });
    await server.got(2);
    sock.close();

    // What the server read is exactly what was sent, either way.
    expect(new Uint8Array(server.messages[0])).toEqual(small);
    expect(new Uint8Array(server.messages[1])).toEqual(large);

    const [f1, f2] = frames(new Uint8Array(Buffer.concat(server.raw)));
    expect(f1.masked && f1.fin && f1.payload.length === small.length).toBe(true);
    expect(f1.key.some((b) => b !== 0)).toBe(true);
    // Masked on the wire: payload XOR key is the message.
    expect(f1.payload.map((b, i) => b ^ f1.key[i & 3])).toEqual(small);
    expect(f2.masked && f2.payload.length === large.length).toBe(true);
    expect(f2.key).toEqual([0, 0, 0, 0]);
    expect(f2.payload).toEqual(large);
  });

  it('a frame of exactly the threshold is still merged; text frames are sized in bytes', async () => {
    const server = await recordingServer();
    const sock = (await openSocket(server.url.replace('ws:', 'tcp:'), server.url, { token: 't', role: 'worker' })) as CommSocket & { send(d: string): void };
    const edge = new Uint8Array(MERGED_FRAME_BYTES).fill(0x5a);
    sock.send(edge, { binary: true, fin: true });
    // 'é' is 2 bytes in UTF-8: half the threshold in characters is over it in bytes.
    sock.send('é'.repeat(MERGED_FRAME_BYTES / 2 + 1));
    await server.got(2);
    sock.close();
    const [f1, f2] = frames(new Uint8Array(Buffer.concat(server.raw)));
    expect(f1.key.some((b) => b !== 0)).toBe(true);
    expect(f2.payload.length).toBe(MERGED_FRAME_BYTES + 2);
    expect(f2.key).toEqual([0, 0, 0, 0]);
    expect(server.messages[1].toString('utf8')).toBe('é'.repeat(MERGED_FRAME_BYTES / 2 + 1));
  });
});
