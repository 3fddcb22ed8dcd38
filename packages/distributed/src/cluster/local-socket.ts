/**
 * Where a LocalCluster's scheduler listens for its own workers besides TCP: a unix socket in the
 * temporary directory, named for this process and a random suffix (several clusters per process).
 * Kept short: a unix socket path is limited to ~107 bytes.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function localSocketPath(): string {
  return join(tmpdir(), `pdask-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
}
