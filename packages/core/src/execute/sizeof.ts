/**
 * Approximate bytes held by a value, for placement (move small things, not big ones) and memory
 * accounting. Large arrays and objects are sampled, so the cost stays small.
 */
export function sizeOf(v: unknown, depth = 0): number {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 4;
    case 'string':
      return 16 + 2 * v.length;
    case 'undefined':
      return 0;
    case 'object':
      break;
    default:
      return 16;
  }
  if (v === null) return 0;
  if (ArrayBuffer.isView(v)) return v.byteLength;
  if (v instanceof ArrayBuffer) return v.byteLength;
  if (depth > 3) return 64;
  if (Array.isArray(v)) {
    const n = v.length;
    if (n === 0) return 16;
    const sample = Math.min(n, 16);
    let s = 0;
    for (let i = 0; i < sample; i++) s += sizeOf(v[Math.floor((i * n) / sample)], depth + 1);
    return 16 + Math.round((s / sample) * n);
  }
  if (v instanceof Map || v instanceof Set) return 64 + 48 * v.size;
  const keys = Object.keys(v);
  const sample = Math.min(keys.length, 16);
  let s = 0;
  for (let i = 0; i < sample; i++) s += sizeOf((v as Record<string, unknown>)[keys[i]], depth + 1);
  return 32 + (sample ? Math.round((s / sample) * keys.length) : 0) + 8 * keys.length;
}

// Absent in a page that is not cross-origin isolated: nothing is shared there.
const SAB: typeof SharedArrayBuffer | undefined = (globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer }).SharedArrayBuffer;

/**
 * Of sizeOf(v), the bytes held in SharedArrayBuffers: another thread of this process reads those
 * in place, so moving the value there copies only the rest. Sampled as sizeOf samples.
 */
export function sharedBytesOf(v: unknown, depth = 0): number {
  if (SAB === undefined || typeof v !== 'object' || v === null) return 0;
  if (ArrayBuffer.isView(v)) return v.buffer instanceof SAB ? v.byteLength : 0;
  if (v instanceof SAB) return v.byteLength;
  if (depth > 3 || v instanceof ArrayBuffer || v instanceof Map || v instanceof Set) return 0;
  if (Array.isArray(v)) {
    const n = v.length;
    const sample = Math.min(n, 16);
    let s = 0;
    for (let i = 0; i < sample; i++) s += sharedBytesOf(v[Math.floor((i * n) / sample)], depth + 1);
    return sample ? Math.round((s / sample) * n) : 0;
  }
  const keys = Object.keys(v);
  const sample = Math.min(keys.length, 16);
  let s = 0;
  for (let i = 0; i < sample; i++) s += sharedBytesOf((v as Record<string, unknown>)[keys[i]], depth + 1);
  return sample ? Math.round((s / sample) * keys.length) : 0;
}

/** A result's sizeOf and, of it, its sharedBytesOf: filled by measureInto. */
export interface ValueSizes {
  nbytes: number;
  shared: number;
}

/**
 * sizeOf(v) and sharedBytesOf(v) in one walk (a worker measures every result it makes, and walked
 * each twice), into `out`, which the caller reuses: no allocation per result. A number, string or
 * other non-object costs one typeof check.
 */
export function measureInto(v: unknown, out: ValueSizes): ValueSizes {
  if (typeof v !== 'object' || v === null) {
    out.nbytes = sizeOf(v);
    out.shared = 0;
    return out;
  }
  walkSizes(v, 0, out);
  return out;
}

function walkSizes(v: unknown, depth: number, out: ValueSizes): void {
  if (typeof v !== 'object' || v === null) {
    out.nbytes = sizeOf(v, depth);
    out.shared = 0;
    return;
  }
  // The cases in the order sizeOf and sharedBytesOf test them, giving exactly their figures.
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
    // sizeOf sees an object with no own keys.
    out.nbytes = depth > 3 ? 64 : 32;
    out.shared = v.byteLength;
    return;
  }
  if (depth > 3) {
    out.nbytes = 64;
    out.shared = 0;
    return;
  }
  if (Array.isArray(v)) {
    const n = v.length;
    if (n === 0) {
      out.nbytes = 16;
      out.shared = 0;
      return;
    }
    const sample = Math.min(n, 16);
    let s = 0;
    let sh = 0;
    for (let i = 0; i < sample; i++) {
      walkSizes(v[Math.floor((i * n) / sample)], depth + 1, out);
      s += out.nbytes;
      sh += out.shared;
    }
    out.nbytes = 16 + Math.round((s / sample) * n);
    out.shared = SAB === undefined ? 0 : Math.round((sh / sample) * n);
    return;
  }
  if (v instanceof Map || v instanceof Set) {
    out.nbytes = 64 + 48 * v.size;
    out.shared = 0;
    return;
  }
  const keys = Object.keys(v);
  const sample = Math.min(keys.length, 16);
  let s = 0;
  let sh = 0;
  for (let i = 0; i < sample; i++) {
    walkSizes((v as Record<string, unknown>)[keys[i]], depth + 1, out);
    s += out.nbytes;
    sh += out.shared;
  }
  out.nbytes = 32 + (sample ? Math.round((s / sample) * keys.length) : 0) + 8 * keys.length;
  out.shared = SAB === undefined || !sample ? 0 : Math.round((sh / sample) * keys.length);
}
