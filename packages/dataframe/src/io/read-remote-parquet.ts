/**
 * readParquet's remote sources (Blob, File, Response, http(s) URL): the footer is read first with
 * a small tail fetch, then tasks read only the column chunks of the row groups kept, each with one
 * range read. Footers read here are kept for the tasks of this thread (a URL's footer is not
 * fetched again by every piece).
 */
import type { FileMetaData } from 'hyparquet';
import { PARSERS } from './parquet/decoding';
import { asyncBufferOf, isResponse, remoteList, resolveSource, type RemoteInput, type SourceRef } from './remote-source';

/** Bytes fetched from a source's end to find its footer (hyparquet fetches more when the footer is larger). */
const FOOTER_FETCH = 1 << 16;
const KEEP = 64;
const footers = new Map<string, FileMetaData>();
/** The tail fetched with each footer: the last row group's chunks often lie in it, and are not fetched again. */
const tails = new Map<string, { start: number; bytes: Uint8Array }>();

/** A footer read before, by source token. */
export function knownFooter(ref: SourceRef): FileMetaData | undefined {
  return footers.get(ref.token);
}

function keepFooter(token: string, meta: FileMetaData, tail: { start: number; bytes: Uint8Array } | undefined): void {
  footers.delete(token);
  footers.set(token, meta);
  if (tail) tails.set(token, tail);
  if (footers.size > KEEP) {
    const oldest = footers.keys().next().value as string;
    footers.delete(oldest);
    tails.delete(oldest);
  }
}

/** hyparquet's AsyncBuffer over a source, serving ranges within the kept tail from memory. */
export function pieceBuffer(ref: SourceRef): { byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> } {
  const base = asyncBufferOf(ref);
  const tail = tails.get(ref.token);
  return {
    byteLength: ref.size,
    slice: async (start, end = ref.size) => (tail && start >= tail.start && end <= ref.size ? (tail.bytes.slice(start - tail.start, end - tail.start).buffer as ArrayBuffer) : base.slice(start, end)),
  };
}

export interface RemoteFile {
  path: string;
  hive: [string, string | null][];
  size: number;
  mtime: number;
  meta: FileMetaData;
  source: SourceRef;
}

/** The footer of a source, read with range reads (or taken from those read before). */
export async function remoteFooter(ref: SourceRef): Promise<FileMetaData> {
  const known = footers.get(ref.token);
  if (known) return known;
  const { parquetMetadataAsync } = await import('hyparquet');
  const base = asyncBufferOf(ref);
  let tail: { start: number; bytes: Uint8Array } | undefined;
  // The widest read that reaches the end (hyparquet reads more when the footer is larger than the first read).
  const recording = {
    byteLength: ref.size,
    slice: async (start: number, end = ref.size): Promise<ArrayBuffer> => {
      const b = await base.slice(start, end);
      if (end >= ref.size && (!tail || start < tail.start)) tail = { start, bytes: new Uint8Array(b) };
      return b;
    },
  };
  let meta: FileMetaData;
  try {
    meta = await parquetMetadataAsync(recording, { parsers: PARSERS, initialFetchSize: FOOTER_FETCH });
  } catch (e) {
    throw new Error(`readParquet: ${ref.label} is not a readable Parquet file: ${(e as Error).message}`);
  }
  keepFooter(ref.token, meta, tail);
  return meta;
}

/** The files of a remote input, with their footers. */
export async function openRemoteFiles(input: unknown): Promise<RemoteFile[]> {
  const sources: RemoteInput[] = remoteList('readParquet', input);
  return Promise.all(
    sources.map(async (s) => {
      const ref = await resolveSource('readParquet', s);
      return { path: ref.label, hive: [], size: ref.size, mtime: 0, meta: await remoteFooter(ref), source: ref };
    }),
  );
}

/**
 * A Response's body as a File named by its URL (a body can be read only once, and the query
 * planner reads the input again); other sources as they are.
 */
export async function settleResponses<T>(input: T): Promise<T> {
  const one = async (x: unknown): Promise<unknown> => {
    if (!isResponse(x)) return x;
    const ref = await resolveSource('readParquet', x);
    const blob = (ref as { blob: Blob }).blob;
    return typeof File === 'undefined' ? blob : new File([blob], ref.label);
  };
  return (Array.isArray(input) ? await Promise.all(input.map(one)) : await one(input)) as T;
}
