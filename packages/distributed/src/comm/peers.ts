import { config } from '@pdask/core';
import type { ReplyTo } from '../protocol/wire';
import { Rpc, type Call } from './rpc';
import { connect, type Comm } from './transport';
import type { TlsMaterial } from './security';

/** Connections to other workers (for inputs) or to workers from a client (gather, scatter). */
export class PeerPool {
  private readonly conns = new Map<string, Promise<{ comm: Comm; rpc: Rpc }>>();

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

  async request<C extends Call>(address: string, msg: C): Promise<ReplyTo<C['op']>> {
    const { rpc } = await this.get(address);
    return rpc.request(msg, config.get<number>('distributed.comm.timeouts.request-ms', 30_000));
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
