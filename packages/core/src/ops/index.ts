/**
 * Built-in operations of @pdask/core, importable by workers as `@pdask/core/ops`. Each is
 * registered with defineOp so the calling thread resolves it without an import.
 */
import { defineOp } from './registry';

export const CORE_OPS = '@pdask/core/ops';

/** `obj[index]` — Delayed indexing and destructuring of `nout` results. */
export const getitem = defineOp(CORE_OPS, 'getitem', (obj: unknown, index: string | number): unknown => {
  if (obj === null || obj === undefined) throw new TypeError(`Cannot index ${obj} with ${JSON.stringify(index)}`);
  if (typeof index === 'number' && index < 0 && typeof (obj as { length?: unknown }).length === 'number') {
    return (obj as ArrayLike<unknown>)[(obj as ArrayLike<unknown>).length + index];
  }
  return (obj as Record<string | number, unknown>)[index];
});

/** Returns its argument: aliases, and Delayed values that only assemble containers. */
export const identity = defineOp(CORE_OPS, 'identity', <T>(x: T): T => x);

/** Calls a method of an object: `obj[name](...args)`. */
export const callMethod = defineOp(CORE_OPS, 'callMethod', (obj: unknown, name: string, ...args: unknown[]): unknown => {
  const m = (obj as Record<string, unknown>)?.[name];
  if (typeof m !== 'function') throw new TypeError(`${typeof obj} has no method '${name}'`);
  return (m as (...a: unknown[]) => unknown).apply(obj, args);
});

/** Applies a function to arguments given as one array (used by collections' finalizers). */
export const apply = defineOp(CORE_OPS, 'apply', (fn: (...a: unknown[]) => unknown, args: unknown[]): unknown => fn(...args));
