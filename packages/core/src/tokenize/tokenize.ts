import { createMd5, type Hasher as Hash } from './hasher';

/** Objects may define how they are tokenized (collections do: by their keys). */
export const tokenizeSymbol = Symbol.for('pdask.tokenize');
export interface Tokenizable {
  [tokenizeSymbol](): unknown;
}

/**
 * A deterministic token of values: equal inputs give equal tokens in any process, so pure tasks
 * get the same key across runs (the basis of caching and shared work). The hash input is a
 * canonical, typed encoding so that e.g. 1 and "1", or [1, 2] and {0: 1, 1: 2}, differ.
 */
export function tokenize(...values: unknown[]): string {
  const h = createMd5();
  const seen = new Set<object>();
  for (const v of values) feed(h, v, seen);
  return h.digest('hex');
}

function feed(h: Hash, v: unknown, seen: Set<object>): void {
  switch (typeof v) {
    case 'number':
      h.update(`n${Object.is(v, -0) ? '-0' : String(v)};`);
      return;
    case 'string':
      h.update(`s${v.length}:`);
      h.update(v);
      return;
    case 'boolean':
      h.update(v ? 'T' : 'F');
      return;
    case 'undefined':
      h.update('u');
      return;
    case 'bigint':
      h.update(`b${v.toString()};`);
      return;
    case 'symbol':
      h.update(`y${v.description ?? ''};`);
      return;
    case 'function': {
      // The source text plus name identifies a self-contained function across processes.
      const src = Function.prototype.toString.call(v);
      h.update(`f${v.name}:${src.length}:`);
      h.update(src);
      return;
    }
    default:
      break;
  }
  if (v === null) {
    h.update('N');
    return;
  }
  const o = v as object;
  if (tokenizeSymbol in o) {
    h.update('t');
    feed(h, (o as Tokenizable)[tokenizeSymbol](), seen);
    return;
  }
  if (seen.has(o)) throw new TypeError('tokenize: cannot tokenize a value that contains itself');
  seen.add(o);
  try {
    if (ArrayBuffer.isView(o)) {
      h.update(`v${o.constructor.name}:${o.byteLength}:`);
      h.update(new Uint8Array(o.buffer, o.byteOffset, o.byteLength));
    } else if (o instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && o instanceof SharedArrayBuffer)) {
      h.update(`B${o.byteLength}:`);
      h.update(new Uint8Array(o));
    } else if (Array.isArray(o)) {
      h.update(`a${o.length}[`);
      for (const x of o) feed(h, x, seen);
      h.update(']');
    } else if (o instanceof Map) {
      // Insertion order matters for Map iteration semantics, so it is kept.
      h.update(`m${o.size}{`);
      for (const [k, x] of o) {
        feed(h, k, seen);
        feed(h, x, seen);
      }
      h.update('}');
    } else if (o instanceof Set) {
      h.update(`S${o.size}{`);
      for (const x of o) feed(h, x, seen);
      h.update('}');
    } else if (o instanceof Date) {
      h.update(`d${o.getTime()};`);
    } else if (o instanceof RegExp) {
      h.update(`r${o.source}/${o.flags};`);
    } else {
      const proto = Object.getPrototypeOf(o);
      const cls = proto === Object.prototype || proto === null ? '' : (proto.constructor?.name ?? '?');
      // Object keys are sorted: {a, b} and {b, a} are the same value.
      const keys = Object.keys(o).sort();
      h.update(`o${cls}:${keys.length}{`);
      for (const k of keys) {
        h.update(`${k.length}:${k}`);
        feed(h, (o as Record<string, unknown>)[k], seen);
      }
      h.update('}');
    }
  } finally {
    seen.delete(o);
  }
}
