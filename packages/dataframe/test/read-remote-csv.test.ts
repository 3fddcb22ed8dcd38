/**
 * readCsv from a URL (Range requests to a loopback server), a Blob, a File and a Response: the same
 * frames as readCsv of the same files by path (blocks cut mid-line, a long last line, skipped rows,
 * gzip, an encoding read whole), blocks fetched by range (not the whole file per block), and
 * malformed lines named with the source and line number.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { startServer, type LoopbackServer } from './browser-page';
import { SCHEDULERS } from './helpers';

const ROWS = 3000;
let dir: string;
let server: LoopbackServer;
const files: Record<string, Uint8Array<ArrayBuffer>> = {};

function text(): string {
  const lines = ['id,name,value,flag'];
  for (let i = 0; i < ROWS; i++) lines.push(`${i},g${i % 3},${i % 7 === 0 ? '' : i / 4},${i % 2 === 0 ? 'True' : 'False'}`);
  // A last line far longer than a block's look-ahead.
  lines.push(`${ROWS},${'x'.repeat(300_000)},1.5,True`);
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-remote-csv-'));
  const plain = new TextEncoder().encode(text());
  files['data.csv'] = plain;
  files['data.csv.gz'] = new Uint8Array(gzipSync(plain));
  files['skip.csv'] = new TextEncoder().encode('# note\n# more\nid,v\n1,2\n3,4\n5,6\n');
  files['bad.csv'] = new TextEncoder().encode('a,b\n1,2\n3,4\n5\n7,8\n');
  files['latin1.csv'] = new Uint8Array(readFileSync(new URL('./fixtures/csv/latin1.csv', import.meta.url)));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  server = await startServer(Object.fromEntries(Object.entries(files).map(([name, body]) => [`/${name}`, { body }])));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

const cells = (s: dd.LocalSeries): unknown[] => Array.from({ length: s.length }, (_, i) => {
  const v = s.at(i);
  return typeof v === 'number' && Number.isNaN(v) ? null : v;
});
const columnsOf = (f: dd.LocalFrame): Record<string, unknown[]> => Object.fromEntries(f.columns.map((k) => [k, cells(f.col(k))]));

describe.each(SCHEDULERS)('readCsv from remote sources (%s)', (_s, opts) => {
  it.each([
    ['data.csv', { blocksize: 10_000 }],
    ['data.csv.gz', {}],
    ['skip.csv', { comment: '#' }],
    ['latin1.csv', { encoding: 'latin1' }],
  ] as [string, dd.ReadCsvOptions][])('%s from a URL, a Blob and a File equals the path', async (name, o) => {
    const fromPath = await dd.readCsv(join(dir, name), o);
    const want = columnsOf(await fromPath.compute(opts));
    // A Blob has no name to infer the compression from: it is given.
    const inputs: [string, dd.CsvInput, dd.ReadCsvOptions][] = [
      ['URL', `${server.url}/${name}`, o],
      ['Blob', new Blob([files[name]]), name.endsWith('.gz') ? { ...o, compression: 'gzip' } : o],
      ['File', new File([files[name]], name), o],
    ];
    for (const [what, input, oo] of inputs) {
      const df = await dd.readCsv(input, oo);
      expect(df.npartitions, what).toBe(fromPath.npartitions);
      expect(df.dtypes, what).toEqual(fromPath.dtypes);
      expect(columnsOf(await df.compute(opts)), `${name} ${what}`).toEqual(want);
    }
  });

  it('values from first principles, in blocks cut mid-line', async () => {
    const df = await dd.readCsv(`${server.url}/data.csv`, { blocksize: 7777 });
    expect(df.npartitions).toBeGreaterThan(5);
    const r = await df.compute(opts);
    expect(cells(r.col('id'))).toEqual(Array.from({ length: ROWS + 1 }, (_, i) => i));
    expect(cells(r.col('value')).slice(0, 8)).toEqual([null, 0.25, 0.5, 0.75, 1, 1.25, 1.5, null]);
    expect((cells(r.col('name'))[ROWS] as string).length).toBe(300_000);
  });
});

describe('readCsv bytes and errors (sync)', () => {
  const opts = { scheduler: 'sync' } as const;

  it('each block fetches its range and a little more, not the whole file', async () => {
    const df = await dd.readCsv(`${server.url}/data.csv`, { blocksize: 10_000 });
    server.log.length = 0;
    // head() computes the first block only.
    expect(cells((await df.head(3, opts)).col('id'))).toEqual([0, 1, 2]);
    const size = files['data.csv'].length;
    expect(server.log.length).toBeGreaterThan(0);
    for (const r of server.log) {
      expect(r.status).toBe(206);
      expect(r.bytes).toBeLessThan(size / 2);
    }
  });

  it('an unnamed gzip Blob without compression given fails naming the Blob', async () => {
    await expect(dd.readCsv(new Blob([files['data.csv.gz']]))).rejects.toThrow(/cannot parse the first lines of Blob\(\d+ bytes\)/);
  });

  it('a Response is read once, its body kept', async () => {
    const df = await dd.readCsv(new Response(new Blob([files['skip.csv']])), { comment: '#' });
    expect(columnsOf(await df.compute(opts))).toEqual({ id: [1, 3, 5], v: [2, 4, 6] });
  });

  it('a malformed line is named with the source and its line', async () => {
    const df = await dd.readCsv(`${server.url}/bad.csv`);
    await expect(df.compute(opts)).rejects.toThrow(/bad\.csv:4/);
  });
});
