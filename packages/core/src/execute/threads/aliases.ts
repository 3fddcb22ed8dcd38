import { transferablesOf } from '../transfer';

/**
 * Buffers that must be copied, never moved, between threads: those a task's result shares with
 * one of its inputs. A task may return (part of) its input — a field picked from an object, the
 * input itself, a view on its data — and moving such a buffer out of a worker (a wanted result
 * handed to the caller, a last reader's input handed to a peer) would detach it under the other
 * value still kept there, which a later read or clone then finds empty or fails on.
 */
export class PinnedBuffers {
  private readonly pinned = new WeakSet<ArrayBuffer>();

  /** Pins every movable buffer of the result or an input that the other one also references. */
  noteTask(result: unknown, inputs: readonly unknown[]): void {
    if (inputs.length === 0) return;
    // Tiny tasks on numbers and strings: nothing on either side holds a buffer, and this runs per task.
    if (typeof result !== 'object' || result === null) {
      let objects = false;
      for (let i = 0; i < inputs.length; i++) if (typeof inputs[i] === 'object' && inputs[i] !== null) objects = true;
      if (!objects) return;
    }
    const movableOut = transferablesOf(result);
    const movableIn: ArrayBuffer[] = [];
    for (const x of inputs) transferablesOf(x, movableIn);
    // Nothing either side could move: the common case of plain data costs one shallow scan.
    if (movableOut.length === 0 && movableIn.length === 0) return;
    if (movableOut.length) {
      const out = new Set(movableOut);
      for (const x of inputs) eachBuffer(x, (b) => out.has(b) && this.pinned.add(b));
    }
    if (movableIn.length) {
      const inp = new Set(movableIn);
      eachBuffer(result, (b) => inp.has(b) && this.pinned.add(b));
    }
  }

  /** Removes the pinned buffers from a transfer list (from `start` on): they travel as copies. */
  unpin(transfer: ArrayBuffer[], start = 0): void {
    let w = start;
    for (let r = start; r < transfer.length; r++) if (!this.pinned.has(transfer[r])) transfer[w++] = transfer[r];
    transfer.length = w;
  }
}

/** Deep enough for blocks nested in the objects tasks return; deeper values are never moved. */
const MAX_DEPTH = 4;

/** Every ArrayBuffer viewed anywhere in a value (whole or partial views), through arrays and plain objects. */
function eachBuffer(value: unknown, visit: (b: ArrayBuffer) => void, depth = 0): void {
  if (typeof value !== 'object' || value === null) return;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) visit(value.buffer);
    return;
  }
  if (depth >= MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const x of value) eachBuffer(x, visit, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const x of Object.values(value)) eachBuffer(x, visit, depth + 1);
  }
}
