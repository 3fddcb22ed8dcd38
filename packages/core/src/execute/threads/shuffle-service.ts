/**
 * A worker thread's side of the peer-to-peer shuffle. A transfer task's pieces go straight to the
 * workers owning their outputs over the peer ports (buffers moved, not copied, when nothing else
 * here uses them); each worker keeps what lands in a PieceStore (spilling past the run's budget)
 * and hands an output's pieces to its unpack task. Runs are announced by the pool (see
 * shuffle-coordinator.ts); pieces of a run older than the current one are dropped, pieces of one
 * not yet announced (the peer port can overtake the pool's) wait for its announcement.
 */
import type { MessagePort } from 'node:worker_threads';
import { sizeOf } from '../sizeof';
import { outputsByOwner } from '../../shuffle/assign';
import { PieceStore } from '../../shuffle/pieces';
import { installShuffleRuntime, type ShuffleRuntime } from '../../shuffle/runtime';
import type { TransferSpec } from '../../shuffle/tasks';
import { FileSpill } from './shuffle-spill';
import { processId } from '../../platform/node-builtins';
import type { ShufflePeerMessage, ShuffleRunMessage } from './shuffle-protocol';

type Put = Extract<ShufflePeerMessage, { t: 'shuffle-put' }>;

interface Run {
  readonly msg: ShuffleRunMessage;
  readonly store: PieceStore;
  readonly spill: FileSpill;
}

/** Buffers a value holds (typed arrays owning their whole buffer), searched a few levels deep. */
function buffersOf(value: unknown, out: Set<ArrayBuffer>, depth = 0): Set<ArrayBuffer> {
  if (typeof value !== 'object' || value === null || depth > 6) return out;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
    return out;
  }
  if (Array.isArray(value)) for (const x of value) buffersOf(x, out, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const x of Object.values(value)) buffersOf(x, out, depth + 1);
  return out;
}

/** Runs by computation and shuffle: two computations may run the same shuffle at once. */
const runKey = (cid: number, id: string): string => `${cid}:${id}`;

export class ShuffleService implements ShuffleRuntime {
  private readonly runs = new Map<string, Run>();
  /** The computation of the task running now (set by the worker before each task). */
  current = -1;
  /** Pieces of runs not announced yet, by run. */
  private readonly early = new Map<number, Put[]>();
  /** Runs replaced or ended: their pieces are dropped on arrival. */
  private readonly retired = new Set<number>();
  private readonly acks = new Map<number, { peer: number; resolve: () => void; reject: (e: Error) => void }>();
  private nextReq = 0;
  private spilledFiles = 0;
  private spilledBytes = 0;

  constructor(
    private readonly self: number,
    private readonly peers: ReadonlyMap<number, MessagePort>,
  ) {
    installShuffleRuntime(this);
  }

  onRun(msg: ShuffleRunMessage): void {
    const key = runKey(msg.cid, msg.id);
    const old = this.runs.get(key);
    if (old) this.retire(old);
    const spill = new FileSpill(msg.dir, `pdask-shuffle-${processId()}-w${this.self}-r${msg.run}-`);
    const run: Run = { msg, spill, store: new PieceStore({ budget: msg.budget, sizeOf, spill }) };
    this.runs.set(key, run);
    const waiting = this.early.get(msg.run);
    this.early.delete(msg.run);
    for (const put of waiting ?? []) this.store(run, put);
  }

  /** Handles a shuffle message from a peer; false for other messages. */
  onPeer(from: MessagePort, msg: { readonly t: string }): msg is ShufflePeerMessage {
    if (msg.t === 'shuffle-ack') {
      const m = msg as Extract<ShufflePeerMessage, { t: 'shuffle-ack' }>;
      const a = this.acks.get(m.req);
      this.acks.delete(m.req);
      if (m.error === undefined) a?.resolve();
      else a?.reject(new Error(m.error));
      return true;
    }
    if (msg.t !== 'shuffle-put') return false;
    const put = msg as Put;
    let error: string | undefined;
    try {
      const run = this.runs.get(runKey(put.cid, put.id));
      if (run && run.msg.run === put.run) this.store(run, put);
      else if (!this.retired.has(put.run) && (!run || run.msg.run < put.run)) {
        let list = this.early.get(put.run);
        if (!list) this.early.set(put.run, (list = []));
        list.push(put);
      }
    } catch (e) {
      // A spill that failed (disk full): the transfer fails with the reason.
      error = `p2p shuffle: worker ${this.self} could not store pieces of '${put.id}': ${e instanceof Error ? e.message : String(e)}`;
    }
    from.postMessage({ t: 'shuffle-ack', req: put.req, error } satisfies ShufflePeerMessage);
    return true;
  }

