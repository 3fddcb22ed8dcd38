/**
 * Shared memory sent to each Web Worker once, then by reference (the page's pool, 'shared' mode).
 *
 * Every SharedArrayBuffer (or shared WebAssembly.Memory) that a message carries arrives in the
 * worker as a new object, and Chromium counts each new object's full byte length against the
 * worker's heap limits (V8's "global allocation limit", which includes external memory): a task
 * whose block is a view over an 800 MB arena makes the worker's accounted size grow by 800 MB per
 * message, and about one full mark-compact of the worker's heap followed per task (seen with
 * `--js-flags=--trace-incremental-marking`: "Start (global allocation limit) ... global: 1560MB").
 * Node's worker threads do not collect for it. So the page's side replaces each shared buffer,
 * memory and view over a shared buffer by a small reference, sending the buffer itself only the
 * first time a given worker sees it; the worker keeps what it was sent (one object per buffer,
 * whatever the number of tasks) until the page's object is garbage, when the page tells it to
 * drop it. Only messages that carry shared memory are wrapped; the others go as they are.
 */

/** The key of a reference object (a plain object with this one key set is a reference). */
const REF = '\u0000pdask-shared';
/** The envelope of a message holding references (the worker unwraps it before the runtime sees it). */
const ENVELOPE = 'pdask-shared-refs';
/** Tells a worker to drop buffers whose page-side objects were collected. */
const FORGET = 'pdask-shared-forget';
/** Walks giving up past this many arrays and objects: such a message goes as it is (cloned whole). */
const WALK_BUDGET = 100_000;

type SharedThing = SharedArrayBuffer | WebAssembly.Memory;

const VIEW_KINDS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
} as const;
type ViewKind = keyof typeof VIEW_KINDS;

interface Ref {
  /** The page's id of the buffer or memory. */
  [REF]: number;
  /** For a view: its kind, byte offset and length (in elements; bytes for a DataView). */
  v?: ViewKind;
  o?: number;
  n?: number;
}

/** One message's walk: what is left of the budget, the objects on the current path and those done. */
interface Walk {
  budget: number;
  path: Set<object>;
  done: Map<object, unknown>;
  refs: number;
  /** Buffers this worker does not hold yet: they travel once, in the envelope. */
  fresh: Map<number, SharedThing>;
}

const hasShared = typeof SharedArrayBuffer === 'function';

function isShared(b: unknown): b is SharedArrayBuffer {
  return hasShared && b instanceof SharedArrayBuffer;
}

/** A growable SharedArrayBuffer (ES2024): its views may track its length, so it is sent as it is. */
function growable(b: SharedArrayBuffer): boolean {
  return (b as { growable?: boolean }).growable === true;
}

function sharedMemory(x: object): x is WebAssembly.Memory {
  return typeof WebAssembly === 'object' && x instanceof WebAssembly.Memory && isShared(x.buffer);
}

function viewKind(x: ArrayBufferView): ViewKind | undefined {
  const name = x.constructor?.name as ViewKind | undefined;
  return name !== undefined && Object.hasOwn(VIEW_KINDS, name) && x instanceof VIEW_KINDS[name] ? name : undefined;
}

function isPlain(x: object): boolean {
  const p = Object.getPrototypeOf(x) as unknown;
  return p === Object.prototype || p === null;
}

// ---- the page's side ------------------------------------------------------------------------

/** Whether `x` holds shared memory where the encoder would replace it (budget < 0: gave up). */
function carriesShared(x: unknown, scan: { budget: number }): boolean {
  if (typeof x !== 'object' || x === null) return false;
  if (ArrayBuffer.isView(x)) return isShared(x.buffer);
  if (isShared(x)) return true;
  const array = Array.isArray(x);
  if (!array && !isPlain(x)) return sharedMemory(x);
  if (--scan.budget < 0) return false;
  if (array) {
    for (let i = 0; i < x.length; i++) if (carriesShared(x[i], scan)) return true;
    return false;
  }
  const rec = x as Record<string, unknown>;
  for (const k in rec) if (Object.hasOwn(rec, k) && carriesShared(rec[k], scan)) return true;
  return false;
}

let nextId = 1;
const idOf = new WeakMap<SharedThing, number>();
const senders = new Set<SharedRefSender>();
const collected = new FinalizationRegistry<number>((id) => {
  for (const s of senders) s.forget(id);
});

function idFor(x: SharedThing): number {
  let id = idOf.get(x);
  if (id === undefined) {
    id = nextId++;
    idOf.set(x, id);
    collected.register(x, id);
  }
  return id;
}

/** One worker's sender: knows which buffers that worker already holds. */
export class SharedRefSender {
  private readonly known = new Set<number>();
  private dropped: number[] = [];

  /** `post` sends a control message to the worker (used to tell it what to drop). */
  constructor(private readonly post: (message: unknown) => void) {
    senders.add(this);
  }

