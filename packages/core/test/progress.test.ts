import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../src/progress/progress';
import { delayed } from '../src/delayed/delayed';
import { compute } from '../src/collection/compute';

describe('progress', () => {
  it('draws a bar that ends at 100% on the given stream', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let out = '';
    (stream as unknown as PassThrough).on('data', (c: Buffer) => (out += c.toString()));
    const bar = progressBar(10, stream);
    bar.update(5);
    bar.stop();
    expect(out).toMatch(/\[#{40}\] \| 100% Completed \| \d+\.\ds/);
  });

  it('compute({ progress: true }) reports on stderr and returns the result', async () => {
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const inc = (x: number) => x + 1;
      const [r] = await compute(delayed(inc)(delayed(inc)(1)), { scheduler: 'sync', progress: true, optimizeGraph: false });
      expect(r).toBe(3);
    } finally {
      process.stderr.write = original;
    }
    expect(writes.join('')).toContain('100% Completed');
  });
});
