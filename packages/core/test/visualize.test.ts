import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { delayed } from '../src/delayed/delayed';
import { visualize } from '../src/visualize/visualize';

const add = (x: number, y: number) => x + y;
const inc = (x: number) => x + 1;

describe('visualize', () => {
  it("draws the seed's add example like Dask: a function circle feeding its result box", async () => {
    const d = delayed(add)(5, 6);
    const dot = await d.visualize({ format: 'dot' });
    expect(dot).toContain(`"function:${d.key}" [label="add", shape=circle`);
    expect(dot).toContain(`"${d.key}" [label="add-#0", shape=box`);
    expect(dot).toContain(`"function:${d.key}" -> "${d.key}";`);
  });

  it('draws dependencies as edges from input results to the functions that read them', async () => {
    const a = delayed(inc)(1);
    const b = delayed(add)(a, 2);
    const dot = await visualize([b], { format: 'dot' });
    expect(dot).toContain(`"${a.key}" -> "function:${b.key}";`);
    // Two tasks: two circles, two boxes.
    expect(dot.match(/shape=circle/g)).toHaveLength(2);
    expect(dot.match(/shape=box/g)).toHaveLength(2);
  });

  it('writes an SVG file and returns the same SVG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-viz-'));
    try {
      const file = join(dir, 'add.svg');
      const svg = await delayed(add)(5, 6).visualize({ filename: file });
      expect(svg.trimStart()).toMatch(/^<\?xml|^<svg/);
      expect(svg).toContain('<svg');
      expect(svg).toContain('>add</text>');
      expect(readFileSync(file, 'utf8')).toBe(svg);
      const dotFile = join(dir, 'graph.dot');
      await delayed(add)(1, 2).visualize({ filename: dotFile });
      expect(readFileSync(dotFile, 'utf8')).toMatch(/^digraph pdask \{/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('colours by execution order: first blue, last red', async () => {
    const a = delayed(inc)(1);
    const b = delayed(inc)(a);
    const c = delayed(add)(a, b);
    const dot = await visualize([c], { format: 'dot', color: 'order' });
    const fill = (key: string) => new RegExp(`"${key}" \\[[^\\]]*fillcolor="(#[0-9a-f]{6})"`).exec(dot)?.[1];
    expect(fill(a.key)).toBe('#2846f0'); // priority 0 of 2
    expect(fill(c.key)).toBe('#f04628'); // priority 2 of 2
  });
});
