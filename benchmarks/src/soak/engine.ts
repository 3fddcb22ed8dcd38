/**
 * The soak of @pdask/distributed: for a given duration, random SIGKILLs of worker processes and of
 * whole `pdask-worker` (nanny) processes, clients connecting, computing and leaving, and large
 * values held, moved and spilled, all while computations run whose results are checked against
 * values computed here from first principles. At the end everything is closed and the leaks are
 * counted: processes of this run still alive, files left under the run's directory, sockets still
 * open in this process, ports still listening. Used by the CI test (test/soak.test.ts, 60 s) and
 * the benchmark script (benchmarks/src/soak.ts, 10 minutes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { delayed, type Delayed } from '@pdask/core';
import { Client, Scheduler, type Future } from '@pdask/distributed';

export interface SoakOptions {
  /** How long the chaos lasts (the computations in flight then finish). */
  seconds: number;
  /** Parent of the run's own directory (default: the system temp directory). */
  parentDir?: string;
  /** Pause between worker kills, uniformly in [min, max] ms (default [1000, 3000]). */
  killEveryMs?: [number, number];
  /** Pause between nanny (pdask-worker process) kills (default [6000, 12000]). */
  nannyKillEveryMs?: [number, number];
  /** --memory-limit of each worker (default 300MB). */
  memoryLimit?: string;
  /** A computation not done in this long counts as stuck (default 120 s). */
  stuckMs?: number;
  log?: (line: string) => void;
  /** Seed of the random choices (default: from the clock); printed so that a run can be repeated. */
  seed?: number;
}

export interface SoakReport {
  seed: number;
  seconds: number;
  workerKills: number;
  nannyKills: number;
  /** Workers their nanny killed for memory (past the terminate fraction of the limit). */
  memoryKills: number;
  clientsChurned: number;
  computations: number;
  resultsChecked: number;
  wrongResults: number;
  /** The longest computation, ms. */
  slowest: number;
  /** Computations that failed or were stuck, with their error. */
  failures: string[];
  leaks: {
    /** Processes of this run alive after shutdown (by pid). */
    processes: number[];
    /** Files and directories left under the run's directory (relative paths). */
    files: string[];
    /** Sockets this process has open beyond those it had before the run. */
    sockets: number;
    /** Ports of the run (scheduler, workers) that still accept connections. */
    ports: number[];
  };
}

/** A small deterministic generator (mulberry32): the run's random choices can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function workerCli(): string {
  const entry = createRequire(import.meta.url).resolve('@pdask/distributed');
  const cli = join(dirname(entry), 'cli', 'worker.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build @pdask/distributed first`);
  return cli;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is dead, only not yet reaped by its parent.
  try {
    return !/\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Processes whose command line or environment names `marker` (the run's directory): every process of the run. */
function processesNaming(marker: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const text = readFileSync(`/proc/${d}/cmdline`, 'utf8') + readFileSync(`/proc/${d}/environ`, 'utf8');
      if (text.includes(marker) && alive(Number(d))) out.push(Number(d));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

function openSockets(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function walk(dir: string, root = dir): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(relative(root, p));
    if (e.isDirectory()) out.push(...walk(p, root));
  }
  return out;
}

const portOf = (address: string) => Number(address.split(':').pop());

// ---- the computations, each with its exact expected value ----------------------------------------

const inc = (i: number) => i + 1;
const add = (a: number, b: number) => a + b;
const square = (x: number) => x * x;

