/**
 * What pdask-scheduler publishes: bound to every interface (--host 0.0.0.0) it warns and publishes
 * an address other machines can use, not 0.0.0.0; without --scheduler-file a generated token goes
 * to a private file, never to the log (SLURM output files are world-readable).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, readSchedulerFile } from '../src/index';
import { reachableHost } from '../src/comm/address';
import { exited, Procs, requireBuild, SCHEDULER_CLI, until, WORKER_CLI } from './helpers';

const procs = new Procs();
const dirs: string[] = [];
beforeAll(() => requireBuild());
afterAll(() => {
  procs.killAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'pdask-cli-p-'));
  dirs.push(d);
  return d;
}

/** A client over loopback (tests never connect off this machine), with the token it is given. */
async function roundTrip(port: string, token: string): Promise<number> {
  const client = await Client.connect(`tcp://127.0.0.1:${port}`, { token, setAsDefault: false });
  try {
    return (await client.schedulerInfo()).workers.length;
  } finally {
    await client.close();
  }
}

describe('the published address of a scheduler bound to every interface', () => {
  it('--host 0.0.0.0 warns and publishes an external interface address; loopback still connects', async () => {
    const file = join(tmp(), 'scheduler.json');
    const proc = procs.start(process.execPath, [SCHEDULER_CLI, '--host', '0.0.0.0', '--scheduler-file', file]);
    await until(() => existsSync(file) || proc.exitCode !== null, 20_000, 'the scheduler file');
    const { address, token } = readSchedulerFile(file);
    const m = /^tcp:\/\/([^:]+):(\d+)$/.exec(address);
    expect(m, address).not.toBeNull();
    // One of this machine's own non-loopback IPv4 addresses, or loopback on a machine with none.
    const external = Object.values(networkInterfaces()).flatMap((as) => as ?? []).filter((a) => !a.internal && a.family === 'IPv4').map((a) => a.address);
    if (external.length) expect(external).toContain(m![1]);
    else expect(m![1]).toBe('127.0.0.1');
    expect(m![1]).not.toBe('0.0.0.0');
    await until(() => proc.output().includes('Warning: --host 0.0.0.0 listens on every network interface'), 5000, 'the warning');
    expect(proc.output()).toContain(`published ${address}`);
    expect(await roundTrip(m![2], token)).toBe(0);
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
  });

  it('pdask-worker --host 0.0.0.0 warns and registers an interface address, not 0.0.0.0', async () => {
    const file = join(tmp(), 'scheduler.json');
    const sched = procs.start(process.execPath, [SCHEDULER_CLI, '--scheduler-file', file]);
    await until(() => existsSync(file) || sched.exitCode !== null, 20_000, 'the scheduler file');
    const worker = procs.start(process.execPath, [WORKER_CLI, '--scheduler-file', file, '--host', '0.0.0.0', '--no-nanny']);
    await until(() => worker.output().includes('Warning: --host 0.0.0.0 listens on every network interface'), 20_000, 'the warning');
    const { address, token } = readSchedulerFile(file);
    // The client talks to the scheduler over loopback only; the worker's published address is data.
    const client = await Client.connect(address, { token, setAsDefault: false });
    try {
      await client.waitForWorkers(1, 20_000);
      const published = /^tcp:\/\/([^:]+):\d+$/.exec(client.workers[0].address)![1];
      expect(published).toBe(reachableHost().host);
      expect(worker.output()).toContain(`workers publish ${published}`);
    } finally {
      await client.close();
    }
    worker.kill('SIGTERM');
    sched.kill('SIGTERM');
    await exited(worker);
    await exited(sched);
  });

  it('reachableHost picks the first external IPv4, else a global IPv6, else loopback', () => {
    const lo = [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] as const;
    const v6 = (address: string) => ({ address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: `${address}/64`, scopeid: 0 }) as const;
    const v4 = (address: string) => ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: `${address}/24` }) as const;
    expect(reachableHost({ lo: [...lo], eth0: [v6('fe80::1'), v4('10.1.2.3')], ib0: [v4('10.9.0.1')] })).toEqual({ host: '10.1.2.3', iface: 'eth0' });
    expect(reachableHost({ lo: [...lo], eth0: [v6('fe80::1'), v6('fd00::2')] })).toEqual({ host: 'fd00::2', iface: 'eth0' });
    expect(reachableHost({ lo: [...lo], eth0: [v6('fe80::1')] })).toEqual({ host: '127.0.0.1', iface: 'loopback' });
  });
});

describe('the token of a scheduler started without --scheduler-file', () => {
  it('a generated token goes to a 0600 file in a 0700 directory, not to the log; the file is removed at shutdown', async () => {
    const tokenDir = join(tmp(), 'tokens');
    const env: NodeJS.ProcessEnv = { ...process.env, PDASK_TOKEN_DIR: tokenDir };
    delete env.PDASK_TOKEN;
    const proc = procs.start(process.execPath, [SCHEDULER_CLI], { env });
    await until(() => /the token is in (\S+) /.test(proc.output()) || proc.exitCode !== null, 20_000, 'the token file line');
    const tokenFile = /the token is in (\S+) /.exec(proc.output())![1];
    expect(dirname(tokenFile)).toBe(tokenDir);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(tokenDir).mode & 0o777).toBe(0o700);
    const token = readFileSync(tokenFile, 'utf8').trim();
    // 256 random bits, base64url.
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(proc.output()).not.toContain(token);
    const port = /pdask-worker tcp:\/\/127\.0\.0\.1:(\d+)/.exec(proc.output())?.[1];
    expect(port, proc.output()).toBeDefined();
    expect(await roundTrip(port!, token)).toBe(0);
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
    expect(existsSync(tokenFile)).toBe(false);
  });

  it('a token the user gave (--token) is neither printed nor written', async () => {
    const tokenDir = join(tmp(), 'tokens');
    const token = 'a-token-the-user-chose-0123456789';
    const proc = procs.start(process.execPath, [SCHEDULER_CLI, '--token', token], { env: { ...process.env, PDASK_TOKEN_DIR: tokenDir } });
    await until(() => proc.output().includes('No --scheduler-file') || proc.exitCode !== null, 20_000, 'the start-up log');
    expect(proc.output()).not.toContain(token);
    expect(existsSync(tokenDir)).toBe(false);
    const port = /address tcp:\/\/127\.0\.0\.1:(\d+)/.exec(proc.output())?.[1];
    expect(await roundTrip(port!, token)).toBe(0);
    proc.kill('SIGTERM');
    expect(await exited(proc)).toBe(0);
  });
});
