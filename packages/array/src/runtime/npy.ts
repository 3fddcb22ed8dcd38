/**
 * NumPy's `.npy` format (version 1.0 written; 1.0, 2.0 and 3.0 read): the magic string, a
 * little-endian header length, a Python-literal header dict padded to 64 bytes, then the raw
 * little-endian data. Block reads and writes of `toNpyStack`/`fromNpyStack`, run on workers.
 */
import { alloc, setNumber, type DType, type TypedArray } from '../dtype';
import { sizeOf, transposeBlock, type Block } from './block';
import { lazyBuiltin } from '@pdask/core';
const nodeFs = lazyBuiltin<typeof import('node:fs')>('node:fs', 'reading or writing .npy files');

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** NumPy's descr of each dtype. */
export const NPY_DESCR: Record<DType, string> = { float64: '<f8', float32: '<f4', int64: '<i8', int32: '<i4', uint8: '|u1', bool: '|b1' };

/** Stored types read as a pdask dtype: narrower ints widen to int32, uint32 to int64, uint64 to float64 (exact to 2^53). */
const READ: Record<string, { dtype: DType; read: (v: DataView, o: number) => number; size: number }> = {
  '<f8': { dtype: 'float64', size: 8, read: (v, o) => v.getFloat64(o, true) },
  '<f4': { dtype: 'float32', size: 4, read: (v, o) => v.getFloat32(o, true) },
  '<i4': { dtype: 'int32', size: 4, read: (v, o) => v.getInt32(o, true) },
  '<i8': { dtype: 'int64', size: 8, read: () => 0 }, // copied as bytes (exact), see decodeNpy
  '|u1': { dtype: 'uint8', size: 1, read: (v, o) => v.getUint8(o) },
  '|b1': { dtype: 'bool', size: 1, read: (v, o) => (v.getUint8(o) ? 1 : 0) },
  '|i1': { dtype: 'int32', size: 1, read: (v, o) => v.getInt8(o) },
  '<i2': { dtype: 'int32', size: 2, read: (v, o) => v.getInt16(o, true) },
  '<u2': { dtype: 'int32', size: 2, read: (v, o) => v.getUint16(o, true) },
  '<u4': { dtype: 'int64', size: 4, read: (v, o) => v.getUint32(o, true) },
  '<u8': { dtype: 'float64', size: 8, read: (v, o) => Number(v.getBigUint64(o, true)) },
};
export const NPY_READABLE = Object.keys(READ);

/** The bytes of a .npy file holding the block. */
export function encodeNpy(b: Block): Uint8Array {
  const shape = b.shape.length === 1 ? `(${b.shape[0]},)` : `(${b.shape.join(', ')})`;
  let header = `{'descr': '${NPY_DESCR[b.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Padded with spaces and ended by a newline so the data starts at a multiple of 64 bytes.
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const data = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

/** A block from the bytes of a .npy file (`where` names the file in errors). */
export function decodeNpy(bytes: Uint8Array, where: string): Block {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw new Error(`${where} is not a .npy file (no \\x93NUMPY magic)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const [hlen, start] = major === 1 ? [view.getUint16(8, true), 10] : [view.getUint32(8, true), 12];
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1] === 'True';
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) throw new Error(`${where}: cannot parse the .npy header ${header.trim()}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const t = READ[descr === '<b1' ? '|b1' : descr];
  if (!t) throw new TypeError(`${where}: data type '${descr}' is not supported (readable: ${NPY_READABLE.join(', ')})`);
  const n = sizeOf(shape);
  const offset = start + hlen;
  if (bytes.length < offset + n * t.size) throw new Error(`${where}: the file holds ${bytes.length - offset} data bytes, shape [${shape.join(', ')}] of ${descr} needs ${n * t.size}`);
  let data: TypedArray;
  if (descr === '<i8') {
    // A copy (a Buffer's slice would be a view into Node's pool), aligned for BigInt64Array.
    const raw = new Uint8Array(8 * n);
    raw.set(bytes.subarray(offset, offset + 8 * n));
    data = new BigInt64Array(raw.buffer);
  }
  else {
    data = alloc(t.dtype, n);
    for (let i = 0; i < n; i++) setNumber(data, i, t.read(view, offset + i * t.size));
  }
  if (!fortran || shape.length < 2) return { dtype: t.dtype, shape, data };
  // Fortran order is C order of the reversed shape; transposing it back gives C order.
  const rev = [...shape].reverse();
  return transposeBlock({ dtype: t.dtype, shape: rev, data }, rev.map((_, i) => rev.length - 1 - i));
}

export function npyWrite(path: string, b: Block): null {
  nodeFs.writeFileSync(path, encodeNpy(b));
  return null;
}

export function npyRead(path: string, shape: readonly number[]): Block {
  const b = decodeNpy(nodeFs.readFileSync(path), path);
  if (b.shape.length !== shape.length || b.shape.some((s, d) => s !== shape[d])) {
    throw new RangeError(`${path} holds shape [${b.shape.join(', ')}], the stack's info says [${shape.join(', ')}]`);
  }
  return b;
}
