/** pdask-worker's Dask flags, each with real worker processes on 127.0.0.1 and a scheduler in this process. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/comm/transport';
import { Rpc } from '../src/comm/rpc';
import { Client, Scheduler } from '../src/index';
import { exited, Procs, requireBuild, until, WORKER_CLI } from './helpers';

const procs = new Procs();
let scheduler: Scheduler;
let client: Client;
let file: string;

beforeAll(async () => {
  requireBuild();
  file = join(tmp(), 'scheduler.json');
  scheduler = await Scheduler.start({ schedulerFile: file });
  client = await Client.connect({ schedulerFile: file, setAsDefault: false });
});
afterAll(async () => {
  procs.killAll();
  await client?.close();
  await scheduler?.close();
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'pdask-cli-w-'));
}

/** Starts pdask-worker on the shared scheduler; `name` tells its workers apart from other tests'. */
function startWorker(name: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return procs.start(process.execPath, [WORKER_CLI, '--scheduler-file', file, '--name', name, '--memory-limit', '0', ...args], { env: { ...process.env, ...env } });
}

function workersNamed(prefix: string) {
  return client.workers.filter((w) => w.name === prefix || w.name.startsWith(`${prefix}-`));
}

async function waitFor(prefix: string, n: number) {
  await until(() => workersNamed(prefix).length === n, 30_000, `${n} worker(s) named ${prefix}`);
  return workersNamed(prefix);
}

/** Runs `fn` on the worker at `address`. */
function runOn<T>(address: string, fn: () => T): Promise<T> {
  return client.submitWith({ workers: [address], pure: false }, fn).result();
}

function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Two adjacent free ports (for a --worker-port range). */
async function freeRange(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p >= 65535) continue;
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer()
        .once('error', () => resolve(false))
        .listen(p + 1, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return p;
  }
}

