/**
 * Bag workloads (issue 5), each side by side with Dask Bag (sync and processes schedulers, the
 * latter Dask Bag's default): the seed's map/filter/sum over 1,000,000 numbers, the seed's random
 * walk, and `frequencies` of 10,000,000 words read from text files. Graph building is timed too
 * (from the input data to the result), on both sides.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromSequence, readText } from '@pdask/bag';
import { closeThreadPools, type ComputeOptions } from '@pdask/core';
import type { JsRun, PyRun, Workload } from '../harness.js';

const N = 1_000_000;
const PARTS = 8;

/** Sum of x² over even x < N, exactly (BigInt): doubles may round, Python's ints do not. */
function exactEvenSquares(n: number): bigint {
  let s = 0n;
  for (let x = 0n; x < BigInt(n); x += 2n) s += x * x;
  return s;
}
const EVEN_SQUARES = exactEvenSquares(N);

function checkClose(v: unknown, expected: bigint): void {
  const rel = Math.abs(Number(v) - Number(expected)) / Number(expected);
  if (!(rel < 1e-12)) throw new Error(`wrong result ${String(v)}, expected ${expected}`);
}

const py = (system: string, file: string, run: string, extra: Partial<PyRun> = {}): PyRun => ({ system, file, run, requires: ['dask'], ...extra });

function pdaskSystems<C>(setup: () => C, run: (ctx: C, opts: ComputeOptions) => Promise<void>): JsRun<C>[] {
  return [
    { system: 'pdask-sync', setup, run: (c) => run(c, { scheduler: 'sync' }) },
    { system: 'pdask-threads', setup, run: (c) => run(c, { scheduler: 'threads' }), teardown: () => closeThreadPools() },
  ];
}

// ---- the seed's map/filter/sum --------------------------------------------------------------

const mapFilterSum: Workload = {
  id: 'bag-map-filter-sum',
  group: 'bag',
  description: `fromSequence(range(${N.toLocaleString('en')}), {npartitions: ${PARTS}}).map(x => x ** 2).filter(x => x % 2 === 0).sum(), building included.`,
  items: { count: N, unit: 'elements' },
  reference: 'dask-processes',
  repeat: 7,
  js: pdaskSystems(
    () => Array.from({ length: N }, (_, i) => i),
    async (xs, opts) => {
      const total = await fromSequence(xs, { npartitions: PARTS })
        .map((x) => x ** 2)
        .filter((x) => x % 2 === 0)
        .sum()
        .compute(opts);
      checkClose(total, EVEN_SQUARES);
    },
  ),
  python: [py('dask-sync', 'bag_seed.py', 'run_map_filter_sum_sync', { repeat: 5 }), py('dask-processes', 'bag_seed.py', 'run_map_filter_sum_processes', { repeat: 5 })],
  targets: [
    { system: 'pdask-threads', vs: 'dask-processes', atLeast: 20 },
    { system: 'pdask-sync', vs: 'dask-sync', atLeast: 20 },
  ],
};

// ---- the seed's random walk -------------------------------------------------------------------

function randomWalk(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x += [-1, 1][Math.floor(Math.random() * 2)];
  return x;
}

const randomWalkMean: Workload = {
  id: 'bag-random-walk',
  group: 'bag',
  description: 'The seed: fromSequence(range(1000), {npartitions: 4}).map(randomWalk).mean() (499,500 random ±1 steps), building included.',
  items: { count: 499_500, unit: 'steps' },
  reference: 'dask-processes',
  repeat: 7,
  js: pdaskSystems(
    () => Array.from({ length: 1000 }, (_, i) => i),
    async (xs, opts) => {
      const m = await fromSequence(xs, { npartitions: 4 }).map(randomWalk).mean().compute(opts);
      if (!(Math.abs(m) < 100)) throw new Error(`implausible mean ${m}`);
    },
  ),
  python: [py('dask-sync', 'bag_seed.py', 'run_random_walk_sync'), py('dask-processes', 'bag_seed.py', 'run_random_walk_processes')],
};

// ---- word frequencies from text files ----------------------------------------------------------

const WORDS = 10_000_000;
const FILES = 8;
const WORDS_PER_LINE = 10;
const VOCAB = 50_000;
/** Shared with benchmarks/python/bag_words.py, which reads the same files. */
export const WORDS_DIR = join(tmpdir(), 'pdask-bench-bag-words');

interface WordsInfo {
  files: string[];
  distinct: number;
}

/**
 * Writes the word files once (deterministic: an xorshift generator, Zipf-like word choice) and
 * records what the result must be; later runs reuse them.
 */
function wordFiles(): WordsInfo {
  const manifest = join(WORDS_DIR, 'manifest.json');
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as WordsInfo & { words: number };
    if (m.words === WORDS && m.files.every((f) => existsSync(f))) return m;
  }
  mkdirSync(WORDS_DIR, { recursive: true });
  let s = 2463534242;
  const seen = new Uint8Array(VOCAB);
  const files: string[] = [];
  const perFile = WORDS / FILES;
  for (let f = 0; f < FILES; f++) {
    const lines: string[] = [];
    for (let w = 0; w < perFile; w += WORDS_PER_LINE) {
      const line: string[] = [];
      for (let k = 0; k < WORDS_PER_LINE; k++) {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const u = (s >>> 0) / 4294967296;
        const id = Math.floor(VOCAB * u * u * u);
        seen[id] = 1;
        line.push(`w${id.toString(36)}`);
      }
      lines.push(line.join(' '));
    }
    const file = join(WORDS_DIR, `words-${f}.txt`);
    writeFileSync(file, lines.join('\n') + '\n');
    files.push(file);
  }
  const info = { files, distinct: seen.reduce((a, b) => a + b, 0) };
  writeFileSync(manifest, JSON.stringify({ ...info, words: WORDS }));
  return info;
}

const frequencies: Workload = {
  id: 'bag-frequencies',
  group: 'bag',
  description: `readText of ${FILES} files (${WORDS.toLocaleString('en')} words, ${VOCAB.toLocaleString('en')}-word Zipf-like vocabulary) → split lines into words → frequencies().`,
  items: { count: WORDS, unit: 'words' },
  reference: 'dask-processes',
  repeat: 3,
  js: pdaskSystems(wordFiles, async (info, opts) => {
    const pairs = await readText(join(WORDS_DIR, 'words-*.txt'))
      .flatMap((line) => line.trimEnd().split(' '))
      .frequencies()
      .compute(opts);
    let total = 0;
    for (const [, c] of pairs) total += c;
    if (total !== WORDS || pairs.length !== info.distinct) throw new Error(`wrong frequencies: ${total} words, ${pairs.length} distinct`);
  }),
  python: [
    py('dask-sync', 'bag_words.py', 'run_frequencies_sync', { setup: 'setup', repeat: 3, warmup: 0 }),
    py('dask-processes', 'bag_words.py', 'run_frequencies_processes', { setup: 'setup', repeat: 3, warmup: 0 }),
  ],
};

export const bagWorkloads: Workload[] = [mapFilterSum, randomWalkMean, frequencies];
