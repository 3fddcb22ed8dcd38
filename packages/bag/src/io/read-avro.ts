/**
 * readAvro (Dask's read_avro): records of Avro object container files. Headers are read now, so
 * the graph knows its partitions; each task decodes the data blocks of one byte range of a file.
 */
import { checkOptions, layerNode, lit, parseBytes, tokenize, type OptionSchema } from '@pdask/core';
import { Bag } from '../bag';
import { BagLayer, partitionKey } from '../graph';
import { bagOps } from '../ops';
import { readAvroHeader } from '../ops/avro';
import { NO_STORAGE_OPTIONS } from '../options';
import { expandPaths, statInput } from './read-text';

export interface ReadAvroOptions {
  /**
   * Split files into ranges of about this many bytes (a number, or text like '64MB'), cut at the
   * file's sync markers; null: one partition per file. Default 100 MB, as Dask.
   */
  blocksize?: number | string | null;
  /** Not supported: Avro files are compressed per block by their codec (null, deflate). */
  compression?: never;
  /** Not supported: local files only. */
  storageOptions?: never;
}

const READ_AVRO_OPTIONS: OptionSchema<ReadAvroOptions> = {
  blocksize: (v) => (v === null || typeof v === 'number' || typeof v === 'string' ? undefined : "a number of bytes, a size like '64MB', or null"),
  compression: { unsupported: "Avro files carry their own codec ('null' and 'deflate' are read); there is no whole-file compression" },
  storageOptions: NO_STORAGE_OPTIONS,
};

/** The records of Avro files (paths or glob patterns), as plain objects; bytes and fixed values as Uint8Array. */
export function readAvro<T = Record<string, unknown>>(paths: string | readonly string[], options?: ReadAvroOptions): Bag<T> {
  const opts = checkOptions('readAvro', options, READ_AVRO_OPTIONS);
  const files = expandPaths(paths, 'readAvro');
  const blocksize = opts.blocksize === null ? undefined : parseBytes(opts.blocksize ?? 100e6, 'readAvro (blocksize)');
  if (blocksize === 0) throw new RangeError('readAvro (blocksize): must be at least 1 byte, got 0');
  const ranges: [path: string, start: number, end: number, header: ReturnType<typeof readAvroHeader>][] = [];
  const stamps: unknown[] = [];
  for (const path of files) {
    const st = statInput(path, 'readAvro', stamps);
    const header = readAvroHeader(path);
    if (blocksize === undefined || st.size <= blocksize) {
      ranges.push([path, 0, -1, header]);
      continue;
    }
    for (let start = 0; start < st.size; start += blocksize) ranges.push([path, start, Math.min(start + blocksize, st.size), header]);
  }
  const name = `read-avro-${tokenize(stamps, blocksize ?? null)}`;
  const layer = new BagLayer(name, 'read-avro', function* () {
    for (let i = 0; i < ranges.length; i++) {
      const [path, start, end, h] = ranges[i];
      yield bagOps.readAvroBlock.task(partitionKey(name, i), lit(path), lit(start), lit(end), lit(h.schema), lit(h.codec), lit(h.sync), lit(h.dataStart));
    }
  });
  return new Bag<T>(name, ranges.length, layerNode(layer));
}
