/**
 * Values on the wire: msgpack, extended for what task results hold. Typed arrays travel as raw
 * bytes (one extension per element type), so a Float64Array chunk is copied once into the frame on
 * the way out and once into an aligned buffer on the way in: never turned into text. Maps, Sets and
 * `undefined` keep their identity (plain msgpack would turn them into objects, arrays and null).
 */
import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';

const TYPED: readonly [number, { new (b: ArrayBuffer): ArrayBufferView; name: string; BYTES_PER_ELEMENT: number }][] = [
  [1, Float64Array],
  [2, Float32Array],
  [3, Int32Array],
  [4, Uint32Array],
  [5, Int16Array],
  [6, Uint16Array],
  [7, Int8Array],
  [8, Uint8ClampedArray],
  [9, BigInt64Array],
  [10, BigUint64Array],
];
const EXT_MAP = 20;
const EXT_SET = 21;
const EXT_UNDEFINED = 22;
const EXT_ERROR = 23;
const EXT_BIGINT = 24;

/** A stand-in for `undefined`, which msgpack cannot carry as itself. */
const UNDEFINED_BOX = Object.freeze({ __pdaskUndefined: true });

const codec = new ExtensionCodec();
for (const [type, Ctor] of TYPED) {
  codec.register({
    type,
    encode: (x) => (x instanceof Ctor ? new Uint8Array(x.buffer, x.byteOffset, x.byteLength) : null),
    // The frame's bytes are not aligned for the element type: one copy into a fresh buffer.
    // (`new Uint8Array(view)` copies; Buffer.slice would not.)
    decode: (data) => new Ctor(new Uint8Array(data).buffer),
  });
}
codec.register({
  type: EXT_MAP,
  encode: (x) => (x instanceof Map ? encode([...x.entries()].flat()) : null),
  decode: (data) => {
    const flat = decode(data) as unknown[];
    const m = new Map<unknown, unknown>();
    for (let i = 0; i < flat.length; i += 2) m.set(flat[i], flat[i + 1]);
    return m;
  },
});
codec.register({
  type: EXT_SET,
  encode: (x) => (x instanceof Set ? encode([...x]) : null),
  decode: (data) => new Set(decode(data) as unknown[]),
});
codec.register({
  type: EXT_UNDEFINED,
  encode: (x) => (x === UNDEFINED_BOX ? new Uint8Array(0) : null),
  decode: () => undefined,
});
// Any size of bigint, as its decimal digits (msgpack's own int64 would truncate).
codec.register({
  type: EXT_BIGINT,
  encode: (x) => (typeof x === 'bigint' ? new TextEncoder().encode(x.toString()) : null),
  decode: (data) => BigInt(new TextDecoder().decode(data)),
});
codec.register({
  type: EXT_ERROR,
  encode: (x) => (x instanceof Error ? encode([x.name, x.message, x.stack ?? '']) : null),
  decode: (data) => {
    const [name, message, stack] = decode(data) as string[];
    const e = new Error(message);
    e.name = name;
    e.stack = stack;
    return e;
  },
});

// Extensions encode nested values: each nesting level gets its own encoder (the outer one's
// buffer is in use), and decoders likewise.
const encoders: Encoder<undefined>[] = [];
const decoders: Decoder<undefined>[] = [];
let depth = 0;
let ddepth = 0;

/** Replaces `undefined` inside arrays and plain objects (one level deep is enough for results). */
function boxUndefined(v: unknown, level = 0): unknown {
  if (v === undefined) return UNDEFINED_BOX;
  if (level > 0 || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    if (!v.includes(undefined)) return v;
    return v.map((x) => (x === undefined ? UNDEFINED_BOX : x));
  }
  return v;
}

/** Encodes one value or message. */
export function encode(value: unknown): Uint8Array {
  depth++;
  try {
    // A fresh encoder per nesting level: the outer one's buffer is in use.
    const e = (encoders[depth] ??= new Encoder({ extensionCodec: codec, useBigInt64: false }));
    return e.encode(boxUndefined(value));
  } finally {
    depth--;
  }
}

export function decode(bytes: Uint8Array): unknown {
  ddepth++;
  try {
    const d = (decoders[ddepth] ??= new Decoder({ extensionCodec: codec, useBigInt64: false }));
    return d.decode(bytes);
  } finally {
    ddepth--;
  }
}

/** Wraps a task result so that a top-level or element `undefined` survives the wire. */
export function boxValue(v: unknown): unknown {
  return boxUndefined(v);
}
