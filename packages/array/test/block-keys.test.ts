/**
 * BlockKeys (src/block-keys.ts): an array's block keys, made once. The expected keys are spelled
 * here from the key format (`${name}-${i},${j}`, '0' for a 0-d array), not by calling blockKey.
 */
import { describe, expect, it } from 'vitest';
import { BlockKeys, KEY_CACHE_MAX_BLOCKS } from '../src/block-keys';

describe('BlockKeys', () => {
  it('gives every block of a grid its key, and the same key again', () => {
    const k = new BlockKeys('x-abc', [3, 4]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(k.key([i, j])).toBe(`x-abc-${i},${j}`);
    expect(k.key([2, 3])).toBe('x-abc-2,3');
    expect(new BlockKeys('s', []).key([])).toBe('s-0');
  });

  it('keys indices outside the grid as before (uncached, not a neighbour block)', () => {
    const k = new BlockKeys('y', [2, 2]);
    expect(k.key([0, 2])).toBe('y-0,2');
    expect(k.key([-1, 0])).toBe('y--1,0');
    expect(k.key([0.5, 0])).toBe('y-0.5,0');
    expect(k.key([1])).toBe('y-1');
    // The cached slot of [1, 0] is not disturbed by the stray indices.
    expect(k.key([1, 0])).toBe('y-1,0');
  });

  it('still keys grids too large to cache', () => {
    const k = new BlockKeys('big', [KEY_CACHE_MAX_BLOCKS + 1]);
    expect(k.key([KEY_CACHE_MAX_BLOCKS])).toBe(`big-${KEY_CACHE_MAX_BLOCKS}`);
  });
});