  /** A peer is gone: pieces it has not acknowledged never will be (the pool restarts the shuffle). */
  peerLost(peer: number): void {
    for (const [req, a] of this.acks) {
      if (a.peer !== peer) continue;
      this.acks.delete(req);
      a.reject(new Error(`p2p shuffle: worker ${peer} was lost before it stored the pieces sent to it`));
    }
  }

  endComputation(cid: number): void {
    for (const [key, run] of this.runs) {
      if (run.msg.cid !== cid) continue;
      this.runs.delete(key);
      this.retire(run);
    }
    for (const [r, puts] of this.early) if (puts[0]?.cid === cid) this.early.delete(r);
  }

  stats(): { shuffleRuns: number; shuffleSpilledFiles: number; shuffleSpilledBytes: number; shuffleBytesInMemory: number } {
    let bytes = 0;
    for (const r of this.runs.values()) bytes += r.store.bytesInMemory;
    const runs = [...this.runs.values()];
    return {
      shuffleRuns: this.runs.size,
      shuffleSpilledFiles: this.spilledFiles + runs.reduce((a, r) => a + r.spill.written, 0),
      shuffleSpilledBytes: this.spilledBytes + runs.reduce((a, r) => a + r.spill.bytesWritten, 0),
      shuffleBytesInMemory: bytes,
    };
  }

  // ---- ShuffleRuntime (called by the shuffle operations) -----------------------------------

  transfer(spec: TransferSpec, pieces: readonly unknown[], inputs: readonly unknown[]): Promise<number> {
    const run = this.runs.get(runKey(this.current, spec.id));
    if (!run) throw new Error(`pdask internal error: p2p shuffle '${spec.id}' has no run on worker ${this.self}`);
    const { workers, cid, run: runId } = run.msg;
    const groups = outputsByOwner(spec.nout, workers.length);
    // A buffer may move to a peer only if this worker keeps no other use of it: not the input's
    // (other tasks may read it), not one kept here or sent to two peers.
    const inputBufs = buffersOf(inputs, new Set());
    const uses = new Map<ArrayBuffer, number>();
    const bufsOf = groups.map((outs) => buffersOf(outs.map((o) => pieces[o]), new Set()));
    for (const set of bufsOf) for (const b of set) uses.set(b, (uses.get(b) ?? 0) + 1);
    const waits: Promise<void>[] = [];
    groups.forEach((outs, w) => {
      if (outs.length === 0) return;
      const target = workers[w];
      if (target === this.self) {
        for (const o of outs) {
          const p = pieces[o];
          // Kept here past this task: it must not share buffers with the input, which may move.
          const shared = [...buffersOf(p, new Set())].some((b) => inputBufs.has(b));
          run.store.add(o, spec.input, shared ? structuredClone(p) : p);
        }
        return;
      }
      const port = this.peers.get(target);
      if (!port) {
        // Its loss restarts the shuffle; meanwhile this transfer fails (after the other sends).
        waits.push(Promise.reject(new Error(`p2p shuffle '${spec.id}': worker ${target} is gone`)));
        return;
      }
      const transfer: ArrayBuffer[] = [];
      for (const b of bufsOf[w]) if (uses.get(b) === 1 && !inputBufs.has(b) && b.byteLength > 0) transfer.push(b);
      const req = this.nextReq++;
      waits.push(new Promise<void>((resolve, reject) => this.acks.set(req, { peer: target, resolve, reject })));
      const msg: ShufflePeerMessage = { t: 'shuffle-put', cid, id: spec.id, run: runId, input: spec.input, outputs: outs, pieces: outs.map((o) => pieces[o]), req };
      port.postMessage(msg, transfer);
    });
    return Promise.all(waits).then(() => runId);
  }

  unpack(id: string, run: number, output: number, ninputs: number): unknown[] {
    const r = this.runs.get(runKey(this.current, id));
    if (!r || r.msg.run !== run) throw new Error(`p2p shuffle '${id}': run ${run} is not current on worker ${this.self} (it was restarted or ended)`);
    return r.store.take(output, ninputs);
  }

  // ---- internals ---------------------------------------------------------------------------

  private store(run: Run, put: Put): void {
    put.outputs.forEach((o, j) => run.store.add(o, put.input, put.pieces[j]));
  }

  private retire(run: Run): void {
    this.retired.add(run.msg.run);
    this.spilledFiles += run.spill.written;
    this.spilledBytes += run.spill.bytesWritten;
    run.store.clear();
    run.spill.close();
  }
}
