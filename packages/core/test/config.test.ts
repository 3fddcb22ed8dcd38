import { afterEach, describe, expect, it } from 'vitest';
import * as config from '../src/config/config';

afterEach(() => {
  delete process.env.PDASK_SCHEDULER;
  delete process.env.PDASK_THREADS__TARGET_BATCH_MS;
  config.refresh();
});

describe('config', () => {
  it('has defaults, environment overrides, and scoped sets that restore', () => {
    expect(config.get('scheduler')).toBe('threads');
    process.env.PDASK_SCHEDULER = 'sync';
    process.env.PDASK_THREADS__TARGET_BATCH_MS = '7';
    expect(config.get('scheduler')).toBe('threads'); // read once, until refresh()
    config.refresh();
    expect(config.get('scheduler')).toBe('sync');
    expect(config.get('threads.target_batch_ms')).toBe(7); // "_" and "-" are the same, values parsed
    const outer = config.set({ scheduler: 'threads' });
    const inner = config.set({ Scheduler: 'single-threaded' });
    expect(config.get('scheduler')).toBe('single-threaded');
    inner.restore();
    expect(config.get('scheduler')).toBe('threads');
    outer.restore();
    expect(config.get('scheduler')).toBe('sync');
  });

  it('names unknown keys, and accepts package defaults', () => {
    expect(() => config.get('no.such.key')).toThrow(/Unknown configuration key 'no.such.key'/);
    config.addDefaults({ 'array.chunk-size': '128MiB' });
    expect(config.get('array.chunk_size')).toBe('128MiB');
    expect(config.get('other.key', 5)).toBe(5);
  });
});

describe('parseBytes', () => {
  it("reads sizes as Dask's parse_bytes does", async () => {
    const { parseBytes } = await import('../src/config/bytes');
    expect(parseBytes('64MB')).toBe(64_000_000);
    expect(parseBytes('1.5 GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseBytes('100kB')).toBe(100_000);
    expect(parseBytes(4096)).toBe(4096);
    expect(() => parseBytes('lots', 'readText (blocksize)')).toThrow(/readText \(blocksize\): cannot read 'lots'/);
    expect(parseBytes('0')).toBe(0);
    expect(() => parseBytes(-5)).toThrow(/non-negative/);
  });
});
