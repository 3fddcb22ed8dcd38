/**
 * The nanny: supervises worker processes on one machine. It restarts a worker that dies or grows
 * past the terminate fraction of its memory limit, tells the scheduler which task was running
 * when a worker died (so a task that kills workers is caught), and restarts or stops workers when
 * the scheduler asks. One nanny process supervises all `--nworkers` workers of a `pdask-worker`
 * command (Dask starts one nanny process per worker; one is enough to do the job here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOptions, config, intAtLeast, type OptionSchema } from '@pdask/core';
import { bytes, millis, nonNegativeInt, notYet, numberRecord } from '../options';
import { registerDistributedConfig } from '../config';
import { connectViaFile } from '../comm/discovery';
import type { TlsFiles } from '../comm/security';
import { loadTls } from '../comm/security';
import { connect, type Comm } from '../comm/transport';
import type { WorkerOptions } from '../worker/worker';

registerDistributedConfig();

export interface NannyOptions {
  /** Scheduler address, or a scheduler file to read it (and the token) from. */
  scheduler?: string;
  schedulerFile?: string;
  token?: string;
  tls?: TlsFiles;
  nworkers: number;
  nthreads?: number;
  memoryLimit?: number;
  name?: string;
  localDirectory?: string;
  resources?: Record<string, number>;
  host?: string;
  /** Give up when no scheduler can be reached for this long (default 60 s). */
  deathTimeoutMs?: number;
  /** Extra environment for the worker processes. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Not implemented: Dask's `lifetime`, `interface` (pdask's is `host`), `worker_port`, `nanny_port`. */
  lifetime?: never;
  interface?: never;
  workerPort?: never;
  nannyPort?: never;
}

const NANNY_OPTIONS: OptionSchema<NannyOptions> = {
  scheduler: 'string',
  schedulerFile: 'string',
  token: 'string',
  tls: 'object',
  nworkers: intAtLeast(1),
  nthreads: intAtLeast(1),
  memoryLimit: bytes,
  name: 'string',
  localDirectory: 'string',
  resources: numberRecord,
  host: 'string',
  deathTimeoutMs: millis,
  env: 'object',
  log: 'function',
  lifetime: notYet(),
  interface: notYet("pdask's option is host (an address to listen on)"),
  workerPort: notYet(),
  nannyPort: notYet(),
};

interface Child {
  index: number;
  proc: ChildProcess;
  address?: string;
  died?: { code: string; running: string; last: string };
  started: number;
  restarts: number;
  killedFor?: string;
}

/** Finds the built worker-process entry next to this module (dist) or from the sources (tests). */
export function workerEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const c of [join(here, 'worker-process.js'), join(here, '..', 'worker-process.js'), join(here, '..', '..', 'dist', 'worker-process.js')]) {
    if (existsSync(c)) return c;
  }
  throw new Error(`Cannot find the built worker entry (worker-process.js) near ${here}: build @pdask/distributed first (npm run build -w packages/distributed)`);
}

function rssOf(pid: number): number {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return pages * 4096;
  } catch {
    return 0;
  }
}

export class Nanny {
  private comm!: Comm;
  private address = '';
  private token = '';
  private readonly children = new Map<number, Child>();
  private closing = false;
  private readonly log: (line: string) => void;
  private resolveClosed!: () => void;
  readonly finished: Promise<void>;
  private id = '';
  private monitor?: NodeJS.Timeout;

  private constructor(private readonly opts: NannyOptions) {
    this.log = opts.log ?? (() => undefined);
    this.finished = new Promise((r) => (this.resolveClosed = r));
  }

  static async start(opts: NannyOptions): Promise<Nanny> {
    checkOptions('Nanny.start', opts, NANNY_OPTIONS);
    const n = new Nanny(opts);
    await n.connect(opts.deathTimeoutMs ?? 60_000);
    for (let i = 0; i < opts.nworkers; i++) n.spawnChild(i, 0);
    const terminate = (opts.memoryLimit ?? 0) * config.get<number>('distributed.worker.memory.terminate');
    if (terminate > 0) {
      n.monitor = setInterval(() => n.checkMemory(terminate), 250);
      n.monitor.unref();
    }
    return n;
  }

  /** Addresses of the running workers (once they registered). */
  get workers(): string[] {
    return [...this.children.values()].flatMap((c) => (c.address ? [c.address] : []));
  }

  get pids(): number[] {
    return [...this.children.values()].flatMap((c) => (c.proc.pid ? [c.proc.pid] : []));
  }

  private async connect(timeoutMs: number): Promise<void> {
    const tls = loadTls(this.opts.tls);
    if (this.opts.schedulerFile) {
      const { comm, file } = await connectViaFile(this.opts.schedulerFile, { role: 'nanny', tls, timeoutMs });
      this.comm = comm;
      this.address = file.address;
      this.token = file.token;
    } else {
      if (!this.opts.scheduler) throw new Error('A scheduler address or a scheduler file is needed');
      if (!this.opts.token) throw new Error('An authentication token is needed with a scheduler address (--token or PDASK_TOKEN)');
      this.address = this.opts.scheduler;
      this.token = this.opts.token;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          this.comm = await connect(this.address, { token: this.token, role: 'nanny', tls });
          break;
        } catch (e) {
          if (Date.now() > deadline || (e as Error).name === 'ConnectionRefusedError') throw e;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    }
    const registered = new Promise<void>((resolve, reject) => {
      this.comm.onMessage((m) => {
        if (m.op === 'registered') {
          this.id = String(m.id);
          resolve();
        } else if (m.op === 'error') reject(new Error(String(m.message)));
        else if (m.op === 'close') void this.close('asked by the scheduler');
        else if (m.op === 'restart-workers') this.restartAll();
      });
      this.comm.onClose((reason) => {
        reject(new Error(`The scheduler closed the connection: ${reason}`));
        void this.onSchedulerLost(reason);
      });
    });
    this.comm.send({ op: 'register-nanny', name: this.opts.name ?? `nanny-${process.pid}` });
    await registered;
  }

