/**
 * Values on the wire. A message travels as a msgpack *header* followed by raw binary *frames*:
 * every typed array, ArrayBuffer and apache-arrow Table in the value is replaced in the header by
 * a small placeholder (frame index, type name, byte length), and its bytes go out as a frame of
 * their own — a typed array's frame is a view over its memory (no copy on the way out), a Table's
 * frame is its Arrow IPC stream. On the way in, typed arrays are rebuilt as views over the received
 * frames (copied only when a frame's offset is not aligned to the element size) and Tables are
 * read with `tableFromIPC`. See `encodeMessage` / `decodeMessage`.
 *
 * `encode` / `decode` make one self-contained buffer instead (used to spill to disk): there typed
 * arrays are msgpack extensions holding their raw bytes, and Tables hold their IPC bytes.
 * Maps, Sets and `undefined` keep their identity (plain msgpack would turn them into objects,
 * arrays and null).
 */
import { Decoder, Encoder, ExtensionCodec, type ExtensionCodecType } from '@msgpack/msgpack';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';

type TypedCtor = { new (b: ArrayBuffer, byteOffset?: number, length?: number): ArrayBufferView; name: string; BYTES_PER_ELEMENT: number };

const TYPED: readonly [number, TypedCtor][] = [
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
/** Element types that travel as frames, by name (Uint8Array too: in a framed message it is a frame). */
const FRAME_TYPES = new Map<string, TypedCtor>([...TYPED.map(([, C]) => [C.name, C] as [string, TypedCtor]), ['Uint8Array', Uint8Array]]);
/** Type 0: msgpack tries extensions in order of type, and frames must win over the inline ones. */
const EXT_FRAME = 0;
const EXT_ARROW = 31;
const EXT_ARRAYBUFFER = 32;
const EXT_MAP = 20;
const EXT_SET = 21;
const EXT_UNDEFINED = 22;
const EXT_ERROR = 23;
const EXT_BIGINT = 24;

/** A stand-in for `undefined`, which msgpack cannot carry as itself. */
const UNDEFINED_BOX = Object.freeze({ __pdaskUndefined: true });

/** Whether `x` is the stand-in for `undefined` (which decodes as `undefined`). */
export function isUndefinedBox(x: unknown): boolean {
  return x === UNDEFINED_BOX;
}

/** Frames of the message being encoded / decoded (undefined: one self-contained buffer). */
let outFrames: Uint8Array[] | undefined;
let inFrames: Uint8Array[] | undefined;

function typedName(x: ArrayBufferView): string | undefined {
  if (x instanceof Uint8Array) return 'Uint8Array'; // Buffers too
  for (const [, C] of TYPED) if (x instanceof C) return C.name;
  return undefined;
}

/** A frame's bytes as `Ctor`: a view when aligned, else one copy into a fresh buffer. */
function viewAs(Ctor: TypedCtor, f: Uint8Array): ArrayBufferView {
  const k = Ctor.BYTES_PER_ELEMENT;
  if (f.byteLength % k !== 0) throw new Error(`a ${Ctor.name} frame of ${f.byteLength} bytes`);
  if (Ctor === Uint8Array) return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
  // `new Uint8Array(view)` copies (Buffer.slice would not).
  if (f.byteOffset % k !== 0) return new Ctor(new Uint8Array(f).buffer as ArrayBuffer);
  return new Ctor(f.buffer as ArrayBuffer, f.byteOffset, f.byteLength / k);
}

const codec = new ExtensionCodec();
// Framed messages: the value's binary parts become frames, the header keeps a placeholder.
codec.register({
  type: EXT_FRAME,
  encode: (x) => {
    if (!outFrames || typeof x !== 'object' || x === null) return null;
    let kind: string | undefined;
    let bytes: Uint8Array;
    if (x instanceof ArrayBuffer) {
      kind = 'ArrayBuffer';
      bytes = new Uint8Array(x);
    } else if (ArrayBuffer.isView(x)) {
      kind = typedName(x);
      if (!kind) return null; // DataView: msgpack binary, as before
      bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
    } else if (x instanceof Table) {
      kind = 'arrow';
      bytes = tableToIPC(x, 'stream');
    } else return null;
    const index = outFrames.length;
    outFrames.push(bytes);
    return pack([index, kind, bytes.byteLength]);
  },
  decode: (data) => {
    const ph = unpack(data) as [number, string, number];
    if (!Array.isArray(ph) || ph.length !== 3) throw new Error('malformed frame placeholder');
    const [index, kind, length] = ph;
    const f = inFrames?.[index];
    if (!f) throw new Error(`frame ${index} is missing`);
    if (f.byteLength !== length) throw new Error(`frame ${index} has ${f.byteLength} bytes, expected ${length}`);
    if (kind === 'arrow') return tableFromIPC(f.byteOffset % 8 === 0 ? f : new Uint8Array(f));
    if (kind === 'ArrayBuffer') {
      return f.byteOffset === 0 && f.byteLength === f.buffer.byteLength ? f.buffer : new Uint8Array(f).buffer;
    }
    const Ctor = FRAME_TYPES.get(kind);
    if (!Ctor) throw new Error(`unknown frame type ${String(kind)}`);
    return viewAs(Ctor, f);
  },
});
codec.register({
  type: EXT_ARROW,
  encode: (x) => (x instanceof Table ? tableToIPC(x, 'stream') : null),
  decode: (data) => tableFromIPC(new Uint8Array(data)),
});
codec.register({
  type: EXT_ARRAYBUFFER,
  encode: (x) => (x instanceof ArrayBuffer ? new Uint8Array(x) : null),
  decode: (data) => new Uint8Array(data).buffer,
});
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
  encode: (x) => (x instanceof Map ? pack([...x.entries()].flat()) : null),
  decode: (data) => {
    const flat = unpack(data) as unknown[];
    const m = new Map<unknown, unknown>();
    for (let i = 0; i < flat.length; i += 2) m.set(flat[i], flat[i + 1]);
    return m;
  },
});
codec.register({
  type: EXT_SET,
  encode: (x) => (x instanceof Set ? pack([...x]) : null),
  decode: (data) => new Set(unpack(data) as unknown[]),
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
  encode: (x) => (x instanceof Error ? pack([x.name, x.message, x.stack ?? '']) : null),
  decode: (data) => {
    const [name, message, stack] = unpack(data) as string[];
    const e = new Error(message);
    e.name = name;
    e.stack = stack;
    return e;
  },
});

