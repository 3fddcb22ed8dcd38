/**
 * Buffers that can be moved (not copied) to another thread along with a value: typed arrays that
 * own a whole, non-shared ArrayBuffer, at the top level or one level inside arrays and objects.
 * Shared buffers are never listed: they already cross threads without a copy.
 */
export function transferablesOf(value: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (typeof value !== 'object' || value === null) return out;
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    if (buf instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buf.byteLength && !out.includes(buf)) {
      out.push(buf);
    }
    return out;
  }
  if (depth >= 1) return out;
  if (Array.isArray(value)) {
    for (const x of value) transferablesOf(x, out, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const x of Object.values(value)) transferablesOf(x, out, depth + 1);
  }
  return out;
}