/** Leaves inc(i) for i < n, added pairwise: n(n+1)/2. */
function tree(n: number): Delayed<number> {
  let level: Delayed<number>[] = [];
  for (let i = 0; i < n; i++) level.push(delayed(inc, { pure: false })(i));
  while (level.length > 1) {
    const next: Delayed<number>[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? delayed(add)(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

/** A Float64Array of n values base, base+1, ...: its sum is n*base + n(n-1)/2 (exact below 2^53). */
const ramp = (n: number, base: number) => {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = base + i;
  return x;
};
const rampSum = (n: number, base: number) => n * base + (n * (n - 1)) / 2;
/** Sum of both arrays (self-contained: functions travel to workers as source text). */
const sumBoth = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  for (let i = 0; i < b.length; i++) s += b[i];
  return s;
};

// ---- the run ---------------------------------------------------------------------------------------

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  const random = rng(seed);
  const log = opts.log ?? (() => undefined);
  const stuckMs = opts.stuckMs ?? 120_000;
  const [killMin, killMax] = opts.killEveryMs ?? [1000, 3000];
  const [nannyMin, nannyMax] = opts.nannyKillEveryMs ?? [6000, 12000];
  const report: SoakReport = {
    seed,
    seconds: opts.seconds,
    workerKills: 0,
    nannyKills: 0,
    memoryKills: 0,
    clientsChurned: 0,
    computations: 0,
    resultsChecked: 0,
    wrongResults: 0,
    slowest: 0,
    failures: [],
    leaks: { processes: [], files: [], sockets: 0, ports: [] },
  };
  const socketsBefore = openSockets();
  const runDir = mkdtempSync(join(opts.parentDir ?? tmpdir(), 'pdask-soak-'));
  const localDir = join(runDir, 'local');
  log(`soak: seed ${seed}, ${opts.seconds} s, run directory ${runDir}`);

  // Generous allowed failures: under random SIGKILLs an innocent task is often the suspect.
  const scheduler = await Scheduler.start({ allowedFailures: 1000 });
  const ports = new Set<number>([portOf(scheduler.address)]);
  const nannies = new Set<ChildProcess>();
  const everyPid = new Set<number>();
  const killedWorkers = new Set<number>();
  const cli = workerCli();
  let nannyLog = '';
  const addressOf = new Map<number, string>();
  const startNanny = (): ChildProcess => {
    const p = spawn(
      process.execPath,
      [cli, scheduler.address, '--nworkers', '1', '--nthreads', '2', '--memory-limit', opts.memoryLimit ?? '300MB', '--local-directory', localDir, '--death-timeout', '20s'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PDASK_TOKEN: scheduler.token,
          // Spill early, so that the spill path runs under the kills.
          PDASK_DISTRIBUTED__WORKER__MEMORY__TARGET: '0.3',
        },
      },
    );
    // The nannies' and workers' logs, kept to explain a leak.
    p.stderr?.on('data', (d: Buffer) => (nannyLog += d.toString()));
    p.stdout?.on('data', (d: Buffer) => (nannyLog += d.toString()));
    nannies.add(p);
    p.once('exit', () => nannies.delete(p));
    if (p.pid) everyPid.add(p.pid);
    return p;
  };
  startNanny();
  startNanny();

  const client = await Client.connect(scheduler.address, { token: scheduler.token, setAsDefault: false });
  const trackWorkers = () => {
    for (const w of client.workers) {
      everyPid.add(w.pid);
      addressOf.set(w.pid, w.address);
      ports.add(portOf(w.address));
    }
  };
  await client.waitForWorkers(2, 30_000);
  trackWorkers();

  const deadline = Date.now() + opts.seconds * 1000;
  let chaos = true;
  const running = () => Date.now() < deadline;

  /** What the scheduler sees, to explain a stuck computation. */
  const clusterState = (): string => {
    const info = scheduler.info();
    const ws = info.workers.map((w) => {
      const m = w.metrics;
      return `${w.pid}: rss ${(m.rss / 2 ** 20).toFixed(0)} MiB, managed ${(m.managedBytes / 2 ** 20).toFixed(0)} MiB, spilled ${m.spilledKeys}, queued ${m.queued}, executing ${m.executing}${m.paused ? ', PAUSED' : ''}`;
    });
    const tasks = Object.entries(info.tasks).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
    return `tasks: ${tasks}; workers: ${ws.join(' | ') || 'none'}`;
  };

  /** Runs one checked computation; a failure or a computation past `stuckMs` is recorded. */
  const checked = async (what: string, body: () => Promise<[unknown, unknown][]>): Promise<void> => {
    report.computations++;
    const t0 = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const pairs = await Promise.race([
        body(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`stuck for ${stuckMs / 1000} s (${clusterState()})`)), stuckMs);
        }),
      ]);
      for (const [got, want] of pairs) {
        report.resultsChecked++;
        if (!Object.is(got, want)) {
          report.wrongResults++;
          log(`soak: WRONG result in ${what}: ${String(got)} instead of ${String(want)}`);
        }
      }
    } catch (e) {
      report.failures.push(`${what}: ${(e as Error).name}: ${(e as Error).message}`);
      log(`soak: ${what} failed: ${(e as Error).message}`);
      // A failure that comes back at once must not turn its loop into a busy one.
      await sleep(200);
    } finally {
      clearTimeout(timer);
      const ms = Date.now() - t0;
      report.slowest = Math.max(report.slowest, ms);
      if (ms > 5000) log(`soak: ${what} took ${(ms / 1000).toFixed(1)} s`);
    }
  };

  // Graphs and futures on the long-lived client, in rotation.
  const mainLoop = async (): Promise<void> => {
    for (let round = 0; running(); round++) {
      const kind = round % 3;
      if (kind === 0) {
        const n = 50 + Math.floor(random() * 250);
        await checked(`tree(${n})`, async () => {
          const f = client.compute(tree(n));
          const v = await f.result();
          f.release();
          return [[v, (n * (n + 1)) / 2]];
        });
      } else if (kind === 1) {
        const xs = Array.from({ length: 20 + Math.floor(random() * 80) }, () => Math.floor(random() * 1e6));
        await checked(`map(${xs.length})`, async () => {
          const fs = client.map(square, xs, { pure: false });
          const vs = await client.gather(fs);
          for (const f of fs) f.release();
          return vs.map((v, i) => [v, xs[i] * xs[i]] as [unknown, unknown]);
        });
      } else {
        const n = 20 + Math.floor(random() * 60);
        await checked(`persist(${n})`, async () => {
          const leaves = Array.from({ length: n }, (_, i) => delayed(inc, { pure: false })(i * 3));
          const persisted = client.persist(delayed((...v: number[]) => v)(...leaves));
          const total = client.compute(delayed((v: number[]) => v.reduce((s, x) => s + x, 0))(persisted));
          const v = await total.result();
          total.release();
          const held = await persisted.compute({ scheduler: client.executor });
          // sum of (3i + 1) for i < n
          return [
            [v, (3 * n * (n - 1)) / 2 + n],
            [held.length, n],
            [held[n - 1], 3 * (n - 1) + 1],
          ];
        });
      }
    }
  };

  // Large values held, read on other workers and released: memory pressure and spilling.
  const pressureLoop = async (): Promise<void> => {
    for (let round = 0; running(); round++) {
      const count = 6 + Math.floor(random() * 6);
      const n = 1_000_000 + Math.floor(random() * 1_000_000); // 8-16 MB each
      await checked(`pressure(${count} x ${n})`, async () => {
        const arrays: Future<Float64Array>[] = Array.from({ length: count }, (_, i) => client.submitWith({ pure: false }, ramp, n, round * 100 + i));
        const pairs: Future<number>[] = [];
        for (let i = 0; i + 1 < count; i += 2) pairs.push(client.submitWith({ pure: false }, sumBoth, arrays[i], arrays[i + 1]));
        const vs = await client.gather(pairs);
        const out: [unknown, unknown][] = vs.map((v, j) => [v, rampSum(n, round * 100 + 2 * j) + rampSum(n, round * 100 + 2 * j + 1)]);
        // One array comes back whole: its first and last values.
        const back = await arrays[count - 1].result();
        out.push([back.length, n], [back[0], round * 100 + count - 1], [back[n - 1], round * 100 + count - 1 + n - 1]);
        for (const f of [...arrays, ...pairs]) f.release();
        return out;
      });
    }
  };

  // Clients that connect, compute and leave.
  const churnLoop = async (): Promise<void> => {
    for (let round = 0; running(); round++) {
      await checked(`client ${round}`, async () => {
        const c = await Client.connect(scheduler.address, { token: scheduler.token, setAsDefault: false, name: `churn-${round}` });
        try {
          const a = Math.floor(random() * 1000);
          const b = Math.floor(random() * 1000);
          const one = c.submitWith({ pure: false }, add, a, b);
          const many = c.map(inc, [a, b, a + b], { pure: false });
          const [v, vs] = await Promise.all([one.result(), c.gather(many)]);
          // Half of them leave with their futures still held (the scheduler releases them).
          if (random() < 0.5) for (const f of [one, ...many]) f.release();
          return [
            [v, a + b],
            [vs[0], a + 1],
            [vs[1], b + 1],
            [vs[2], a + b + 1],
          ];
        } finally {
          await c.close();
          report.clientsChurned++;
        }
      });
    }
  };

  const killLoop = async (): Promise<void> => {
    while (chaos && running()) {
      await sleep(killMin + random() * (killMax - killMin));
      if (!chaos || !running()) break;
      trackWorkers();
      const ws = client.workers;
      if (ws.length === 0) continue;
      const pid = ws[Math.floor(random() * ws.length)].pid;
      if (!alive(pid)) continue;
      process.kill(pid, 'SIGKILL');
      killedWorkers.add(pid);
      report.workerKills++;
    }
  };

  const nannyLoop = async (): Promise<void> => {
    while (chaos && running()) {
      await sleep(nannyMin + random() * (nannyMax - nannyMin));
      if (!chaos || !running()) break;
      trackWorkers();
      const list = [...nannies];
      if (list.length === 0) continue;
      const victim = list[Math.floor(random() * list.length)];
      // Its workers see their nanny gone and leave (or were being killed anyway).
      for (const w of client.workers) if (readParent(w.pid) === victim.pid) killedWorkers.add(w.pid);
      victim.kill('SIGKILL');
      report.nannyKills++;
      startNanny();
    }
  };

  const tracker = setInterval(trackWorkers, 100);
  try {
    await Promise.all([mainLoop(), pressureLoop(), churnLoop(), killLoop(), nannyLoop()]);
    chaos = false;
    // Kills have stopped: the cluster must be whole again and compute once more.
    await checked('2 workers back within 60 s', async () => {
      try {
        await client.waitForWorkers(2, 60_000);
      } catch (e) {
        log(`soak: the nannies' last log lines:\n${nannyLog.split('\n').slice(-30).join('\n')}`);
        throw e;
      }
      return [];
    });
    await checked('final tree(100)', async () => [[await client.compute(tree(100)).result(), 5050]]);
  } finally {
    chaos = false;
    clearInterval(tracker);
    trackWorkers();
    await client.close();
    await scheduler.close();
  }

  // Shutdown: the nannies leave when the scheduler tells them to; give every process a moment.
  const t0 = Date.now();
  while ((processesNaming(runDir).length > 0 || nannies.size > 0) && Date.now() - t0 < 15_000) await sleep(100);
  report.leaks.processes = [...new Set([...processesNaming(runDir), ...[...everyPid].filter(alive)])];
  for (const pid of report.leaks.processes) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  const left = walk(runDir);
  // Workers their nanny killed for passing the terminate fraction of the memory limit. Ports are
  // reused: the pid at an address is the last one that logged its start there.
  const pidAt = new Map<string, number>();
  for (const line of nannyLog.split('\n')) {
    const started = /^\[worker (\d+)\] Worker at (\S+),/.exec(line);
    if (started) pidAt.set(started[2], Number(started[1]));
    const killed = /Worker (\S+) exceeded the terminate threshold.*: killing it$/.exec(line);
    if (killed) {
      report.memoryKills++;
      const pid = pidAt.get(killed[1]);
      if (pid) killedWorkers.add(pid);
    }
  }
  // The local directory itself is the nanny's to create and keep; what is inside it is not (killed
  // workers' and killed nannies' directories included: their nanny, or their orphans, remove them).
  report.leaks.files = left.filter((p) => p !== 'local');
  for (const f of report.leaks.files) {
    const pid = Number(/pdask-worker-(\d+)-/.exec(f)?.[1]);
    const addr = addressOf.get(pid);
    const lines = nannyLog.split('\n').filter((l) => (addr && l.includes(addr)) || l.includes(`[worker ${pid}]`));
    log(`soak: leaked ${f}${pid ? `; log of worker ${pid}:\n${lines.join('\n')}` : ''}`);
  }
  if (process.env.PDASK_SOAK_DEBUG_LOG) (await import('node:fs')).writeFileSync(process.env.PDASK_SOAK_DEBUG_LOG, nannyLog);
  rmSync(runDir, { recursive: true, force: true });
  // Sockets close asynchronously: let the event loop finish them.
  for (let i = 0; i < 50 && openSockets() > socketsBefore; i++) await sleep(100);
  report.leaks.sockets = Math.max(0, openSockets() - socketsBefore);
  for (const port of ports) if (await listening(port)) report.leaks.ports.push(port);
  return report;
}

