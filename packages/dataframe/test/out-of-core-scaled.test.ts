/**
 * Out-of-core with data three times the memory limit: 200 MB of columns (16 Parquet files, 102 MB
 * on disk: 10M rows of an int32 key and two float64 values, 64 row groups read as 64 partitions)
 * computed on two worker threads under `threads.memory-limit` 64 MiB (each thread keeps 20.1 MB
 * of results in memory, and 16 MiB of p2p shuffle pieces: `shuffle.memory-budget`) with a V8
 * heap of HEAP_MB per worker thread (`threads.max-old-generation-mb`: a thread that outgrows it
 * is killed). Each job runs in a child process (test/fixtures/out-of-core-scaled-child.mjs),
 * whose RSS is measured too.
 * References are computed here from the formula that made the rows.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const FILES = 16;
const ROWS = 625_000;
const N = FILES * ROWS;
const DATA = N * (4 + 8 + 8);
const PARTITIONS = FILES * 4;
const LIMIT = 64 * 2 ** 20;
const HEAP_MB = 64;
/** What one of the two worker threads keeps in memory (threads.memory-target 0.6 of its half). */
const BUDGET = (LIMIT * 0.6) / 2;

const root = mkdtempSync(join(tmpdir(), 'pdask-out-of-core-scaled-'));
const data = join(root, 'data');
const tmp = join(root, 'tmp');
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The rows, as the child wrote them (row g of the whole dataset).
const keyOf = (g: number): number => (g * 7919) % 997;
const valueOf = (g: number): number => g * 0.5 - 1000;
const count = new Float64Array(997);
const sum = new Float64Array(997);
for (let g = 0; g < N; g++) {
  count[keyOf(g)]++;
  sum[keyOf(g)] += valueOf(g);
}

interface Spill {
  bytesWritten: number;
  filesWritten: number;
  filesRead: number;
  peakHeld: number;
  peakInMemory: number;
  shuffleBytesWritten: number;
  shuffleFiles: number;
}
interface Common {
  partitions: number;
  spill: Spill;
  workers: number[];
  lost: { id: number; cause: string }[];
  spillDirLeft: boolean;
  tmpLeft: string[];
  baseline: number;
  peak: number;
}
interface GroupbyReport extends Common {
  byKey: Record<string, [number, number]>;
  rows: number;
}
interface SetIndexReport extends Common {
  parts: { rows: number[]; first: number[]; last: number[]; ascending: number[]; sum: number[] };
}

async function child(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'fixtures/out-of-core-scaled-child.mjs'), ...args], { cwd: __dirname, maxBuffer: 16 << 20 });
  return stdout.trim().split('\n').pop()!;
}
async function job<R>(name: string): Promise<R> {
  rmSync(tmp, { recursive: true, force: true });
  return JSON.parse(await child([name, data, String(LIMIT), tmp, String(HEAP_MB)])) as R;
}

/** The two worker threads started with the pool ran to the end: none was killed and replaced. */
function expectWorkersAlive(r: Common): void {
  expect(r.lost).toEqual([]);
  expect(r.workers).toEqual([0, 1]);
}

beforeAll(async () => {
  rmSync(data, { recursive: true, force: true });
  expect(JSON.parse(await child(['write', data, String(FILES), String(ROWS)]))).toEqual({ ok: true });
  expect(readdirSync(data).filter((f) => f.endsWith('.parquet'))).toHaveLength(FILES);
}, 240_000);

describe(`out-of-core: ${DATA / 1e6} MB of Parquet under threads.memory-limit ${LIMIT / 2 ** 20} MiB, ${HEAP_MB} MB V8 heap per worker thread`, () => {
  it('groupby(k).v.mean() and the row count stream the files: reading never runs far ahead of the reduction', async () => {
    const r = await job<GroupbyReport>('groupby');
    expect(r.partitions).toBe(PARTITIONS);
    expect(r.rows).toBe(N);
    expect(Object.keys(r.byKey)).toHaveLength(997);
    for (let k = 0; k < 997; k++) expect(r.byKey[k]).toEqual([count[k], sum[k] / count[k]]);
    expectWorkersAlive(r);
    // The process grew by less than the data it read.
    expect(r.peak - r.baseline).toBeLessThan(DATA);
    // Results held at once by a thread (in memory and on disk): a few partitions, not the
    // ~100 MB each thread reads; had reading outrun reducing, they would have piled up here.
    expect(r.spill.peakHeld).toBeLessThan(8 * (DATA / PARTITIONS));
    expect(r.spillDirLeft).toBe(false);
    expect(r.tmpLeft).toEqual([]);
  }, 180_000);

  it("setIndex('k', { shuffle: 'p2p' }) persisted: pieces spill past shuffle.memory-budget, outputs past the limit; every row lands sorted in its range", async () => {
    const r = await job<SetIndexReport>('setindex-p2p');
    const { rows, first, last, ascending, sum: sums } = r.parts;
    expect(rows).toHaveLength(r.partitions);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(N);
    let prevLast = -1;
    for (let p = 0; p < rows.length; p++) {
      if (rows[p] === 0) continue;
      expect(ascending[p]).toBe(1);
      // Ranges do not overlap, and a key is never split between partitions.
      expect(first[p]).toBeGreaterThan(prevLast);
      prevLast = last[p];
      let n = 0;
      let s = 0;
      for (let k = first[p]; k <= last[p]; k++) {
        n += count[k];
        s += sum[k];
      }
      expect([rows[p], sums[p]]).toEqual([n, s]);
    }
    expect(prevLast).toBe(996);
    expectWorkersAlive(r);
    // The pieces past the shuffle's budget went to files.
    expect(r.spill.shuffleBytesWritten).toBeGreaterThan(0);
    // The persisted outputs (DATA in all) past the two threads' in-memory shares went to files ...
    expect(r.spill.bytesWritten).toBeGreaterThan(DATA - 2 * BUDGET);
    // ... and were read back for the summary, a thread never holding more than its share in
    // memory, bar one partition read back heavier than what was left of it.
    expect(r.spill.filesRead).toBeGreaterThan(0);
    expect(r.spill.peakInMemory).toBeLessThan(BUDGET + (DATA / PARTITIONS) * 1.2);
    expect(r.spillDirLeft).toBe(false);
    expect(r.tmpLeft).toEqual([]);
  }, 300_000);
});
