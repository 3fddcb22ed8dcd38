/** toTextFiles: one text file per partition, written by the tasks. */
import { checkOptions, COMPUTE_OPTION_NAMES, lit, ref, type ComputeOptions, type OptionSchema } from '@pdask/core';
import type { Bag } from '../bag';
import { bagOps } from '../ops';
import { isKnownEncoding } from '../ops/encoding';
import { ALWAYS_COMPUTES, NO_STORAGE_OPTIONS } from '../options';
import { partitionwise } from '../partitionwise';
import { lazyBuiltin } from '@pdask/core';
const nodePath = lazyBuiltin<typeof import('node:path')>('node:path', 'toTextFiles');

export interface ToTextFilesOptions extends ComputeOptions {
  /** 'infer' (default: '.gz' means gzip), 'gzip', or null. */
  compression?: 'infer' | 'gzip' | null;
  /** Default 'utf8'; Node's encodings and iconv-lite's (as readText). */
  encoding?: string;
  /** End each file with a newline (default false, as Dask). */
  lastEndline?: boolean;
  /**
   * Text that replaces `*` for partition i (default: i zero-padded to the width of the largest
   * index, as Dask: `00` … `15` for 16 partitions, so the names sort in partition order).
   * Runs here, not on a worker.
   */
  nameFunction?: (i: number) => string;
  /** Not supported: toTextFiles always writes (Dask's `compute=False`). */
  compute?: never;
  /** Not supported: local files only. */
  storageOptions?: never;
}

const TO_TEXT_FILES_OPTIONS: OptionSchema<ToTextFilesOptions> = {
  ...COMPUTE_OPTION_NAMES,
  compression: { oneOf: ['infer', 'gzip', null] },
  encoding: 'string',
  lastEndline: 'boolean',
  nameFunction: 'function',
  compute: ALWAYS_COMPUTES,
  storageOptions: NO_STORAGE_OPTIONS,
};

/** Output paths: `dir/*.txt` patterns, an explicit list, or a directory (`dir/i.part`). */
export function outputPaths(pattern: string | readonly string[], n: number, nameFunction: (i: number) => string): string[] {
  if (Array.isArray(pattern)) {
    if (pattern.length !== n) throw new RangeError(`toTextFiles: got ${pattern.length} paths for ${n} partitions`);
    return pattern.map((p) => nodePath.resolve(String(p)));
  }
  if (typeof pattern !== 'string' || pattern === '') throw new TypeError('toTextFiles: expected a path pattern like "out/*.txt", a directory, or an array of paths');
  const stars = pattern.split('*').length - 1;
  if (stars > 1) throw new RangeError(`toTextFiles: the pattern '${pattern}' has more than one '*'`);
  const p = stars === 1 ? pattern : `${pattern.replace(/\/+$/, '')}/*.part`;
  return Array.from({ length: n }, (_, i) => nodePath.resolve(p.replace('*', nameFunction(i))));
}

/**
 * Dask's default name function (`build_name_function(n - 1)`): indices padded with zeros to the
 * digits of the largest one, so that a glob of the files, sorted as text, is in partition order.
 */
export function paddedNames(npartitions: number): (i: number) => string {
  const width = String(Math.max(0, npartitions - 1)).length;
  return (i) => String(i).padStart(width, '0');
}

export async function toTextFiles(bag: Bag<unknown>, pattern: string | readonly string[], opts: ToTextFilesOptions | undefined): Promise<string[]> {
  const { compression = 'infer', encoding = 'utf8', lastEndline = false, nameFunction = paddedNames(bag.npartitions), compute: _, storageOptions: __, ...computeOpts } = checkOptions(
    'Bag.toTextFiles',
    opts,
    TO_TEXT_FILES_OPTIONS,
  );
  const paths = outputPaths(pattern, bag.npartitions, nameFunction);
  if (new Set(paths).size !== paths.length) throw new RangeError('toTextFiles: the output paths are not distinct (check nameFunction)');
  if (compression !== 'infer' && compression !== 'gzip' && compression !== null) throw new RangeError(`toTextFiles: unsupported compression '${String(compression)}'`);
  if (!isKnownEncoding(encoding)) throw new RangeError(`toTextFiles: unknown encoding '${encoding}' (neither Node nor iconv-lite knows it)`);
  const written = partitionwise<string>([bag], {
    kind: 'to-textfiles',
    token: [paths, compression, encoding, lastEndline],
    npartitions: bag.npartitions,
    task: (key, i) => {
      const c = compression === 'infer' ? (paths[i].endsWith('.gz') ? 'gzip' : null) : compression;
      return bagOps.writeTextPartition.task(key, lit(paths[i]), ref(bag.key(i)), lit(c), lit(encoding), lit(lastEndline));
    },
  });
  return written.compute(computeOpts);
}
