import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { delayed } from '../src/delayed/delayed';
import { closeThreadPools } from '../src/execute/threads/executor';
import { fromModule } from '../src/ops/registry';
import { capturedNames, toOpRef } from '../src/ops/shippable';

afterAll(() => closeThreadPools());

describe('shipping functions', () => {
  it('finds exactly the captured names, not parameters, locals, globals or inner declarations', () => {
    expect(capturedNames('(a, { b }, ...c) => { const d = a + b; let e; function f() { return e; } return Math.max(d, c.length, f(), scale); }')).toEqual(['scale']);
    expect(capturedNames('function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }')).toEqual([]);
    expect(capturedNames('async walk(n) { for (let i = 0; i < n; i++) await step(i); }')).toEqual(['step']);
    expect(capturedNames('(x) => x.map((y) => y * factor + offset)').sort()).toEqual(['factor', 'offset']);
  });

  it('checks a source text once: new function objects with the same source share one reference', () => {
    const make = () => (x: number) => x * 3;
    const a = make();
    const b = make();
    expect(a).not.toBe(b);
    expect(toOpRef(b)).toBe(toOpRef(a));
    expect(toOpRef(a)).toMatchObject({ k: 'src', src: Function.prototype.toString.call(a) });
  });

  it('runs functions referenced by module and export name on every scheduler', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-mod-'));
    try {
      const file = join(dir, 'helpers.mjs');
      // A function that needs an import of its own cannot be shipped as source.
      writeFileSync(file, "import { createHash } from 'node:crypto';\nexport function digest(s) { return createHash('sha256').update(s).digest('hex').slice(0, 8); }\n");
      const digest = fromModule<(s: string) => string>(pathToFileURL(file).href, 'digest');
      for (const scheduler of ['sync', 'threads']) {
        expect(await delayed(digest)('pdask').compute({ scheduler })).toBe('0332f4b5') // sha256('pdask'), from coreutils' sha256sum;
      }
      const missing = fromModule(pathToFileURL(file).href, 'nope');
      await expect(delayed(missing)(1).compute({ scheduler: 'sync' })).rejects.toThrow(/has no exported function 'nope'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
