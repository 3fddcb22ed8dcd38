/**
 * A partition's column read straight from its buffers, without building Arrow vectors: building
 * them (decodePart) was about half of a small partition's group-by task (the seed's 2,500 rows).
 * Only the simple case is read this way: one chunk of int32, float32 or float64 values with no
 * nulls; anything else goes through decodePart as before.
 */
import type { Part } from './part';

export type PlainValues = Int32Array | Float32Array | Float64Array;

/** Column `name` of `p` as its typed array (a view, no copy), or undefined when it is not that simple. */
export function plainColumn(p: Part, name: string): PlainValues | undefined {
  const i = p.names.indexOf(name);
  if (i < 0) return undefined;
  const chunks = p.chunks[i];
  if (chunks.length !== 1) return undefined;
  const m = chunks[0];
  if (m.nullCount > 0 || m.values === undefined || m.validity !== undefined) return undefined;
  const t = p.types[i];
  const buf = p.bufs[m.values];
  const ok =
    (t.id === 'float' && (t.bits === 64 ? buf instanceof Float64Array : buf instanceof Float32Array)) ||
    (t.id === 'int' && t.bits === 32 && t.signed && buf instanceof Int32Array);
  if (!ok || (buf as PlainValues).length < m.length) return undefined;
  return (buf as PlainValues).subarray(0, m.length);
}
