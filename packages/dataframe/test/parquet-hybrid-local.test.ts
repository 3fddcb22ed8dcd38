/**
 * The RLE / bit-packed hybrid decoder (dictionary indices and levels) and the local file reader
 * of readParquet's fast path, checked against data built here from the Parquet spec: values
 * bit-packed least significant bit first, eight to a group, after a ULEB128 header of
 * (groups << 1) | 1; an RLE run is a header of count << 1 then the value in ceil(width / 8) bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uleb } from './uleb';
import { decodeHybrid } from '../src/io/parquet/hybrid';
import { openLocalFile } from '../src/io/parquet/local-file';

/** A bit-packed run of `values` (padded with zeros to a multiple of 8), as the spec lays it out. */
function bitPacked(values: readonly number[], width: number): number[] {
  const groups = Math.ceil(values.length / 8);
  const bits: number[] = [];
  for (let i = 0; i < groups * 8; i++) for (let k = 0; k < width; k++) bits.push(((values[i] ?? 0) >>> k) & 1);
  const bytes: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    let b = 0;
    for (let k = 0; k < 8; k++) b |= bits[i + k] << k;
    bytes.push(b);
  }
  return [...uleb(groups * 2 + 1), ...bytes];
}

function rleRun(value: number, count: number, width: number): number[] {
  const bytes: number[] = [];
  for (let k = 0; k < (width + 7) >> 3; k++) bytes.push((value >>> (8 * k)) & 0xff);
  return [...uleb(count * 2), ...bytes];
}

/** Deterministic values below 2^width. */
function valuesOf(n: number, width: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % 2 ** width;
  });
}

describe('decodeHybrid', () => {
  it('decodes bit-packed and RLE runs of every width up to 24 bits, runs ending at the buffer end', () => {
    for (let width = 1; width <= 24; width++) {
      const a = valuesOf(37, width, width); // a last group padded past the values asked for
      const b = valuesOf(64, width, 1000 + width);
      const rleValue = 2 ** width - 1;
      const page = Uint8Array.from([...bitPacked(a, width), ...rleRun(rleValue, 5, width), ...bitPacked(b, width)]);
      // The first run holds 5 groups: 37 values and 3 zeros of padding.
      const first = new Int32Array(40);
      decodeHybrid(page, 0, page.length, width, 40, first);
      expect(Array.from(first), `width ${width}, first run`).toEqual([...a, 0, 0, 0]);
      // Every run: 40 packed, 5 RLE, 64 packed, the last run ending at the buffer's end.
      const all = new Int32Array(40 + 5 + 64);
      decodeHybrid(page, 0, page.length, width, all.length, all);
      expect(Array.from(all), `width ${width}, all`).toEqual([...a, 0, 0, 0, ...Array<number>(5).fill(rleValue), ...b]);
    }
  });

  it('reads a view at an offset into a larger buffer without reading past the view', () => {
    const width = 7;
    const values = valuesOf(1001, width, 7);
    const run = bitPacked(values, width);
    const backing = new Uint8Array(run.length + 20).fill(0xff);
    backing.set(run, 13);
    // The view ends with the run: bytes after it (0xff) must not leak into the last values.
    const view = backing.subarray(13, 13 + run.length);
    const out = new Int32Array(1001);
    decodeHybrid(view, 0, view.length, width, 1001, out);
    expect(Array.from(out)).toEqual(values);
  });

  it('refuses a bit-packed run that overruns its page and data that ends early, by name', () => {
    const page = Uint8Array.from(bitPacked(valuesOf(16, 5, 3), 5));
    expect(() => decodeHybrid(page, 0, page.length - 1, 5, 16, new Int32Array(16))).toThrow(/bit-packed run overruns its page/);
    expect(() => decodeHybrid(page, 0, page.length, 5, 17, new Int32Array(17))).toThrow(/ends after 16 of 17 values/);
  });
});

describe('openLocalFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pdask-local-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31 + 7) & 0xff);
  const path = join(dir, 'data.bin');
  writeFileSync(path, bytes);

  it('reads byte ranges as fresh buffers (slice) and into a reused buffer (chunk)', async () => {
    const f = openLocalFile(path);
    try {
      expect(f.byteLength).toBe(100_000);
      const s = new Uint8Array(await f.slice(99_000));
      expect(s).toEqual(bytes.subarray(99_000));
      const c1 = f.chunk(10, 70_010);
      expect(c1).toEqual(bytes.subarray(10, 70_010));
      const c2 = f.chunk(5, 6);
      expect(Array.from(c2)).toEqual([bytes[5]]);
      // A slice is its own buffer: later chunks do not change it.
      expect(s).toEqual(bytes.subarray(99_000));
    } finally {
      f.close();
    }
  });

  it('refuses ranges outside the file, naming the file', async () => {
    const f = openLocalFile(path);
    try {
      expect(() => f.chunk(99_990, 100_001)).toThrow(/bytes 99990-100001 are outside '.*data\.bin' \(100000 bytes\)/);
      await expect(f.slice(-1, 4)).rejects.toThrow(/outside/);
    } finally {
      f.close();
    }
  });
});
