/**
 * readParquet from a URL (HTTP Range requests to a loopback server that logs the bytes of every
 * answer), a Blob, a File and a Response: the same frames as reading the same files by path, the
 * pandas fixture's group-by, and projection and filters cutting the bytes fetched. Path readers in a
 * place without node:fs fail with NodeOnlyError.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as dd from '../src/index';
import { startServer, type LoopbackServer } from './browser-page';
import { expectSeries, fixture, SCHEDULERS } from './helpers';

const N = 6000;
const id = Int32Array.from({ length: N }, (_, i) => i);
// Values that do not compress: each column's chunks are about as large as its raw bytes.
const a = Float64Array.from({ length: N }, (_, i) => Math.sin(i * 1.7) * 1000);
const b = Float64Array.from({ length: N }, (_, i) => Math.cos(i * 0.3) * 1e6 + i);
const c = Float64Array.from({ length: N }, (_, i) => Math.sqrt(i + 0.5) * Math.sin(i));

let dir: string;
let server: LoopbackServer;
let bigPath: string;
let fxPath: string;
let bigBytes: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-remote-pq-'));
  // toParquet writes a directory of part.<i>.parquet files: one partition, one file.
  await dd.fromColumns({ id, a, b, c }, { npartitions: 1 }).toParquet(join(dir, 'big'), { scheduler: 'sync', rowGroupSize: 1000, compression: null });
  bigPath = join(dir, 'big', 'part.0.parquet');
  await dd.fromColumns(fixture.data, { npartitions: 1 }).toParquet(join(dir, 'fx'), { scheduler: 'sync', rowGroupSize: 128 });
  fxPath = join(dir, 'fx', 'part.0.parquet');
  bigBytes = new Uint8Array(readFileSync(bigPath));
  server = await startServer({
    '/big.parquet': { body: bigBytes },
    '/fx.parquet': { body: new Uint8Array(readFileSync(fxPath)) },
    '/plain/big.parquet': { body: bigBytes, noRanges: true },
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const cells = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => s.at(i));
const columnsOf = (f: dd.LocalFrame): Record<string, unknown[]> => Object.fromEntries(f.columns.map((k) => [k, cells(f.col(k))]));

/** Bytes the server sent for `path` while `run` ran. */
async function served(path: string, run: () => Promise<unknown>): Promise<number> {
  server.log.length = 0;
  await run();
  return server.bytesServed(path);
}

describe.each(SCHEDULERS)('readParquet from remote sources (%s)', (_s, opts) => {
  it('a URL, a Blob, a File and a Response give the frame the path gives', async () => {
    const want = columnsOf(await (await dd.readParquet(bigPath)).compute(opts));
    expect(want.id).toEqual(Array.from(id));
    expect(want.a).toEqual(Array.from(a));
    const url = `${server.url}/big.parquet`;
    const inputs: [string, () => dd.ParquetInput][] = [
      ['url string', () => url],
      ['URL', () => new URL(url)],
      ['Blob', () => new Blob([bigBytes])],
      ['File', () => new File([bigBytes], 'big.parquet')],
    ];
    if (_s === 'sync') inputs.push(['Response', () => new Response(new Blob([bigBytes]))]);
    for (const [what, input] of inputs) {
      const df = await dd.readParquet(input());
      expect(df.npartitions, what).toBe(1);
      expect(df.dtypes, what).toEqual({ id: 'int32', a: 'float64', b: 'float64', c: 'float64' });
      expect(columnsOf(await df.compute(opts)), what).toEqual(want);
    }
  });

  it('one partition per row group, columns and filters as for the path', async () => {
    const url = `${server.url}/big.parquet`;
    const o: dd.ReadParquetOptions = { columns: ['c', 'id'], filters: [['id', '>=', 2500], ['a', '>', 0]], splitRowGroups: true };
    const fromPath = await dd.readParquet(bigPath, o);
    const fromUrl = await dd.readParquet(url, o);
    // Row groups of 1000 rows: ids >= 2500 rule out groups 0 and 1 by their statistics.
    expect(fromUrl.npartitions).toBe(4);
    expect(fromPath.npartitions).toBe(4);
    const r = columnsOf(await fromUrl.compute(opts));
    expect(r).toEqual(columnsOf(await fromPath.compute(opts)));
    const keep = Array.from(id).filter((i) => i >= 2500 && a[i] > 0);
    expect(r.id).toEqual(keep);
    expect(r.c).toEqual(keep.map((i) => c[i]));
  });

  it("the pandas fixture's group-by, from a URL", async () => {
    const df = await dd.readParquet(`${server.url}/fx.parquet`);
    const g = await df.groupby('x').col('y').sum().compute(opts);
    expectSeries(g, fixture.groupby_x_y.sum, 'groupby x y sum');
    expect(columnsOf(await df.compute(opts))).toEqual(columnsOf(await (await dd.readParquet(fxPath)).compute(opts)));
  });
});

