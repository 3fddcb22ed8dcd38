/**
 * Input data embedded in the tasks of a batch (a small array's blocks, fused into its tasks as
 * literal arguments) crosses to the worker in shared memory instead of being structured-cloned.
 *
 * Why: postMessage copies a typed array's bytes into the message and the worker copies them out
 * again into fresh buffers, page-faulting both; for the seed case's 160 KB (8 blocks of 20 KB)
 * that was most of the main thread's time on the threads scheduler (a profile: postMessage 45% of
 * its busy time; measured alone, posting 8 x 20 KB blocks costs 10-50x posting them as views on
 * shared memory). One fresh SharedArrayBuffer per batch, filled with one copy, crosses by
 * reference; the worker reads the blocks in place. It lives as long as anything references it
 * (a result may be a view on its input), like any buffer. The caller's objects are never changed:
 * objects and arrays on the way to a typed array are copied shallowly.
 *
 * Only where SharedArrayBuffer exists ('shared' mode), and only for batches carrying at least
 * SHARE_MIN_BYTES (below that, cloning costs less than a fresh shared allocation).
 */
import { mainPlatform } from '#platform';
import type { WireRun } from './batch-wire';

export const SHARE_MIN_BYTES = 32 * 1024;
/** How deep into a literal's plain objects and arrays typed arrays are looked for. */
const MAX_DEPTH = 4;

/** A typed array (any element type). */
type View = ArrayBufferView & { readonly length: number };

function isPlain(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/**
 * A typed array that owns a whole ordinary ArrayBuffer (a view on part of one is left to the
 * clone, which carries its whole buffer: code reading around the view sees what it saw before).
 */
function movable(v: ArrayBufferView): v is View {
  return !(v instanceof DataView) && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength;
}

/** Collects the movable typed arrays inside `v` (plain objects and arrays only), once each. */
function collect(v: unknown, depth: number, into: Set<View>): void {
  if (typeof v !== 'object' || v === null) return;
  if (ArrayBuffer.isView(v)) {
    if (movable(v)) into.add(v);
    return;
  }
  if (depth >= MAX_DEPTH) return;
  if (Array.isArray(v)) for (const x of v) collect(x, depth + 1, into);
  else if (isPlain(v)) for (const k in v) collect((v as Record<string, unknown>)[k], depth + 1, into);
}

/** Copies into one shared buffer, 8-byte aligned (any typed array's alignment); one copy per array (identity kept). */
class Arena {
  private offset = 0;
  private readonly copies = new Map<View, View>();
  constructor(private readonly buffer: SharedArrayBuffer) {}
  copy(v: View): View {
    let out = this.copies.get(v);
    if (out !== undefined) return out;
    const C = v.constructor as new (b: SharedArrayBuffer, o: number, n: number) => View;
    out = new C(this.buffer, this.offset, v.length);
    this.offset += (v.byteLength + 7) & ~7;
    (out as unknown as { set(a: View): void }).set(v);
    this.copies.set(v, out);
    return out;
  }
}

/** `v` with its movable typed arrays replaced by copies in the arena (copy on write). */
function rehome(v: unknown, arena: Arena, depth: number): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (ArrayBuffer.isView(v)) return movable(v) ? arena.copy(v) : v;
  if (depth >= MAX_DEPTH) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = rehome(v[i], arena, depth + 1);
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  if (!isPlain(v)) return v;
  let out: Record<string, unknown> | undefined;
  for (const k in v) {
    const x0 = (v as Record<string, unknown>)[k];
    const x = rehome(x0, arena, depth + 1);
    if (x !== x0) (out ??= { ...(v as Record<string, unknown>) })[k] = x;
  }
  return out ?? v;
}

type Visit = (holder: unknown[], i: number) => void;

/** Visits the literal payloads of the node whose items are enc[from, end) (see wire.ts): `fn(holder, index)`. */
function eachLiteral(enc: unknown[], from: number, end: number, fn: Visit): void {
  switch (enc[from]) {
    case 1:
      fn(enc, from + 2);
      return;
    case 2:
      for (const m of enc[from + 2] as unknown[][]) eachLiteral(m, 0, m.length, fn);
      return;
    default:
      eachArgLiteral(enc, from + 3, end, fn);
  }
}

function eachArgLiteral(flat: unknown[], from: number, end: number, fn: Visit): void {
  for (let i = from; i < end; i += 2) {
    const tag = flat[i];
    if (tag === 0) fn(flat, i + 1);
    else if (tag === 2) {
      const inner = flat[i + 1] as unknown[];
      eachArgLiteral(inner, 0, inner.length, fn);
    } else if (tag === 3) {
      const inner = flat[i + 1] as unknown[];
      // [name, tag, payload, ...]
      for (let j = 0; j < inner.length; j += 3) {
        if (inner[j + 1] === 0) fn(inner, j + 2);
        else if (inner[j + 1] === 2) {
          const items = inner[j + 2] as unknown[];
          eachArgLiteral(items, 0, items.length, fn);
        }
      }
    }
  }
}

/** Visits every literal of a batch's tasks (see batch-wire.ts). */
function eachRunLiteral(run: WireRun, fn: Visit): void {
  for (let i = 0; i < run.values.length; i++) fn(run.values, i);
  for (const node of run.nodes) eachLiteral(node, 0, node.length, fn);
}

/**
 * Moves the typed arrays embedded in a batch's tasks (see batch-wire.ts) into one shared buffer,
 * when they add up to SHARE_MIN_BYTES or more. Changes only the batch's lists and encoded arrays
 * (made for this message), never the caller's values.
 */
export function shareEmbeddedInputs(run: WireRun): void {
  if (mainPlatform.mode() !== 'shared') return;
  let views: Set<View> | undefined;
  const found = (holder: unknown[], i: number): void => {
    const v = holder[i];
    if (typeof v === 'object' && v !== null) collect(v, 0, (views ??= new Set()));
  };
  eachRunLiteral(run, found);
  if (views === undefined) return;
  let bytes = 0;
  for (const v of views) bytes += (v.byteLength + 7) & ~7;
  if (bytes < SHARE_MIN_BYTES) return;
  const arena = new Arena(new SharedArrayBuffer(bytes));
  const move = (holder: unknown[], i: number): void => {
    const v = holder[i];
    if (typeof v === 'object' && v !== null) holder[i] = rehome(v, arena, 0);
  };
  eachRunLiteral(run, move);
}
