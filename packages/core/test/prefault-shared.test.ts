/**
 * prefaultShared (platform/prefault-shared.ts): a helper thread gives a fresh SharedArrayBuffer its
 * pages (the process's resident memory grows by the buffer, read from /proc) and never changes a
 * byte the caller writes meanwhile.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { prefaultShared } from '../src/index';

/** Resident bytes of this process (Linux: the second field of /proc/self/statm, in pages of 4 KiB). */
const residentBytes = (): number => Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]) * 4096;

describe('prefaultShared', () => {
  test('the pages of a fresh buffer become resident without the caller touching them', async () => {
    const bytes = 64 << 20;
    const buffer = new SharedArrayBuffer(bytes);
    const before = residentBytes();
    expect(await prefaultShared(buffer)).toBe(true);
    expect(residentBytes() - before).toBeGreaterThan(bytes * 0.9);
    const words = new Int32Array(buffer);
    for (let i = 0; i < words.length; i += 1021) expect(words[i]).toBe(0);
  });

  test('bytes the caller writes while the helper touches the pages are kept', async () => {
    const n = 24 << 20;
    for (let round = 0; round < 3; round++) {
      const words = new Int32Array(new SharedArrayBuffer(n * 4));
      const done = prefaultShared(words.buffer as SharedArrayBuffer);
      for (let i = 0; i < n; i++) words[i] = i ^ 0x5a5a5a5a;
      expect(await done).toBe(true);
      let wrong = 0;
      for (let i = 0; i < n; i++) if (words[i] !== (i ^ 0x5a5a5a5a)) wrong++;
      expect(wrong).toBe(0);
    }
  });

  test('buffers of any length, including not a whole number of words or pages', async () => {
    for (const n of [0, 1, 4095, 4097, 3 * 4096 + 2]) {
      const b = new SharedArrayBuffer(n);
      new Uint8Array(b).fill(7);
      expect(await prefaultShared(b)).toBe(true);
      expect(new Uint8Array(b).every((x) => x === 7)).toBe(true);
    }
  });
});
