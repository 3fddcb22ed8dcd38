/** The CLIs' value parsing and their refusals of bad values (commander's InvalidArgumentError: one line, exit 1). */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../src/cli/duration';
import { listenAddressArg, protocolArg } from '../src/cli/network';
import { portRange, positiveInt } from '../src/cli/parse';
import { isIdle } from '../src/scheduler/idle';
import { resolvePreload } from '../src/preload';
import { requireBuild, SCHEDULER_CLI, WORKER_CLI } from './helpers';

describe('values read the Dask way', () => {
  it('durations: bare seconds, or a number and a unit', () => {
    expect(parseDuration('60')).toBe(60_000);
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('10 minutes')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1.5 hours')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('0 seconds')).toBe(0);
    expect(parseDuration('250us')).toBeCloseTo(0.25, 12);
    expect(parseDuration(2.5)).toBe(2500);
    expect(() => parseDuration('soon')).toThrow(/cannot read 'soon' as a duration/);
    expect(() => parseDuration('5 parsecs')).toThrow(/cannot read '5 parsecs'/);
    expect(() => parseDuration('-5s')).toThrow(/cannot read/);
  });

  it('ports and ranges, protocols, listen addresses', () => {
    expect(portRange('9000')).toEqual({ first: 9000, last: 9000 });
    expect(portRange('9000:9003')).toEqual({ first: 9000, last: 9003 });
    expect(() => portRange('9003:9000')).toThrow(InvalidArgumentError);
    expect(() => portRange('70000')).toThrow(/0-65535/);
    expect(() => positiveInt('1.5')).toThrow(InvalidArgumentError);
    expect(positiveInt('3')).toBe(3);
    expect(protocolArg('TLS')).toBe('tls');
    expect(protocolArg('ws://')).toBe('ws');
    expect(() => protocolArg('ucx')).toThrow(/does not support the protocol 'ucx'/);
    expect(listenAddressArg('tcp://127.0.0.1:9000')).toEqual({ protocol: 'tcp', host: '127.0.0.1', port: 9000 });
    expect(listenAddressArg('ws://[::1]:9001')).toEqual({ protocol: 'ws', host: '::1', port: 9001 });
    expect(() => listenAddressArg('127.0.0.1:9000')).toThrow(/PROTOCOL:\/\/HOST:PORT/);
  });

  it('idleness: no queued or running task and no client', () => {
    const tasks = { released: 0, waiting: 0, ready: 0, processing: 0, memory: 5, erred: 1 };
    expect(isIdle({ tasks, clients: 0 })).toBe(true);
    expect(isIdle({ tasks, clients: 1 })).toBe(false);
    expect(isIdle({ tasks: { ...tasks, processing: 1 }, clients: 0 })).toBe(false);
    expect(isIdle({ tasks: { ...tasks, waiting: 2 }, clients: 0 })).toBe(false);
  });

  it('preload specifiers: paths become file URLs from the current directory, packages resolve from it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-preload-'));
    writeFileSync(join(dir, 'setup.mjs'), 'export const x = 1;\n');
    expect(resolvePreload('./setup.mjs', dir)).toBe(pathToFileURL(join(dir, 'setup.mjs')).href);
    expect(resolvePreload('setup.mjs', dir)).toBe(pathToFileURL(join(dir, 'setup.mjs')).href);
    // commander is installed at the repository root: found from a directory inside it.
    expect(resolvePreload('commander', __dirname)).toMatch(/^file:\/\/.*node_modules\/commander\/.*\.js$/);
  });
});

