/**
 * Strict options: every public entry point of @pdask/distributed that takes an options object
 * rejects a misspelt key by name (before connecting or starting anything), and options Dask has
 * that pdask does not implement are refused by name. The table is checked against the sources: a
 * public function or method with an options parameter and no row fails here. And no string names
 * a built-in operation outside the catalogue.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { delayed } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pkg from '../src/index';
import { Client, ClusterPolicy, DataStore, LocalCluster, Nanny, Scheduler, SlurmCluster, wait, Worker, writeSchedulerFile, startDashboard } from '../src/index';
import { PKG } from './helpers';
import { errorOf, expectUnknownOption } from '../../../test/helpers/options';

const typo = <T>(o: Record<string, unknown>): T => o as T;

let scheduler: Scheduler;
let client: Client;

beforeAll(async () => {
  scheduler = await Scheduler.start();
  client = await Client.connect(scheduler.address, { token: scheduler.token, setAsDefault: false });
});

afterAll(async () => {
  await client?.close();
  await scheduler?.close();
});

type Call = () => unknown;
const inc = (x: number): number => x + 1;

/** [public name, misspelt key, call]. */
const calls: [string, string, Call][] = [
  ['Scheduler.start', 'prot', () => Scheduler.start(typo({ prot: 0 }))],
  ['Worker.start', 'memoryLimt', () => Worker.start(typo({ scheduler: 'tcp://127.0.0.1:1', token: 't', memoryLimt: 1 }))],
  ['Nanny.start', 'nworker', () => Nanny.start(typo({ scheduler: 'tcp://127.0.0.1:1', token: 't', nworkers: 1, nworker: 2 }))],
  ['LocalCluster.start', 'nworkers', () => LocalCluster.start(typo({ nworkers: 2 }))],
  ['SlurmCluster.start', 'wallTime', () => SlurmCluster.start(typo({ wallTime: '1:00:00' }))],
  ['Client.connect', 'schedulerfile', () => Client.connect(typo({ schedulerfile: '/nonexistent' }))],
  ['Client.connect', 'tokn', () => Client.connect('tcp://127.0.0.1:1', typo({ tokn: 'x' }))],
  ['Client.connect', 'tokn', () => Client.connect(typo({ schedulerAddress: 'tcp://127.0.0.1:1', token: 't', tokn: 'x' }))],
  ['writeSchedulerFile', 'adress', () => writeSchedulerFile('/nonexistent/never-written.json', typo({ adress: 'tcp://127.0.0.1:1', token: 't' }))],
  ['Client.submitWith', 'retry', () => client.submitWith(typo({ retry: 2 }), inc, 1)],
  ['Client.map', 'priorty', () => client.map(inc, [1, 2], typo({ priorty: 1 }))],
  ['Client.compute', 'retry', () => client.compute(delayed(inc)(1), typo({ retry: 1 }))],
  ['Client.persist', 'optimize', () => client.persist(delayed(inc)(1), typo({ optimize: false }))],
  ['Client.scatter', 'worker', () => client.scatter(1, typo({ worker: [] }))],
  ['Client.gather', 'error', () => client.gather([], typo({ error: 'raise' }))],
  ['Future.persist', 'schedular', () => client.submit(inc, 1).persist(typo({ schedular: 'sync' }))],
  ['wait', 'timeout', () => wait([], typo({ timeout: 1 }))],
  ['ClusterPolicy', 'maxdepth', () => new ClusterPolicy(typo({ maxdepth: 4 }))],
  ['DataStore', 'dir', () => new DataStore(typo({ limit: 0, target: 0.6, directory: '/tmp', dir: '/tmp' }))],
  ['performanceReport', 'fileName', () => pkg.performanceReport(typo({ fileName: '/nonexistent/never-written.html' }), () => 1)],
  ['startDashboard', 'adress', () => startDashboard(typo({ adress: '127.0.0.1:0' }))],
];


function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/**
 * `Class.method` / `function` names in the sources whose parameters include an options object
 * (a type named *Options), public: not private, of a class or function the package exports.
 */