  /** The message to post: `message` itself, or an envelope if it carries shared memory. */
  encode(message: unknown): unknown {
    // Most messages (tiny tasks) hold no shared memory: a scan that allocates nothing says so.
    const scan = { budget: WALK_BUDGET };
    if (!carriesShared(message, scan) || scan.budget < 0) return message;
    const walk: Walk = { budget: WALK_BUDGET, path: new Set(), done: new Map(), refs: 0, fresh: new Map() };
    const out = this.enc(message, walk);
    // A message too large to walk, or with a cycle, is sent whole (its buffers cloned as usual).
    if (walk.budget < 0 || walk.refs === 0) return message;
    for (const id of walk.fresh.keys()) this.known.add(id);
    return { t: ENVELOPE, m: out, b: [...walk.fresh] };
  }

  /** The worker is gone: nothing more is sent to it. */
  close(): void {
    senders.delete(this);
    this.known.clear();
  }

  /** @internal the page's object of `id` was collected. */
  forget(id: number): void {
    if (!this.known.delete(id)) return;
    if (this.dropped.length === 0) {
      queueMicrotask(() => {
        const ids = this.dropped;
        this.dropped = [];
        this.post({ t: FORGET, ids });
      });
    }
    this.dropped.push(id);
  }

  private ref(buf: SharedThing, walk: Walk, view?: ArrayBufferView, kind?: ViewKind): Ref {
    const id = idFor(buf);
    walk.refs++;
    const r: Ref = { [REF]: id };
    if (!this.known.has(id) && !walk.fresh.has(id)) walk.fresh.set(id, buf);
    if (view) {
      r.v = kind;
      r.o = view.byteOffset;
      r.n = kind === 'DataView' ? view.byteLength : (view as Float64Array).length;
    }
    return r;
  }

  private enc(x: unknown, walk: Walk): unknown {
    if (typeof x !== 'object' || x === null || walk.budget < 0) return x;
    if (ArrayBuffer.isView(x)) {
      const buf = x.buffer;
      // Growable buffers' views may track the length: sent as they are.
      if (!isShared(buf) || growable(buf)) return x;
      const kind = viewKind(x);
      return kind ? this.ref(buf, walk, x, kind) : x;
    }
    if (isShared(x)) return growable(x) ? x : this.ref(x, walk);
    const array = Array.isArray(x);
    if (!array && !isPlain(x)) return sharedMemory(x) ? this.ref(x, walk) : x;
    if (--walk.budget < 0) return x;
    // An object met twice keeps one copy (structured cloning keeps such sharing); a cycle stops the walk.
    if (walk.done.has(x)) return walk.done.get(x);
    if (walk.path.has(x)) {
      walk.budget = -1;
      return x;
    }
    walk.path.add(x);
    let out: unknown[] | Record<string, unknown> | undefined;
    if (array) {
      for (let i = 0; i < x.length; i++) {
        const y = this.enc(x[i], walk);
        if (y !== x[i]) ((out as unknown[] | undefined) ??= x.slice())[i] = y;
      }
    } else {
      const rec = x as Record<string, unknown>;
      for (const k of Object.keys(rec)) {
        const v = rec[k];
        const y = this.enc(v, walk);
        if (y !== v) ((out as Record<string, unknown> | undefined) ??= { ...rec })[k] = y;
      }
    }
    walk.path.delete(x);
    walk.done.set(x, out ?? x);
    return out ?? x;
  }
}

// ---- the worker's side ----------------------------------------------------------------------

const held = new Map<number, SharedThing>();

function resolve(r: Ref): unknown {
  const id = r[REF];
  const b = held.get(id);
  if (b === undefined) throw new Error(`pdask worker: a message named shared buffer ${id}, which this worker was never sent`);
  if (r.v === undefined) return b;
  const View = VIEW_KINDS[r.v] as new (b: SharedArrayBuffer, offset?: number, length?: number) => ArrayBufferView;
  return new View(b as SharedArrayBuffer, r.o, r.n);
}

function dec(x: unknown, seen: Set<object>): unknown {
  if (typeof x !== 'object' || x === null || ArrayBuffer.isView(x) || seen.has(x)) return x;
  if (Object.hasOwn(x, REF)) return resolve(x as Ref);
  seen.add(x);
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) x[i] = dec(x[i], seen);
  } else if (isPlain(x)) {
    const rec = x as Record<string, unknown>;
    for (const k of Object.keys(rec)) rec[k] = dec(rec[k], seen);
  }
  return x;
}

/** What receiveShared returns for a message it handled itself. */
export const HANDLED: unique symbol = Symbol('pdask.shared-refs.handled');

/**
 * A message as the worker runtime should see it: an envelope's references resolved, or HANDLED
 * for the pool's own "drop these buffers" message.
 */
export function receiveShared(data: unknown): unknown {
  const d = data as { t?: unknown; m?: unknown; b?: [number, SharedThing][]; ids?: number[] } | null;
  if (d === null || typeof d !== 'object') return data;
  if (d.t === ENVELOPE) {
    for (const [id, b] of d.b ?? []) held.set(id, b);
    return dec(d.m, new Set());
  }
  if (d.t === FORGET) {
    for (const id of d.ids ?? []) held.delete(id);
    return HANDLED;
  }
  return data;
}

/** How many shared buffers and memories this worker holds for the page (tests). */
export function heldSharedCount(): number {
  return held.size;
}