describe('bytes fetched from a URL (sync: the reads happen in this thread)', () => {
  const opts = { scheduler: 'sync' } as const;
  const path = '/big.parquet';
  const url = () => `${server.url}${path}`;

  it('every fetch after the size probe is a Range request answered 206, within the file', async () => {
    server.log.length = 0;
    await (await dd.readParquet(url())).compute(opts);
    expect(server.log[0]).toMatchObject({ range: 'bytes=0-0', status: 206, bytes: 1 });
    for (const r of server.log) {
      expect(r.status).toBe(206);
      expect(r.range).toMatch(/^bytes=\d+-\d+$/);
    }
    // The footer first (the file's last bytes), not the whole file.
    const footer = server.log[1];
    const [from] = /bytes=(\d+)-/.exec(footer.range!)!.slice(1).map(Number);
    expect(from).toBeGreaterThan(0);
    expect(footer.bytes).toBeLessThan(bigBytes.length / 4);
  });

  it('projection reads about one column of four', async () => {
    const all = await served(path, async () => (await dd.readParquet(url())).compute(opts));
    const one = await served(path, async () => (await dd.readParquet(url(), { columns: ['b'] })).compute(opts));
    // The footer and the tail fetched with it are kept from the first read (the server's ETag is
    // unchanged): the rest of the file is fetched.
    expect(all).toBeGreaterThan(bigBytes.length * 0.5);
    expect(one).toBeLessThan(all * 0.45);
    // The planner's projection pushdown (select after reading) cuts the same bytes.
    const planned = await served(path, async () => (await dd.readParquet(url())).select(['b']).compute(opts));
    expect(planned).toBeLessThan(all * 0.45);
  });

  it('filters fetch only the row groups their statistics keep', async () => {
    const all = await served(path, async () => (await dd.readParquet(url())).compute(opts));
    // id < 1000: the first of six row groups.
    let r: dd.LocalFrame | undefined;
    const some = await served(path, async () => (r = await (await dd.readParquet(url(), { filters: [['id', '<', 1000]] })).compute(opts)));
    expect(some).toBeLessThan(all * 0.3);
    expect(cells(r!.col('id'))).toEqual(Array.from(id.subarray(0, 1000)));
  });

  it('a server without Range support: the whole file once, the same frame', async () => {
    const bytes = await served('/plain/big.parquet', async () => {
      const r = await (await dd.readParquet(`${server.url}/plain/big.parquet`, { columns: ['a'] })).compute(opts);
      expect(cells(r.col('a'))).toEqual(Array.from(a));
    });
    expect(bytes).toBe(bigBytes.length);
  });

  it('a missing URL and a non-Parquet Blob fail naming the source', async () => {
    await expect(dd.readParquet(`${server.url}/missing.parquet`)).rejects.toThrow(/missing\.parquet answered 404/);
    await expect(dd.readParquet(new File([new TextEncoder().encode('a,b\n1,2\n')], 'notes.csv'))).rejects.toThrow(/notes\.csv is not a readable Parquet file/);
    await expect(dd.readParquet([`${server.url}/big.parquet`, bigPath] as never)).rejects.toThrow(/either paths or Blob/);
  });
});

describe('path readers and writers without node:fs (as in a browser)', () => {
  it('fail with NodeOnlyError naming what to use instead', async () => {
    const spy = vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
    try {
      await expect(dd.readParquet(bigPath)).rejects.toThrow(dd.NodeOnlyError);
      await expect(dd.readParquet(bigPath)).rejects.toThrow(/runs only in Node; in a browser, readParquet and readCsv take a File, Blob, Response or http\(s\) URL/);
      await expect(dd.readCsv(join(dir, 'x.csv'))).rejects.toThrow(dd.NodeOnlyError);
      const df = dd.fromColumns({ x: [1, 2] }, { npartitions: 1 });
      await expect(df.toParquet(join(dir, 'out'))).rejects.toThrow(/^toParquet \(files\) needs Node's node:path, .* it runs only in Node; in a browser/);
      await expect(df.toCsv(join(dir, 'out.csv'))).rejects.toThrow(dd.NodeOnlyError);
      // Blobs need no file system.
      const r = await (await dd.readParquet(new Blob([bigBytes]), { columns: ['id'] })).compute({ scheduler: 'sync' });
      expect(r.numRows).toBe(N);
    } finally {
      spy.mockRestore();
    }
  });
});
