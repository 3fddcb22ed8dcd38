/**
 * The unix socket between a LocalCluster's scheduler and its workers speaks length-prefixed frames
 * (framed-socket.ts), not WebSocket: the bytes on the wire, the token check, messages of several
 * parts both ways, and what a malformed stream does.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, ConnectionRefusedError, listen, type Comm, type Listener, type Message } from '../src/comm/transport';
import { FrameReader } from '../src/comm/framed-socket';
import { decodeMessage, encodeMessage } from '../src/protocol/codec';

const TOKEN = 'framed-secret';
let listener: Listener | undefined;
const opened: Comm[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) c.close();
  await listener?.close();
  listener = undefined;
});

let n = 0;
/** A listener whose unix socket echoes every message back as `{ op: 'echo', got }`; returns the socket's path. */
async function echoListener(): Promise<string> {
  const socketPath = join(tmpdir(), `pdask-framed-test-${process.pid}-${n++}.sock`);
  listener = await listen({
    token: TOKEN,
    socketPath,
    onConnection: (comm, role) => comm.onMessage((m) => comm.send({ op: 'echo', role, got: m })),
  });
  return socketPath;
}

/** A frame built by hand: kind, big-endian uint32 length, payload. */
function rawFrame(kind: number, payload: Uint8Array): Buffer {
  const head = Buffer.from([kind, 0, 0, 0, 0]);
  head.writeUInt32BE(payload.byteLength, 1);
  return Buffer.concat([head, payload]);
}

/** A raw connection that collects every byte it receives. */
async function rawClient(path: string): Promise<{ socket: Socket; bytes(): Buffer; until(n: number): Promise<Buffer>; ended: Promise<void> }> {
  const socket = netConnect(path);
  await new Promise<void>((r, j) => socket.once('connect', r).once('error', j));
  const chunks: Buffer[] = [];
  const waiters: (() => void)[] = [];
  socket.on('data', (d: Buffer) => {
    chunks.push(d);
    for (const w of waiters.splice(0)) w();
  });
  const ended = new Promise<void>((r) => socket.once('close', () => r()));
  const bytes = (): Buffer => Buffer.concat(chunks);
  const until = async (n: number): Promise<Buffer> => {
    while (bytes().byteLength < n) await new Promise<void>((r) => waiters.push(r));
    return bytes();
  };
  return { socket, bytes, until, ended };
}

const hello = (token: string): Buffer => rawFrame(3, Buffer.from(JSON.stringify({ token, path: '/?role=worker' })));

