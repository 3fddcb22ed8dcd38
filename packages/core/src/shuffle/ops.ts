/**
 * The shuffle's operations (catalogued in core's ops as shuffleTransfer, shuffleBarrier,
 * shuffleUnpack, shuffleAnchor): thin, the work is the runtime's (see runtime.ts).
 */
import { shuffleRuntime } from './runtime';
import type { TransferSpec } from './tasks';

const isThenable = (x: unknown): x is PromiseLike<unknown> => typeof (x as { then?: unknown } | null)?.then === 'function';

/** Splits one input with `split(...args)` into one piece per output and sends the pieces; returns the run. */
export function shuffleTransfer(spec: TransferSpec, split: (...args: unknown[]) => unknown, ...args: unknown[]): number | Promise<number> {
  const send = (pieces: unknown): number | Promise<number> => {
    if (!Array.isArray(pieces) || pieces.length !== spec.nout) {
      throw new TypeError(`p2p shuffle '${spec.id}': the split of input ${spec.input} returned ${Array.isArray(pieces) ? `${pieces.length} pieces` : typeof pieces}, expected an array of ${spec.nout} (one per output)`);
    }
    return shuffleRuntime().transfer(spec, pieces, args);
  };
  const pieces = split(...args);
  return isThenable(pieces) ? Promise.resolve(pieces).then(send) : send(pieces);
}

/** Every transfer has landed its pieces: the run they belong to (the same for all). */
export function shuffleBarrier(id: string, runs: readonly number[]): number {
  const run = runs[0];
  for (const r of runs) if (r !== run) throw new Error(`pdask internal error: the transfers of shuffle '${id}' belong to different runs (${[...new Set(runs)].join(', ')})`);
  return run;
}

/** The pieces of one output, on the worker that owns it. */
export function shuffleUnpack(run: number, id: string, output: number, ninputs: number): unknown[] {
  return shuffleRuntime().unpack(id, run, output, ninputs);
}

/** A second input of the barrier and the unpacks, so that fusion keeps them apart (see tasks.ts). */
export function shuffleAnchor(id: string): string {
  return id;
}
