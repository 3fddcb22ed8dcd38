/**
 * Where a LocalCluster's scheduler listens for its own workers besides TCP: a unix socket in the
 * temporary directory, named for this process and a random suffix (several clusters per process).
 * Kept short: a unix socket path is limited to ~107 bytes.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';

/** Undefined when the temporary directory's path is too long for a unix socket (then TCP only). */
export function localSocketPath(): string | undefined {
  const path = join(tmpdir(), `pdask-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
  return Buffer.byteLength(path) <= 100 ? path : undefined;
}
