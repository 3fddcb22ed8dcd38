/**
 * A partition as plain data. Partitions cross threads by structured cloning, which keeps typed
 * arrays but not Arrow's classes, and Arrow IPC costs a full copy per task (~8 ms per 12 MB here).
 * So a partition is Arrow's own buffers plus a description of the types: building it from Arrow
 * vectors and back copies nothing (except to drop a bit offset or compact a view of a larger buffer,
 * which would otherwise be cloned whole).
 */
import { makeData, makeVector, type Data, type DataType, type Dictionary, type Vector } from 'apache-arrow';
import { arrowType, describeType, type TypeDesc } from './types';

interface ChunkMeta {
  readonly length: number;
  readonly nullCount: number;
  /** Indices into `Part.bufs`. */
  readonly values?: number;
  readonly offsets?: number;
  readonly validity?: number;
  readonly dictionary?: readonly ChunkMeta[];
  /** A list's values or a struct's fields. */
  readonly children?: readonly ChunkMeta[];
}

export interface Part {
  readonly numRows: number;
  readonly names: readonly string[];
  readonly types: readonly TypeDesc[];
  readonly chunks: readonly (readonly ChunkMeta[])[];
  /** Every buffer, in one flat list (so that core's sizeOf sees them). */
  readonly bufs: readonly ArrayBufferView[];
}

/** A decoded partition: named Arrow vectors of equal length. */
export interface Batch {
  readonly numRows: number;
  readonly names: readonly string[];
  readonly vectors: readonly Vector[];
}

/**
 * A view of much less than its buffer is copied: cloning it would copy the whole buffer. Views of
 * shared memory are kept: they cross threads without a copy.
 */
function compact<T extends ArrayBufferView>(v: T): T {
  return compactedOnEncode(v) ? (v as unknown as { slice(): T }).slice() : v;
}

/** Whether encodeBatch copies this view out of its buffer (see compact). */
export function compactedOnEncode(v: ArrayBufferView): boolean {
  if (typeof SharedArrayBuffer !== 'undefined' && v.buffer instanceof SharedArrayBuffer) return false;
  return v.byteLength * 2 < v.buffer.byteLength && v.buffer.byteLength > 4096;
}

/** `length` bits of a bitmap starting at bit `offset`, as a bitmap starting at bit 0. */
function bitsFrom(bitmap: Uint8Array, offset: number, length: number): Uint8Array {
  const bytes = (length + 7) >> 3;
  if ((offset & 7) === 0) return bitmap.subarray(offset >> 3, (offset >> 3) + bytes);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < length; i++) {
    const b = offset + i;
    if ((bitmap[b >> 3] >> (b & 7)) & 1) out[i >> 3] |= 1 << (i & 7);
  }
  return out;
}

function encodeData(d: Data, desc: TypeDesc, bufs: ArrayBufferView[], keep: boolean): ChunkMeta {
  const add = (v: ArrayBufferView): number => bufs.push(keep ? v : compact(v)) - 1;
  const n = d.length;
  const validity = d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? add(bitsFrom(d.nullBitmap, d.offset, n)) : undefined;
  const base = { length: n, nullCount: d.nullCount > 0 ? d.nullCount : 0, validity };
  switch (desc.id) {
    case 'bool':
      return { ...base, values: add(bitsFrom(d.values as Uint8Array, d.offset, n)) };
    case 'utf8': {
      let offs = (d.valueOffsets as Int32Array).subarray(0, n + 1);
      let data = d.values as Uint8Array;
      if (n === 0) return { ...base, offsets: add(new Int32Array(1)), values: add(new Uint8Array(0)) };
      if (offs[0] !== 0 || data.length !== offs[n]) {
        data = data.subarray(offs[0], offs[n]);
        const o0 = offs[0];
        offs = offs[0] === 0 ? offs : offs.map((x) => x - o0);
      }
      return { ...base, offsets: add(offs), values: add(data) };
    }
    case 'dict': {
      const dict = (d as Data<Dictionary>).dictionary;
      if (!dict) throw new Error('dictionary column without a dictionary');
      return { ...base, values: add((d.values as ArrayBufferView & { subarray(a: number, b: number): ArrayBufferView }).subarray(0, n)), dictionary: dict.data.map((c) => encodeData(c, desc.value, bufs, keep)) };
    }
    case 'list': {
      // Arrow slices a list's offsets with it, not its values: rebase the offsets on the values used.
      const offs = (d.valueOffsets as Int32Array).subarray(0, n + 1);
      const o0 = n === 0 ? 0 : offs[0];
      const values = d.children[0].slice(o0, (n === 0 ? 0 : offs[n]) - o0);
      return { ...base, offsets: add(n === 0 ? new Int32Array(1) : o0 === 0 ? offs : offs.map((x) => x - o0)), children: [encodeData(values, desc.value, bufs, keep)] };
    }
    case 'struct':
      return { ...base, children: desc.fields.map((f, k) => encodeData(d.children[k], f.type, bufs, keep)) };
    default:
      return { ...base, values: add((d.values as ArrayBufferView & { subarray(a: number, b: number): ArrayBufferView }).subarray(0, n)) };
  }
}

