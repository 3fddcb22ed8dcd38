/**
 * Where `pdask-scheduler` without `--scheduler-file` puts a token it generated: a file only its
 * user can read (mode 0600 in a 0700 directory), never the log, which under SLURM is a 0644
 * output file. Workers then take it from the environment:
 * `PDASK_TOKEN=$(cat FILE) pdask-worker tcp://HOST:PORT`.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';

/** `~/.pdask` (home directories are on storage every node of a cluster shares); PDASK_TOKEN_DIR overrides it. */
export function tokenDirectory(): string {
  return process.env.PDASK_TOKEN_DIR ?? join(homedir(), '.pdask');
}

/** Writes the token for the scheduler listening on `port`; returns the file's path. */
export function writeTokenFile(token: string, port: number): string {
  const dir = tokenDirectory();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // An existing directory keeps its mode: make sure nobody else can list or read it.
  chmodSync(dir, 0o700);
  const file = join(dir, `scheduler-${hostname()}-${port}.token`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}

export function removeTokenFile(file: string): void {
  rmSync(file, { force: true });
}