function run(cli: string, args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('bad values: one clear line, exit 1, no stack trace', () => {
  const W = ['--scheduler-file', 'never-read.json'];
  const cases: [string, string, string[], RegExp][] = [
    ['worker', '--nthreads abc', [...W, '--nthreads', 'abc'], /option '--nthreads <n>' argument 'abc' is invalid\. Expected a positive integer/],
    ['worker', '--nworkers 0', [...W, '--nworkers', '0'], /'--nworkers <n>' argument '0' is invalid/],
    ['worker', '--nprocs two', [...W, '--nprocs', 'two'], /'--nprocs <n>' argument 'two' is invalid/],
    ['worker', '--memory-limit 12 parsecs', [...W, '--memory-limit', '12 parsecs'], /Invalid memory unit 'parsecs' in '12 parsecs'/],
    ['worker', '--death-timeout soon', [...W, '--death-timeout', 'soon'], /'--death-timeout <duration>' argument 'soon' is invalid\. cannot read 'soon' as a duration/],
    ['worker', '--lifetime forever', [...W, '--lifetime', 'forever'], /'--lifetime <duration>' argument 'forever' is invalid/],
    ['worker', '--lifetime-stagger x', [...W, '--lifetime-stagger', 'x'], /'--lifetime-stagger <duration>' argument 'x' is invalid/],
    ['worker', '--worker-port 70000', [...W, '--worker-port', '70000'], /'--worker-port <port>' argument '70000' is invalid\. Expected a port number 0-65535/],
    ['worker', '--worker-port 9010:9000', [...W, '--worker-port', '9010:9000'], /The range 9010:9000 is empty/],
    ['worker', '--nanny-port abc', [...W, '--nanny-port', 'abc'], /'--nanny-port <port>' argument 'abc' is invalid/],
    ['worker', '--protocol ucx', [...W, '--protocol', 'ucx'], /pdask does not support the protocol 'ucx'/],
    ['worker', '--listen-address without scheme', [...W, '--listen-address', '127.0.0.1:9000'], /'--listen-address <address>' argument '127\.0\.0\.1:9000' is invalid/],
    ['worker', '--resources GPU', [...W, '--resources', 'GPU'], /Invalid resource 'GPU': expected NAME=AMOUNT/],
    ['worker', '--contact-address alone', [...W, '--contact-address', 'tcp://127.0.0.1:9000'], /--contact-address needs --listen-address/],
    ['worker', '--no-nanny with 2 workers', [...W, '--no-nanny', '--nworkers', '2'], /--no-nanny runs one worker/],
    ['worker', '--lifetime-restart without nanny', [...W, '--no-nanny', '--lifetime', '1s', '--lifetime-restart'], /--lifetime-restart needs the nanny/],
    ['worker', '--nprocs and --nworkers', [...W, '--nprocs', '2', '--nworkers', '2'], /give --nworkers only/],
    ['worker', '--host and --interface', [...W, '--host', '127.0.0.1', '--interface', 'lo'], /give --host or --interface, not both/],
    ['worker', '--worker-port too narrow', [...W, '--nworkers', '3', '--worker-port', '9000:9001'], /has 2 port\(s\) for 3 workers/],
    ['worker', 'no scheduler', [], /give a scheduler address/],
    ['scheduler', '--port -1', ['--port', '-1'], /'--port <port>' argument '-1' is invalid/],
    ['scheduler', '--idle-timeout never', ['--idle-timeout', 'never'], /'--idle-timeout <duration>' argument 'never' is invalid/],
    ['scheduler', '--worker-ttl 5 fortnights', ['--worker-ttl', '5 fortnights'], /'--worker-ttl <duration>' argument '5 fortnights' is invalid/],
    ['scheduler', '--protocol inproc', ['--protocol', 'inproc'], /pdask does not support the protocol 'inproc'/],
    ['scheduler', '--host and --interface', ['--host', '127.0.0.1', '--interface', 'lo'], /give --host or --interface, not both/],
  ];
  it.each(cases)('pdask-%s %s', async (which, _name, args, expected) => {
    requireBuild();
    const r = await run(which === 'worker' ? WORKER_CLI : SCHEDULER_CLI, args);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(expected);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('runtime failures are one line too: an unknown --interface, a missing --preload module', async () => {
    const a = await run(SCHEDULER_CLI, ['--interface', 'nosuch9', '--quiet']);
    expect(a.code).toBe(1);
    expect(a.stderr.trim()).toMatch(/^pdask-scheduler: No network interface 'nosuch9' on this machine \(it has: .*\blo\b.*\)$/);
    const b = await run(SCHEDULER_CLI, ['--preload', './no-such-preload.mjs', '--quiet']);
    expect(b.code).toBe(1);
    expect(b.stderr.trim()).toMatch(/^pdask-scheduler: Cannot load the preload module 'file:\/\/.*no-such-preload\.mjs': /);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
  });
});
