/**
 * The scheduler file: how workers and clients find the scheduler (Dask's `--scheduler-file`).
 * Written atomically (temporary file + rename, mode 0600: it holds the authentication token), and
 * removed by the scheduler on a clean shutdown. A file left behind by a crashed scheduler is
 * detected as stale when nothing answers at its address.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { checkOptions, type OptionSchema } from '@pdask/core';

export interface SchedulerFileContent {
  /** tcp://host:port (or tls://). */
  address: string;
  token: string;
  pid: number;
  host: string;
  /** Milliseconds since the epoch. */
  started: number;
  /** What scheduled workers need to know about TLS (paths of the CA on shared storage). */
  tls?: { ca?: string };
  /** The dashboard's status page, when the scheduler serves one. */
  dashboard?: string;
  type: 'pdask-scheduler';
}

type WrittenContent = Omit<SchedulerFileContent, 'type' | 'pid' | 'host' | 'started'>;

const CONTENT: OptionSchema<WrittenContent> = { address: 'string', token: 'string', tls: 'object', dashboard: 'string' };

export function writeSchedulerFile(path: string, content: WrittenContent): void {
  checkOptions('writeSchedulerFile', content, CONTENT);
  const full: SchedulerFileContent = { type: 'pdask-scheduler', pid: process.pid, host: hostname(), started: Date.now(), ...content };
  const target = resolve(path);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  // JSON here is configuration, like Dask's file, not data.
  writeFileSync(tmp, `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, target);
}

export class SchedulerFileError extends Error {
  override name = 'SchedulerFileError';
}

export function readSchedulerFile(path: string): SchedulerFileContent {
  const target = resolve(path);
  if (!existsSync(target)) {
    throw new SchedulerFileError(
      `No scheduler file at ${target}: start the scheduler first (pdask-scheduler --scheduler-file ${path}), ` +
        `or check that this path is on storage every node shares.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(target, 'utf8'));
  } catch (e) {
    throw new SchedulerFileError(`The scheduler file ${target} is not valid (${(e as Error).message}); it may be half-written or not a pdask scheduler file.`);
  }
  const c = parsed as Partial<SchedulerFileContent>;
  if (c.type !== 'pdask-scheduler' || typeof c.address !== 'string' || typeof c.token !== 'string') {
    throw new SchedulerFileError(`The file ${target} is not a pdask scheduler file (no address and token).`);
  }
  return c as SchedulerFileContent;
}

/** A clear explanation for a file whose scheduler does not answer. */
export function staleMessage(path: string, c: SchedulerFileContent, cause: string): string {
  let alive = '';
  if (c.host === hostname()) {
    try {
      process.kill(c.pid, 0);
      alive = ` Its process ${c.pid} is still running but does not answer.`;
    } catch {
      alive = ` Its process ${c.pid} on ${c.host} is no longer running.`;
    }
  }
  return (
    `The scheduler file ${resolve(path)} is stale: nothing answers at ${c.address} (${cause}). ` +
    `It was written ${new Date(c.started).toISOString()} by pid ${c.pid} on ${c.host}.${alive} ` +
    `The scheduler probably exited without cleaning up: start pdask-scheduler again, or delete the file.`
  );
}

export function removeSchedulerFile(path: string, expectedToken: string): void {
  // Only our own file: another scheduler may have replaced it since.
  try {
    const c = readSchedulerFile(path);
    if (c.token === expectedToken) rmSync(resolve(path), { force: true });
  } catch {
    // already gone or not ours
  }
}