  private async onSchedulerLost(reason: string): Promise<void> {
    if (this.closing) return;
    this.log(`Lost the scheduler (${reason}); trying to reconnect`);
    try {
      await this.connect(this.opts.deathTimeoutMs ?? 60_000);
      this.log('Reconnected to the scheduler');
      // Workers exit when their scheduler goes; bring back any that did.
      for (const c of this.children.values()) if (c.proc.exitCode !== null || c.proc.signalCode !== null) this.spawnChild(c.index, c.restarts + 1);
    } catch (e) {
      await this.close(`no scheduler: ${(e as Error).message}`);
    }
  }

  private spawnChild(index: number, restarts: number): void {
    const base = this.opts.name;
    const wopts: Partial<WorkerOptions> = {
      scheduler: this.address,
      token: this.token,
      tls: this.opts.tls,
      nthreads: this.opts.nthreads ?? 1,
      memoryLimit: this.opts.memoryLimit ?? 0,
      name: base ? (this.opts.nworkers > 1 ? `${base}-${index}` : base) : undefined,
      localDirectory: this.opts.localDirectory,
      resources: this.opts.resources,
      host: this.opts.host,
      nanny: this.id,
    };
    const proc = spawn(process.execPath, ['--expose-gc', workerEntry()], {
      env: { ...process.env, ...this.opts.env, PDASK_WORKER_OPTIONS: JSON.stringify(wopts) },
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
    });
    const child: Child = { index, proc, started: Date.now(), restarts };
    this.children.set(index, child);
    let buf = '';
    const pipe = proc.stdio[3] as NodeJS.ReadableStream | null;
    pipe?.setEncoding('utf8');
    pipe?.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const [kind, ...rest] = buf.slice(0, nl).split('\t');
        buf = buf.slice(nl + 1);
        if (kind === 'address') child.address = rest[0];
        else if (kind === 'died') child.died = { code: rest[0] ?? '', running: rest[1] ?? '', last: rest[2] ?? '' };
      }
    });
    pipe?.on('error', () => undefined);
    // 'close' comes after the pipe is drained: the death report (if any) has been read.
    proc.on('close', (code, signal) => this.onChildExit(child, code, signal));
  }

  private onChildExit(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.children.get(child.index) !== child) return;
    const cause = child.killedFor ?? (signal ? `killed by ${signal}` : `exited with code ${code}`);
    if (child.address && !this.comm.isClosed && (code !== 0 || signal)) {
      this.comm.send({
        op: 'worker-died',
        address: child.address,
        cause,
        running: child.died?.running || undefined,
        last: child.died?.last || undefined,
      });
    }
    if (this.closing) {
      this.children.delete(child.index);
      if (this.children.size === 0) this.resolveClosed();
      return;
    }
    this.log(`Worker ${child.address ?? child.index} ${cause}; restarting it`);
    if (this.comm.isClosed) return; // restarted on reconnection
    // A worker that keeps dying at start-up is restarted less and less eagerly.
    const quick = Date.now() - child.started < 1000;
    const delay = quick ? Math.min(5000, 100 * 2 ** Math.min(child.restarts, 6)) : 0;
    setTimeout(() => {
      if (!this.closing && this.children.get(child.index) === child) this.spawnChild(child.index, quick ? child.restarts + 1 : 0);
    }, delay).unref();
  }

  private checkMemory(terminate: number): void {
    for (const c of this.children.values()) {
      if (!c.proc.pid || c.proc.exitCode !== null || c.killedFor) continue;
      const rss = rssOf(c.proc.pid);
      if (rss > terminate) {
        c.killedFor = `exceeded the terminate threshold of its memory limit (${rss} > ${Math.round(terminate)} bytes)`;
        this.log(`Worker ${c.address ?? c.index} ${c.killedFor}: killing it`);
        c.proc.kill('SIGKILL');
      }
    }
  }

  private restartAll(): void {
    for (const c of [...this.children.values()]) {
      // A fresh child per index; the old one's exit is then ignored.
      this.children.delete(c.index);
      c.proc.kill('SIGKILL');
      this.spawnChild(c.index, 0);
    }
  }

  /** Stops the workers (SIGTERM, then SIGKILL after 3 s) and disconnects. */
  async close(reason = 'closing'): Promise<void> {
    if (this.closing) return this.finished;
    this.closing = true;
    if (this.monitor) clearInterval(this.monitor);
    this.log(`Nanny closing: ${reason}`);
    if (this.children.size === 0) this.resolveClosed();
    for (const c of this.children.values()) {
      if (c.proc.exitCode !== null || c.proc.signalCode !== null) {
        this.children.delete(c.index);
        continue;
      }
      c.proc.kill('SIGTERM');
      setTimeout(() => c.proc.kill('SIGKILL'), 3000).unref();
    }
    if (this.children.size === 0) this.resolveClosed();
    if (!this.comm.isClosed) this.comm.close(reason);
    return this.finished;
  }
}
