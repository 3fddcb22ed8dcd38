/**
 * readParquet of paths never mentions the Response global: Node defines it lazily, and its first
 * mention loads the built-in fetch (undici), about 30 ms on the calling thread before the first
 * task. The global is replaced by a getter that counts its reads; a Response is still accepted.
 * Expected values from the formula that made the file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';

const N = 40;
const x = Float64Array.from({ length: N }, (_, i) => i * 0.5);
let dir: string;
let file: string;
const realResponse = Object.getOwnPropertyDescriptor(globalThis, 'Response');
const RealResponse = globalThis.Response;

/** Runs `f` with reads of globalThis.Response counted (the real class is still returned). */
async function countingResponse<T>(f: () => Promise<T>): Promise<{ value: T; reads: number }> {
  let reads = 0;
  Object.defineProperty(globalThis, 'Response', {
    configurable: true,
    get: () => {
      reads++;
      return RealResponse;
    },
  });
  try {
    return { value: await f(), reads };
  } finally {
    if (realResponse) Object.defineProperty(globalThis, 'Response', realResponse);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-no-fetch-'));
  await dd.fromColumns({ x }, { npartitions: 1 }).toParquet(join(dir, 'p'), { scheduler: 'sync' });
  file = join(dir, 'p', 'part.0.parquet');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readParquet of paths', () => {
  it('reads a path, a list of paths and a glob without looking up Response', async () => {
    for (const input of [file, [file], join(dir, 'p', '*.parquet')]) {
      const { value, reads } = await countingResponse(async () => {
        const df = await dd.readParquet(input);
        return df.filter(df.col('x').gt(10)).col('x').sum().compute({ scheduler: 'sync' });
      });
      // x = i / 2 for i < 40: the values above 10 are 10.5 .. 19.5, 19 of them.
      expect(value).toBe(((10.5 + 19.5) * 19) / 2);
      expect(reads).toBe(0);
    }
  });

  it('still takes a Response (read as a File)', async () => {
    const { value, reads } = await countingResponse(async () => {
      const df = await dd.readParquet(new RealResponse(readFileSync(file)) as unknown as Response);
      return df.col('x').sum().compute({ scheduler: 'sync' });
    });
    expect(value).toBe((19.5 * N) / 2);
    expect(reads).toBeGreaterThan(0);
  });
});