describe('pdask-worker flags', () => {
  it('--interface: workers listen on that interface’s address', async () => {
    const lo = Object.entries(networkInterfaces()).find(([, a]) => a?.some((x) => x.address === '127.0.0.1'))![0];
    const p = startWorker('iface', ['--interface', lo, '--quiet']);
    const [w] = await waitFor('iface', 1);
    expect(w.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    p.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
  });

  it('--worker-port FIRST:LAST gives each worker its own port of the range', async () => {
    const first = await freeRange();
    const p = startWorker('wport', ['--nworkers', '2', '--worker-port', `${first}:${first + 1}`, '--quiet']);
    const ws = await waitFor('wport', 2);
    expect(ws.map((w) => Number(w.address.split(':').pop())).sort()).toEqual([first, first + 1]);
    p.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
  });

  it('--nanny-port: the nanny answers there with its pid and its workers', async () => {
    const port = await freePort();
    const p = startWorker('nport', ['--nworkers', '2', '--nanny-port', String(port), '--quiet']);
    const ws = await waitFor('nport', 2);
    const comm = await connect(`tcp://127.0.0.1:${port}`, { token: scheduler.token, role: 'client' });
    const rpc = new Rpc(comm);
    comm.onMessage((m) => rpc.handle(m));
    const r = await rpc.request({ op: 'identity' }, 10_000);
    comm.close();
    expect(r.type).toBe('nanny');
    expect(r.pid).toBe(p.pid);
    expect((r.workers as string[]).sort()).toEqual(ws.map((w) => w.address).sort());
    // The worker processes are the nanny's children, not the nanny itself.
    expect(ws.map((w) => w.pid)).not.toContain(p.pid);
    p.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
  });

  it('--no-nanny: the pdask-worker process is the worker', async () => {
    const p = startWorker('nonanny', ['--no-nanny', '--quiet']);
    const [w] = await waitFor('nonanny', 1);
    expect(w.pid).toBe(p.pid);
    expect(await runOn(w.address, () => process.pid)).toBe(p.pid);
    p.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
  });

  it('--listen-address binds there and --contact-address is what the scheduler and clients use', async () => {
    const listenPort = await freePort();
    // A forwarder stands for the NAT or proxy that makes a contact address differ from the listening one.
    let forwarded = 0;
    const proxy: Server = createServer((inbound) => {
      forwarded++;
      const out = tcpConnect(listenPort, '127.0.0.1');
      inbound.pipe(out).pipe(inbound);
      inbound.on('error', () => out.destroy());
      out.on('error', () => inbound.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const contactPort = (proxy.address() as { port: number }).port;
    const p = startWorker('contact', ['--listen-address', `tcp://127.0.0.1:${listenPort}`, '--contact-address', `tcp://127.0.0.1:${contactPort}`]);
    const [w] = await waitFor('contact', 1);
    expect(w.address).toBe(`tcp://127.0.0.1:${contactPort}`);
    await until(() => p.output().includes(`(listening on tcp://127.0.0.1:${listenPort})`), 10_000, 'the worker’s start-up line');
    // The client gathers the result from the worker: through the contact address. (An object: a
    // small primitive result would come inline with the scheduler's message, with nothing to fetch.)
    const before = forwarded;
    expect(await runOn(w.address, () => ({ via: 'contact' }))).toEqual({ via: 'contact' });
    expect(forwarded).toBeGreaterThan(before);
    p.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
    await new Promise((r) => proxy.close(r));
  });

  it('--pid-file holds the pdask-worker pid while it runs, and is removed when it stops', async () => {
    const pidFile = join(tmp(), 'worker.pid');
    const p = startWorker('pidf', ['--pid-file', pidFile, '--quiet']);
    await waitFor('pidf', 1);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(p.pid));
    p.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('a SIGTERM while it still waits for the scheduler file ends it at once, cleanly', async () => {
    const dir = tmp();
    const pidFile = join(dir, 'worker.pid');
    // The scheduler file never appears: without a listener from the first line the signal kills
    // the process (exit code null); with a stop that waits for the worker it would hang 60 s.
    const p = procs.start(process.execPath, [WORKER_CLI, '--scheduler-file', join(dir, 'never.json'), '--pid-file', pidFile, '--death-timeout', '60s']);
    await until(() => existsSync(pidFile) || p.exitCode !== null, 20_000, 'the pid file');
    await new Promise((r) => setTimeout(r, 200));
    p.kill('SIGTERM');
    expect(await exited(p, 10_000)).toBe(0);
    expect(p.output()).toContain('Received SIGTERM, shutting down');
    expect(existsSync(pidFile)).toBe(false);
  });

  it('--preload: each worker process imports the module and runs pdaskSetup(worker) before taking tasks', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'setup.mjs'), `export function pdaskSetup(worker) { globalThis.preloaded = 'set up ' + worker.address + ' in ' + process.pid; }\n`);
    const p = procs.start(process.execPath, [WORKER_CLI, '--scheduler-file', file, '--name', 'preload', '--nworkers', '2', '--memory-limit', '0', '--preload', './setup.mjs', '--quiet'], { cwd: dir });
    const ws = await waitFor('preload', 2);
    for (const w of ws) {
      expect(await runOn(w.address, () => (globalThis as { preloaded?: string }).preloaded)).toBe(`set up ${w.address} in ${w.pid}`);
    }
    p.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
  });

  it('--lifetime: the worker leaves gracefully after its lifetime and pdask-worker exits 0', async () => {
    const t0 = Date.now();
    const p = startWorker('life', ['--lifetime', '1.5s']);
    await waitFor('life', 1);
    expect(await exited(p)).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(p.output()).toMatch(/Lifetime 1\.500 s: this worker will then close\n/);
    expect(p.output()).toContain('Nanny closing: every worker reached its lifetime');
    await waitFor('life', 0);
  });

  it('--lifetime-stagger spreads the workers’ lifetimes within ± the stagger', async () => {
    const p = startWorker('stagger', ['--nworkers', '2', '--lifetime', '2s', '--lifetime-stagger', '1s']);
    expect(await exited(p)).toBe(0);
    const lifetimes = [...p.output().matchAll(/Lifetime (\d+\.\d+) s/g)].map((m) => Number(m[1]));
    expect(lifetimes).toHaveLength(2);
    for (const l of lifetimes) {
      expect(l).toBeGreaterThanOrEqual(1);
      expect(l).toBeLessThanOrEqual(3);
    }
    expect(lifetimes[0]).not.toBe(lifetimes[1]);
  });

  it('--lifetime-restart: the nanny replaces a worker that reached its lifetime', async () => {
    const p = startWorker('restart', ['--lifetime', '1s', '--lifetime-restart']);
    const [first] = await waitFor('restart', 1);
    await until(() => workersNamed('restart').some((w) => w.pid !== first.pid), 30_000, 'a replacement worker');
    const [second] = workersNamed('restart');
    expect(second.address).not.toBe(first.address);
    expect(p.exitCode).toBeNull();
    expect(p.output()).toContain('reached its lifetime; starting a new one');
    p.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
  });

  it('logs each failed attempt to reach the scheduler and gives up after --death-timeout with one line', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const p = procs.start(process.execPath, [WORKER_CLI, `tcp://127.0.0.1:${port}`, '--token', 'x', '--death-timeout', '2s']);
    expect(await exited(p)).toBe(1);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    const lines = p.output().trim().split('\n');
    const attempts = lines.filter((l) => l.startsWith('[pdask-worker] Attempt '));
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    // Numbered in order, each naming the refusal and a pause that grows (backoff).
    const pauses = attempts.map((l, i) => {
      const m = new RegExp(`^\\[pdask-worker\\] Attempt ${i + 1} to reach the scheduler failed: .*ECONNREFUSED.*; retrying in (\\d+\\.\\d) s$`).exec(l);
      expect(m, l).not.toBeNull();
      return Number(m![1]);
    });
    expect(pauses.slice(0, 3)).toEqual([0.1, 0.2, 0.4]);
    expect(lines.at(-1)).toMatch(new RegExp(`^pdask-worker: No scheduler answered at tcp://127\\.0\\.0\\.1:${port} within the death timeout of 2 s: giving up`));
    expect(lines).toHaveLength(attempts.length + 1);
  });

  it('--memory-limit: a worker past the terminate fraction is killed and restarted, from the RSS it reports itself', async () => {
    // The resource keeps the task on this worker and its replacements, whatever else is connected.
    const p = startWorker('mem', ['--memory-limit', '300MB', '--resources', 'HOG=1']);
    const [w] = await waitFor('mem', 1);
    // Allocates 400 MB and keeps the event loop busy: only the reporting thread can still speak.
    const hog = client.submitWith({ pure: false, resources: { HOG: 1 } }, () => {
      const b = Buffer.alloc(400e6, 1);
      const end = Date.now() + 20_000;
      while (Date.now() < end);
      return b[0];
    });
    const err = await hog.exception();
    expect(err?.name, p.output()).toBe('KilledWorkerError');
    expect(p.output()).toMatch(/exceeded the terminate threshold of its memory limit \(\d+ > 285000000 bytes\): killing it/);
    // The nanny still restarts a worker after the task is given up.
    await until(() => workersNamed('mem').length === 1 && workersNamed('mem')[0].pid !== w.pid, 30_000, 'a restarted worker');
    p.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
  });
});
