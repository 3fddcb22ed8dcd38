/**
 * One spilled task result per file, written without first building a second copy of its arrays: a
 * worker spills exactly when it is short of memory. The value's structure goes through V8's
 * serializer (what crossing a thread does anyway), its typed arrays are written from their own
 * memory beside it, and each comes back in a buffer of its own (so a reader may later move one
 * to another thread without detaching the others).
 *
 * Layout: array bytes (each at a multiple of 8) | V8 header | JSON trailer | u32 trailer length.
 *
 * Only values that come back equal are spilled (`spillable`): V8 serializes an instance of a class
 * as a plain object, silently, so such a value stays in memory instead.
 */
import { fs, v8 } from './resident-spill-node';

const ALIGN = 8;
/** libuv reads and writes at most 2 GiB - 1 per call. */
const IO_CHUNK = 1 << 30;

type ViewCtor = { new (b: ArrayBuffer): ArrayBufferView; readonly prototype: ArrayBufferView; readonly name: string };
const VIEWS: readonly ViewCtor[] = [
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  BigInt64Array,
  BigUint64Array,
  DataView,
];
const VIEW_BY_NAME = new Map(VIEWS.map((C) => [C.name, C]));
const VIEW_PROTOS = new Set<object>(VIEWS.map((C) => C.prototype));
const PLAIN_PROTOS = new Set<object | null>([Object.prototype, Array.prototype, null]);

/**
 * Whether `value` survives the spill file unchanged: primitives (no symbols or functions), plain
 * objects and arrays, Map, Set, Date and standard typed arrays over ordinary (not shared) memory.
 */
export function spillable(value: unknown, seen = new Set<object>()): boolean {
  switch (typeof value) {
    case 'function':
    case 'symbol':
      return false;
    case 'object':
      break;
    default:
      return true;
  }
  if (value === null || seen.has(value)) return true;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return VIEW_PROTOS.has(Object.getPrototypeOf(value) as object) && value.buffer instanceof ArrayBuffer;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (value instanceof ArrayBuffer) return proto === ArrayBuffer.prototype;
  if (proto === Date.prototype) return true;
  if (proto === Map.prototype) {
    for (const [k, v] of value as Map<unknown, unknown>) if (!spillable(k, seen) || !spillable(v, seen)) return false;
    return true;
  }
  if (proto === Set.prototype) {
    for (const v of value as Set<unknown>) if (!spillable(v, seen)) return false;
    return true;
  }
  if (!PLAIN_PROTOS.has(proto)) return false;
  if (Object.getOwnPropertySymbols(value).length) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!spillable(value[i], seen)) return false;
    return true;
  }
  for (const k in value) if (!spillable((value as Record<string, unknown>)[k], seen)) return false;
  return true;
}

type ViewSerializer = import('node:v8').Serializer & { readonly views: ArrayBufferView[] };
type ViewDeserializer = import('node:v8').Deserializer;

/**
 * The serializer classes, made on first use (their base classes are node:v8's): V8 is handed each
 * typed array as a number, and the arrays themselves are written beside the header.
 */
let serializers: { Ser: new () => ViewSerializer; De: new (header: Buffer, views: readonly ArrayBufferView[]) => ViewDeserializer } | undefined;
function viewSerializers(): NonNullable<typeof serializers> {
  if (serializers) return serializers;
  class Ser extends v8.DefaultSerializer {
    readonly views: ArrayBufferView[] = [];
    _writeHostObject(view: ArrayBufferView): void {
      this.writeUint32(this.views.push(view) - 1);
    }
  }
  class De extends v8.DefaultDeserializer {
    constructor(
      header: Buffer,
      private readonly views: readonly ArrayBufferView[],
    ) {
      super(header);
    }
    _readHostObject(): ArrayBufferView {
      return this.views[this.readUint32()];
    }
  }
  return (serializers = { Ser, De });
}

class Sink {
  at = 0;
  constructor(private readonly fd: number) {}
  write(b: Uint8Array): void {
    for (let off = 0; off < b.byteLength; ) off += fs.writeSync(this.fd, b, off, Math.min(IO_CHUNK, b.byteLength - off), this.at + off);
    this.at += b.byteLength;
  }
  align(): void {
    const pad = (ALIGN - (this.at % ALIGN)) % ALIGN;
    if (pad) this.write(new Uint8Array(pad));
  }
}

/** Writes `value` to a new file (mode 0600; it must not exist). Returns the file's size. */
export function writeResidentSpill(path: string, value: unknown): number {
  const ser = new (viewSerializers().Ser)();
  ser.writeHeader();
  ser.writeValue(value);
  const header = ser.releaseBuffer();
  const fd = fs.openSync(path, 'wx', 0o600);
  try {
    const out = new Sink(fd);
    const views: [string, number][] = [];
    for (const v of ser.views) {
      out.align();
      out.write(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      views.push([(Object.getPrototypeOf(v) as { constructor: ViewCtor }).constructor.name, v.byteLength]);
    }
    out.align();
    out.write(header);
    const trailer = Buffer.from(JSON.stringify({ h: header.byteLength, v: views }));
    out.write(trailer);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, trailer.byteLength, true);
    out.write(len);
    return out.at;
  } finally {
    fs.closeSync(fd);
  }
}

function readAt(fd: number, length: number, position: number): Uint8Array {
  const b = new Uint8Array(new ArrayBuffer(length));
  for (let off = 0; off < length; ) {
    const n = fs.readSync(fd, b, off, Math.min(IO_CHUNK, length - off), position + off);
    if (n === 0) throw new Error(`spill file ends ${length - off} bytes early`);
    off += n;
  }
  return b;
}

/** Reads back what `writeResidentSpill` wrote. */
export function readResidentSpill(path: string): unknown {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size < 4) throw new Error(`${path} is not a spill file (${size} bytes)`);
    const tlen = new DataView(readAt(fd, 4, size - 4).buffer).getUint32(0, true);
    const meta = JSON.parse(Buffer.from(readAt(fd, tlen, size - 4 - tlen)).toString()) as { h: number; v: [string, number][] };
    let at = 0;
    const views = meta.v.map(([name, n]) => {
      const C = VIEW_BY_NAME.get(name);
      if (!C) throw new Error(`${path}: unknown array type ${name}`);
      at = Math.ceil(at / ALIGN) * ALIGN;
      const b = readAt(fd, n, at);
      at += n;
      return new C(b.buffer as ArrayBuffer);
    });
    at = Math.ceil(at / ALIGN) * ALIGN;
    const header = Buffer.from(readAt(fd, meta.h, at).buffer);
    const de = new (viewSerializers().De)(header, views);
    de.readHeader();
    return de.readValue();
  } finally {
    fs.closeSync(fd);
  }
}
