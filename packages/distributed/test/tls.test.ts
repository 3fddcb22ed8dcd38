import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Scheduler } from '../src/index';
import { exited, Procs, requireBuild, tree, treeSum, until, WORKER_CLI } from './helpers';

const procs = new Procs();
const dir = mkdtempSync(join(tmpdir(), 'pdask-tls-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
const schedulerFile = join(dir, 'scheduler.json');
let scheduler: Scheduler;

beforeAll(async () => {
  requireBuild();
  // A self-signed certificate for 127.0.0.1, which every party also trusts as its CA.
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  scheduler = await Scheduler.start({ schedulerFile, tls: { cert, key, ca: cert } });
});

afterAll(async () => {
  procs.killAll();
  await scheduler?.close();
});

describe('TLS', () => {
  it('scheduler, workers and client talk over TLS; data moves worker to worker encrypted', async () => {
    expect(scheduler.address).toMatch(/^tls:\/\/127\.0\.0\.1:\d+$/);
    const worker = procs.start(process.execPath, [
      WORKER_CLI, '--scheduler-file', schedulerFile, '--nworkers', '2', '--nthreads', '1',
      '--tls-cert', cert, '--tls-key', key, '--tls-ca-file', cert, '--quiet',
    ], { env: { ...process.env, PDASK_DISTRIBUTED__WORKER__HEARTBEAT_MS: '200' } });
    const client = await Client.connect({ schedulerFile, tls: { ca: cert }, setAsDefault: false });
    try {
      await client.waitForWorkers(2, 20_000);
      for (const w of client.workers) expect(w.address).toMatch(/^tls:\/\//);
      const f = client.compute(tree(512));
      expect(await f.result()).toBe(treeSum(512));
      // Both worker processes ran tasks, so partial sums crossed between them (over TLS).
      await until(async () => (await client.schedulerInfo()).workers.every((w) => w.metrics.tasksRun > 0), 10_000, 'heartbeats showing both workers ran tasks');
      const sum = client.submit((xs: Float64Array) => xs.reduce((s, v) => s + v, 0), await client.scatter(new Float64Array([1.5, 2.5])));
      expect(await sum.result()).toBe(4);
    } finally {
      await client.close();
    }
    // Without the CA, the self-signed certificate is refused; plain TCP gets no answer either.
    await expect(Client.connect({ schedulerFile, timeoutMs: 3000, setAsDefault: false })).rejects.toThrow(/self[- ]signed|certificate/i);
    const token = JSON.parse(readFileSync(schedulerFile, 'utf8')).token as string;
    await expect(Client.connect(scheduler.address.replace('tls://', 'tcp://'), { token, timeoutMs: 1000, setAsDefault: false })).rejects.toThrow();
    worker.kill('SIGTERM');
    await exited(worker);
  });
});
