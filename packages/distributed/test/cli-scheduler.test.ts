/** pdask-scheduler's Dask flags, each with a real scheduler process on 127.0.0.1. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, readSchedulerFile, type SchedulerFileContent } from '../src/index';
import { exited, PKG, Procs, requireBuild, SCHEDULER_CLI, until, WORKER_CLI } from './helpers';

const procs = new Procs();
beforeAll(() => requireBuild());
afterAll(() => procs.killAll());

const VERSION = (JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')) as { version: string }).version;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'pdask-cli-s-'));
}

/** Starts pdask-scheduler with a fresh scheduler file; resolves once the file is written. */
async function startScheduler(args: string[], env: NodeJS.ProcessEnv = {}) {
  const file = join(tmp(), 'scheduler.json');
  const proc = procs.start(process.execPath, [SCHEDULER_CLI, '--scheduler-file', file, ...args], { env: { ...process.env, ...env } });
  await until(() => existsSync(file) || proc.exitCode !== null, 20_000, 'the scheduler file');
  if (!existsSync(file)) throw new Error(`pdask-scheduler exited: ${proc.output()}`);
  const content: SchedulerFileContent = readSchedulerFile(file);
  return { proc, file, content };
}

/** The loopback interface's name on this machine (lo on Linux, lo0 on macOS). */
function loopbackInterface(): string {
  const found = Object.entries(networkInterfaces()).find(([, addrs]) => addrs?.some((a) => a.family === 'IPv4' && a.address === '127.0.0.1'));
  if (!found) throw new Error('no interface holds 127.0.0.1');
  return found[0];
}

describe('pdask-scheduler flags', () => {
  it('--version prints the package version; --help lists the Dask flags', () => {
    for (const [cli, name] of [
      [SCHEDULER_CLI, 'pdask-scheduler'],
      [WORKER_CLI, 'pdask-worker'],
    ] as const) {
      const v = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
      expect(v.status).toBe(0);
      expect(v.stdout.trim()).toBe(`${name}, version ${VERSION}`);
    }
    const s = spawnSync(process.execPath, [SCHEDULER_CLI, '--help'], { encoding: 'utf8' }).stdout;
    for (const f of ['--interface', '--protocol', '--pid-file', '--preload', '--idle-timeout', '--version']) expect(s).toContain(f);
    const w = spawnSync(process.execPath, [WORKER_CLI, '--help'], { encoding: 'utf8' }).stdout;
    for (const f of ['--interface', '--protocol', '--worker-port', '--nanny-port', '--no-nanny', '--listen-address', '--contact-address', '--pid-file', '--lifetime ', '--lifetime-stagger', '--lifetime-restart', '--preload', '--nprocs', '--version']) {
      expect(w).toContain(f);
    }
    expect(w).toMatch(/--nprocs <n>\s+deprecated: the old name of --nworkers/);
  });

  it('--interface listens on that interface’s address', async () => {
    const { proc, content } = await startScheduler(['--interface', loopbackInterface(), '--quiet']);
    expect(content.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
  });

  it('--protocol ws publishes a ws:// address that workers and clients use', async () => {
    const { proc, file, content } = await startScheduler(['--protocol', 'ws', '--quiet']);
    expect(content.address).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const worker = procs.start(process.execPath, [WORKER_CLI, '--scheduler-file', file, '--protocol', 'ws', '--memory-limit', '0', '--quiet']);
    const client = await Client.connect({ schedulerFile: file, setAsDefault: false });
    await client.waitForWorkers(1, 30_000);
    expect(client.workers[0].address).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(await client.submit((a: number, b: number) => a * b, 6, 7).result()).toBe(42);
    await client.shutdown();
    expect(await exited(proc)).toBe(0);
    expect(await exited(worker)).toBe(0);
  });

  it('--protocol tls without certificates is refused by name', async () => {
    const r = spawnSync(process.execPath, [SCHEDULER_CLI, '--protocol', 'tls', '--quiet'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('pdask-scheduler: Protocol tls needs a TLS certificate and key (--tls-cert, --tls-key)');
  });

  it('--pid-file holds the scheduler’s pid while it runs, and is removed when it stops', async () => {
    const pidFile = join(tmp(), 'scheduler.pid');
    const { proc } = await startScheduler(['--pid-file', pidFile, '--quiet']);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(proc.pid));
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('a SIGTERM as soon as the pid file appears (before the scheduler is up) still stops it cleanly', async () => {
    const dir = tmp();
    const pidFile = join(dir, 'scheduler.pid');
    const file = join(dir, 'scheduler.json');
    const proc = procs.start(process.execPath, [SCHEDULER_CLI, '--scheduler-file', file, '--pid-file', pidFile]);
    await until(() => existsSync(pidFile) || proc.exitCode !== null, 20_000, 'the pid file');
    proc.kill('SIGTERM');
    // Node's default for an unhandled SIGTERM is death by the signal: exit code null.
    expect(await exited(proc)).toBe(0);
    expect(proc.output()).toContain('Received SIGTERM, shutting down');
    expect(existsSync(pidFile)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('--preload (repeatable) imports each module and runs its pdaskSetup(scheduler), then pdaskTeardown at shutdown', async () => {
    const dir = tmp();
    const out = join(dir, 'preload.log');
    for (const n of ['a', 'b']) {
      writeFileSync(
        join(dir, `${n}.mjs`),
        `import { appendFileSync } from 'node:fs';
export function pdaskSetup(s) { appendFileSync(process.env.PRELOAD_LOG, '${n} setup ' + s.address + ' ' + process.pid + '\\n'); }
export function pdaskTeardown(s) { appendFileSync(process.env.PRELOAD_LOG, '${n} teardown\\n'); }
`,
      );
    }
    const { proc, content } = await startScheduler(['--preload', join(dir, 'a.mjs'), '--preload', join(dir, 'b.mjs'), '--quiet'], { PRELOAD_LOG: out });
    // As Dask's: the scheduler file is written once listening, before the preloads' set-up runs.
    await until(() => existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 2, 20_000, 'both set-ups');
    expect(readFileSync(out, 'utf8')).toBe(`a setup ${content.address} ${proc.pid}\nb setup ${content.address} ${proc.pid}\n`);
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
    // Torn down in reverse order of set-up.
    expect(readFileSync(out, 'utf8')).toBe(`a setup ${content.address} ${proc.pid}\nb setup ${content.address} ${proc.pid}\nb teardown\na teardown\n`);
  });

  it('--idle-timeout shuts down after that long without work or clients, not while a client is connected', async () => {
    const { proc, file } = await startScheduler(['--idle-timeout', '1s']);
    const client = await Client.connect({ schedulerFile: file, setAsDefault: false });
    // Twice the timeout with a client connected: still running.
    await new Promise((r) => setTimeout(r, 2000));
    expect(proc.exitCode).toBeNull();
    const t0 = Date.now();
    await client.close();
    expect(await exited(proc, 15_000)).toBe(0);
    // At least the timeout after the last client left (checks come every quarter of it).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(proc.output()).toContain('Idle for 1 s (no work, no clients): shutting down');
    expect(existsSync(file)).toBe(false);
  });
});