/**
 * What the encoders use: msgpack asks the extension codec about every array and object it meets
 * and the registry tries each of its encoders in turn (a dozen closures, two Arrow `instanceof`s).
 * Arrays and plain objects, most of what a message holds, are never extensions (except the
 * `undefined` stand-in), so they are answered at once; anything else goes to the registry as before.
 */
const fastCodec: ExtensionCodecType<undefined> = {
  tryToEncode(x, context) {
    if (Array.isArray(x)) return null;
    const proto: unknown = Object.getPrototypeOf(x);
    if ((proto === Object.prototype || proto === null) && x !== UNDEFINED_BOX) return null;
    return codec.tryToEncode(x, context);
  },
  decode: (data, type, context) => codec.decode(data, type, context),
};

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

/**
 * msgpack with the extensions, in whatever mode (framed or not) the outermost call set. `shared`:
 * a view of the encoder's own buffer, valid until its next use (the caller copies it at once).
 */
function pack(value: unknown, shared = false): Uint8Array {
  depth++;
  try {
    // A fresh encoder per nesting level: the outer one's buffer is in use.
    const e = (encoders[depth] ??= new Encoder({ extensionCodec: fastCodec, useBigInt64: false }));
    return shared ? e.encodeSharedRef(boxUndefined(value)) : e.encode(boxUndefined(value));
  } finally {
    depth--;
  }
}

function unpack(bytes: Uint8Array): unknown {
  ddepth++;
  try {
    const d = (decoders[ddepth] ??= new Decoder({ extensionCodec: fastCodec, useBigInt64: false }));
    return d.decode(bytes);
  } finally {
    ddepth--;
  }
}

/** Encodes one value as one self-contained buffer (binary data inline). */
export function encode(value: unknown): Uint8Array {
  const saved = outFrames;
  outFrames = undefined;
  try {
    return pack(value);
  } finally {
    outFrames = saved;
  }
}

export function decode(bytes: Uint8Array): unknown {
  const saved = inFrames;
  inFrames = undefined;
  try {
    return unpack(bytes);
  } finally {
    inFrames = saved;
  }
}

/** First byte of a framed message: one msgpack never uses, so a plain msgpack value is told apart. */
export const FRAMED = 0xc1;
/** Bytes per frame length in the prefix. */
const LEN_BYTES = 8;

export interface FramedPrefix {
  /** Frame count. */
  n: number;
  headerLen: number;
  /** Byte length of each frame. */
  lens: number[];
  /** Where the msgpack header starts (the prefix's fixed part and length table end). */
  start: number;
}

/** A little-endian u32 at `at` (no DataView: making one costs more than reading a few prefixes). */
function readU32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
}

function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

/** Reads the fixed part and length table of a framed message's first bytes (`b[0]` is 0xc1). */
export function readPrefix(b: Uint8Array): FramedPrefix {
  if (b.byteLength < 12) throw new Error('a message shorter than its prefix');
  const n = readU32(b, 4);
  const headerLen = readU32(b, 8);
  const start = 12 + LEN_BYTES * n;
  if (start > b.byteLength) throw new Error(`a prefix announcing ${n} frames is cut short`);
  const lens: number[] = [];
  for (let i = 0; i < n; i++) lens.push(readU32(b, 12 + LEN_BYTES * i) + readU32(b, 16 + LEN_BYTES * i) * 2 ** 32);
  return { n, headerLen, lens, start };
}

