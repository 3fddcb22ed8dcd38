/**
 * Out-of-core on the threads scheduler: computations whose data and intermediate results are
 * several times `threads.memory-limit` complete exactly, the worker threads spilling what does not
 * fit to the temporary directory and removing it afterwards. Each computation runs in a child
 * process (test/fixtures/out-of-core-child.mjs) on 8 Parquet files written here: 2e6 rows, 24 MB
 * as Arrow columns (an int32 key with a third of the rows on key 0, a float64 value), read as 16
 * partitions, under a 4 MB limit (6x less; 1.2 MB kept in memory per worker thread).
 * References are computed here from the formula that made the rows.
 * The peak-RSS comparison with and without the limit is in core's threads-spill.test.ts: at this
 * scale the process's peak is set by what tasks allocate while they run (Parquet decoding,
 * sorting), not by the results they keep (see the README's out-of-core section).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const FILES = 8;
const ROWS = 250_000;
const N = FILES * ROWS;
const DATA = N * (4 + 8);
const LIMIT = 4_000_000;
/** What one of the two worker threads keeps in memory (threads.memory-target 0.6 of its half). */
const BUDGET = (LIMIT * 0.6) / 2;

const root = mkdtempSync(join(tmpdir(), 'pdask-out-of-core-test-'));
const data = join(root, 'data');
const tmp = join(root, 'tmp');
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Report {
  byKey: Record<string, [number, number]>;
  total: number;
  spill: { peakHeld: number; peakInMemory: number; written: number; read: number; shufflePieceFiles: number };
  spillDirLeft: boolean;
  tmpLeft: string[];
  order?: { rows: number; sorted: boolean; first: number; last: number };
  peak: number;
  baseline: number;
}

async function child(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'fixtures/out-of-core-child.mjs'), ...args], { cwd: __dirname, maxBuffer: 16 << 20 });
  return stdout.trim().split('\n').pop()!;
}
const job = async (name: string): Promise<Report> => JSON.parse(await child([name, data, String(LIMIT), tmp])) as Report;

// The rows, as the child wrote them (row g of the whole dataset).
const keyOf = (g: number): number => (g % 3 === 0 ? 0 : 1 + ((g * 7919) % 997));
const valueOf = (g: number): number => g * 0.5 - 1000;
const reference = new Map<number, [number, number]>();
let total = 0;
for (let g = 0; g < N; g++) {
  const k = keyOf(g);
  const r = reference.get(k) ?? [0, 0];
  r[0]++;
  r[1] += valueOf(g);
  reference.set(k, r);
  total += valueOf(g);
}

function expectExact(r: Report): void {
  expect(r.total).toBe(total);
  expect(Object.keys(r.byKey).length).toBe(reference.size);
  for (const [k, [n, s]] of reference) expect(r.byKey[k]).toEqual([n, s]);
}

/** Spilled, kept within the budget, and left nothing behind. */
function expectSpilledAndCleaned(r: Report): void {
  expect(r.spill.written).toBeGreaterThan(0);
  expect(r.spill.read).toBeGreaterThan(0);
  // More than the limit was held at once (in memory and on disk) ...
  expect(r.spill.peakHeld).toBeGreaterThan(2 * LIMIT);
  // ... but never more than the budget in memory, bar one partition read back heavier than it.
  expect(r.spill.peakInMemory).toBeLessThan(BUDGET + DATA / 16 + 1e5);
  expect(r.spillDirLeft).toBe(false);
  expect(r.tmpLeft).toEqual([]);
}

beforeAll(async () => {
  rmSync(data, { recursive: true, force: true });
  expect(JSON.parse(await child(['write', data, String(FILES), String(ROWS)]))).toEqual({ ok: true });
  expect(readdirSync(data).filter((f) => f.endsWith('.parquet'))).toHaveLength(FILES);
}, 60_000);

describe(`out-of-core on threads: ${DATA / 1e6} MB of Parquet data under threads.memory-limit ${LIMIT / 1e6} MB`, () => {
  it('groupby(k).v.sum/count and v.sum over every file, in one computation', async () => {
    const r = await job('reduce');
    expectExact(r);
    expect(r.spillDirLeft).toBe(false);
    expect(r.tmpLeft).toEqual([]);
  }, 60_000);

  it("setIndex('k', { shuffle: 'tasks' }) persisted (every piece a kept result), then the same reductions", async () => {
    const r = await job('shuffle-tasks');
    expectExact(r);
    expectSpilledAndCleaned(r);
  }, 90_000);

  it("setIndex('k', { shuffle: 'p2p' }) persisted: pieces spilled past shuffle.memory-budget, outputs past the limit", async () => {
    const r = await job('shuffle-p2p');
    expectExact(r);
    expectSpilledAndCleaned(r);
    expect(r.spill.shufflePieceFiles).toBeGreaterThan(0);
  }, 90_000);

  it("setIndex('v') on float64 keys with the p2p shuffle: the range split's bucketed pieces spill and come back in order", async () => {
    const r = await job('sort-v-p2p');
    expectExact(r);
    expectSpilledAndCleaned(r);
    expect(r.spill.shufflePieceFiles).toBeGreaterThan(0);
    // valueOf is increasing in g: the index is every value once, from valueOf(0) to valueOf(N - 1).
    expect(r.order).toEqual({ rows: N, sorted: true, first: valueOf(0), last: valueOf(N - 1) });
  }, 90_000);
});
