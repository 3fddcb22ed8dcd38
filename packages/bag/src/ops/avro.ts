/**
 * Avro object container files, read with avsc: the header (schema, codec, sync marker) on the
 * caller's side, the data blocks of a byte range in the task. A range is moved to sync-marker
 * boundaries the way text blocks move to line ends, so that consecutive ranges hold every
 * block once (as Dask's read_avro cuts files).
 */
import type avroNs from 'avsc';
import { afterDelimiter } from './io';
import { lazyBuiltin } from '@pdask/core';
import { lazyPackage } from '../node-package';
const nodeFs = lazyBuiltin<typeof import('node:fs')>('node:fs', 'readAvro');
const nodeZlib = lazyBuiltin<typeof import('node:zlib')>('node:zlib', 'readAvro');

// avsc (a Node library: streams, zlib) is loaded on first use, so a page's bundle never sees it.
const avro = lazyPackage<typeof avroNs>('avsc', 'readAvro');

let header: avroNs.Type | undefined;
let long: avroNs.Type | undefined;
const HEADER = (): avroNs.Type => (header ??= avro.Type.forSchema({
  type: 'record',
  name: 'org.apache.avro.file.Header',
  fields: [
    { name: 'magic', type: { type: 'fixed', name: 'Magic', size: 4 } },
    { name: 'meta', type: { type: 'map', values: 'bytes' } },
    { name: 'sync', type: { type: 'fixed', name: 'Sync', size: 16 } },
  ],
}));
const LONG = (): avroNs.Type => (long ??= avro.Type.forSchema('long'));
const MAGIC = (): Buffer => Buffer.from('Obj\x01', 'latin1');

export type AvroCodec = 'null' | 'deflate';

export interface AvroHeader {
  /** The writer's schema (JSON). */
  schema: unknown;
  codec: AvroCodec;
  sync: Uint8Array;
  /** Where the first data block starts. */
  dataStart: number;
  size: number;
}

/** Reads and checks a file's header (growing the read until the header is whole). */
export function readAvroHeader(path: string): AvroHeader {
  const fd = nodeFs.openSync(path, 'r');
  try {
    const size = nodeFs.fstatSync(fd).size;
    if (size === 0) throw new Error(`readAvro: '${path}' is empty (0 bytes), not an Avro object container file`);
    for (let n = Math.min(size, 4096); ; n = Math.min(size, n * 4)) {
      const buf = Buffer.alloc(n);
      nodeFs.readSync(fd, buf, 0, n, 0);
      if (n < 4 || !buf.subarray(0, 4).equals(MAGIC())) throw new Error(`readAvro: '${path}' is not an Avro object container file (no 'Obj\\x01' magic)`);
      const { value, offset } = HEADER().decode(buf, 0) as { value: { meta: Record<string, Buffer>; sync: Buffer }; offset: number };
      if (offset < 0) {
        if (n === size) throw new Error(`readAvro: '${path}' ends inside its header`);
        continue;
      }
      const codec = value.meta['avro.codec']?.toString() ?? 'null';
      if (codec !== 'null' && codec !== 'deflate') throw new Error(`readAvro: '${path}' uses the '${codec}' codec; only 'null' and 'deflate' are supported`);
      const schemaText = value.meta['avro.schema'];
      if (!schemaText) throw new Error(`readAvro: '${path}' has no schema in its header`);
      return { schema: JSON.parse(schemaText.toString()), codec, sync: new Uint8Array(value.sync), dataStart: offset, size };
    }
  } finally {
    nodeFs.closeSync(fd);
  }
}

/** avsc values as plain data: records as plain objects, bytes and fixed as Uint8Array (the same after a copy between threads). */
function plain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Buffer.isBuffer(v)) return new Uint8Array(v);
  if (Array.isArray(v)) return v.map(plain);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = plain((v as Record<string, unknown>)[k]);
  return out;
}

const types = new Map<string, avroNs.Type>();

function typeOf(schema: unknown): avroNs.Type {
  const key = JSON.stringify(schema);
  let t = types.get(key);
  if (!t) types.set(key, (t = avro.Type.forSchema(schema as avroNs.Schema)));
  return t;
}

/**
 * The records of the data blocks that start in bytes [start, end) of a file (start 0: from the
 * first block; end < 0: to the end of the file).
 */
export const readAvroBlock = (path: string, start: number, end: number, schema: unknown, codec: AvroCodec, sync: Uint8Array, dataStart: number): unknown[] => {
  const type = typeOf(schema);
  const marker = Buffer.from(sync);
  const fd = nodeFs.openSync(path, 'r');
  let buf: Buffer;
  try {
    const size = nodeFs.fstatSync(fd).size;
    // Byte x of the file maps to the first block boundary at or after it (never inside the header):
    // a range [start, end) reads the blocks that begin in [at(start), at(end)), so ranges tile the file.
    const at = (x: number) => (x === 0 ? dataStart : Math.max(dataStart, afterDelimiter(fd, x, size, marker)));
    const from = at(start);
    const to = end < 0 || end >= size ? size : Math.max(from, at(end));
    buf = Buffer.alloc(to - from);
    nodeFs.readSync(fd, buf, 0, buf.length, from);
  } finally {
    nodeFs.closeSync(fd);
  }
  const out: unknown[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const count = LONG().decode(buf, pos);
    const length = count.offset < 0 ? count : LONG().decode(buf, count.offset);
    if (count.offset < 0 || length.offset < 0 || length.offset + (length.value as number) + 16 > buf.length) {
      throw new Error(`readAvro: '${path}' is truncated or corrupt (a data block ends past the end of the file)`);
    }
    const dataEnd = length.offset + (length.value as number);
    let data = buf.subarray(length.offset, dataEnd);
    if (codec === 'deflate') data = nodeZlib.inflateRawSync(data);
    if (!buf.subarray(dataEnd, dataEnd + 16).equals(marker)) throw new Error(`readAvro: '${path}' is corrupt (a data block is not followed by the file's sync marker)`);
    let at = 0;
    for (let i = 0; i < (count.value as number); i++) {
      let r;
      try {
        r = type.decode(data, at);
      } catch (e) {
        throw new Error(`readAvro: cannot decode a record of '${path}': ${(e as Error).message}${(e as Error).message === 'potential precision loss' ? ' (a long beyond ±2^53, which a JavaScript number cannot hold exactly)' : ''}`);
      }
      if (r.offset < 0) throw new Error(`readAvro: '${path}' is corrupt (a data block holds fewer records than it says)`);
      out.push(plain(r.value));
      at = r.offset;
    }
    pos = dataEnd + 16;
  }
  return out;
};
