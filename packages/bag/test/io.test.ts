import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSequence, readText } from '../src/index';
import { lcg, SCHEDULERS } from './helpers';

let dir: string;
const rand = lcg(3);
/** Lines of varied length (some empty, some long), the last without a newline. */
const lines = Array.from({ length: 400 }, (_, i) => (i % 17 === 0 ? '' : `line ${i} ` + 'é'.repeat(Math.floor(rand() * 60))));
const text = lines.join('\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-bag-io-'));
  writeFileSync(join(dir, 'a.txt'), text);
  writeFileSync(join(dir, 'b.txt'), 'x\ny\n');
  writeFileSync(join(dir, 'c.txt.gz'), gzipSync(Buffer.from(text)));
  writeFileSync(join(dir, 'empty.txt'), '');
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

/** Dask's read_text keeps each line's delimiter. */
const withNewlines = (ls: string[]) => ls.map((l, i) => (i < ls.length - 1 ? `${l}\n` : l));

describe.each(SCHEDULERS)('readText (%s)', (_s, opts) => {
  it('reads whole files, one partition each, lines keeping their newline', async () => {
    const b = readText([join(dir, 'a.txt'), join(dir, 'b.txt')]);
    expect(b.npartitions).toBe(2);
    expect(await b.compute(opts)).toEqual([...withNewlines(lines), 'x\n', 'y\n']);
  });

  it('byte-range blocks hold every line exactly once, whatever the block size', async () => {
    const size = Buffer.byteLength(text);
    for (const blocksize of [1, 7, 64, 1000, size - 1, size, size * 2]) {
      const b = readText(join(dir, 'a.txt'), { blocksize });
      expect(b.npartitions).toBe(Math.max(1, Math.ceil(size / blocksize)));
      expect(await b.compute(opts)).toEqual(withNewlines(lines));
    }
    expect(readText(join(dir, 'a.txt'), { blocksize: '1kB' }).npartitions).toBe(Math.ceil(size / 1000));
    expect(await readText(join(dir, 'empty.txt'), { blocksize: 10 }).compute(opts)).toEqual([]);
  });

  it('gzip (inferred from .gz or explicit), globs, and refusing blocks of compressed files', async () => {
    expect(await readText(join(dir, 'c.txt.gz')).compute(opts)).toEqual(withNewlines(lines));
    const g = readText(join(dir, '*.txt'));
    expect(g.npartitions).toBe(3);
    expect((await g.compute(opts)).length).toBe(lines.length + 2);
    expect(() => readText(join(dir, 'c.txt.gz'), { blocksize: 100 })).toThrow(/cannot split compressed file/);
    expect(() => readText(join(dir, 'nothing-*.txt'))).toThrow(/no files match/);
    expect(() => readText(join(dir, 'missing.txt'))).toThrow(/no such file/);
    expect(() => readText(join(dir, 'a.txt'), { blocksize: 'lots' })).toThrow(/byte size/);
  });

  it('toTextFiles writes one file per partition and reads back the same lines', async () => {
    const out = join(dir, `out-${_s}`);
    const b = fromSequence(['a', 'b', 'c', 'd', 'e'], { npartitions: 2 });
    const paths = await b.toTextFiles(join(out, '*.txt'), opts);
    expect(paths).toEqual([join(out, '0.txt'), join(out, '1.txt')]);
    expect(readFileSync(paths[0], 'utf8')).toBe('a\nb\nc');
    expect(readFileSync(paths[1], 'utf8')).toBe('d\ne');
    const back = await readText(join(out, '*.txt')).map((l) => l.trimEnd()).compute(opts);
    expect(back).toEqual(['a', 'b', 'c', 'd', 'e']);
    const gz = await b.map((x) => x.toUpperCase()).toTextFiles(join(out, 'part-*.txt.gz'), { ...opts, lastEndline: true });
    expect(gunzipSync(readFileSync(gz[1])).toString()).toBe('D\nE\n');
    expect(await readText(gz).compute(opts)).toEqual(['A\n', 'B\n', 'C\n', 'D\n', 'E\n']);
  });
});