function optionsTakers(): Set<string> {
  const out = new Set<string>();
  for (const file of sources(join(PKG, 'src'))) {
    if (file.includes(`${sep}cli${sep}`)) continue;
    const text = readFileSync(file, 'utf8');
    const classes = [...text.matchAll(/^export (?:abstract )?class (\w+)/gm)];
    // Signatures may span lines (the parameter list is matched up to its closing parenthesis).
    for (const m of text.matchAll(/^([ \t]*)((?:private |protected )?)(?:export )?(?:static )?(?:async )?(?:function\*? )?(\w+)(?:<[^(\n]*>)?\(([^)]*)\)/gm)) {
      if (m[2] || /^(if|for|while|switch|return|catch)$/.test(m[3])) continue;
      if (!/\w+Options\b|options\??:/.test(m[4])) continue;
      const cls = classes.filter((c) => c.index! < m.index!).pop()?.[1];
      const name = m[1] === '' ? m[3] : m[3] === 'constructor' ? cls! : `${cls}.${m[3]}`;
      // Only what the package exports is public.
      if (name.split('.')[0] in pkg) out.add(name);
    }
  }
  return out;
}

describe('strict options', () => {
  it.each(calls)('%s rejects the misspelt option %s by name', (name, key, call) => expectUnknownOption(name, key, call));

  it('the table covers every public function and method that takes options', () => {
    const covered = new Set(calls.map(([n]) => n));
    const found = optionsTakers();
    // The scanner must see the entry points it is meant to police.
    for (const n of ['Client.connect', 'Client.map', 'Scheduler.start', 'LocalCluster.start', 'wait']) expect(found.has(n), n).toBe(true);
    expect([...found].filter((n) => !covered.has(n))).toEqual([]);
  });

  it('refuses options Dask has and pdask does not, by name', async () => {
    await expect(LocalCluster.start(typo({ silenceLogs: true }))).rejects.toThrow("LocalCluster.start: option 'silenceLogs' is not supported: logs are off unless { verbose: true }");
    await expect(SlurmCluster.start(typo({ queue: 'debug' }))).rejects.toThrow("SlurmCluster.start: option 'queue' is not supported: pdask's option is partition");
    await expect(Client.connect(typo({ timeout: 5 }))).rejects.toThrow("Client.connect: option 'timeout' is not supported: pdask's option is timeoutMs (milliseconds)");
    expect(() => client.submitWith(typo({ allowOtherWorkers: true }), inc, 1)).toThrow("Client.submitWith: option 'allowOtherWorkers' is not supported");
    expect(() => client.map(inc, [1], typo({ key: 'k' }))).toThrow("Client.map: option 'key' is not supported: each task of a map gets its own key");
    expect(() => client.compute(delayed(inc)(1), typo({ workers: ['a'] }))).toThrow("Client.compute: option 'workers' is not supported");
    await expect(client.gather([], typo({ errors: 'skip' }))).rejects.toThrow("Client.gather: option 'errors' must be 'raise' ('skip' is not implemented yet), got 'skip' (string)");
    await expect(Scheduler.start(typo({ idleTimeout: 10 }))).rejects.toThrow("Scheduler.start: option 'idleTimeout' is not supported");
  });

  it("LocalCluster.start({ nworkers: 1 }) names the option it meant, before starting anything", async () => {
    await expect(LocalCluster.start(typo({ nworkers: 1 }))).rejects.toThrow(/^LocalCluster\.start: unknown option 'nworkers' \(known: .*\); did you mean 'nWorkers'\?$/);
  });

  it('names a value of the wrong type, and a bad scale count', async () => {
    await expect(LocalCluster.start(typo({ nWorkers: '2' }))).rejects.toThrow("LocalCluster.start: option 'nWorkers' must be an integer >= 0, got '2' (string)");
    await expect(Scheduler.start(typo({ port: -1 }))).rejects.toThrow("Scheduler.start: option 'port' must be an integer >= 0, got -1 (number)");
    await expect(wait([], typo({ returnWhen: 'FIRST' }))).rejects.toThrow("wait: option 'returnWhen' must be one of 'ALL_COMPLETED', 'FIRST_COMPLETED'");
    const cluster = await LocalCluster.start({ nWorkers: 0, processes: false });
    try {
      await expect(cluster.scale(-1)).rejects.toThrow('LocalCluster.scale: n must be an integer >= 0, got -1');
    } finally {
      await cluster.close();
    }
  });
});

describe('operations are named only in the catalogue', () => {
  it("no { k: 'mod' } literal or '@pdask/…/ops' string outside src/ops/index.ts", () => {
    const stray: string[] = [];
    for (const file of sources(join(PKG, 'src'))) {
      if (file.endsWith(join('src', 'ops', 'index.ts'))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/k:\s*'mod'|k:\s*"mod"|'@pdask\/\w+\/ops'|defineOp\(/.test(line)) stray.push(`${file.slice(PKG.length + 1)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(stray).toEqual([]);
  });
});