describe('a listener unix socket', () => {
  it('welcomes a hello with the token, then exchanges msgpack batches in frames', async () => {
    const path = await echoListener();
    const c = await rawClient(path);
    c.socket.write(hello(TOKEN));
    // The welcome: kind 4, empty payload.
    expect([...(await c.until(5))]).toEqual([4, 0, 0, 0, 0]);
    const [head] = encodeMessage([{ op: 'ping', n: 7 }]);
    c.socket.write(rawFrame(1, head));
    const got = await c.until(10);
    await c.until(10 + got.readUInt32BE(6));
    const reply = c.bytes().subarray(5);
    expect(reply[0]).toBe(1);
    const length = reply.readUInt32BE(1);
    expect(reply.byteLength).toBe(5 + length);
    expect(decodeMessage([reply.subarray(5)])).toEqual([{ op: 'echo', role: 'worker', got: { op: 'ping', n: 7 } }]);
    c.socket.destroy();
  });

  it('closes with code 4401 for a wrong token, and connect() says the token was refused', async () => {
    const path = await echoListener();
    const c = await rawClient(path);
    c.socket.write(hello('not-the-token'));
    await c.ended;
    const b = c.bytes();
    expect(b[0]).toBe(2);
    expect(b.readUInt32BE(1)).toBe(b.byteLength - 5);
    expect(b.readUInt16BE(5)).toBe(4401);
    expect(b.subarray(7).toString()).toMatch(/Unauthorized/);
    const refused = connect('tcp://127.0.0.1:1', { token: 'not-the-token', role: 'worker', socketPath: path });
    await expect(refused).rejects.toBeInstanceOf(ConnectionRefusedError);
    await expect(refused).rejects.toThrow(/wrong or missing authentication token/);
  });

  it('drops a connection whose first frame is not a hello, and keeps accepting others', async () => {
    const path = await echoListener();
    const c = await rawClient(path);
    c.socket.write(rawFrame(1, encodeMessage([{ op: 'ping' }])[0]));
    await c.ended;
    expect(c.bytes().byteLength).toBe(0);
    const comm = await connect('tcp://127.0.0.1:1', { token: TOKEN, role: 'client', socketPath: path });
    opened.push(comm);
    const got = new Promise<Message>((r) => comm.onMessage(r));
    comm.send({ op: 'ping', n: 1 });
    expect(await got).toEqual({ op: 'echo', role: 'client', got: { op: 'ping', n: 1 } });
  });

  it('carries a batch of several parts (a large and a small typed array) both ways', async () => {
    const path = await echoListener();
    const comm = await connect('tcp://127.0.0.1:1', { token: TOKEN, role: 'worker', socketPath: path });
    opened.push(comm);
    const big = new Float64Array(5000);
    for (let i = 0; i < big.length; i++) big[i] = i * 0.5;
    const got = new Promise<Message>((r) => comm.onMessage(r));
    comm.send({ op: 'data', big, small: Int32Array.of(1, -2, 3) });
    const m = await got;
    const echoed = m.got as { big: Float64Array; small: Int32Array };
    expect(echoed.big).toBeInstanceOf(Float64Array);
    expect(echoed.big.length).toBe(5000);
    // 0.5 * (0 + 1 + ... + 4999)
    expect(echoed.big.reduce((a, b) => a + b, 0)).toBe(0.5 * ((4999 * 5000) / 2));
    expect(echoed.big[4999]).toBe(2499.5);
    expect([...echoed.small]).toEqual([1, -2, 3]);
  });

  it('ends a connection that sends a frame of an unknown kind; the comm reports it closed', async () => {
    const path = await echoListener();
    const c = await rawClient(path);
    c.socket.write(hello(TOKEN));
    await c.until(5);
    c.socket.write(rawFrame(9, Buffer.from([1, 2, 3])));
    await c.ended;
    const comm = await connect('tcp://127.0.0.1:1', { token: TOKEN, role: 'worker', socketPath: path });
    opened.push(comm);
    const closed = new Promise<string>((r) => comm.onClose(r));
    comm.close('done here');
    expect(await closed).toBe('done here');
  });
});

describe('FrameReader', () => {
  const bytes = Buffer.concat([rawFrame(0, Buffer.from([10, 11])), rawFrame(1, Buffer.from([])), rawFrame(2, Buffer.from([0x03, 0xe8, 0x68, 0x69]))]);
  const expected = [
    [0, [10, 11]],
    [1, []],
    [2, [0x03, 0xe8, 0x68, 0x69]],
  ];

  it('gives the same frames however the stream is cut', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      for (const step of [1, 2, 3, 7, bytes.length]) {
        const got: [number, number[]][] = [];
        const r = new FrameReader((kind, payload) => got.push([kind, [...payload]]));
        r.push(bytes.subarray(0, cut));
        for (let at = cut; at < bytes.length; at += step) r.push(bytes.subarray(at, Math.min(bytes.length, at + step)));
        expect(got).toEqual(expected);
      }
    }
  });

  it('refuses an unknown kind and a length beyond the largest message', () => {
    expect(() => new FrameReader(() => undefined).push(rawFrame(7, Buffer.from([1])))).toThrow(/unknown frame kind 7/);
    const huge = Buffer.from([1, 0xff, 0xff, 0xff, 0xff]);
    expect(() => new FrameReader(() => undefined).push(huge)).toThrow(/larger than/);
  });
});
