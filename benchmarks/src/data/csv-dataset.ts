/**
 * The CSV data set of the dataframe-csv workload (issue 11): FILES files of ROWS rows each with an
 * int id, a float, a string key (100 distinct), a timestamp and a small int, written once under the
 * OS temp directory and reused (pandas and Dask read the very same files: see
 * benchmarks/python/dataframe_csv.py, which finds them by the same path).
 */
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CSV_FILES = 5;
export const CSV_ROWS = 2_000_000;
export const CSV_KEYS = 100;
export const CSV_DIR = join(tmpdir(), `pdask-bench-csv-${CSV_FILES}x${CSV_ROWS}-v1`);
export const CSV_GLOB = join(CSV_DIR, 'part-*.csv');

const START_MS = Date.UTC(2020, 0, 1);
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function timestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

async function writeFile(path: string, file: number): Promise<void> {
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  let s = (2463534242 + file * 7919) >>> 0;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const lines: string[] = ['id,x,name,when,n'];
  for (let i = 0; i < CSV_ROWS; i++) {
    const id = file * CSV_ROWS + i;
    const x = Math.round(next() * 1e6) / 1e3;
    const name = `key${Math.floor(next() * CSV_KEYS)}`;
    const when = timestamp(START_MS + id * 7_000);
    const n = Math.floor(next() * 100);
    lines.push(`${id},${x},${name},${when},${n}`);
    if (lines.length === 50_000) {
      if (!out.write(`${lines.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      lines.length = 0;
    }
  }
  out.end(lines.length ? `${lines.join('\n')}\n` : '');
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  renameSync(tmp, path);
}

/** Writes the files that are not there yet (a few seconds each); returns the glob. */
export async function ensureCsvDataset(): Promise<string> {
  mkdirSync(CSV_DIR, { recursive: true });
  for (let f = 0; f < CSV_FILES; f++) {
    const path = join(CSV_DIR, `part-${f}.csv`);
    if (!existsSync(path)) await writeFile(path, f);
  }
  return CSV_GLOB;
}
