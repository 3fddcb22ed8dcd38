import { parseReply, type ReplyBody, type ReplyTo, type Request, type RequestOp } from '../protocol/wire';
import type { Comm, Message } from './comm';
import { unref } from './turn';

/** A request as its sender writes it: the id is the Rpc's to add. */
export type Call = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A remote call failed on the other side (the message is the remote error's). */
export class RemoteError extends Error {
  override name = 'RemoteError';
}

/**
 * Request/reply over a Comm: requests carry an `id`; the peer answers `{ op: 'reply', id, ... }`
 * or `{ op: 'reply', id, error }`. Pending calls fail when the connection closes.
 */
export class Rpc {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();

  constructor(private readonly comm: Comm) {
    comm.onClose((reason) => {
      for (const p of this.pending.values()) p.reject(new Error(`Connection to ${comm.peer} lost: ${reason}`));
      this.pending.clear();
    });
  }

  /**
   * Sends a request and checks its reply against the protocol; with `timeoutMs`, fails if no reply
   * came by then (the peer may be hung).
   */
  async request<C extends Call>(msg: C, timeoutMs?: number): Promise<ReplyTo<C['op']>> {
    return parseReply(msg.op, await this.send(msg, timeoutMs)) as ReplyTo<C['op']>;
  }

  private send(msg: Call, timeoutMs?: number): Promise<Message> {
    if (this.comm.isClosed) return Promise.reject(new Error(`Connection to ${this.comm.peer} is closed`));
    const id = this.next++;
    return new Promise<Message>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (): void => {
        if (timer) clearTimeout(timer);
        this.pending.delete(id);
      };
      this.pending.set(id, {
        resolve: (m) => {
          settle();
          resolve(m);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      if (timeoutMs !== undefined && timeoutMs > 0) {
        timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new Error(`No reply from ${this.comm.peer} within ${timeoutMs} ms`));
        }, timeoutMs);
        unref(timer);
      }
      this.comm.send({ ...msg, id });
    });
  }

  /** Handles a reply; false if the message is not one. */
  handle(msg: Message): boolean {
    if (msg.op !== 'reply') return false;
    const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!p) return true;
    this.pending.delete(msg.id as number);
    if (typeof msg.error === 'string') p.reject(new RemoteError(msg.error));
    else p.resolve(msg);
    return true;
  }
}

/** Answers a request with the body the protocol declares for its op. */
export function reply<Op extends RequestOp>(comm: Comm, req: { op: Op; id: number }, body: ReplyBody<Op>): void {
  comm.send({ op: 'reply', id: req.id, ...body });
}

/** Answers a request (any message carrying a numeric id) with the error that stopped it. */
export function replyError(comm: Comm, req: { op: string; id?: unknown }, e: unknown): void {
  if (typeof req.id === 'number') comm.send({ op: 'reply', id: req.id, error: e instanceof Error ? e.message : String(e) });
}
