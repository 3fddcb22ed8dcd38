import { config } from '@pdask/core';
import type { ReplyTo } from '../protocol/wire';
import { Rpc, type Call } from './rpc';
import { connect } from './connect';
import type { Comm } from './comm';
import type { TlsMaterial } from './security';

/**
 * How long to wait for `bytes` from a peer: the base request timeout, plus the time the bytes take
 * at a conservative bandwidth (a 1 GiB value must not time out where a 1 KiB one should).
 */
export function fetchTimeoutMs(bytes: number): number {
  const base = config.get<number>('distributed.comm.timeouts.request-ms', 30_000);
  const bandwidth = config.get<number>('distributed.comm.timeouts.min-bandwidth', 10e6);
  return Math.ceil(base + (bytes > 0 && bandwidth > 0 ? (bytes / bandwidth) * 1000 : 0));
}

/** A request given up because the scheduler removed the peer (hung, or cut off). */
export class PeerAbandonedError extends Error {
  override name = 'PeerAbandonedError';
}

/** Connections to other workers (for inputs) or to workers from a client (gather, scatter). */
export class PeerPool {
  private readonly conns = new Map<string, Promise<{ comm: Comm; rpc: Rpc }>>();
  /** Requests in flight, by peer: failed at once when the peer is abandoned. */
  private readonly inFlight = new Map<string, Set<(e: Error) => void>>();

  constructor(
    private readonly token: string,
    private readonly role: string,
    private readonly tls?: TlsMaterial,
  ) {}

  private get(address: string): Promise<{ comm: Comm; rpc: Rpc }> {
    let p = this.conns.get(address);
    if (!p) {
      p = connect(address, { token: this.token, role: this.role, tls: this.tls, timeoutMs: 5000 }).then((comm) => {
        const rpc = new Rpc(comm);
        comm.onMessage((m) => rpc.handle(m));
        comm.onClose(() => {
          if (this.conns.get(address) === p) this.conns.delete(address);
        });
        return { comm, rpc };
      });
      this.conns.set(address, p);
      p.catch(() => {
        if (this.conns.get(address) === p) this.conns.delete(address);
      });
    }
    return p;
  }

  /** A request to a peer; fails after `timeoutMs` (default: the base request timeout) or when the peer is abandoned. */
  request<C extends Call>(address: string, msg: C, timeoutMs = fetchTimeoutMs(0)): Promise<ReplyTo<C['op']>> {
    return new Promise<ReplyTo<C['op']>>((resolve, reject) => {
      let waiters = this.inFlight.get(address);
      if (!waiters) this.inFlight.set(address, (waiters = new Set()));
      const w = waiters;
      w.add(reject);
      const done = (): void => {
        w.delete(reject);
        if (w.size === 0 && this.inFlight.get(address) === w) this.inFlight.delete(address);
      };
      this.get(address)
        .then(({ rpc }) => rpc.request(msg, timeoutMs))
        .then(resolve, reject)
        .finally(done);
    });
  }

  /** The peer is gone for good (the scheduler removed it): fail its requests now and drop the connection. */
  abandon(address: string, reason: string): void {
    const waiters = this.inFlight.get(address);
    this.inFlight.delete(address);
    if (waiters) for (const reject of waiters) reject(new PeerAbandonedError(`Gave up on ${address}: ${reason}`));
    this.forget(address);
  }

  forget(address: string): void {
    const p = this.conns.get(address);
    this.conns.delete(address);
    p?.then((c) => c.comm.close('forgotten'), () => undefined);
  }

  closeAll(): void {
    for (const p of this.conns.values()) p.then((c) => c.comm.close('closing'), () => undefined);
    this.conns.clear();
  }
}
