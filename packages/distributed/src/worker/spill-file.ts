/**
 * One spilled value per file, written without copying it: a worker spills exactly when it is short
 * of memory, so an encoding that first builds a second copy of the value (as a msgpack buffer
 * does) is what pushes it over its kill line.
 *
 * The file is a sequence of parts, each starting at a multiple of 8 bytes, then a trailer:
 *   parts… | trailer (msgpack [kind, part lengths]) | u32 trailer length | "PDSPILL1"
 * - a typed array or ArrayBuffer: one part, its own bytes (written from its memory);
 * - an apache-arrow Table: one part, its Arrow IPC stream, written piece by piece as the Arrow
 *   writer produces it (the column buffers themselves, no concatenation);
 * - anything else: the wire encoding (`encodeMessage`): a msgpack header, then each binary value
 *   inside it as a part of its own (views over the arrays, as on the wire).
 * Reading allocates one buffer per part and reads into it: typed arrays come back as views over
 * exactly their bytes, Tables as `tableFromIPC` over theirs.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { Decoder, Encoder } from '@msgpack/msgpack';
import { RecordBatchStreamWriter, Table, tableFromIPC } from 'apache-arrow';
import { decodeMessage, encodeMessage } from '../protocol/codec';

const MAGIC = 'PDSPILL1';
const ALIGN = 8;
/** libuv writes and reads at most 2 GiB - 1 per call. */
const IO_CHUNK = 1 << 30;

type TypedCtor = { new (b: ArrayBuffer): ArrayBufferView; readonly name: string };
const TYPED: readonly TypedCtor[] = [
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
];
const TYPED_BY_NAME = new Map(TYPED.map((C) => [C.name, C]));

function typedName(v: ArrayBufferView): string | undefined {
  for (const C of TYPED) if (v instanceof C) return C.name;
  return undefined;
}

function bytesOf(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** Appends bytes at the end of the file, however large. */
class Sink {
  at = 0;
  constructor(private readonly fd: number) {}

  write(b: Uint8Array): void {
    for (let off = 0; off < b.byteLength; ) {
      off += writeSync(this.fd, b, off, Math.min(IO_CHUNK, b.byteLength - off), this.at + off);
    }
    this.at += b.byteLength;
  }

  align(): void {
    const pad = (ALIGN - (this.at % ALIGN)) % ALIGN;
    if (pad) this.write(new Uint8Array(pad));
  }
}

/** Arrow's stream writer, sending each piece it produces straight to the file instead of a queue. */
class FileStreamWriter extends RecordBatchStreamWriter {
  constructor(private readonly out: Sink) {
    super();
  }

  protected override _write(chunk: Parameters<RecordBatchStreamWriter['_write']>[0]): this {
    if (!this._started) return this;
    const b = ArrayBuffer.isView(chunk) ? bytesOf(chunk) : chunk instanceof ArrayBuffer ? new Uint8Array(chunk) : undefined;
    if (!b) throw new Error(`spill: unexpected Arrow writer output ${Object.prototype.toString.call(chunk)}`);
    if (b.byteLength > 0) {
      this.out.write(b);
      this._position += b.byteLength;
    }
    return this;
  }
}

/** The value's parts, written as they come; returns the trailer's description of them. */
function writeParts(out: Sink, value: unknown): [string, number[]] {
  const part = (b: Uint8Array): number => {
    out.align();
    out.write(b);
    return b.byteLength;
  };
  if (value instanceof Table) {
    out.align();
    const start = out.at;
    const w = new FileStreamWriter(out);
    w.write(value);
    w.finish();
    return ['arrow', [out.at - start]];
  }
  if (value instanceof ArrayBuffer) return ['ArrayBuffer', [part(new Uint8Array(value))]];
  if (ArrayBuffer.isView(value)) {
    const name = typedName(value);
    if (name) return [`typed:${name}`, [part(bytesOf(value))]];
  }
  return ['message', encodeMessage(value).map(part)];
}

/** Writes `value` to a new file `path` (mode 0600; the file must not exist). Returns its size. */
export function writeSpillFile(path: string, value: unknown): number {
  const fd = openSync(path, 'wx', 0o600);
  try {
    const out = new Sink(fd);
    const trailer = new Encoder().encode(writeParts(out, value));
    out.align();
    out.write(trailer);
    const end = new Uint8Array(4 + MAGIC.length);
    new DataView(end.buffer).setUint32(0, trailer.byteLength, true);
    end.set(new TextEncoder().encode(MAGIC), 4);
    out.write(end);
    return out.at;
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, length: number, position: number): Uint8Array {
  // A fresh buffer per part: its views own exactly their bytes, aligned for any element type.
  const b = new Uint8Array(new ArrayBuffer(length));
  for (let off = 0; off < length; ) {
    const n = readSync(fd, b, off, Math.min(IO_CHUNK, length - off), position + off);
    if (n === 0) throw new Error(`spill file ends ${length - off} bytes early`);
    off += n;
  }
  return b;
}

/** Reads back what `writeSpillFile` wrote. */
export function readSpillFile(path: string): unknown {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tail = 4 + MAGIC.length;
    if (size < tail) throw new Error(`${path} is not a spill file (${size} bytes)`);
    const end = readAt(fd, tail, size - tail);
    if (new TextDecoder().decode(end.subarray(4)) !== MAGIC) throw new Error(`${path} is not a spill file`);
    const tlen = new DataView(end.buffer).getUint32(0, true);
    const [kind, lengths] = new Decoder().decode(readAt(fd, tlen, size - tail - tlen)) as [string, number[]];
    let at = 0;
    const parts = lengths.map((n) => {
      at = Math.ceil(at / ALIGN) * ALIGN;
      const p = readAt(fd, n, at);
      at += n;
      return p;
    });
    if (kind === 'arrow') return tableFromIPC(parts[0]);
    if (kind === 'ArrayBuffer') return parts[0].buffer;
    if (kind.startsWith('typed:')) {
      const C = TYPED_BY_NAME.get(kind.slice(6));
      if (!C) throw new Error(`${path}: unknown array type ${kind}`);
      return new C(parts[0].buffer as ArrayBuffer);
    }
    if (kind === 'message') return decodeMessage(parts);
    throw new Error(`${path}: unknown spill kind ${kind}`);
  } finally {
    closeSync(fd);
  }
}