function readParent(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** The report as the lines the test and the benchmark print. */
export function formatReport(r: SoakReport): string {
  const l = r.leaks;
  const list = (xs: (string | number)[]) => (xs.length ? ` (${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ', …' : ''})` : '');
  const rows: [string, string][] = [
    ['worker SIGKILLs survived', `${r.workerKills}`],
    ['nanny SIGKILLs survived', `${r.nannyKills}`],
    ['memory-limit kills by nannies', `${r.memoryKills}`],
    ['clients connected and closed', `${r.clientsChurned}`],
    ['computations run', `${r.computations}`],
    ['results checked', `${r.resultsChecked}`],
    ['wrong results', `${r.wrongResults}`],
    ['failed or stuck computations', `${r.failures.length}${list(r.failures)}`],
    ['slowest computation', `${(r.slowest / 1000).toFixed(1)} s`],
    ['leaked processes', `${l.processes.length}${list(l.processes)}`],
    ['leaked files', `${l.files.length}${list(l.files)}`],
    ['leaked sockets', `${l.sockets}`],
    ['ports still listening', `${l.ports.length}${list(l.ports)}`],
  ];
  return [`soak (seed ${r.seed}, ${r.seconds} s of chaos):`, ...rows.map(([k, v]) => `  ${k.padEnd(30)} ${v}`)].join('\n');
}
