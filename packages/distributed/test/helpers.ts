import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { delayed, type Delayed } from '@pdask/core';
import { afterAll, beforeAll } from 'vitest';
import { Client, LocalCluster, Nanny, Scheduler } from '../src/index';

export const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(PKG, '..', '..');
export const SCHEDULER_CLI = join(PKG, 'dist', 'cli', 'scheduler.js');
export const WORKER_CLI = join(PKG, 'dist', 'cli', 'worker.js');

/** Worker processes run the built package: fail clearly when it is missing. */
export function requireBuild(): void {
  for (const f of [SCHEDULER_CLI, WORKER_CLI, join(PKG, 'dist', 'worker-process.js')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build -w packages/distributed\` before these tests`);
  }
}

/** Processes started by a test, each in its own process group, killed (group and all) by `killAll`. */
export class Procs {
  private readonly procs: ChildProcess[] = [];

  start(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess & { output: () => string } {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...opts }) as ChildProcess & { output: () => string };
    let out = '';
    p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    p.output = () => out;
    this.procs.push(p);
    return p;
  }

  killAll(): void {
    for (const p of this.procs) {
      if (p.pid && p.exitCode === null && p.signalCode === null) {
        try {
          process.kill(-p.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}

export function exited(p: ChildProcess, timeoutMs = 20_000): Promise<number | null> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p.exitCode);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`process ${p.pid} still running after ${timeoutMs} ms`)), timeoutMs);
    p.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Tree reduction: leaves inc(i) for i < n, pairwise add; exact result n(n+1)/2. */
export function treeSum(n: number): number {
  return (n * (n + 1)) / 2;
}

/**
 * The tree reduction of treeSum(n): leaves inc(i), pairwise add. With `leafMs`, each leaf busies
 * its worker that long (so a computation is surely in flight when a test interferes).
 */
export function tree(n: number, leafMs = 0): Delayed<number> {
  const inc = (i: number) => i + 1;
  const busyInc = (i: number, wait: number) => {
    const end = performance.now() + wait;
    while (performance.now() < end);
    return i + 1;
  };
  const add = (a: number, b: number) => a + b;
  let level: Delayed<number>[] = [];
  for (let i = 0; i < n; i++) level.push(leafMs > 0 ? delayed(busyInc, { pure: false })(i, leafMs) : delayed(inc)(i));
  while (level.length > 1) {
    const next: Delayed<number>[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

/**
 * A 2-worker LocalCluster and a client (the default scheduler unless `setAsDefault: false`),
 * started before the tests of the file (or describe block) that calls this and closed after them.
 */
export function useCluster(opts: { setAsDefault?: boolean } = {}): { cluster: LocalCluster; client: Client } {
  const shared = {} as { cluster: LocalCluster; client: Client };
  beforeAll(async () => {
    requireBuild();
    shared.cluster = await LocalCluster.start({ nWorkers: 2 });
    shared.client = await Client.connect(shared.cluster, { setAsDefault: opts.setAsDefault ?? true });
    await shared.client.waitForWorkers(2);
  });
  afterAll(async () => {
    await shared.client?.close();
    await shared.cluster?.close();
  });
  return shared;
}

/**
 * A scheduler in this process and one nanny of one worker per name (a worker its nanny restarts
 * keeps its name, so restrictions by name hold), with a client that is not the default scheduler;
 * started before the tests of the file and closed after them.
 */
export function useNamedNannies(names: readonly string[]): { scheduler: Scheduler; nannies: Nanny[]; client: Client } {
  const shared = { nannies: [] as Nanny[] } as { scheduler: Scheduler; nannies: Nanny[]; client: Client };
  beforeAll(async () => {
    requireBuild();
    shared.scheduler = await Scheduler.start({ port: 0 });
    const { address, token } = shared.scheduler;
    for (const name of names) {
      shared.nannies.push(await Nanny.start({ scheduler: address, token, nworkers: 1, name, env: { PDASK_WORKER_QUIET: '1' }, deathTimeoutMs: 5000 }));
    }
    shared.client = await Client.connect(address, { token, setAsDefault: false });
    await shared.client.waitForWorkers(names.length);
  }, 30_000);
  afterAll(async () => {
    await shared.client?.close();
    for (const n of shared.nannies) await n.close();
    await shared.scheduler?.close();
  });
  return shared;
}
