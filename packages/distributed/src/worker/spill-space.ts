/**
 * The directories a nanny gives its workers to spill into: one of its own under the local
 * directory, and a fresh one in it per worker process (a restarted worker starts empty). All are
 * made by mkdtemp, so mode 0700, and the nanny removes a worker's as soon as the process is gone:
 * a killed worker cannot clean up after itself.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The nanny's directory under `localDirectory` (created, 0700, if missing) or the OS temp directory. */
export function makeNannySpace(localDirectory: string | undefined): string {
  const base = localDirectory ?? tmpdir();
  mkdirSync(base, { recursive: true, mode: 0o700 });
  return mkdtempSync(join(base, 'pdask-nanny-'));
}

/** A fresh directory for one worker process. */
export function makeWorkerSpace(nannySpace: string, index: number): string {
  return mkdtempSync(join(nannySpace, `worker-${index}-`));
}

export function removeSpace(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
