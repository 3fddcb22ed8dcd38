import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** TLS material as file paths (Dask's `--tls-cert`, `--tls-key`, `--tls-ca-file`). */
export interface TlsFiles {
  cert?: string;
  key?: string;
  ca?: string;
}

export interface TlsMaterial {
  cert?: Buffer;
  key?: Buffer;
  ca?: Buffer;
}

export function loadTls(files: TlsFiles | undefined): TlsMaterial | undefined {
  if (!files || (!files.cert && !files.key && !files.ca)) return undefined;
  const read = (what: string, p: string | undefined): Buffer | undefined => {
    if (!p) return undefined;
    try {
      return readFileSync(p);
    } catch (e) {
      throw new Error(`Cannot read the TLS ${what} file '${p}': ${(e as Error).message}`);
    }
  };
  return { cert: read('certificate', files.cert), key: read('key', files.key), ca: read('CA', files.ca) };
}

/** A fresh authentication token: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const TOKEN_HEADER = 'x-pdask-token';
