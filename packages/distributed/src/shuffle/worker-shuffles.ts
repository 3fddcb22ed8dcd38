/**
 * A worker's side of the peer-to-peer shuffle on a cluster (core's ShuffleRuntime). A transfer
 * task sends its pieces straight to the workers owning their outputs over the workers' peer
 * connections (`shuffle-put`: each Arrow buffer or typed array of a piece travels as a raw binary
 * frame of the message, an Arrow Table as its IPC stream: see protocol/codec.ts) and resolves once
 * every owner has stored them; each worker keeps what lands in core's PieceStore, spilling past
 * config `shuffle.memory-budget` to its local directory, and hands an output's pieces to its unpack
 * task (kept, not handed over: two graphs may unpack the same output in tasks fused differently).
 * Runs are announced by the scheduler (scheduler-shuffles.ts); pieces of an older run are dropped,
 * pieces of one not announced yet (a peer's message can overtake the scheduler's) wait for the
 * announcement. A run is dropped (pieces and spill files) when the scheduler ends it (its barrier
 * was released: every unpack reading it is done), when a newer run replaces it, or when the worker
 * is reset or closes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { config, outputsByOwner, parseBytes, PieceStore, sizeOf, installShuffleRuntime, shuffleRuntime, type ShuffleRuntime, type TransferSpec } from '@pdask/core';
import { fetchTimeoutMs, type PeerPool } from '../comm/peers';
import { RemoteError, type Call } from '../comm/rpc';
import type { SchedulerToWorker, ToWorkerPeer } from '../protocol/wire';
import { ShuffleSpill } from './spill';

type RunMessage = Extract<SchedulerToWorker, { op: 'shuffle-run' }>;
type Put = Extract<ToWorkerPeer, { op: 'shuffle-put' }>;

/** How long a transfer whose peer was lost waits for the scheduler to restart the shuffle. */
const STALLED_MS = 120_000;

interface Run {
  readonly id: string;
  readonly run: number;
  readonly workers: readonly string[];
  readonly store: PieceStore;
  readonly spill: ShuffleSpill;
  /** Transfers waiting on a lost peer: failed when the run is dropped (their tasks are cancelled by then). */
  readonly stalled: Set<(why: string) => void>;
  retired: boolean;
}

export interface WorkerShufflesOptions {
  /** This worker's address (as the scheduler names workers in runs). */
  self: () => string;
  peers: PeerPool;
  /** The worker's local directory: spilled pieces go in a directory per run inside it. */
  directory: string;
}

export class WorkerShuffles implements ShuffleRuntime {
  private readonly runs = new Map<string, Run>();
  /** Pieces of runs not announced yet, by shuffle and run. */
  private readonly early = new Map<string, Put[]>();
  /** The newest run dropped, by shuffle: pieces of it or older ones are dropped on arrival. */
  private readonly retired = new Map<string, number>();
  private spilledBefore = 0;

  constructor(private readonly opts: WorkerShufflesOptions) {
    installDispatcher();
  }

  /** Runs `fn` (a task) with this worker as the shuffle runtime of the shuffle operations it calls. */
  scope<T>(fn: () => T): T {
    return current.run(this, fn);
  }

  /** Spill files written by the shuffles of this worker since it started. */
  get spilledFiles(): number {
    let n = this.spilledBefore;
    for (const r of this.runs.values()) n += r.spill.written;
    return n;
  }

  onRun(m: RunMessage): void {
    const id = m.shuffle;
    const old = this.runs.get(id);
    if ((old && old.run >= m.run) || (this.retired.get(id) ?? 0) >= m.run) return;
    if (old) this.retire(old);
    const budget = parseBytes(config.get<number | string>('shuffle.memory-budget', '256MiB'), "config 'shuffle.memory-budget'");
    const spill = new ShuffleSpill(this.opts.directory, `pdask-shuffle-${process.pid}-r${m.run}-`);
    const run: Run = { id, run: m.run, workers: m.workers, spill, store: new PieceStore({ budget, sizeOf, spill }), stalled: new Set(), retired: false };
    this.runs.set(id, run);
    for (const [k, puts] of this.early) {
      if (puts[0].shuffle !== id || puts[0].run > m.run) continue;
      this.early.delete(k);
      if (puts[0].run === m.run) for (const p of puts) this.store(run, p);
    }
  }

  /** Run `upTo` of shuffle `id`, and any older one, is over. */
  onEnd(id: string, upTo: number): void {
    const run = this.runs.get(id);
    if (run && run.run <= upTo) this.retire(run);
    this.retired.set(id, Math.max(upTo, this.retired.get(id) ?? 0));
    for (const [k, puts] of this.early) if (puts[0].shuffle === id && puts[0].run <= upTo) this.early.delete(k);
  }

