/**
 * A TLS client or worker that does not trust the scheduler's certificate (no CA, or another CA)
 * fails at once with an error naming the certificate problem: retrying cannot fix it, and the
 * scheduler file is not stale.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Scheduler, TlsCertificateError } from '../src/index';
import { exited, Procs, requireBuild, WORKER_CLI } from './helpers';

const procs = new Procs();
const dir = mkdtempSync(join(tmpdir(), 'pdask-tls-trust-'));
const schedulerFile = join(dir, 'scheduler.json');
let scheduler: Scheduler;

/** A self-signed certificate for 127.0.0.1 (its own CA). */
function selfSigned(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  return { cert, key };
}

let other: string;

beforeAll(async () => {
  requireBuild();
  const mine = selfSigned('scheduler');
  other = selfSigned('other').cert;
  scheduler = await Scheduler.start({ schedulerFile, tls: { cert: mine.cert, key: mine.key, ca: mine.cert } });
});

afterAll(async () => {
  procs.killAll();
  await scheduler?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Rejects with what `p` rejects with; fails if `p` is still pending after `ms` (it would retry until its own, longer, timeout). */
async function failsWithin<T>(p: Promise<T>, ms: number): Promise<Error> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still trying after ${ms} ms`)), ms)));
  try {
    await Promise.race([p, hang]);
  } catch (e) {
    if ((e as Error).message.startsWith('still trying')) throw e;
    return e as Error;
  } finally {
    clearTimeout(timer);
  }
  throw new Error('connected, but the certificate is not trusted');
}

describe('a TLS peer that does not trust the certificate', () => {
  it('a client without the CA fails at once, naming the self-signed certificate, not a stale file', async () => {
    const e = await failsWithin(Client.connect({ schedulerFile, timeoutMs: 60_000, setAsDefault: false }), 15_000);
    expect(e).toBeInstanceOf(TlsCertificateError);
    expect(e.message).toMatch(/TLS certificate verification failed \(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\): its certificate is self-signed/);
    expect(e.message).toContain('--tls-ca-file');
    expect(e.message).not.toMatch(/stale/);
  });

  it('a client with another CA fails at once too', async () => {
    const e = await failsWithin(Client.connect({ schedulerFile, tls: { ca: other }, timeoutMs: 60_000, setAsDefault: false }), 15_000);
    expect(e).toBeInstanceOf(TlsCertificateError);
    expect(e.message).toMatch(/TLS certificate verification failed \(\w+/);
    // By address too (no scheduler file involved).
    const byAddress = await failsWithin(Client.connect(scheduler.address, { token: scheduler.token, tls: { ca: other }, timeoutMs: 60_000, setAsDefault: false }), 15_000);
    expect(byAddress).toBeInstanceOf(TlsCertificateError);
  });

  it('a worker without the CA exits at once with the certificate error, not after its death timeout', async () => {
    const w = procs.start(process.execPath, [WORKER_CLI, '--scheduler-file', schedulerFile, '--death-timeout', '60s', '--nworkers', '1', '--memory-limit', '0']);
    expect(await exited(w, 15_000), w.output()).toBe(1);
    expect(w.output()).toMatch(/TLS certificate verification failed \(DEPTH_ZERO_SELF_SIGNED_CERT/);
    expect(w.output()).not.toMatch(/stale/);
  });
});
