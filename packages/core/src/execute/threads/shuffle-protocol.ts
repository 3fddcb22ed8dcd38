/**
 * Messages of the peer-to-peer shuffle on the threads executor: the pool announces each run of a
 * shuffle to every worker (which workers own which outputs), and workers hand pieces to each other
 * over their peer ports, each batch acknowledged once stored.
 */

/** Main thread to worker: run `run` of shuffle `id` starts (a newer run replaces an older one). */
export interface ShuffleRunMessage {
  readonly t: 'shuffle-run';
  readonly cid: number;
  readonly id: string;
  readonly run: number;
  /** Worker ids, sorted: output o belongs to workers[ownerIndex(o, nout, workers.length)]. */
  readonly workers: readonly number[];
  /** Bytes of pieces a worker keeps in memory for this run before spilling to `dir`. */
  readonly budget: number;
  /** Where spilled pieces go (a directory per run is made inside it). */
  readonly dir: string;
}

export type ShufflePeerMessage =
  | {
      readonly t: 'shuffle-put';
      readonly cid: number;
      readonly id: string;
      readonly run: number;
      readonly input: number;
      /** The outputs of `pieces`, pairwise. */
      readonly outputs: readonly number[];
      readonly pieces: readonly unknown[];
      readonly req: number;
    }
  | { readonly t: 'shuffle-ack'; readonly req: number; readonly error?: string };

export const isShufflePeerMessage = (m: { readonly t: string }): m is ShufflePeerMessage => m.t === 'shuffle-put' || m.t === 'shuffle-ack';
