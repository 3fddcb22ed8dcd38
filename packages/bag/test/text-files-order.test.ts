/**
 * toTextFiles names its files as Dask does (zero-padded, so that they sort in partition order) and
 * readText of a glob orders the files as Dask's sorted() does: writing then reading back keeps the
 * element order for any number of partitions.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSequence, range, readText } from '../src/index';
import { EXTRAS } from './fixtures';
import { SCHEDULERS } from './helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-bag-order-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeThreadPools();
});

describe.each(SCHEDULERS)('toTextFiles → readText round trip (%s)', (s, opts) => {
  it.each(Object.keys(EXTRAS.textfileNames))('%s partitions: the file names are Dask\'s and the elements come back in order', async (n) => {
    const np = Number(n);
    const out = join(dir, `${s}-${n}`);
    const b = range(np, { npartitions: np }).map((x) => String(x));
    const paths = await b.toTextFiles(join(out, '*.part'), opts);
    expect(readdirSync(out).sort()).toEqual(EXTRAS.textfileNames[n]);
    // The returned paths are in partition order, and so is the glob read back.
    expect(paths.map((p) => p.slice(out.length + 1))).toEqual(EXTRAS.textfileNames[n]);
    const back = await readText(join(out, '*.part')).map((l) => Number(l.trim())).compute(opts);
    expect(back).toEqual(Array.from({ length: np }, (_, i) => i));
  });

  it('16 partitions of uneven sizes (some empty) read back in order through a directory pattern', async () => {
    const xs = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const out = join(dir, `${s}-dir`);
    const b = fromSequence(xs, { npartitions: 16 }).filter((x) => Number(x.slice(1)) % 7 !== 3);
    await b.toTextFiles(out, opts);
    expect(readdirSync(out).sort()[15]).toBe('15.part');
    const back = await readText(join(out, '*.part')).map((l) => l.trim()).filter((l) => l !== '').compute(opts);
    expect(back).toEqual(xs.filter((x) => Number(x.slice(1)) % 7 !== 3));
  });
});

describe('readText of a glob', () => {
  it('orders files by code point, as Python sorted()', async () => {
    const out = join(dir, 'glob');
    const { written, read } = EXTRAS.globOrder;
    mkdirSync(out, { recursive: true });
    for (const name of written) writeFileSync(join(out, name), name);
    expect(await readText(join(out, '*.part')).compute({ scheduler: 'sync' })).toEqual(read);
  });
});