  /** Pieces from a peer: stored, kept for a run to come, or dropped (an old run's). Returns how many arrived. */
  onPut(m: Put): number {
    if (m.outputs.length !== m.pieces.length) throw new Error(`'shuffle-put': ${m.outputs.length} outputs for ${m.pieces.length} pieces`);
    const run = this.runs.get(m.shuffle);
    if (run && run.run === m.run) this.store(run, m);
    else if ((!run || run.run < m.run) && (this.retired.get(m.shuffle) ?? 0) < m.run) {
      const k = `${m.run}\0${m.shuffle}`;
      let list = this.early.get(k);
      if (!list) this.early.set(k, (list = []));
      list.push(m);
    }
    return m.pieces.length;
  }

  /** Drops every run (the worker is reset or closing). */
  clear(): void {
    for (const run of [...this.runs.values()]) this.retire(run);
    this.early.clear();
  }

  // ---- ShuffleRuntime (called by the shuffle operations) -----------------------------------

  transfer(spec: TransferSpec, pieces: readonly unknown[]): number | Promise<number> {
    const run = this.runs.get(spec.id);
    const self = this.opts.self();
    if (!run) throw new Error(`pdask internal error: p2p shuffle '${spec.id}' has no run on worker ${self}`);
    const waits: Promise<void>[] = [];
    outputsByOwner(spec.nout, run.workers.length).forEach((outs, w) => {
      if (outs.length === 0) return;
      const target = run.workers[w];
      if (target === self) {
        for (const o of outs) run.store.add(o, spec.input, pieces[o]);
        return;
      }
      let bytes = 0;
      for (const o of outs) bytes += sizeOf(pieces[o]);
      waits.push(this.send(run, target, { op: 'shuffle-put', shuffle: spec.id, run: run.run, input: spec.input, outputs: outs, pieces: outs.map((o) => pieces[o]) }, bytes));
    });
    return waits.length ? Promise.all(waits).then(() => run.run) : run.run;
  }

  unpack(id: string, run: number, output: number, ninputs: number): unknown[] {
    const r = this.runs.get(id);
    if (!r || r.run !== run) throw new Error(`p2p shuffle '${id}': run ${run} is not current on worker ${this.opts.self()} (it was restarted or ended)`);
    return r.store.read(output, ninputs);
  }

  // ---- internals ---------------------------------------------------------------------------

  private send(run: Run, target: string, msg: Extract<Call, { op: 'shuffle-put' }>, bytes: number): Promise<void> {
    return this.opts.peers.request(target, msg, fetchTimeoutMs(bytes)).then(
      () => undefined,
      (e: unknown) => {
        const why = e instanceof Error ? e.message : String(e);
        if (e instanceof RemoteError) throw new Error(`p2p shuffle '${msg.shuffle}': worker ${target} could not store the pieces of input ${msg.input}: ${why}`);
        // The owner is unreachable: its removal restarts the shuffle, which cancels this transfer.
        // Failing now would fail the computation before the scheduler has seen the loss: wait.
        return new Promise<void>((_, reject) => {
          const fail = (reason: string): void => {
            clearTimeout(timer);
            run.stalled.delete(fail);
            reject(new Error(`p2p shuffle '${msg.shuffle}': worker ${target} did not store the pieces of input ${msg.input} (${why}); ${reason}`));
          };
          const timer = setTimeout(() => fail(`the shuffle was not restarted within ${STALLED_MS / 1000} s`), STALLED_MS);
          timer.unref();
          if (run.retired) fail('the run was dropped');
          else run.stalled.add(fail);
        });
      },
    );
  }

  private store(run: Run, put: Put): void {
    put.outputs.forEach((o, j) => run.store.add(Number(o), put.input, put.pieces[j]));
  }

  private retire(run: Run): void {
    if (run.retired) return;
    run.retired = true;
    if (this.runs.get(run.id) === run) this.runs.delete(run.id);
    this.retired.set(run.id, Math.max(run.run, this.retired.get(run.id) ?? 0));
    this.spilledBefore += run.spill.written;
    run.store.clear();
    run.spill.close();
    for (const fail of [...run.stalled]) fail('the run was dropped');
  }
}

/**
 * The worker whose task is running: shuffle operations find their runtime through a global (core's
 * shuffleRuntime), and several workers may share a process (LocalCluster({ processes: false })).
 */
const current = new AsyncLocalStorage<WorkerShuffles>();
let installed = false;

function installDispatcher(): void {
  if (installed) return;
  installed = true;
  // Outside a worker's task (the sync scheduler in a process that also hosts workers) the
  // runtime installed before, or core's in-process one, serves.
  const before = shuffleRuntime();
  const runtime = (): ShuffleRuntime => current.getStore() ?? before;
  installShuffleRuntime({
    transfer: (spec, pieces, inputs) => runtime().transfer(spec, pieces, inputs),
    unpack: (id, run, output, ninputs) => runtime().unpack(id, run, output, ninputs),
  });
}
