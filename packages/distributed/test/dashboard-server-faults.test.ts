/**
 * The dashboard under faults and at its edges, over loopback: a killed worker leaves the workers
 * list and its replacement joins; the token is asked for when required (401) and accepted as a
 * bearer header or a ?token= login; built pages, the placeholder, and nothing outside the bundle;
 * `pdask-scheduler --dashboard-address` / `--no-dashboard`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSchedulerFile, Scheduler } from '../src/index';
import { EventStream, httpGet, useDashboardCluster } from './dashboard-server-helpers';
import { exited, Procs, SCHEDULER_CLI, until } from './helpers';

describe('dashboard of a LocalCluster under a worker kill', () => {
  const fx = useDashboardCluster({ nWorkers: 2 });

  it('drops a killed worker from the list and shows its replacement', async () => {
    const stream = await EventStream.open(`${fx.base}/api/events`);
    try {
      const before = new Set(fx.cluster.scheduler.workers.keys());
      const busy = (x: number): number => {
        const end = Date.now() + 30;
        while (Date.now() < end);
        return x * 3;
      };
      const fs = fx.client.map(busy, Array.from({ length: 60 }, (_, i) => i));
      await until(() => stream.tasks.some((t) => t.prefix === 'busy'), 10_000, 'the first busy task');
      const victim = [...fx.cluster.scheduler.workers.values()][0];
      process.kill(victim.info.pid, 'SIGKILL');
      await until(() => !stream.workers.some((w) => w.id === victim.id), 10_000, 'the killed worker to leave the list');
      await until(() => stream.workers.length === 2 && stream.workers.some((w) => !before.has(w.id)), 20_000, 'a replacement worker');
      expect(await fx.client.gather(fs)).toEqual(Array.from({ length: 60 }, (_, i) => i * 3));
      expect(stream.workers.map((w) => w.id).sort()).toEqual([...fx.cluster.scheduler.workers.keys()].sort());
      expect(stream.error).toBeUndefined();
    } finally {
      stream.close();
    }
  }, 30_000);
});

describe('dashboard access and files', () => {
  it('asks for the token when told to: 401 without it, bearer or ?token= login (HttpOnly cookie) with it', async () => {
    const s = await Scheduler.start({ dashboardAddress: '127.0.0.1:0', dashboardRequireToken: true });
    try {
      const url = s.dashboardLink!.replace(/\/status$/, '');
      expect((await httpGet(`${url}/status`)).status).toBe(401);
      expect((await httpGet(`${url}/metrics`)).status).toBe(401);
      expect((await httpGet(`${url}/api/events`)).status).toBe(401);
      expect((await httpGet(`${url}/metrics`, { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await httpGet(`${url}/health`)).body).toBe('ok\n');
      expect((await httpGet(`${url}/metrics`, { authorization: `Bearer ${s.token}` })).status).toBe(200);
      const login = await httpGet(`${url}/status?token=${encodeURIComponent(s.token)}`);
      expect(login.status).toBe(303);
      expect(login.headers.location).toBe('/status');
      const cookie = login.headers['set-cookie']![0];
      expect(cookie).toMatch(/HttpOnly/);
      expect((await httpGet(`${url}/api/snapshot`, { cookie: cookie.split(';')[0] })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it("is served over HTTPS with the scheduler's TLS certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-dash-tls-'));
    try {
      const cert = join(dir, 'cert.pem');
      const key = join(dir, 'key.pem');
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      ], { stdio: 'ignore' });
      const s = await Scheduler.start({ tls: { cert, key, ca: cert }, dashboardAddress: '127.0.0.1:0' });
      try {
        expect(s.dashboardLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/status$/);
        const body = await new Promise<string>((ok, fail) => {
          httpsGet(s.dashboardLink!.replace(/status$/, 'health'), { ca: readFileSync(cert) }, (res) => {
            let b = '';
            res.on('data', (d: Buffer) => (b += d.toString()));
            res.on('end', () => ok(b));
          }).on('error', fail);
        });
        expect(body).toBe('ok\n');
        // Plain HTTP gets no page.
        await expect(httpGet(s.dashboardLink!.replace(/^https/, 'http'))).rejects.toThrow();
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the built pages, a placeholder when they are missing, and nothing outside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-dash-'));
    const missing = join(dir, 'not-built');
    try {
      writeFileSync(join(dir, 'status.html'), '<p>status page</p>');
      writeFileSync(join(dir, 'status.js'), 'void 0;');
      writeFileSync(join(tmpdir(), 'pdask-dash-outside.txt'), 'secret');
      for (const [staticDir, page] of [
        [dir, '<p>status page</p>'],
        [missing, 'The pages are not built'],
      ]) {
        const s = await Scheduler.start({ dashboardAddress: ':0', dashboardStaticDir: staticDir });
        try {
          const url = s.dashboardLink!.replace(/\/status$/, '');
          const r = await httpGet(`${url}/status`);
          expect(r.status).toBe(200);
          expect(r.body).toContain(page);
          expect((await httpGet(`${url}/`)).headers.location).toBe('/status');
          if (staticDir === dir) expect((await httpGet(`${url}/status.js`)).headers['content-type']).toMatch(/^text\/javascript/);
          expect((await httpGet(`${url}/..%2fpdask-dash-outside.txt`)).status).toBe(404);
          // Open on loopback, it answers only requests naming this machine.
          expect((await httpGet(`${url}/api/snapshot`, { host: 'rebound.example:8787' })).status).toBe(421);
        } finally {
          await s.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(join(tmpdir(), 'pdask-dash-outside.txt'), { force: true });
    }
  });
});

describe('pdask-scheduler --dashboard-address', () => {
  const procs = new Procs();
  afterAll(() => procs.killAll());

  it('prints the dashboard address and writes it into the scheduler file; --no-dashboard serves none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-dash-cli-'));
    try {
      for (const args of [['--dashboard-address', '127.0.0.1:0'], ['--no-dashboard']]) {
        const file = join(dir, 'scheduler.json');
        const p = procs.start(process.execPath, [SCHEDULER_CLI, '--scheduler-file', file, ...args]);
        await until(() => existsSync(file) || p.exitCode !== null, 20_000, 'the scheduler file');
        const content = readSchedulerFile(file);
        if (args[0] === '--no-dashboard') {
          expect(content.dashboard).toBeUndefined();
          expect(p.output()).not.toMatch(/Dashboard at/);
        } else {
          expect(content.dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/status$/);
          await until(() => p.output().includes(`Dashboard at: ${content.dashboard}`), 5_000, 'the printed address');
          expect((await httpGet(content.dashboard!.replace(/status$/, 'health'))).body).toBe('ok\n');
        }
        p.kill('SIGTERM');
        await exited(p);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
