/**
 * Approximate bytes held by a value, for placement (move small things, not big ones) and memory
 * accounting, and of those the bytes in SharedArrayBuffers (another thread of this process reads
 * them in place, so moving the value there copies only the rest). Large arrays and objects are
 * sampled, so the cost stays small. One walk gives both figures (a worker measures every result
 * it makes); a number, string or other non-object costs one typeof check.
 */

// Absent in a page that is not cross-origin isolated: nothing is shared there.
const SAB: typeof SharedArrayBuffer | undefined = (globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer }).SharedArrayBuffer;

/** A value's sizeOf and, of it, its sharedBytesOf: filled by measureInto. */
export interface ValueSizes {
  nbytes: number;
  shared: number;
}

function primitiveSize(v: unknown): number {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 4;
    case 'string':
      return 16 + 2 * v.length;
    case 'undefined':
    case 'object': // null
      return 0;
    default:
      return 16;
  }
}

/** Fills `out` for `v` at `depth`; not re-entered from outside while it runs, so one scratch serves sizeOf/sharedBytesOf. */
function walkSizes(v: unknown, depth: number, out: ValueSizes): void {
  if (typeof v !== 'object' || v === null) {
    out.nbytes = primitiveSize(v);
    out.shared = 0;
    return;
  }
  if (ArrayBuffer.isView(v)) {
    out.nbytes = v.byteLength;
    out.shared = SAB !== undefined && v.buffer instanceof SAB ? v.byteLength : 0;
    return;
  }
  if (v instanceof ArrayBuffer) {
    out.nbytes = v.byteLength;
    out.shared = 0;
    return;
  }
  if (SAB !== undefined && v instanceof SAB) {
    // Counted as an object with no own keys (its bytes are not copied when it moves).
    out.nbytes = depth > 3 ? 64 : 32;
    out.shared = v.byteLength;
    return;
  }
  if (depth > 3) {
    out.nbytes = 64;
    out.shared = 0;
    return;
  }
  if (v instanceof Map || v instanceof Set) {
    out.nbytes = 64 + 48 * v.size;
    out.shared = 0;
    return;
  }
  const isArray = Array.isArray(v);
  const keys = isArray ? undefined : Object.keys(v);
  const n = isArray ? v.length : keys!.length;
  if (isArray && n === 0) {
    out.nbytes = 16;
    out.shared = 0;
    return;
  }
  const sample = Math.min(n, 16);
  let s = 0;
  let sh = 0;
  for (let i = 0; i < sample; i++) {
    walkSizes(isArray ? v[Math.floor((i * n) / sample)] : (v as Record<string, unknown>)[keys![i]], depth + 1, out);
    s += out.nbytes;
    sh += out.shared;
  }
  const scaled = sample ? Math.round((s / sample) * n) : 0;
  out.nbytes = isArray ? 16 + scaled : 32 + scaled + 8 * n;
  out.shared = sample ? Math.round((sh / sample) * n) : 0;
}

/** sizeOf(v) and sharedBytesOf(v) in one walk, into `out` (reused by the caller: no allocation per value). */
export function measureInto(v: unknown, out: ValueSizes): ValueSizes {
  walkSizes(v, 0, out);
  return out;
}

const scratch: ValueSizes = { nbytes: 0, shared: 0 };

export function sizeOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return primitiveSize(v);
  walkSizes(v, 0, scratch);
  return scratch.nbytes;
}

/** Of sizeOf(v), the bytes held in SharedArrayBuffers. */
export function sharedBytesOf(v: unknown): number {
  if (SAB === undefined || typeof v !== 'object' || v === null) return 0;
  walkSizes(v, 0, scratch);
  return scratch.shared;
}
