/**
 * The directories a nanny gives its workers to spill into: one of its own under the local
 * directory, and a fresh one in it per worker process (a restarted worker starts empty). All are
 * made by mkdtemp, so mode 0700, and the nanny removes a worker's as soon as the process is gone:
 * a killed worker cannot clean up after itself. A killed nanny cannot either: its directory is
 * named with its pid, and the next nanny started on the same local directory removes the
 * directories of nannies that are no longer running (Dask's workspace purges stale ones likewise).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** The nanny's directory under `localDirectory` (created, 0700, if missing) or the OS temp directory. */
export function makeNannySpace(localDirectory: string | undefined): string {
  const base = localDirectory ?? tmpdir();
  mkdirSync(base, { recursive: true, mode: 0o700 });
  removeStaleSpaces(base);
  return mkdtempSync(join(base, `pdask-nanny-${process.pid}-`));
}

const NANNY_SPACE = /^pdask-nanny-(\d+)-/;

/** Removes the directories of nannies that died without cleaning up (their pid no longer runs). */
export function removeStaleSpaces(base: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = NANNY_SPACE.exec(name);
    if (!m || isRunning(Number(m[1])) || orphansAlive(join(base, name))) continue;
    rmSync(join(base, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Whether a worker of a dead nanny still runs with spilled values there (a worker's spill
 * directory is named with its pid): it may still serve them, and removes its directory itself.
 */
function orphansAlive(nannySpace: string): boolean {
  for (const w of safeList(nannySpace)) {
    if (!/^worker-\d+-/.test(w)) continue;
    for (const d of safeList(join(nannySpace, w))) {
      const m = /^pdask-worker-(\d+)-/.exec(d);
      if (m && isRunning(Number(m[1]))) return true;
    }
  }
  return false;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user (whose directory this is not ours to remove anyway).
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A fresh directory for one worker process. */
export function makeWorkerSpace(nannySpace: string, index: number): string {
  return mkdtempSync(join(nannySpace, `worker-${index}-`));
}

export function removeSpace(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/**
 * A worker whose nanny died removes the directory its nanny gave it, and the nanny's directory
 * too once it is empty (the orphans of one nanny end together: each waits up to a second for its
 * siblings' directories to go). Only directories laid out by a nanny are touched.
 */
export async function removeOrphanedSpace(workerSpace: string): Promise<void> {
  if (!/^worker-\d+-/.test(basename(workerSpace))) return;
  const nannySpace = dirname(workerSpace);
  if (!NANNY_SPACE.test(basename(nannySpace))) return;
  rmSync(workerSpace, { recursive: true, force: true });
  for (let i = 0; i < 10; i++) {
    try {
      rmdirSync(nannySpace);
      return;
    } catch (e) {
      // ENOTEMPTY: a sibling is still removing its own; anything else: gone already, or not ours.
      if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY') return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
