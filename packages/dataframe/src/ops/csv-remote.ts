/**
 * Reading one block of a remote CSV source (a Blob, File or http(s) URL): the block's byte range
 * and a little more are fetched with one range read and held while the synchronous block reader
 * (csv.ts) runs over them; a line running past the window fetches a larger one.
 */
import { holdWindow, WindowMissError } from '../io/byte-files';
import { readRange, type SourceRef } from '../io/remote-source';
import { readCsvBlock, type CsvBlock } from './csv';
import type { Part } from './part';

/** Bytes fetched past a block's end: the reader looks this far ahead for its last line's end. */
const AHEAD = 1 << 17;

export const readCsvRemoteBlock = async (b: CsvBlock, ref: SourceRef): Promise<Part> => {
  let from = b.whole ? 0 : Math.max(0, b.start - 1);
  let to = b.whole ? ref.size : Math.min(ref.size, b.end + AHEAD);
  for (;;) {
    const bytes = await readRange(ref, from, to);
    const release = holdWindow(b.path, ref.size, from, bytes);
    try {
      return readCsvBlock(b);
    } catch (e) {
      if (!(e instanceof WindowMissError) || (from === 0 && to >= ref.size)) throw e;
      // Before the window: an error message counting lines from the start of the source.
      if (e.needed < from) from = 0;
      else to = Math.min(ref.size, to + Math.max(to - from, 1 << 20));
    } finally {
      release();
    }
  }
};
