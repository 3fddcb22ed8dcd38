/**
 * readText with encodings beyond Node's own (bytes written by CPython, lines as Dask's read_text
 * gives them: fixtures/make_bag_extras.py), readJson (JSON Lines), and readAvro of container
 * files written here with avsc (null and deflate codecs, many small blocks) — the records read
 * back are the records written, whatever the block ranges.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSequence, readAvro, readJson, readText } from '../src/index';
import { EXTRAS } from './fixtures';
import { SCHEDULERS } from './helpers';

interface Encoded {
  codec: string;
  bytes: string;
  lines: string[];
  blocksize?: number;
}
const ENC = (EXTRAS as unknown as { encodings: Record<string, Encoded> }).encodings;

const SCHEMA = {
  type: 'record',
  name: 'Reading',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'station', type: 'string' },
    { name: 'value', type: 'double' },
    { name: 'ok', type: 'boolean' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B', 'C'] } },
    { name: 'tags', type: { type: 'array', items: 'int' } },
    { name: 'attrs', type: { type: 'map', values: 'float' } },
    { name: 'raw', type: 'bytes' },
    { name: 'pos', type: { type: 'record', name: 'Pos', fields: [{ name: 'x', type: 'int' }, { name: 'y', type: 'int' }] } },
  ],
} as const;

/** Record i: every field a function of i, so the expected values are known without reading anything. */
function record(i: number) {
  return {
    id: i * 1_000_003 - 40_000_000,
    station: `st-${i % 7}-ü`,
    value: i / 8 - 3,
    ok: i % 3 === 0,
    note: i % 4 === 0 ? null : `n${i}`,
    kind: ['A', 'B', 'C'][i % 3],
    tags: Array.from({ length: i % 4 }, (_, k) => i + k),
    attrs: i % 2 ? { a: 0.5, b: i } : {},
    raw: Buffer.from([i & 255, (i >> 8) & 255]),
    pos: { x: i, y: i === 0 ? 0 : -i }, // an Avro int has no -0
  };
}
/** What readAvro gives for record(i): plain objects, bytes as Uint8Array. */
const expected = (i: number) => ({ ...record(i), raw: new Uint8Array([i & 255, (i >> 8) & 255]) });

let dir: string;
const N = 300;

