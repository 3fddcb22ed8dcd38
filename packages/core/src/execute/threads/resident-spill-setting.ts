/**
 * The main thread's side of spilling resident task results (see resident-spill.ts): the memory
 * setting read from the configuration for each computation, and the pool's spill directory.
 *
 * `threads.memory-limit` is the memory the pool's worker threads may fill with task results, for
 * the whole pool (they share one process, as the workers of a Dask LocalCluster share a machine):
 * each thread keeps `threads.memory-target` of its equal share in memory and spills the rest,
 * least recently used first. 0 (the default): no limit, nothing measured or written.
 */
import { fs, os, path } from './resident-spill-node';
import { parseBytes } from '../../config/bytes';
import { get as configGet } from '../../config/config';

export interface MemoryConfig {
  /** Bytes of task results one worker thread keeps in memory (0: no limit). */
  readonly budget: number;
  /** Where the pool's spill directory is made. */
  readonly base: string;
}

/** The setting for a pool of `threads` worker threads; bad values refused by key. */
export function memoryConfig(threads: number): MemoryConfig {
  const limit = parseBytes(configGet<number | string>('threads.memory-limit'), "config 'threads.memory-limit'");
  const target = configGet<number>('threads.memory-target');
  if (typeof target !== 'number' || !(target > 0 && target <= 1)) {
    throw new RangeError(`config 'threads.memory-target': must be a fraction in (0, 1], got ${JSON.stringify(target)}`);
  }
  // No limit, no directory: the temporary directory is looked up only when results may spill
  // (a browser has none, and there a limit is refused with NodeOnlyError by this lookup).
  if (!(limit > 0)) return { budget: 0, base: '' };
  const base = configGet<string | null>('temporary-directory', null) ?? os.tmpdir();
  // At least one byte: a limit so small still means "spill everything", never "no limit".
  return { budget: Math.max(1, Math.floor((limit * target) / threads)), base };
}

const live = new Set<string>();
let hooked = false;

/** A fresh spill directory for a pool (mode 0700), removed by `removeSpillDir` or at exit. */
export function makeSpillDir(base: string): string {
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, `pdask-threads-${process.pid}-`));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    // A program that exits without closing its pools leaves no files behind.
    process.once('exit', () => {
      for (const d of live) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

export function removeSpillDir(dir: string | undefined): void {
  if (dir === undefined) return;
  live.delete(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}
