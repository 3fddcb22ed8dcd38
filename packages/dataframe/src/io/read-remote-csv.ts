/**
 * readCsv's remote sources (Blob, File, Response, http(s) URL): the first bytes of each source are
 * fetched to find its header and infer the column types, with the same reader as for files (the
 * bytes held under the source's name, io/byte-files.ts); the tasks read their blocks by range reads.
 */
import type { DataFrame } from '../frame';
import { holdWindow, WindowMissError } from './byte-files';
import { readCsv, type ReadCsvOptions } from './read-csv';
import { readRange, remoteList, resolveSource } from './remote-source';

/** The most read up front before a larger head is fetched (the header and the sample usually fit). */
const HEAD = 1 << 20;

export async function readCsvRemote(input: unknown, options?: ReadCsvOptions): Promise<DataFrame> {
  const refs = await Promise.all(remoteList('readCsv', input).map((s) => resolveSource('readCsv', s)));
  // Labels name the sources in messages and the path column: two sources of the same name are numbered.
  const labels = refs.map((r, i) => (refs.findIndex((q) => q.label === r.label) === i ? r.label : `${r.label} (${i})`));
  const sample = typeof options?.sampleBytes === 'number' ? options.sampleBytes : 256 * 1024;
  for (let want = Math.max(HEAD, sample + (1 << 17)); ; want *= 4) {
    const heads = await Promise.all(refs.map((r) => readRange(r, 0, want)));
    const releases: (() => void)[] = [];
    let planned: Promise<DataFrame>;
    try {
      refs.forEach((r, i) => releases.push(holdWindow(labels[i], r.size, 0, heads[i])));
      // readCsv reads the held bytes synchronously (it awaits nothing), so they are released right after.
      planned = readCsv(labels, options, { labels, refs });
    } finally {
      releases.forEach((f) => f());
    }
    try {
      return await planned;
    } catch (e) {
      if (!(e instanceof WindowMissError) || refs.every((r) => r.size <= want)) throw e;
    }
  }
}