function writeAvro(path: string, n: number, opts: { codec?: string; blockSize?: number; codecs?: Record<string, (b: Buffer, cb: (e: Error | null, b?: Buffer) => void) => void> }): Promise<void> {
  return new Promise((resolve, reject) => {
    const enc = avro.createFileEncoder(path, SCHEMA as unknown as avro.Schema, opts as never);
    enc.on('error', reject);
    enc.on('finish', () => setTimeout(resolve, 20));
    for (let i = 0; i < n; i++) enc.write(record(i));
    enc.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-bag-readers-'));
  for (const [name, e] of Object.entries(ENC)) writeFileSync(join(dir, `${name}.txt`), Buffer.from(e.bytes, 'base64'));
  writeFileSync(join(dir, 'a.jsonl'), '{"a": 1, "b": [1, 2]}\n\n"text"\n  \n3.5\nnull\n{"é": true}');
  writeFileSync(join(dir, 'b.jsonl'), '[1, 2]\n{"broken": \n');
  await writeAvro(join(dir, 'plain.avro'), N, { blockSize: 300 });
  await writeAvro(join(dir, 'deflate.avro'), N, { codec: 'deflate', blockSize: 500 });
  await writeAvro(join(dir, 'one.avro'), 1, {});
  await writeAvro(join(dir, 'none.avro'), 0, {});
  await writeAvro(join(dir, 'snappy.avro'), 3, { codec: 'snappy', codecs: { snappy: (b, cb) => cb(null, b) } });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('readers (%s)', (_s, opts) => {
  it.each(Object.keys(ENC))('readText decodes %s as Dask does', async (name) => {
    const e = ENC[name];
    const b = readText(join(dir, `${name}.txt`), { encoding: e.codec, ...(e.blocksize ? { blocksize: e.blocksize } : {}) });
    expect(await b.compute(opts)).toEqual(e.lines);
  });

  it('encodings: unknown ones and blocks of UTF-16 are refused; toTextFiles writes with iconv-lite too', async () => {
    expect(() => readText(join(dir, 'cp1252.txt'), { encoding: 'klingon' })).toThrow(/unknown encoding 'klingon'/);
    expect(() => readText(join(dir, 'utf-16le.txt'), { encoding: 'utf-16le', blocksize: 100 })).toThrow(/blocksize needs an encoding in which the line delimiter is ASCII bytes/);
    const out = join(dir, `cp1252-out-${_s}`);
    const lines = ENC.cp1252.lines.map((l) => l.replace(/\n$/, ''));
    await fromSequence(lines, { npartitions: 1 }).toTextFiles(join(out, '*.txt'), { ...opts, encoding: 'cp1252' });
    expect(readFileSync(join(out, '0.txt')).toString('base64')).toBe(ENC.cp1252.bytes);
    await expect(fromSequence(['x'], { npartitions: 1 }).toTextFiles(join(out, 'k-*.txt'), { ...opts, encoding: 'klingon' })).rejects.toThrow(/unknown encoding 'klingon'/);
  });

  it('readJson: one value per line, blank lines skipped, a bad line named', async () => {
    expect(await readJson(join(dir, 'a.jsonl')).compute(opts)).toEqual([{ a: 1, b: [1, 2] }, 'text', 3.5, null, { é: true }]);
    expect(await readJson(join(dir, 'a.jsonl'), { blocksize: 9 }).compute(opts)).toEqual([{ a: 1, b: [1, 2] }, 'text', 3.5, null, { é: true }]);
    await expect(readJson(join(dir, '*.jsonl')).compute(opts)).rejects.toThrow(/in Bag\.flatMap \(partition 1, element 1\): readJson: a line is not valid JSON .*"\{\\"broken\\":"/);
  });

  it('readAvro: every record of every block, in order, as plain values (null and deflate codecs)', async () => {
    const all = Array.from({ length: N }, (_, i) => expected(i));
    expect(await readAvro(join(dir, 'plain.avro')).compute(opts)).toEqual(all);
    const both = readAvro([join(dir, 'deflate.avro'), join(dir, 'one.avro')]);
    expect(both.npartitions).toBe(2);
    expect(await both.compute(opts)).toEqual([...all, expected(0)]);
    const got = (await readAvro(join(dir, 'plain.avro')).take(1, opts))[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(got.raw).toBeInstanceOf(Uint8Array);
  });

  it('readAvro with blocksize: ranges cut at sync markers hold every record once, whatever the size', async () => {
    const all = Array.from({ length: N }, (_, i) => expected(i));
    for (const file of ['plain.avro', 'deflate.avro']) {
      for (const blocksize of [61, 1000, 4096, '1MB']) {
        const b = readAvro(join(dir, file), { blocksize });
        expect(await b.compute(opts)).toEqual(all);
      }
    }
    expect(readAvro(join(dir, 'plain.avro'), { blocksize: 1000 }).npartitions).toBeGreaterThan(3);
    // Ranges can come out empty (no block starts in them); the records still add up.
    expect(await readAvro(join(dir, 'plain.avro'), { blocksize: 50 }).pluck('id').count().compute(opts)).toBe(N);
  });

  it('readAvro refuses what it cannot read, by name', async () => {
    expect(() => readAvro(join(dir, 'snappy.avro'))).toThrow(/uses the 'snappy' codec; only 'null' and 'deflate' are supported/);
    expect(() => readAvro(join(dir, 'a.jsonl'))).toThrow(/is not an Avro object container file/);
    // avsc writes nothing at all for no records; fastavro (Dask) fails on such a file too.
    expect(() => readAvro(join(dir, 'none.avro'))).toThrow(/is empty \(0 bytes\)/);
    expect(() => readAvro(join(dir, 'plain.avro'), { compression: 'gzip' } as never)).toThrow(/compression/);
    expect(() => readAvro(join(dir, 'nothing-*.avro'))).toThrow(/no files match/);
    const cut = join(dir, `cut-${_s}.avro`);
    const bytes = readFileSync(join(dir, 'plain.avro'));
    writeFileSync(cut, bytes.subarray(0, bytes.length - 40));
    await expect(readAvro(cut).compute(opts)).rejects.toThrow(/truncated or corrupt/);
  });
});
