import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { delayed } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, readSchedulerFile } from '../src/index';
import { exited, Procs, requireBuild, SCHEDULER_CLI, treeSum, until, WORKER_CLI } from './helpers';

const procs = new Procs();
beforeAll(() => requireBuild());
afterAll(() => procs.killAll());

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('pdask-scheduler and pdask-worker', () => {
  it('print their help', () => {
    const s = spawnSync(process.execPath, [SCHEDULER_CLI, '--help'], { encoding: 'utf8' });
    expect(s.status).toBe(0);
    for (const flag of ['--scheduler-file', '--host', '--port', '--dashboard-address']) expect(s.stdout).toContain(flag);
    const w = spawnSync(process.execPath, [WORKER_CLI, '--help'], { encoding: 'utf8' });
    expect(w.status).toBe(0);
    for (const flag of ['--scheduler-file', '--nthreads', '--nworkers', '--memory-limit', '--name', '--local-directory', '--death-timeout', '--resources']) {
      expect(w.stdout).toContain(flag);
    }
  });

  it('run a cluster through a scheduler file, as under SLURM, and shut down cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-cli-'));
    const file = join(dir, 'scheduler.json');
    // Workers first: they wait for the file to appear. --nprocs is the old name of --nworkers.
    const worker = procs.start(process.execPath, [WORKER_CLI, '--scheduler-file', file, '--nthreads', '1', '--nprocs', '2', '--memory-limit', '0', '--name', 'w', '--quiet']);
    const scheduler = procs.start(process.execPath, [SCHEDULER_CLI, '--scheduler-file', file, '--port', '0']);
    await until(() => existsSync(file), 20_000, 'the scheduler file');
    // Atomic write, private: mode 0600, and complete when it appears.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const content = readSchedulerFile(file);
    expect(content.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(content.token.length).toBeGreaterThanOrEqual(40);

    const client = await Client.connect({ schedulerFile: file, setAsDefault: false });
    await client.waitForWorkers(2, 30_000);
    expect(client.workers.map((w) => w.name).sort()).toEqual(['w-0', 'w-1']);
    const inc = (x: number) => x + 1;
    const add = (a: number, b: number) => a + b;
    let level = Array.from({ length: 1000 }, (_, i) => delayed(inc)(i));
    while (level.length > 1) {
      const next = [];
      for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]);
      level = next;
    }
    expect(await level[0].compute({ scheduler: 'distributed' })).toBe(treeSum(1000));
    await client.shutdown();
    expect(await exited(scheduler)).toBe(0);
    expect(await exited(worker)).toBe(0);
    // Removed on clean shutdown.
    expect(existsSync(file)).toBe(false);
  });

  it('explain a missing scheduler file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pdask-cli-')), 'nothing.json');
    await expect(Client.connect({ schedulerFile: file, timeoutMs: 300, setAsDefault: false })).rejects.toThrow(/No scheduler file at .*nothing\.json: start the scheduler first/);
    const w = procs.start(process.execPath, [WORKER_CLI, '--scheduler-file', file, '--death-timeout', '1s']);
    expect(await exited(w)).toBe(1);
    expect(w.output()).toMatch(/No scheduler file/);
  });

  it('explain a stale scheduler file left by a crashed scheduler', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pdask-cli-')), 'stale.json');
    const port = await freePort();
    // A pid that cannot exist, and a port nobody listens on.
    writeFileSync(file, JSON.stringify({ type: 'pdask-scheduler', address: `tcp://127.0.0.1:${port}`, token: 'x'.repeat(43), pid: 2 ** 22 + 7, host: (await import('node:os')).hostname(), started: Date.now() - 60_000 }), { mode: 0o600 });
    await expect(Client.connect({ schedulerFile: file, timeoutMs: 500, setAsDefault: false })).rejects.toThrow(/is stale: nothing answers at tcp:\/\/127\.0\.0\.1:\d+ .*no longer running/s);
  });

  it('reject bad arguments with a clear message', () => {
    const r = spawnSync(process.execPath, [WORKER_CLI, '--scheduler-file', 'x.json', '--memory-limit', '12 parsecs'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Invalid memory unit 'parsecs' in '12 parsecs'");
    const r2 = spawnSync(process.execPath, [WORKER_CLI, '--nworkers', '0'], { encoding: 'utf8' });
    expect(r2.status).not.toBe(0);
    expect(r2.stderr).toContain("option '--nworkers <n>' argument '0' is invalid. Expected a positive integer.");
    const r3 = spawnSync(process.execPath, [WORKER_CLI], { encoding: 'utf8' });
    expect(r3.status).toBe(1);
    expect(r3.stderr).toContain('--scheduler-file');
  });
});