/** `keepViews`: leave views of larger buffers as they are (the caller copies them next). */
export function encodeBatch(b: Batch, keepViews = false): Part {
  const bufs: ArrayBufferView[] = [];
  const types = b.vectors.map((v) => describeType(v.type));
  const chunks = b.vectors.map((v, i) => v.data.filter((d) => d.length > 0 || v.data.length === 1).map((d) => encodeData(d, types[i], bufs, keepViews)));
  return { numRows: b.numRows, names: [...b.names], types, chunks, bufs };
}

function decodeData(m: ChunkMeta, desc: TypeDesc, type: DataType, bufs: readonly ArrayBufferView[]): Data {
  const props: Record<string, unknown> = { type, length: m.length, nullCount: m.nullCount };
  if (m.validity !== undefined) props.nullBitmap = bufs[m.validity];
  if (m.values !== undefined) props.data = bufs[m.values];
  if (m.offsets !== undefined) props.valueOffsets = bufs[m.offsets];
  if (desc.id === 'dict' && m.dictionary) {
    const vt = (type as Dictionary).dictionary;
    props.dictionary = makeVector(m.dictionary.map((c) => decodeData(c, desc.value, vt, bufs)));
  }
  if (desc.id === 'list' && m.children) props.child = decodeData(m.children[0], desc.value, type.children[0].type as DataType, bufs);
  if (desc.id === 'struct' && m.children) props.children = m.children.map((c, k) => decodeData(c, desc.fields[k].type, type.children[k].type as DataType, bufs));
  return makeData(props as unknown as Parameters<typeof makeData>[0]) as Data;
}

/**
 * The same partition with every buffer copied into one SharedArrayBuffer, so that passing it to
 * worker threads (in every task that reads it, on every run) copies nothing. Without shared memory
 * (a browser page without cross-origin isolation), buffers are copied into ordinary ones instead.
 */
export function shareBuffers(p: Part): Part {
  const shared = (b: ArrayBufferView) => typeof SharedArrayBuffer !== 'undefined' && b.buffer instanceof SharedArrayBuffer;
  let total = 0;
  for (const b of p.bufs) if (!shared(b)) total += (b.byteLength + 7) & ~7;
  if (total === 0) return p;
  const Buf = typeof SharedArrayBuffer === 'undefined' ? ArrayBuffer : SharedArrayBuffer;
  const mem = new Buf(total);
  const bytes = new Uint8Array(mem);
  let at = 0;
  const bufs = p.bufs.map((b) => {
    // Data the caller already keeps in shared memory is used where it is.
    if (shared(b)) return b;
    bytes.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at);
    const Ctor = b.constructor as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView;
    const per = (b as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    const view = new Ctor(mem, at, b.byteLength / per);
    at += (b.byteLength + 7) & ~7;
    return view;
  });
  return { ...p, bufs };
}

export function decodePart(p: Part): Batch {
  const vectors = p.names.map((_, i) => {
    const type = arrowType(p.types[i]);
    const datas = p.chunks[i].map((m) => decodeData(m, p.types[i], type, p.bufs));
    return datas.length === 0 ? makeVector(makeData({ type, length: 0, nullCount: 0 } as Parameters<typeof makeData>[0]) as Data) : makeVector(datas);
  });
  return { numRows: p.numRows, names: p.names, vectors };
}

export function isPart(x: unknown): x is Part {
  return typeof x === 'object' && x !== null && Array.isArray((x as Part).bufs) && Array.isArray((x as Part).names);
}

/** A batch of named vectors; checks their lengths. */
export function batchOf(names: readonly string[], vectors: readonly Vector[]): Batch {
  const numRows = vectors.length ? vectors[0].length : 0;
  for (let i = 1; i < vectors.length; i++) {
    if (vectors[i].length !== numRows) throw new RangeError(`column '${names[i]}' has ${vectors[i].length} rows, expected ${numRows}`);
  }
  return { numRows, names, vectors };
}
