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

/**
 * The peer's TLS certificate was not accepted. Final, like a wrong token: retrying cannot fix it,
 * and the scheduler is there (it is not a stale scheduler file).
 */
export class TlsCertificateError extends Error {
  override name = 'TlsCertificateError';
}

/** OpenSSL's verification failures (Node's `error.code`), with what each means for the user. */
const CERTIFICATE_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not among the trusted CAs',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed CA that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not signed by a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT: 'the CA that issued its certificate is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the CA that issued its certificate is not trusted',
  CERT_SIGNATURE_FAILURE: 'its certificate signature does not verify',
  CERT_UNTRUSTED: 'its certificate is not trusted',
  CERT_REJECTED: 'its certificate was rejected',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  CERT_REVOKED: 'its certificate was revoked',
  INVALID_CA: 'a CA certificate in its chain is invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is not for this host name or IP address',
};

/** A clear error for a connection refused for its certificate, or undefined for any other failure. */
export function certificateError(address: string, e: Error & { code?: string }): TlsCertificateError | undefined {
  const problem = e.code !== undefined ? CERTIFICATE_PROBLEMS[e.code] : undefined;
  if (!problem) return undefined;
  return new TlsCertificateError(
    `Cannot connect to ${address}: TLS certificate verification failed (${e.code}: ${e.message}): ${problem}. ` +
      'Give the CA that signed the scheduler\'s certificate (Client.connect({ tls: { ca } }), --tls-ca-file).',
  );
}
