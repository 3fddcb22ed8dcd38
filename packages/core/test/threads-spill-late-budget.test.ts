import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sizeOf } from '../src/execute/sizeof';
import { SpillBudget, SpillMap } from '../src/execute/threads/resident-spill';

const base = mkdtempSync(join(tmpdir(), 'pdask-spill-late-budget-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
// 8,000 bytes each (1,000 float64).
const block = (k: number) => Float64Array.from({ length: 1000 }, (_, i) => k * 1000 + i);

// (Sizes are given as a worker gives them: measured whether or not a budget is set.)
// Without a budget a worker keeps no least-recently-used order; a budget set later must still
// find every result already held (in every map, including one cleared and used again) and spill
// the oldest first.
describe('a memory budget set after results are held', () => {
  it('spills the results held before it, oldest first, across maps', () => {
    const dir = join(base, 'late');
    const budget = new SpillBudget('l-');
    const a = new SpillMap(budget, sizeOf);
    const b = new SpillMap(budget, sizeOf);
    for (let k = 0; k < 4; k++) a.set(k, block(k), 8000);
    b.set(10, block(10), 8000);
    expect(budget.stats).toMatchObject({ bytesInMemory: 40_000, bytesSpilled: 0, spillFilesWritten: 0 });
    budget.configure({ budget: 20_000, dir });
    // 5 x 8,000 bytes under 20,000: three go to disk, a's three oldest (a's results came first).
    expect(budget.stats).toMatchObject({ bytesInMemory: 16_000, bytesSpilled: 24_000, spillFilesWritten: 3, spillFilesLive: 3 });
    expect(readdirSync(dir)).toHaveLength(3);
    expect(budget.stats.spillFilesRead).toBe(0);
    expect(a.get(3)).toEqual(block(3));
    expect(b.get(10)).toEqual(block(10));
    expect(budget.stats.spillFilesRead).toBe(0);
    expect(a.get(0)).toEqual(block(0));
    expect(budget.stats.spillFilesRead).toBe(1);
    a.clear();
    b.clear();
    expect(budget.stats).toMatchObject({ bytesInMemory: 0, bytesSpilled: 0, spillFilesLive: 0 });
  });

  it('counts a map cleared and then used again', () => {
    const dir = join(base, 'reused');
    const budget = new SpillBudget('r-');
    const a = new SpillMap(budget, sizeOf);
    a.set(1, block(1), 8000);
    a.clear();
    for (let k = 0; k < 4; k++) a.set(k, block(k), 8000);
    budget.configure({ budget: 20_000, dir });
    expect(budget.stats).toMatchObject({ bytesInMemory: 16_000, bytesSpilled: 16_000, spillFilesWritten: 2 });
    expect(a.get(0)).toEqual(block(0));
    expect(budget.stats.spillFilesRead).toBe(1);
    a.clear();
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it('keeps the order of reads once the budget is set', () => {
    const budget = new SpillBudget('o-');
    const a = new SpillMap(budget, sizeOf);
    budget.configure({ budget: 30_000, dir: join(base, 'order') });
    for (let k = 0; k < 3; k++) a.set(k, block(k), 8000);
    // 0 read again: 1 is now the least recently used, and goes first.
    a.get(0);
    a.set(3, block(3));
    expect(budget.stats).toMatchObject({ bytesInMemory: 24_000, spillFilesWritten: 1, spillFilesRead: 0 });
    a.get(0);
    a.get(2);
    expect(budget.stats.spillFilesRead).toBe(0);
    expect(a.get(1)).toEqual(block(1));
    expect(budget.stats.spillFilesRead).toBe(1);
    a.clear();
  });
});
