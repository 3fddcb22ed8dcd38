import { execFileSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { tokenize } from '../src/tokenize/tokenize';
import { delayed } from '../src/delayed/delayed';

const sample = () => ({ b: [1, 2.5, 'x', null, undefined, true], a: new Float64Array([1, 2, 3]), m: new Map([['k', 1n]]) });

describe('tokenize', () => {
  it('is deterministic within a process and insensitive to object key order', () => {
    expect(tokenize(sample())).toBe(tokenize(sample()));
    expect(tokenize({ a: 1, b: 2 })).toBe(tokenize({ b: 2, a: 1 }));
    expect(tokenize(sample())).toMatch(/^[0-9a-f]{32}$/);
  });

  it('tells apart values that print alike', () => {
    const tokens = [1, '1', [1], { 0: 1 }, -0, 0, null, undefined, new Int32Array([1]), new Float64Array([1]), new Set([1])].map((v) => tokenize(v));
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('gives the same token in another process (the basis of pure keys across runs)', () => {
    // Computed by the built package in a separate Node process.
    const script = `
      import { tokenize } from '@pdask/core';
      const v = { b: [1, 2.5, 'x', null, undefined, true], a: new Float64Array([1, 2, 3]), m: new Map([['k', 1n]]) };
      process.stdout.write(tokenize(v));`;
    const other = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(other).toBe(tokenize(sample()));
  });

  it('refuses self-containing values instead of looping', () => {
    const a: unknown[] = [];
    a.push(a);
    expect(() => tokenize(a)).toThrow(/contains itself/);
  });

  it('gives pure delayed calls the same key in another process', () => {
    const add = (x: number, y: number) => x + y;
    const here = delayed(add, { pure: true })(1, 2).key;
    const script = `
      import { delayed } from '@pdask/core';
      const add = (x, y) => x + y;
      process.stdout.write(delayed(add, { pure: true })(1, 2).key);`;
    const other = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(here).toMatch(/^add-[0-9a-f]{32}$/);
    expect(other).toBe(here);
  });
});

describe('tokenize digests its canonical encoding', () => {
  // The expected digests are MD5 of the encoding tokenize documents, made here with node:crypto
  // in one piece: joining the pieces before hashing must not change a token.
  const md5 = async (...parts: (string | Uint8Array)[]) => {
    const { createHash } = await import('node:crypto');
    const h = createHash('md5');
    for (const p of parts) h.update(p);
    return h.digest('hex');
  };

  it('of text only (one-shot hash)', async () => {
    expect(tokenize('ab', 3, ['é'])).toBe(await md5('s2:ab', 'n3;', 'a1[', 's1:é', ']'));
  });

  it('of text longer than the join buffer, and of text around binary data', async () => {
    const long = 'x'.repeat(70_000) + '\u{1F600}';
    expect(tokenize(long, 1)).toBe(await md5(`s${long.length}:`, long, 'n1;'));
    const bytes = new Uint8Array([1, 2, 3, 250]);
    expect(tokenize('a', bytes, 'b')).toBe(await md5('s1:a', 'vUint8Array:4:', bytes, 's1:b'));
  });

  it('the same where Node built-ins are absent (the pure-JS MD5 of a browser)', async () => {
    const proc = process as { getBuiltinModule?: unknown };
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      vi.resetModules();
      const fresh = await import('../src/tokenize/tokenize');
      const bytes = new Uint8Array([1, 2, 3, 250]);
      expect(fresh.tokenize('ab', 3, ['é'])).toBe(await md5('s2:ab', 'n3;', 'a1[', 's1:é', ']'));
      expect(fresh.tokenize('a', bytes, 'b')).toBe(await md5('s1:a', 'vUint8Array:4:', bytes, 's1:b'));
    } finally {
      proc.getBuiltinModule = saved;
      vi.resetModules();
    }
  });
});
