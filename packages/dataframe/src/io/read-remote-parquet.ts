/**
 * readParquet's remote sources (Blob, File, Response, http(s) URL): the footer is read first with
 * a small tail fetch, then tasks read only the column chunks of the row groups kept, each with one
 * range read. Footers read here are kept for the tasks of this thread (a URL's footer is not
 * fetched again by every piece).
 */
import type { FileMetaData } from 'hyparquet';
import { PARSERS } from './parquet/decoding';
import { asyncBufferOf, remoteList, resolveSource, type RemoteInput, type SourceRef } from './remote-source';

/** Bytes fetched from a source's end to find its footer (hyparquet fetches more when the footer is larger). */
const FOOTER_FETCH = 1 << 16;
const KEEP = 64;
const footers = new Map<string, FileMetaData>();

/** A footer read before, by source token. */
export function knownFooter(ref: SourceRef): FileMetaData | undefined {
  return footers.get(ref.token);
}

function keepFooter(token: string, meta: FileMetaData): void {
  footers.delete(token);
  footers.set(token, meta);
  if (footers.size > KEEP) footers.delete(footers.keys().next().value as string);
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
  let meta: FileMetaData;
  try {
    meta = await parquetMetadataAsync(asyncBufferOf(ref), { parsers: PARSERS, initialFetchSize: FOOTER_FETCH });
  } catch (e) {
    throw new Error(`readParquet: ${ref.label} is not a readable Parquet file: ${(e as Error).message}`);
  }
  keepFooter(ref.token, meta);
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
    if (typeof Response === 'undefined' || !(x instanceof Response)) return x;
    const ref = await resolveSource('readParquet', x);
    const blob = (ref as { blob: Blob }).blob;
    return typeof File === 'undefined' ? blob : new File([blob], ref.label);
  };
  return (Array.isArray(input) ? await Promise.all(input.map(one)) : await one(input)) as T;
}
