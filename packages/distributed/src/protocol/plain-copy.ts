/**
 * The value a message would be after `encodeMessage` then `decodeMessage`, made without msgpack,
 * for an in-process link. Only for what is plain — strings, numbers, booleans, null, undefined,
 * bigints, arrays and plain objects — and then exactly as the codec would have it (`undefined`
 * becomes null except as the codec's stand-in, -0 becomes 0, every array and object is a fresh
 * copy, an array's holes and extra properties are not kept). Anything else (typed arrays, Tables,
 * Maps, Sets, Errors, Dates, class instances, functions, symbols, a string holding a surrogate
 * (a lone one would not come back as it was; paired ones are left to the encoder too), a `__proto__` key, nesting deeper than the encoder allows) answers `NOT_PLAIN`, and the
 * caller encodes the message as before: the codec stays the one judge of what can be sent and of
 * the error when it cannot.
 */
import { isUndefinedBox } from './codec';

export const NOT_PLAIN: unique symbol = Symbol('not plain');

/** Below msgpack's default `maxDepth` (100): deeper values go to the encoder, which decides. */
const MAX_DEPTH = 90;

const SURROGATE = /[\uD800-\uDFFF]/;

/** A copy as the codec would deliver it, or `NOT_PLAIN`. */
export function copyPlain(value: unknown): unknown {
  return copy(value, 0);
}

function copy(v: unknown, depth: number): unknown {
  switch (typeof v) {
    case 'number':
      // msgpack writes -0 as the integer 0.
      return v === 0 ? 0 : v;
    case 'string':
      // The encoder writes a lone surrogate in a way its decoder does not give back; rather than
      // pair them up here, any string with surrogates (an emoji too) goes to the encoder.
      return SURROGATE.test(v) ? NOT_PLAIN : v;
    case 'boolean':
    case 'bigint':
      return v;
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (v === null) return null;
  if (depth >= MAX_DEPTH) return NOT_PLAIN;
  if (Array.isArray(v)) {
    const n = v.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const x = copy(v[i], depth + 1);
      if (x === NOT_PLAIN) return NOT_PLAIN;
      out[i] = x;
    }
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  if (isUndefinedBox(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    // msgpack's decoder refuses this key (the receiver would close the link as malformed).
    if (k === '__proto__') return NOT_PLAIN;
    const x = copy((v as Record<string, unknown>)[k], depth + 1);
    if (x === NOT_PLAIN) return NOT_PLAIN;
    out[k] = x;
  }
  return out;
}
