/**
 * Sources the readers take besides paths, in Node and in browsers alike: a `Blob` (a `File` from an
 * `<input type="file">`), a `Response`, or an http(s) URL read with HTTP Range requests, so that a
 * reader fetches only the byte ranges it needs (a Parquet footer, then the column chunks of the row
 * groups kept). A source is resolved once when the graph is built (its size, and for a Response its
 * body as a Blob); tasks then read ranges of it.
 */

/** What the readers accept besides paths. */
export type RemoteInput = Blob | URL | Response | string;

/** A source ready for range reads: what a task carries. */
export type SourceRef =
  | { readonly kind: 'url'; readonly url: string; readonly size: number; readonly label: string; readonly token: string }
  | { readonly kind: 'blob'; readonly blob: Blob; readonly size: number; readonly label: string; readonly token: string };

const isBlob = (x: unknown): x is Blob => typeof Blob !== 'undefined' && x instanceof Blob;
// Node defines Response lazily: its first mention loads the built-in fetch (undici), 30 ms on
// the calling thread before the first task of a readParquet of paths. Only objects are checked.
export const isResponse = (x: unknown): x is Response => typeof x === 'object' && x !== null && typeof Response !== 'undefined' && x instanceof Response;
const isUrlText = (x: unknown): x is string => typeof x === 'string' && /^https?:\/\//i.test(x);

/** Whether `x` is one source the readers read without a file system. */
export function isRemoteSource(x: unknown): x is RemoteInput {
  return isBlob(x) || isResponse(x) || x instanceof URL || isUrlText(x);
}

/** Whether a reader's input names remote sources (one, or a list of them): then it takes the remote path. */
export function isRemoteInput(x: unknown): boolean {
  return Array.isArray(x) ? x.length > 0 && x.some(isRemoteSource) : isRemoteSource(x);
}

/** The sources of an input, each checked (a list may not mix paths and remote sources). */
export function remoteList(fn: string, x: unknown): RemoteInput[] {
  const xs: unknown[] = Array.isArray(x) ? x : [x];
  xs.forEach((s, i) => {
    if (!isRemoteSource(s)) throw new TypeError(`${fn}: item ${i} of the sources is ${typeof s === 'string' ? `the path '${s}'` : typeof s}; a list holds either paths or Blob/File/Response/http(s) URLs, not both`);
  });
  return xs as RemoteInput[];
}

/** A label for messages and the path column: the URL, the File's name, or the Blob's size. */
export function sourceLabel(x: RemoteInput): string {
  if (typeof x === 'string') return x;
  if (x instanceof URL) return x.href;
  if (isResponse(x)) return x.url || 'Response';
  const name = (x as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : `Blob(${x.size} bytes)`;
}

let unversioned = 0;
const blobIds = new WeakMap<Blob, string>();
let blobCount = 0;
/** A Blob's bytes cannot change: one token per Blob object. */
function blobToken(b: Blob): string {
  let t = blobIds.get(b);
  if (t === undefined) {
    const rnd = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
    t = `blob-${++blobCount}-${rnd}`;
    blobIds.set(b, t);
  }
  return t;
}

function blobRef(blob: Blob, label: string): SourceRef {
  return { kind: 'blob', blob, size: blob.size, label, token: blobToken(blob) };
}

/**
 * Resolves a source: a Blob as it is, a Response's body read into a Blob (a body is read once and
 * cannot be ranged), a URL asked for its first byte with a Range request to learn its size (from
 * Content-Range). A server that ignores Range sends the whole file, which is then kept as a Blob.
 */
export async function resolveSource(fn: string, x: RemoteInput): Promise<SourceRef> {
  if (isBlob(x)) return blobRef(x, sourceLabel(x));
  if (isResponse(x)) {
    if (!x.ok) throw new Error(`${fn}: the Response for ${sourceLabel(x)} has status ${x.status}`);
    if (x.bodyUsed) throw new Error(`${fn}: the Response for ${sourceLabel(x)} was read already (a body is read once); pass a new Response, or the URL`);
    return blobRef(await x.blob(), sourceLabel(x));
  }
  const url = sourceLabel(x);
  let res: Response;
  try {
    res = await fetch(url, { headers: { Range: 'bytes=0-0' } });
  } catch (e) {
    throw new Error(`${fn}: cannot fetch ${url}: ${(e as Error).message}`);
  }
  if (res.status === 200) return blobRef(await res.blob(), url);
  if (res.status !== 206) throw new Error(`${fn}: ${url} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  await res.arrayBuffer();
  const total = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '')?.[1];
  if (total === undefined) throw new Error(`${fn}: ${url} answered a Range request without its size (Content-Range '${res.headers.get('content-range') ?? ''}'; a cross-origin server must expose it with Access-Control-Expose-Headers: Content-Range)`);
  // Without a version from the server, a file replaced by one of the same size must not reuse the
  // footer read before: each resolution is then a source of its own.
  const version = res.headers.get('etag') ?? res.headers.get('last-modified') ?? `unversioned ${++unversioned}`;
  return { kind: 'url', url, size: Number(total), label: url, token: `${url} ${total} ${version}` };
}

/** Bytes [start, end) of a source (one Range request for a URL). */
export async function readRange(ref: SourceRef, start: number, end: number): Promise<Uint8Array> {
  const to = Math.min(end, ref.size);
  if (to <= start) return new Uint8Array(0);
  if (ref.kind === 'blob') return new Uint8Array(await ref.blob.slice(start, to).arrayBuffer());
  let res: Response;
  try {
    res = await fetch(ref.url, { headers: { Range: `bytes=${start}-${to - 1}` } });
  } catch (e) {
    throw new Error(`cannot fetch bytes ${start}-${to - 1} of ${ref.url}: ${(e as Error).message}`);
  }
  if (res.status !== 206 && !(res.status === 200 && start === 0 && to === ref.size)) throw new Error(`fetching bytes ${start}-${to - 1} of ${ref.url}: the server answered ${res.status} instead of 206 Partial Content`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length !== to - start) throw new Error(`fetching bytes ${start}-${to - 1} of ${ref.url}: got ${bytes.length} bytes (did the file change? it had ${ref.size} bytes)`);
  return bytes;
}

/** hyparquet's AsyncBuffer over a source: every slice is one range read. */
export function asyncBufferOf(ref: SourceRef): { byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> } {
  return {
    byteLength: ref.size,
    slice: async (start, end) => {
      const b = await readRange(ref, start, end ?? ref.size);
      return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? (b.buffer as ArrayBuffer) : (b.slice().buffer as ArrayBuffer);
    },
  };
}
