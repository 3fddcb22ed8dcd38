/**
 * readText: lines of text files as a bag. Files are listed and sized now (as Dask does, so the
 * graph knows its partitions); reading happens in the tasks, one file or one byte-range block per
 * partition.
 */
import type { Stats } from 'node:fs';
import { checkOptions, layerNode, lit, tokenize, type OptionSchema } from '@pdask/core';
import { Bag } from '../bag';
import { BagLayer, partitionKey } from '../graph';
import { NO_STORAGE_OPTIONS } from '../options';
import { sourcePipe } from '../pipe';
import { bagOps } from '../ops';
import { delimiterIsAsciiBytes, isKnownEncoding } from '../ops/encoding';
import type { Compression } from '../ops/io';
import { parseBytes } from '@pdask/core';
import { lazyBuiltin } from '@pdask/core';
import { lazyPackage } from '../node-package';
const nodeFs = lazyBuiltin<typeof import('node:fs')>('node:fs', 'reading files');
const nodePath = lazyBuiltin<typeof import('node:path')>('node:path', 'reading files');
const glob = lazyPackage<typeof import('tinyglobby')>('tinyglobby', 'reading files by pattern');

export interface ReadTextOptions {
  /**
   * Split files into blocks of about this many bytes (a number, or text like '64MB'), cut at line
   * delimiters; default: one partition per file. Not possible for compressed files.
   */
  blocksize?: number | string;
  /** 'infer' (default: '.gz' means gzip), 'gzip', or null for none. */
  compression?: 'infer' | 'gzip' | null;
  /**
   * Default 'utf8'. Node's encodings, and every encoding iconv-lite knows ('cp1252', 'shift_jis',
   * 'utf-16' with a BOM, 'koi8-r', 'gb18030' …). Blocks (`blocksize`) need an encoding in which the
   * line delimiter is its ASCII bytes (not UTF-16/32).
   */
  encoding?: string;
  /** Default '\n'. Lines keep their delimiter, as in Dask. */
  lineDelimiter?: string;
  /** Not supported yet: pairs of (line, path) (Dask's `include_path`). */
  includePath?: never;
  /** Not supported yet: several files in one partition. */
  filesPerPartition?: never;
  /** Not supported: decoding errors are replaced, as Node's Buffer decodes (Dask's `errors`). */
  errors?: never;
  /** Not supported: the result is always a Bag (Dask's `collection=False` returns delayed values). */
  collection?: never;
  /** Not supported: local files only. */
  storageOptions?: never;
}

const notYet = { unsupported: 'not implemented yet' } as const;

export const READ_TEXT_OPTIONS: OptionSchema<ReadTextOptions> = {
  blocksize: (v) => (v === null || typeof v === 'number' || typeof v === 'string' ? undefined : "a number of bytes, a size like '64MB', or null"),
  compression: { oneOf: ['infer', 'gzip', null] },
  encoding: 'string',
  lineDelimiter: 'string',
  includePath: notYet,
  filesPerPartition: notYet,
  errors: { unsupported: "text is decoded as Node's Buffer decodes it (invalid bytes replaced); there is no strict mode" },
  collection: { unsupported: 'the result is always a Bag (use bag.toDelayed() for one Delayed per partition)' },
  storageOptions: NO_STORAGE_OPTIONS,
};

/**
 * Matches of a glob pattern, sorted as Dask sorts them (by code point, so `10.part` before `2.part`:
 * toTextFiles pads its numbers). The static leading directories become the search root:
 * tinyglobby matches patterns relative to a directory, not absolute or '../' ones.
 */
function globFiles(pattern: string): string[] {
  const segments = nodePath.resolve(pattern).split(nodePath.sep);
  const first = segments.findIndex((s) => glob.isDynamicPattern(s));
  const cwd = segments.slice(0, first).join(nodePath.sep) || nodePath.sep;
  return glob.globSync(segments.slice(first).join('/'), { cwd, absolute: true, onlyFiles: true }).sort(byCodePoints);
}

/**
 * Python's `sorted` order of strings (by code point), which Dask's glob expansion uses. UTF-8
 * bytes sort in code-point order; JavaScript's default sort compares UTF-16 units, which puts
 * characters beyond U+FFFF before U+E000–U+FFFF.
 */