type Alloc = (size: number) => Uint8Array;
/**
 * Memory for a prefix. In Node, small ones come from Buffer's shared pool (a slice of one 8 KiB
 * block): a fresh Uint8Array of a few hundred bytes gets memory of its own from outside V8's heap,
 * which cost ~4 times as much, twice per round trip (every message's prefix is written once and
 * never reused, so sharing the block is safe). Browsers have no Buffer: a plain Uint8Array there.
 */
const allocPrefix: Alloc = (() => {
  const B = (globalThis as { Buffer?: { allocUnsafe(size: number): Uint8Array } }).Buffer;
  return B ? (size) => B.allocUnsafe(size) : (size) => new Uint8Array(size);
})();

/**
 * Encodes a message as `[prefix, ...frames]`. The prefix is the byte 0xc1, 3 zero bytes, then
 * `u32 frame count, u32 header length`, the length of each frame as two u32 (low, high: frames may
 * pass 4 GiB) (all little-endian) and the msgpack header; each frame is the raw bytes of
 * one typed array / ArrayBuffer (a view over its memory: not copied, so do not modify it until it
 * has been sent) or one Table's Arrow IPC stream. The parts may be sent as fragments of one
 * WebSocket message, or concatenated.
 */
export function encodeMessage(value: unknown): Uint8Array[] {
  const saved = outFrames;
  const frames: Uint8Array[] = [];
  outFrames = frames;
  let header: Uint8Array;
  try {
    // Copied once, into the prefix below.
    header = pack(value, true);
  } finally {
    outFrames = saved;
  }
  const n = frames.length;
  const prefix = allocPrefix(12 + LEN_BYTES * n + header.byteLength);
  prefix[0] = FRAMED;
  // Buffer.allocUnsafe's memory is not zeroed.
  prefix[1] = prefix[2] = prefix[3] = 0;
  writeU32(prefix, 4, n);
  writeU32(prefix, 8, header.byteLength);
  for (let i = 0; i < n; i++) {
    const l = frames[i].byteLength;
    writeU32(prefix, 12 + LEN_BYTES * i, l % 2 ** 32);
    writeU32(prefix, 16 + LEN_BYTES * i, Math.floor(l / 2 ** 32));
  }
  prefix.set(header, 12 + LEN_BYTES * n);
  return [prefix, ...frames];
}

/**
 * Decodes what `encodeMessage` made. `parts` are the received pieces: either the prefix and each
 * frame separately (as sent, fragment by fragment: used as they are), or any other cut of the same
 * bytes (joined, then sliced). A message not starting with 0xc1 is one plain msgpack value, as
 * `encode` makes (binary data inline).
 */
export function decodeMessage(parts: readonly Uint8Array[]): unknown {
  if (parts.length === 0) throw new Error('an empty message');
  let first = parts[0];
  let frames: Uint8Array[] | undefined;
  let p: FramedPrefix | undefined;
  if (parts.length > 1 && first[0] === FRAMED) {
    // As sent: the prefix alone in the first part, then one part per frame.
    try {
      p = readPrefix(first);
    } catch {
      p = undefined;
    }
    if (p && parts.length === p.n + 1 && first.byteLength === p.start + p.headerLen && p.lens.every((l, i) => parts[i + 1].byteLength === l)) {
      frames = parts.slice(1) as Uint8Array[];
    } else first = concatBytes(parts);
  }
  if (!frames) {
    if (parts.length > 1 && first === parts[0]) first = concatBytes(parts);
    if (first[0] !== FRAMED) return decode(first);
    p = readPrefix(first);
    let at = p.start + p.headerLen;
    const total = at + p.lens.reduce((a, b) => a + b, 0);
    if (total !== first.byteLength) throw new Error(`a message of ${first.byteLength} bytes announcing ${total}`);
    const whole = first;
    frames = p.lens.map((l) => {
      const f = whole.subarray(at, at + l);
      at += l;
      return f;
    });
  }
  const { start, headerLen } = p!;
  const saved = inFrames;
  inFrames = frames;
  try {
    return unpack(first.subarray(start, start + headerLen));
  } finally {
    inFrames = saved;
  }
}

/** Wraps a task result so that a top-level or element `undefined` survives the wire. */
export function boxValue(v: unknown): unknown {
  return boxUndefined(v);
}

/** The parts joined into one buffer (no Node Buffer: the browser client decodes here too). */
function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.byteLength;
  }
  return out;
}
