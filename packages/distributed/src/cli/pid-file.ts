/** Dask's --pid-file: this process's id, written at start and removed when it exits. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function writePidFile(path: string): void {
  const target = resolve(path);
  try {
    writeFileSync(target, `${process.pid}\n`);
  } catch (e) {
    throw new Error(`Cannot write the pid file ${target}: ${(e as Error).message}`);
  }
  process.on('exit', () => {
    // Only our own: a process started later with the same file may have replaced it.
    try {
      if (readFileSync(target, 'utf8').trim() === String(process.pid)) rmSync(target, { force: true });
    } catch {
      // already gone
    }
  });
}
