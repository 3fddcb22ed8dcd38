/**
 * Counting what a computation reads from Parquet: hyparquet's file reader wrapped so that every
 * file opened and every byte sliced before the footer is counted (footer reads are not: hyparquet
 * fetches up to 512 KiB before the footer, which for a small file is all of it). Used from a test's
 * `vi.mock('hyparquet', ...)` factory with a `vi.hoisted` counter.
 */
export interface ReadCounter {
  bytes: number;
  opens: number;
}

type Hyparquet = typeof import('hyparquet');

export function countingHyparquet(real: Hyparquet, counter: ReadCounter): Hyparquet {
  return {
    ...real,
    asyncBufferFromFile: async (path: string) => {
      counter.opens++;
      const buf = await real.asyncBufferFromFile(path);
      return {
        byteLength: buf.byteLength,
        slice: async (start: number, end?: number) => {
          const out = await buf.slice(start, end);
          if (end !== undefined && end < buf.byteLength) counter.bytes += out.byteLength;
          return out;
        },
      };
    },
  };
}

/** Bytes read while `run` computes. */
export async function bytesOf(counter: ReadCounter, run: () => Promise<unknown>): Promise<number> {
  counter.bytes = 0;
  await run();
  return counter.bytes;
}

type LocalFileModule = typeof import('../src/io/parquet/local-file');

/**
 * readParquet's tasks read local files through `openLocalFile` (not hyparquet's reader): counted
 * the same way (an open per file, the bytes of every range that ends before the file's end).
 */
export function countingLocalFile(real: LocalFileModule, counter: ReadCounter): LocalFileModule {
  return {
    ...real,
    openLocalFile: (path: string) => {
      counter.opens++;
      const f = real.openLocalFile(path);
      const counted = (end: number, n: number): void => {
        if (end < f.byteLength) counter.bytes += n;
      };
      return {
        byteLength: f.byteLength,
        slice: async (start: number, end?: number) => {
          const out = await f.slice(start, end);
          counted(end ?? f.byteLength, out.byteLength);
          return out;
        },
        chunk: (start: number, end: number) => {
          const out = f.chunk(start, end);
          counted(end, out.byteLength);
          return out;
        },
        close: () => f.close(),
        mtimeMs: f.mtimeMs,
      };
    },
  };
}
