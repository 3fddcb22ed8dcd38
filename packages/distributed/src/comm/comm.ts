/**
 * One open connection, on any platform: batched sends, decoded batches in. Messages sent in the
 * same turn of the event loop leave together (Dask's BatchedSend), which is what makes 100,000s of
 * tiny task messages per second affordable. A batch is a msgpack header plus one binary part per
 * typed array / Arrow table in it (see `encodeMessage`): the parts are sent as fragments of the one
 * WebSocket message, each straight from its own memory, and received as fragments, so parts are not
 * joined into one buffer on arrival. A batch larger than a shard (config
 * `distributed.comm.shard-bytes`, 64 MiB) goes out as several WebSocket messages, one at a time
 * (see shards.ts). The socket under it is `ws`'s (Node), an in-process link, or a browser's
 * WebSocket behind an adapter (socket-browser.ts): this module imports none of them.
 */
import { decodeMessage, encodeMessage } from '../protocol/codec';
import { copyPlain, NOT_PLAIN } from '../protocol/plain-copy';
import { DEFAULT_SHARD_BYTES, ShardAssembler, splitIntoShards } from './shards';
import type { CommSocket } from './local-link';
import { nextTurn, unref } from './turn';

/** What a socket hands over as one received message: whole, or as its fragments. */
type RawData = Uint8Array | ArrayBuffer | Uint8Array[];

export type Message = { op: string } & Record<string, unknown>;

function toParts(data: RawData): Uint8Array[] {
  if (Array.isArray(data)) return data;
  if (data instanceof ArrayBuffer) return [new Uint8Array(data)];
  return [data];
}

/**
 * Connections that were sent messages while a received batch was being handled: they are flushed
 * as soon as that handling ends, so a reply leaves in the same turn (no `setImmediate` hop, one
 * write for everything the batch caused), and nothing is scheduled for a later turn.
 */
// A list is enough: a Comm is listed only when it becomes `scheduled`, so at most once per flush.
const dirty: Comm[] = [];
/** Depth of received batches being handled (a handler never receives synchronously, but be safe). */
let receiving = 0;

/** Jobs for the end of the received batch being handled (see `whenBatchEnds`). */
const batchEndJobs: (() => void)[] = [];

/**
 * Runs `fn` when the received batch being handled ends, before that batch's replies leave (so what
 * it sends leaves with them); false, and nothing queued, when no batch is being handled.
 */
export function whenBatchEnds(fn: () => void): boolean {
  if (receiving === 0) return false;
  batchEndJobs.push(fn);
  return true;
}

/**
 * Runs each listed item in order, including any listed while running. The items run are taken off
 * the list in one truncation when it returns or throws (a shift per item is O(n)), so one that
 * throws is off the list and the rest stay listed. Not re-entrant for one list (a nested drain would
 * run the items before `done` again); neither caller can nest, as batches arrive asynchronously.
 */
export function drainInOrder<T>(list: T[], run: (item: T) => void): void {
  let done = 0;
  try {
    while (done < list.length) run(list[done++]!);
  } finally {
    list.splice(0, done);
  }
}

function flushDirty(): void {
  drainInOrder(dirty, (c) => c.flush());
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

  /** Over an in-process link a batch costs no system call: it leaves at the end of the microtasks, not a turn later. */
  private readonly local: boolean;
  private readonly flushNow = (): void => this.flush();

  /** `shard`: batches larger than this go out as several WebSocket messages. */
  constructor(
    readonly ws: CommSocket,
    private readonly shard: number = DEFAULT_SHARD_BYTES,
  ) {
    this.local = ws.inProcess === true;
    ws.binaryType = 'fragments';
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    if (ws.sendBatch) ws.onBatch = (batch) => this.handle(batch);
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
    if (this.scheduled) return;
    this.scheduled = true;
    if (receiving > 0) dirty.push(this);
    else if (this.local) queueMicrotask(this.flushNow);
    else nextTurn(this.flushNow);
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
    if (this.ws.sendBatch && !this.writing) {
      // In process: the copy the codec would deliver, without msgpack (or, if the batch holds
      // anything but plain values, encoded as below: the codec decides what can be sent).
      const copy = copyPlain(batch);
      if (copy !== NOT_PLAIN) {
        this.ws.sendBatch(copy as unknown[]);
        return;
      }
    }
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
      this.sendMessage(parts, true);
      return;
    }
    // Shards (or a batch behind them) go one WebSocket message at a time, in order.
    if (size <= this.shard) this.outbox.push(parts);
    else for (const m of splitIntoShards(parts, this.shard)) this.outbox.push(m);
    this.pump();
  }

  /**
   * Sends one WebSocket message; fragments let each part go out without being copied into one
   * buffer. `fresh`: the first part is the prefix `encodeMessage` made for it (an in-process link
   * then keeps it uncopied; a shard's parts may be views of the caller's arrays).
   */
  private sendMessage(parts: readonly Uint8Array[], fresh: boolean, done?: (err?: Error) => void): void {
    try {
      const last = parts.length - 1;
      for (let i = 0; i <= last; i++) this.ws.send(parts[i], { binary: true, fin: i === last, owned: fresh && i === 0 }, i === last ? done : undefined);
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
    this.sendMessage(next, false, (err) => {
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
      unref(setTimeout(() => this.finishClose(reason), 30_000));
      return;
    }
    this.finishClose(reason);
  }

  private finishClose(reason: string): void {
    if (this.closed) return;
    this.ws.close(1000, reason.slice(0, 120));
    // A peer that does not answer the closing handshake is cut off.
    unref(setTimeout(() => this.ws.terminate(), 1000));
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
      unref(setTimeout(() => this.ws.terminate(), 200));
      return;
    }
    this.handle(batch as unknown[]);
  }

  /** Hands each message of a received batch to the handler; replies leave when it is done. */
  private handle(batch: unknown[]): void {
    if (this.closed) return;
    receiving++;
    try {
      for (const m of batch) {
        if (this.closed) return;
        if (typeof m !== 'object' || m === null || typeof (m as Message).op !== 'string') {
          this.send({ op: 'error', message: 'malformed message: expected an object with an "op" string' });
          continue;
        }
        this.onMsg(m as Message);
      }
    } finally {
      try {
        // Still receiving: what the jobs send joins the replies flushed below.
        if (receiving === 1) drainInOrder(batchEndJobs, (job) => job());
      } finally {
        if (--receiving === 0) flushDirty();
      }
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
