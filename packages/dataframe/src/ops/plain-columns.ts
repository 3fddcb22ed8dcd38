/**
 * A partition's columns read from, and written to, its buffers without Arrow vectors: building
 * them (decodePart) was about half of a small partition's group-by task (the seed's 2,500 rows),
 * and building them for a small result only to encode them again a fifth of the final task.
 * Only the simple case goes this way: one chunk of int32, float32 or float64 values with no
 * nulls; anything else goes through Arrow (decodePart, encodeBatch) as before.
 */
import type { Part } from './part';
import type { TypeDesc } from './types';

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

/**
 * The partition encodeBatch makes of these columns (numbers, NaN = null), when each is float64, or
 * int32 holding no NaN; undefined otherwise.
 */
export function plainPart(numRows: number, names: readonly string[], columns: readonly { values: string[] | Float64Array; type: TypeDesc }[]): Part | undefined {
  const bufs: (Float64Array | Int32Array)[] = [];
  for (const { values, type } of columns) {
    if (!(values instanceof Float64Array) || values.length !== numRows) return undefined;
    if (type.id === 'float' && type.bits === 64) bufs.push(values);
    else if (type.id === 'int' && type.bits === 32 && type.signed && values.every((v) => v === v)) bufs.push(Int32Array.from(values));
    else return undefined;
  }
  return { numRows, names: [...names], types: columns.map((c) => c.type), chunks: bufs.map((_, j) => [{ length: numRows, nullCount: 0, validity: undefined, values: j }]), bufs };
}
