/**
 * Length-prefixed frames over a stream socket (a LocalCluster's unix socket between its scheduler
 * and its own worker processes): the subset of a WebSocket a Comm uses, without `ws`'s HTTP
 * upgrade, masking, and stream plumbing. On the machine measured a ping-pong between two Node
 * processes over a unix socket took ~39 µs with bare writes and ~55 µs through `ws` (README,
 * session 11), and a round trip crosses it twice. Browsers and TCP peers keep WebSocket.
 *
 * A frame is a 5-byte header (kind, then the payload's length as a big-endian uint32) and the
 * payload. Kinds: a fragment of a message, the last fragment of a message (the Comm's parts keep
 * their boundaries, as WebSocket fragments do), close (uint16 code, then the UTF-8 reason), and the
 * handshake's hello (the client's token and request path, JSON) and welcome (empty).
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { CLOSED, CLOSING, OPEN, type CommSocket } from './local-link';
import { MAX_MESSAGE_BYTES } from './shards';

export const FRAGMENT = 0;
export const FINAL = 1;
export const CLOSE = 2;
export const HELLO = 3;
export const WELCOME = 4;
const HEADER = 5;
/** A payload up to this size is copied behind its header and written with it (one system call); larger ones are written from their own memory. */
const COPY_BYTES = 16 * 1024;
/** The close code of a refused token (WebSocket's private range; HTTP 401 in spirit). */
export const CLOSE_UNAUTHORIZED = 4401;

/** One frame: header and payload in one new buffer. */
export function frame(kind: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER + payload.byteLength);
  out[0] = kind;
  out.writeUInt32BE(payload.byteLength, 1);
  out.set(payload, HEADER);
  return out;
}

/** A close frame's payload: the code, then the reason. */
export function closePayload(code: number, reason: string): Buffer {
  const text = Buffer.from(reason);
  const out = Buffer.allocUnsafe(2 + text.byteLength);
  out.writeUInt16BE(code, 0);
  out.set(text, 2);
  return out;
}

/**
 * Cuts a byte stream into frames. Payloads within one received chunk are views of it (Node gives
 * each read its own buffer); a payload spread over chunks is joined once.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Where frames go; the handshake hands the reader on to the FramedSocket by replacing it. */
  constructor(public onFrame: (kind: number, payload: Buffer) => void) {}

  /** Throws on a frame of an unknown kind or beyond the size a message may have. */
  push(chunk: Buffer): void {
    if (this.buffered === 0 && chunk.byteLength >= HEADER) {
      // The usual case: whole frames in one chunk, nothing carried over.
      let at = 0;
      while (chunk.byteLength - at >= HEADER) {
        const length = this.length(chunk, at);
        if (chunk.byteLength - at - HEADER < length) break;
        this.onFrame(chunk[at], chunk.subarray(at + HEADER, at + HEADER + length));
        at += HEADER + length;
      }
      if (at === chunk.byteLength) return;
      chunk = chunk.subarray(at);
    }
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    this.drain();
  }

  private length(buf: Buffer, at: number): number {
    const kind = buf[at];
    if (kind > WELCOME) throw new Error(`unknown frame kind ${kind}`);
    const length = buf.readUInt32BE(at + 1);
    if (length > MAX_MESSAGE_BYTES) throw new Error(`a frame of ${length} bytes is larger than ${MAX_MESSAGE_BYTES}`);
    return length;
  }

  private drain(): void {
    while (this.buffered >= HEADER) {
      const head = this.chunks[0].byteLength >= HEADER ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
      if (head !== this.chunks[0]) this.chunks = [head];
      const length = this.length(head, 0);
      if (this.buffered < HEADER + length) return;
      const all = this.chunks.length === 1 ? head : Buffer.concat(this.chunks, this.buffered);
      const payload = all.subarray(HEADER, HEADER + length);
      const rest = all.subarray(HEADER + length);
      this.chunks = rest.byteLength ? [rest] : [];
      this.buffered = rest.byteLength;
      this.onFrame(all[0], payload);
    }
  }
}

