/**
 * The hash buckets of one numeric key column without a JS value per row: the same FNV-1a hash of
 * the float64 bytes and the same avalanche as hash.ts's hashKey (so both sides of a join, and
 * callers of either, agree on every row's bucket), over typed arrays.
 */
import { DataType, type Vector } from 'apache-arrow';
import { toFloat64 } from './values';

export const isNumberKey = (v: Vector): boolean => {
  const t = v.type as DataType;
  return DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t);
};

export function numberBuckets(v: Vector, n: number): Int32Array {
  const keys = toFloat64(v);
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * keys.length);
  const out = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    // -0 is 0 and every NaN one NaN, as hashKey sees them.
    if (k === 0) keys[i] = 0;
    else if (k !== k) keys[i] = NaN;
    let h = 0x811c9dc5;
    const lo = words[2 * i];
    const hi = words[2 * i + 1];
    h = Math.imul(h ^ (lo & 0xff), 0x01000193);
    h = Math.imul(h ^ ((lo >>> 8) & 0xff), 0x01000193);
    h = Math.imul(h ^ ((lo >>> 16) & 0xff), 0x01000193);
    h = Math.imul(h ^ (lo >>> 24), 0x01000193);
    h = Math.imul(h ^ (hi & 0xff), 0x01000193);
    h = Math.imul(h ^ ((hi >>> 8) & 0xff), 0x01000193);
    h = Math.imul(h ^ ((hi >>> 16) & 0xff), 0x01000193);
    h = Math.imul(h ^ (hi >>> 24), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    out[i] = (h >>> 0) % n;
  }
  return out;
}
