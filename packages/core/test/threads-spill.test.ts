import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import * as config from '../src/config/config';
import { compute } from '../src/collection/compute';
import { delayed } from '../src/delayed/delayed';
import { sizeOf } from '../src/execute/sizeof';
import { ThreadsExecutor } from '../src/execute/threads/executor';
import { ThreadPool } from '../src/execute/threads/pool';
import { SpillBudget, SpillMap } from '../src/execute/threads/resident-spill';
import { readResidentSpill, spillable, writeResidentSpill } from '../src/execute/threads/resident-spill-file';

const run = promisify(execFile);
const base = mkdtempSync(join(tmpdir(), 'pdask-threads-spill-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const MiB = 2 ** 20;

class Holder {
  constructor(readonly data: Float64Array) {}
  total(): number {
    return this.data.reduce((a, b) => a + b, 0);
  }
}

describe('spill files', () => {
  it('bring back typed arrays (each in a buffer of its own), plain objects, Map, Set, Date, bigint and NaN', () => {
    const shared = new ArrayBuffer(64);
    const value = {
      f: new Float64Array([1.5, NaN, -0]),
      views: [new Int32Array(shared, 8, 4), new Uint8Array(shared, 40, 3)],
      big: new BigInt64Array([-(2n ** 63n)]),
      dv: new DataView(new ArrayBuffer(3)),
      m: new Map<unknown, unknown>([['k', new Uint16Array([7])], [2, null]]),
      s: new Set([1, 'a']),
      d: new Date(0),
      n: 12345678901234567890n,
      u: undefined,
      nested: { deep: [[{ x: 'y' }]] },
    };
    value.views[0].set([1, 2, 3, 4]);
    const file = join(base, 'one.spill');
    writeResidentSpill(file, value);
    const back = readResidentSpill(file) as typeof value;
    rmSync(file);
    expect(back).toEqual(value);
    expect(Object.is(back.f[2], -0)).toBe(true);
    expect([...back.views[0]]).toEqual([1, 2, 3, 4]);
    expect(back.views[0].buffer).not.toBe(back.views[1].buffer);
    expect(back.views[0].buffer.byteLength).toBe(16);
  });

  it('are refused to values that would not come back the same', () => {
    expect(spillable({ a: [1, 'x', null, new Float64Array(2)] })).toBe(true);
    expect(spillable(new Holder(new Float64Array(1)))).toBe(false);
    expect(spillable({ a: [new Holder(new Float64Array(1))] })).toBe(false);
    expect(spillable(new Map([[1, () => 1]]))).toBe(false);
    expect(spillable({ s: Symbol('x') })).toBe(false);
    expect(spillable(new Int32Array(new SharedArrayBuffer(8)))).toBe(false);
    expect(spillable(Buffer.from('abc'))).toBe(false);
  });
});

describe('SpillMap', () => {
  const block = (k: number, n = 1000) => Float64Array.from({ length: n }, (_, i) => k * n + i);

  it('keeps the most recently used results within the budget, reads the others back, and removes every file', () => {
    const dir = join(base, 'map');
    const budget = new SpillBudget('t-');
    budget.configure({ budget: 20_000, dir });
    const a = new SpillMap(budget, sizeOf);
    const b = new SpillMap(budget, sizeOf);
    for (let k = 0; k < 6; k++) (k % 2 ? b : a).set(k, block(k));
    // 6 x 8000 bytes under 20,000: the four oldest are on disk.
    expect(budget.stats).toMatchObject({ bytesInMemory: 16_000, bytesSpilled: 32_000, spillFilesWritten: 4, spillFilesLive: 4 });
    expect(readdirSync(dir)).toHaveLength(4);
    expect(a.get(0)).toEqual(block(0));
    expect(budget.stats).toMatchObject({ bytesInMemory: 16_000, spillFilesRead: 1 });
    for (let k = 0; k < 6; k++) expect((k % 2 ? b : a).get(k)).toEqual(block(k));
    // Spilling again a result read back writes nothing: its file is still there.
    const written = budget.stats.spillFilesWritten;
    a.get(0);
    b.get(1);
    expect(budget.stats.spillFilesWritten).toBe(written);
    a.delete(0);
    b.clear();
    expect(a.size).toBe(2);
    a.clear();
    expect(budget.stats).toMatchObject({ bytesInMemory: 0, bytesSpilled: 0, spillFilesLive: 0 });
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it('lends a result heavier than the whole budget without evicting the others, and keeps unspillable ones in memory', () => {
    const budget = new SpillBudget('t-');
    budget.configure({ budget: 20_000, dir: join(base, 'lend') });
    const m = new SpillMap(budget, sizeOf);
    m.set(1, block(1));
    m.set(2, block(2, 5000));
    expect(budget.stats).toMatchObject({ bytesInMemory: 8000, bytesSpilled: 40_000 });
    expect(m.get(2)).toEqual(block(2, 5000));
    expect(budget.stats).toMatchObject({ bytesInMemory: 8000, bytesSpilled: 40_000, spillFilesRead: 1 });
    const h = new Holder(block(3, 4000));
    m.set(3, h);
    m.set(4, block(4, 2000));
    // The instance could not be written: it stays, with its class.
    expect(m.get(3)).toBe(h);
    expect((m.get(3) as Holder).total()).toBe(h.total());
    m.clear();
    expect(budget.stats.spillFilesLive).toBe(0);
  });

  it('without a budget is a plain map: nothing measured or written', () => {
    const budget = new SpillBudget('t-');
    const m = new SpillMap(budget, () => {
      throw new Error('measured');
    });
    m.set(1, block(1));
    expect(m.get(1)).toEqual(block(1));
    expect(budget.stats.spillFilesWritten).toBe(0);
  });
});

describe('threads.memory-limit', () => {
  it('refuses values it cannot read, by key', async () => {
    const ex = new ThreadsExecutor(new ThreadPool({ size: 1 }));
    try {
      for (const [values, message] of [
        [{ 'threads.memory-limit': 'lots' }, /config 'threads.memory-limit': cannot read 'lots'/],
        [{ 'threads.memory-limit': -1 }, /config 'threads.memory-limit': must be a non-negative size/],
        [{ 'threads.memory-target': 1.5 }, /config 'threads.memory-target': must be a fraction in \(0, 1\]/],
      ] as const) {
        const scope = config.set(values);
        try {
          await expect(delayed((x: number) => x + 1)(1).compute({ scheduler: ex })).rejects.toThrow(message);
        } finally {
          scope.restore();
        }
      }
    } finally {
      await ex.close();
    }
  });

  it('leaves results that are not plain data in memory, with their class (results exact)', async () => {
    const scope = config.set({ 'threads.memory-limit': 1, 'temporary-directory': base });
    // One thread: an instance that crossed to another thread would lose its class anyway (structured clone).
    const ex = new ThreadsExecutor(new ThreadPool({ size: 1 }));
    try {
      const make = (k: number) => {
        class Box {
          constructor(readonly data: Float64Array) {}
          total(): number {
            let s = 0;
            for (let i = 0; i < this.data.length; i++) s += this.data[i];
            return s;
          }
        }
        return new Box(Float64Array.from({ length: 1000 }, (_, i) => k + i));
      };
      const totalOf = (b: { total(): number }) => b.total();
      const arr = (k: number) => Float64Array.from({ length: 1000 }, (_, i) => k + i);
      const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
      const last = (a: Float64Array) => a[a.length - 1];
      const lastOf = (b: { data: Float64Array }) => b.data[b.data.length - 1];
      // Two readers each: the results are kept in the workers between them (not fused away).
      const ks = [0, 1, 2, 3];
      const boxes = ks.map((k) => delayed(make)(k));
      const arrays = ks.map((k) => delayed(arr)(k));
      const out = await compute(...boxes.map((b) => delayed(totalOf)(b)), ...boxes.map((b) => delayed(lastOf)(b)), ...arrays.map((a) => delayed(sum)(a)), ...arrays.map((a) => delayed(last)(a)), { scheduler: ex });
      // sum of k..k+999 = 1000k + 499500; the last is k+999
      const sums = ks.map((k) => 1000 * k + 499_500);
      const lasts = ks.map((k) => k + 999);
      expect(out).toEqual([...sums, ...lasts, ...sums, ...lasts]);
      const stats = await Promise.all([...ex.pool.slots.values()].map((s) => s.control.stats()));
      expect(stats.reduce((a, s) => a + s.spillFilesWritten, 0)).toBeGreaterThan(0);
    } finally {
      await ex.close();
      scope.restore();
    }
  });
});

interface ChildReport {
  sums: number[];
  each: number[];
  afterPersist: { spillFilesWritten: number; spillFilesLive: number; bytesSpilled: number }[];
  afterRelease: { spillFilesWritten: number; spillFilesLive: number; spillFilesRead: number; bytesInMemory: number; bytesSpilled: number }[];
  filesAfterPersist: number;
  filesAfterRelease: number;
  dir?: string;
  dirAfterClose: boolean;
  peak: number;
}

describe('persisting more than the memory limit (child process, 2 worker threads)', () => {
  // 64 blocks of 4 MiB: 256 MiB of results, 8x the 32 MB limit.
  const N = 64;
  const B = 524_288;
  const data = N * B * 8;
  const child = async (limit: number): Promise<ChildReport> => {
    const { stdout } = await run(process.execPath, [join(__dirname, 'fixtures/threads-spill-child.mjs'), String(limit), String(N), String(B), base], { cwd: __dirname, maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
  };
  // Block k holds k .. k+B-1: its sum is kB + B(B-1)/2.
  const blockSum = (k: number) => k * B + (B * (B - 1)) / 2;
  const allSum = Array.from({ length: N }, (_, k) => blockSum(k)).reduce((a, b) => a + b, 0);

  it('completes exactly through spilling, removes its files, and peaks below the data size that the unlimited run exceeds', async () => {
    const limited = await child(32e6);
    expect(limited.sums).toEqual([allSum, allSum]);
    expect(limited.each).toEqual([blockSum(0), blockSum(1), blockSum(2)]);
    const spilled = limited.afterPersist.reduce((a, s) => a + s.spillFilesLive, 0);
    expect(spilled).toBeGreaterThan(N / 2);
    expect(limited.filesAfterPersist).toBe(spilled);
    expect(limited.afterRelease.reduce((a, s) => a + s.spillFilesRead, 0)).toBeGreaterThan(N);
    expect(limited.afterRelease.every((s) => s.spillFilesLive === 0 && s.bytesSpilled === 0 && s.bytesInMemory === 0)).toBe(true);
    expect(limited.filesAfterRelease).toBe(0);
    expect(limited.dir).toBeDefined();
    expect(limited.dirAfterClose).toBe(false);
    expect(existsSync(limited.dir!)).toBe(false);
    expect(limited.peak).toBeLessThan(data);

    const unlimited = await child(0);
    expect(unlimited.sums).toEqual([allSum, allSum]);
    expect(unlimited.afterPersist.reduce((a, s) => a + s.spillFilesWritten, 0)).toBe(0);
    // The bound means something: holding the results in memory needs more than the data size.
    expect(unlimited.peak).toBeGreaterThan(data);
    console.log(`threads spill: peak RSS ${(limited.peak / MiB).toFixed(0)} MiB with threads.memory-limit 32 MB, ${(unlimited.peak / MiB).toFixed(0)} MiB without (${data / MiB} MiB of results)`);
  }, 60_000);
});
