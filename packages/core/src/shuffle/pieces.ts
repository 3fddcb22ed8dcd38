/**
 * The pieces of one shuffle run that landed on a worker, by output and input, within a memory
 * budget: a piece that would take the pieces held in memory past the budget is handed to a spill
 * target (files, on a worker: see execute/threads/shuffle-spill.ts) and read back when its output
 * is unpacked. No I/O here: the spill target does it.
 */

export interface SpillTarget {
  /** Stores a piece out of memory; returns how to find it again. */
  write(piece: unknown): string;
  read(handle: string): unknown;
  remove(handle: string): void;
}

interface Entry {
  piece?: unknown;
  handle?: string;
  bytes: number;
}

export interface PieceStoreOptions {
  /** Bytes of pieces kept in memory; beyond it pieces are spilled (Infinity: never). */
  budget: number;
  sizeOf: (piece: unknown) => number;
  spill?: SpillTarget;
}

export class PieceStore {
  private readonly outputs = new Map<number, Map<number, Entry>>();
  private inMemory = 0;
  /** Pieces written to the spill target, over the store's life. */
  spilled = 0;

  constructor(private readonly opts: PieceStoreOptions) {}

  get bytesInMemory(): number {
    return this.inMemory;
  }

  /** Adds piece `input` of output `output`; a piece sent again (a re-run transfer) replaces the first. */
  add(output: number, input: number, piece: unknown): void {
    let byInput = this.outputs.get(output);
    if (!byInput) this.outputs.set(output, (byInput = new Map()));
    const old = byInput.get(input);
    if (old) this.drop(old);
    const bytes = this.opts.sizeOf(piece);
    const spill = this.opts.spill;
    if (spill && bytes > 0 && this.inMemory + bytes > this.opts.budget) {
      byInput.set(input, { handle: spill.write(piece), bytes });
      this.spilled++;
      return;
    }
    this.inMemory += bytes;
    byInput.set(input, { piece, bytes });
  }

  /** Whether every input's piece of `output` is here. */
  complete(output: number, ninputs: number): boolean {
    return (this.outputs.get(output)?.size ?? 0) === ninputs;
  }

  /**
   * The pieces of `output` in input order, removed from the store. Every input sends a piece to
   * every output (empty ones too), so a missing one means it landed elsewhere: refused loudly.
   */
  take(output: number, ninputs: number): unknown[] {
    const out = this.read(output, ninputs);
    for (const e of this.outputs.get(output)!.values()) this.drop(e);
    this.outputs.delete(output);
    return out;
  }

  /**
   * The pieces of `output` in input order, kept in the store (for a runtime where several tasks
   * may unpack the same output: the pieces go when the run ends, with `clear`). Spilled pieces are
   * read back and stay in their files.
   */
  read(output: number, ninputs: number): unknown[] {
    const byInput = this.outputs.get(output);
    const missing: number[] = [];
    for (let i = 0; i < ninputs; i++) if (!byInput?.has(i)) missing.push(i);
    if (missing.length) {
      const list = missing.length > 8 ? `${missing.slice(0, 8).join(', ')}, … (${missing.length} in all)` : missing.join(', ');
      throw new Error(`p2p shuffle: output ${output} has no piece from input(s) ${list} on this worker (did the scheduler run the shuffle's tasks on workers that cannot reach each other? use the 'tasks' shuffle method there)`);
    }
    const out: unknown[] = new Array(ninputs);
    for (let i = 0; i < ninputs; i++) {
      const e = byInput!.get(i)!;
      out[i] = e.handle === undefined ? e.piece : this.opts.spill!.read(e.handle);
    }
    return out;
  }

  /** Outputs with pieces still here. */
  get pending(): number {
    return this.outputs.size;
  }

  /** Forgets every piece (and removes spilled ones). */
  clear(): void {
    for (const byInput of this.outputs.values()) for (const e of byInput.values()) this.drop(e);
    this.outputs.clear();
  }

  private drop(e: Entry): void {
    if (e.handle !== undefined) this.opts.spill!.remove(e.handle);
    else this.inMemory -= e.bytes;
  }
}
