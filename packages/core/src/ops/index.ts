/**
 * Built-in operations of @pdask/core, importable by workers as `@pdask/core/ops` (importing this
 * module registers them).
 */
import { defineCatalogue } from './registry';
import { shuffleAnchor, shuffleBarrier, shuffleTransfer, shuffleUnpack } from '../shuffle/ops';

export const coreOps = defineCatalogue('@pdask/core/ops', {
  /** `obj[index]` — Delayed indexing and destructuring of `nout` results. */
  getitem: (obj: unknown, index: string | number): unknown => {
    if (obj === null || obj === undefined) throw new TypeError(`Cannot index ${obj} with ${JSON.stringify(index)}`);
    if (typeof index === 'number' && index < 0 && typeof (obj as { length?: unknown }).length === 'number') {
      return (obj as ArrayLike<unknown>)[(obj as ArrayLike<unknown>).length + index];
    }
    return (obj as Record<string | number, unknown>)[index];
  },
  /** Returns its argument: aliases, and Delayed values that only assemble containers. */
  identity: <T>(x: T): T => x,
  /** Calls a method of an object: `obj[name](...args)`. */
  callMethod: (obj: unknown, name: string, ...args: unknown[]): unknown => {
    const m = (obj as Record<string, unknown>)?.[name];
    if (typeof m !== 'function') throw new TypeError(`${typeof obj} has no method '${name}'`);
    return (m as (...a: unknown[]) => unknown).apply(obj, args);
  },
  /** Applies a function to arguments given as one array (used by collections' finalizers). */
  apply: (fn: (...a: unknown[]) => unknown, args: unknown[]): unknown => fn(...args),
  /** The value of a tree reduction's only input, when there is nothing to combine. */
  first: (parts: readonly unknown[]): unknown => parts[0],
  // The peer-to-peer shuffle (shuffle/tasks.ts builds the tasks, shuffle/ops.ts has the work).
  shuffleTransfer,
  shuffleBarrier,
  shuffleUnpack,
  shuffleAnchor,
});