export function byCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Files named by paths and glob patterns, each pattern's matches sorted. */
/** A file's stat, its (path, size, mtime) added to the stamps that name the reading graph; a clear error if it is missing or not a file. */
export function statInput(path: string, fn: string, stamps: unknown[]): Stats {
  let st: Stats;
  try {
    st = nodeFs.statSync(path);
  } catch {
    throw new Error(`${fn}: no such file '${path}'`);
  }
  if (!st.isFile()) throw new Error(`${fn}: '${path}' is not a file`);
  stamps.push([path, st.size, st.mtimeMs]);
  return st;
}

export function expandPaths(paths: string | readonly string[], fn: string): string[] {
  const list = typeof paths === 'string' ? [paths] : paths;
  if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === 'string')) {
    throw new TypeError(`${fn}: expected a path, a glob pattern or a non-empty array of them`);
  }
  const out: string[] = [];
  for (const p of list) {
    if (glob.isDynamicPattern(p)) {
      const found = globFiles(p);
      if (found.length === 0) throw new Error(`${fn}: no files match '${p}'`);
      out.push(...found);
    } else {
      out.push(nodePath.resolve(p));
    }
  }
  return out;
}

function compressionOf(path: string, c: ReadTextOptions['compression']): Compression {
  if (c === undefined || c === 'infer') return path.endsWith('.gz') ? 'gzip' : null;
  if (c === null || c === 'gzip') return c;
  throw new RangeError(`readText: unsupported compression '${String(c)}' (supported: 'infer', 'gzip', null)`);
}

export function readText(paths: string | readonly string[], options?: ReadTextOptions): Bag<string> {
  const opts = checkOptions('readText', options, READ_TEXT_OPTIONS);
  const files = expandPaths(paths, 'readText');
  const encoding = opts.encoding ?? 'utf8';
  if (!isKnownEncoding(encoding)) throw new RangeError(`readText: unknown encoding '${String(encoding)}' (neither Node nor iconv-lite knows it)`);
  const delimiter = opts.lineDelimiter ?? '\n';
  if (typeof delimiter !== 'string' || delimiter === '') throw new TypeError('readText: lineDelimiter must be a non-empty string');
  const blocksize = opts.blocksize === undefined || opts.blocksize === null ? undefined : parseBytes(opts.blocksize, 'readText (blocksize)');
  if (blocksize === 0) throw new RangeError('readText (blocksize): must be at least 1 byte, got 0');
  if (blocksize !== undefined && !delimiterIsAsciiBytes(delimiter, encoding)) {
    throw new RangeError(`readText: blocksize needs an encoding in which the line delimiter is ASCII bytes; in '${encoding}' it is not, so blocks cannot be cut safely. Leave blocksize unset to read each file whole`);
  }
  const blocks: [path: string, start: number, end: number, compression: Compression][] = [];
  const stamps: unknown[] = [];
  for (const path of files) {
    const st = statInput(path, 'readText', stamps);
    const compression = compressionOf(path, opts.compression);
    if (blocksize === undefined) {
      blocks.push([path, 0, -1, compression]);
      continue;
    }
    if (compression) throw new Error(`readText: cannot split compressed file '${path}' into blocks; gzip is not seekable. Leave blocksize unset to read it whole`);
    for (let start = 0; start < st.size || start === 0; start += blocksize) blocks.push([path, start, Math.min(start + blocksize, st.size), compression]);
  }
  const name = `read-text-${tokenize(stamps, blocksize, opts.compression ?? 'infer', encoding, delimiter)}`;
  const layer = new BagLayer(name, 'read-text', function* () {
    for (let i = 0; i < blocks.length; i++) {
      const [path, start, end, compression] = blocks[i];
      yield bagOps.readTextBlock.task(partitionKey(name, i), lit(path), lit(start), lit(end), lit(compression), lit(encoding), lit(delimiter));
    }
  });
  // Element-wise operations and reductions that follow cut the lines as they consume them.
  const source = sourcePipe({ kind: 'lines', arg: (i) => lit([...blocks[i], encoding, delimiter]), parents: [] });
  return new Bag<string>(name, blocks.length, layerNode(layer), source);
}
