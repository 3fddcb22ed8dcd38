/**
 * An in-process link: a client connecting to a scheduler listening in the same process (a
 * LocalCluster's) gets a pair of these sockets instead of a loopback WebSocket. Messages are still
 * encoded and decoded by the Comm on either end (values are copied as on the wire, and a value that
 * cannot be encoded is refused the same way); only the kernel round trip, the WebSocket framing and
 * masking, and a turn of the event loop's poll phase are skipped — two of the six hops of a
 * submit→result round trip. A batch of plain values (see `copyPlain`) skips msgpack too: it is
 * copied as the codec would deliver it and handed to the other end's `onBatch`; any other batch is
 * encoded and decoded as over a socket.
 */
import { EventEmitter } from 'node:events';
import { config } from '@pdask/core';
import { tokenMatches } from './security';

/** What a Comm needs of its socket: the subset of `ws`'s WebSocket that it uses. */
export interface CommSocket {
  binaryType: 'nodebuffer' | 'arraybuffer' | 'fragments';
  /** An in-process link (no system call per message). */
  readonly inProcess?: boolean;
  on(event: 'message', fn: (data: Uint8Array | ArrayBuffer | Uint8Array[], isBinary: boolean) => void): unknown;
  /** `reason`: a Buffer from `ws`, a string from a browser's WebSocket. */
  on(event: 'close', fn: (code: number, reason: Buffer | string) => void): unknown;
  on(event: 'error', fn: (e: Error) => void): unknown;
  /** `owned`: `data` was made for this message and is not used again by the sender (an in-process link need not copy it). */
  send(data: Uint8Array, opts: { binary: boolean; fin: boolean; owned?: boolean }, cb?: (err?: Error) => void): void;
  /**
   * Hands over a batch as values (an in-process link): `batch` must already be the receiver's own
   * copy, which its `onBatch` is given, in order with the link's messages and its close.
   */
  sendBatch?(batch: unknown[]): void;
  /** Receives what the other end's `sendBatch` hands over (set by the Comm). */
  onBatch?: (batch: unknown[]) => void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

/** States of a CommSocket of ours (this link's ends, framed-socket.ts's sockets). */
export const OPEN = 0;
export const CLOSING = 1;
export const CLOSED = 2;

/** One end of an in-process link. */
export class LocalSocket extends EventEmitter implements CommSocket {
  binaryType: 'nodebuffer' | 'arraybuffer' | 'fragments' = 'fragments';
  readonly inProcess = true;
  onBatch?: (batch: unknown[]) => void;
  private peer!: LocalSocket;
  private state = OPEN;
  /** Fragments of the message being sent (until the one with `fin`). */
  private parts: Buffer[] = [];

  /** Two connected ends. */
  static pair(): [LocalSocket, LocalSocket] {
    const a = new LocalSocket();
    const b = new LocalSocket();
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  send(data: Uint8Array, opts: { binary: boolean; fin: boolean; owned?: boolean }, cb?: (err?: Error) => void): void {
    if (this.state !== OPEN) {
      if (cb) queueMicrotask(() => cb(new Error('the in-process link is closed')));
      return;
    }
    // A copy unless the sender gave it up: frames are views over the sender's memory, and the
    // receiver builds its values as views over what it is given (as over a received buffer).
    this.parts.push(opts.owned ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data));
    if (!opts.fin) return;
    const message = this.parts;
    this.parts = [];
    const to = this.peer;
    // After the current turn's code, in order with the link's other messages and its close.
    queueMicrotask(() => {
      if (to.state !== CLOSED) to.emit('message', message, true);
      cb?.();
    });
  }

  sendBatch(batch: unknown[]): void {
    if (this.state !== OPEN) return;
    const to = this.peer;
    queueMicrotask(() => {
      if (to.state !== CLOSED) to.onBatch?.(batch);
    });
  }

  close(code = 1005, reason = ''): void {
    if (this.state !== OPEN) return;
    this.state = CLOSING;
    // Messages already sent are delivered first (they were queued before this).
    queueMicrotask(() => {
      this.finish(code, reason);
      this.peer.finish(code, reason);
    });
  }

  terminate(): void {
    if (this.state === CLOSED) return;
    this.state = CLOSING;
    queueMicrotask(() => {
      this.finish(1006, '');
      this.peer.finish(1006, '');
    });
  }

  private finish(code: number, reason: string): void {
    if (this.state === CLOSED) return;
    this.state = CLOSED;
    this.emit('close', code, Buffer.from(reason));
  }
}

type Accept = (socket: LocalSocket, role: string) => void;

/** Listeners in this process that accept in-process links, by the address they publish. */
const listeners = new Map<string, { token: string; accept: Accept; open: Set<LocalSocket> }>();

/** Registers a listener for in-process links; returns what closes them all and unregisters it. */
export function acceptInProcess(address: string, token: string, accept: Accept): () => void {
  const entry = { token, accept, open: new Set<LocalSocket>() };
  listeners.set(address, entry);
  return () => {
    if (listeners.get(address) === entry) listeners.delete(address);
    for (const s of entry.open) s.terminate();
    entry.open.clear();
  };
}

/**
 * The client's end of an in-process link to the listener at `address`, if one is in this process
 * (and config `distributed.comm.in-process` is on); `refused` when the token is wrong.
 */
export function connectInProcess(address: string, token: string, role: string): LocalSocket | 'refused' | undefined {
  const l = listeners.get(address);
  if (!l || !config.get<boolean>('distributed.comm.in-process', true)) return undefined;
  if (!tokenMatches(l.token, token)) return 'refused';
  const [mine, theirs] = LocalSocket.pair();
  l.open.add(theirs);
  theirs.on('close', () => l.open.delete(theirs));
  l.accept(theirs, role);
  return mine;
}
