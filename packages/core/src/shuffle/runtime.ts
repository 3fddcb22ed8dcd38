/**
 * Where shuffle tasks find the machinery that moves pieces. A worker of the threads executor
 * installs its shuffle service (execute/threads/shuffle-service.ts); elsewhere (the sync
 * executor, in the caller's thread) one in-process runtime serves: every piece lands in the same
 * place, as with a single worker. The runtime is found through a global symbol because the
 * operations may run from another bundle of this package than the one that installed it.
 */
import { sizeOf } from '../execute/sizeof';
import { PieceStore } from './pieces';
import type { TransferSpec } from './tasks';

export interface ShuffleRuntime {
  /**
   * Sends the pieces of one input (piece o for output o) to the owners of their outputs; resolves
   * to the run they belong to once every piece has landed. `inputs` are the split's arguments:
   * buffers they hold must be copied, not moved, since other tasks may still read them.
   */
  transfer(spec: TransferSpec, pieces: readonly unknown[], inputs: readonly unknown[]): number | Promise<number>;
  /** The pieces of `output` that landed here in run `run`, in input order (one per input). */
  unpack(id: string, run: number, output: number, ninputs: number): unknown[];
}

const KEY = Symbol.for('pdask.shuffle.runtime');
type Holder = { [KEY]?: ShuffleRuntime };

export function installShuffleRuntime(runtime: ShuffleRuntime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

/** The runtime of this thread: an installed one, or the in-process one. */
export function shuffleRuntime(): ShuffleRuntime {
  return (globalThis as Holder)[KEY] ?? localRuntime;
}

/** Every piece stays in this process: a shuffle on one worker (the sync executor). */
class LocalShuffleRuntime implements ShuffleRuntime {
  private readonly runs = new Map<string, { run: number; store: PieceStore; taken: number }>();
  private nextRun = 1;

  transfer(spec: TransferSpec, pieces: readonly unknown[]): number {
    let r = this.runs.get(spec.id);
    if (!r) this.runs.set(spec.id, (r = { run: this.nextRun++, store: new PieceStore({ budget: Infinity, sizeOf }), taken: 0 }));
    pieces.forEach((p, o) => r.store.add(o, spec.input, p));
    return r.run;
  }

  unpack(id: string, run: number, output: number, ninputs: number): unknown[] {
    const r = this.runs.get(id);
    if (!r || r.run !== run) throw new Error(`p2p shuffle '${id}': run ${run} is not known in this thread (its pieces were made elsewhere; use the 'tasks' shuffle method with this scheduler)`);
    const out = r.store.take(output, ninputs);
    if (r.store.pending === 0) this.runs.delete(id);
    return out;
  }
}

const localRuntime = new LocalShuffleRuntime();