/** A Comm's socket over length-prefixed frames, once the handshake is done. */
export class FramedSocket extends EventEmitter implements CommSocket {
  binaryType: 'nodebuffer' | 'arraybuffer' | 'fragments' = 'fragments';
  private state = OPEN;
  /** Received fragments of the message being read (until its final one). */
  private parts: Uint8Array[] = [];
  /** A message of several fragments is corked from its first to its last. */
  private corked = false;
  private closeCode = 1006;
  private closeReason: Buffer = Buffer.alloc(0);
  /**
   * Messages read before the Comm over this socket can have its handler (frames that came in the
   * handshake's chunk, or before the awaits that wrap the socket are done): delivered, in order,
   * a turn after the handshake.
   */
  private held: Uint8Array[][] | undefined = [];

  /**
   * `socket`: connected, past the handshake; `reader`: the handshake's reader, whose frames from
   * now on are this socket's (bytes already read behind the handshake are not lost).
   */
  constructor(
    private readonly socket: Socket,
    reader: { onFrame: (kind: number, payload: Buffer) => void },
  ) {
    super();
    reader.onFrame = (kind, payload) => this.onFrame(kind, payload);
    socket.on('error', (e) => this.emit('error', e));
    setImmediate(() => {
      const held = this.held ?? [];
      this.held = undefined;
      for (const m of held) if (this.state !== CLOSED) this.emit('message', m, true);
    });
    socket.on('close', () => {
      this.state = CLOSED;
      this.emit('close', this.closeCode, this.closeReason);
    });
  }

  send(data: Uint8Array, opts: { binary: boolean; fin: boolean; owned?: boolean }, cb?: (err?: Error) => void): void {
    if (this.state !== OPEN) {
      if (cb) queueMicrotask(() => cb(new Error('the socket is closed')));
      return;
    }
    const kind = opts.fin ? FINAL : FRAGMENT;
    const done = cb && ((err?: Error | null) => cb(err ?? undefined));
    if (!opts.fin && !this.corked) {
      this.corked = true;
      this.socket.cork();
    }
    if (data.byteLength <= COPY_BYTES) this.socket.write(frame(kind, data), done);
    else {
      // Header and payload in one system call (a `writev`), the payload from its own memory.
      const head = Buffer.allocUnsafe(HEADER);
      head[0] = kind;
      head.writeUInt32BE(data.byteLength, 1);
      if (!this.corked) this.socket.cork();
      this.socket.write(head);
      this.socket.write(data, done);
      if (!this.corked) this.socket.uncork();
    }
    if (opts.fin && this.corked) {
      this.corked = false;
      this.socket.uncork();
    }
  }

  close(code = 1005, reason = ''): void {
    if (this.state !== OPEN) return;
    this.state = CLOSING;
    this.closeCode = code;
    this.closeReason = Buffer.from(reason);
    this.socket.end(frame(CLOSE, closePayload(code, reason)));
  }

  terminate(): void {
    if (this.state === CLOSED) return;
    this.state = CLOSING;
    this.socket.destroy();
  }

  private onFrame(kind: number, payload: Buffer): void {
    if (this.state === CLOSED) return;
    if (kind === FRAGMENT) this.parts.push(payload);
    else if (kind === FINAL) {
      const message = this.parts;
      this.parts = [];
      message.push(payload);
      if (this.held) this.held.push(message);
      else this.emit('message', message, true);
    } else if (kind === CLOSE) {
      if (this.state === OPEN) {
        this.closeCode = payload.byteLength >= 2 ? payload.readUInt16BE(0) : 1005;
        this.closeReason = Buffer.from(payload.subarray(2));
        this.state = CLOSING;
        this.socket.end();
      }
    } else throw new Error(`unexpected frame kind ${kind} after the handshake`);
  }
}
