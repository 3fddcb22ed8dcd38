/**
 * An array's block keys are made once per block: its layer and its readers' references share
 * the strings (so the graph flattens and hashes each once; see src/block-keys.ts). Counted by
 * wrapping blockKey; the result is checked against a sum computed here from the data.
 */
import { describe, expect, it, vi } from 'vitest';
import { collectionSymbol, collectionsToGraph } from '@pdask/core';

const made = vi.hoisted(() => ({ names: [] as string[] }));
vi.mock('../src/chunks', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/chunks')>();
  return {
    ...m,
    blockKey: (name: string, idx: readonly number[]) => {
      made.names.push(name);
      return m.blockKey(name, idx);
    },
  };
});
const da = await import('../src/index');

describe('block keys of a graph', () => {
  it('are made once per block of each input, for its layer and its readers', async () => {
    const x = new Float64Array(10_000).map((_, i) => i % 7);
    const y = new Float64Array(10_000).map((_, i) => i % 5);
    const dx = da.fromArray(x, { chunks: 2500 });
    const dy = da.fromArray(y, { chunks: 2500 });
    const s = dx.add(dy).sum();
    made.names.length = 0;
    collectionsToGraph([s[collectionSymbol]()]);
    expect(made.names.filter((n) => n === dx.name)).toHaveLength(4);
    expect(made.names.filter((n) => n === dy.name)).toHaveLength(4);
    let want = 0;
    for (let i = 0; i < 10_000; i++) want += (i % 7) + (i % 5);
    expect(await s.compute({ scheduler: 'sync' })).toBe(want);
  });
});
