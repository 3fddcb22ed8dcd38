/**
 * The nanny: supervises worker processes on one machine. It restarts a worker that dies or grows
 * past the terminate fraction of its memory limit, tells the scheduler which task was running
 * when a worker died (so a task that kills workers is caught), and restarts or stops workers when
 * the scheduler asks. Memory is what each worker reports of itself (`rss` lines on its channel,
 * from a thread that keeps reporting while a task blocks the worker), so the limit holds on every
 * platform. One nanny process supervises all `--nworkers` workers of a `pdask-worker`
 * command (Dask starts one nanny process per worker; one is enough to do the job here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOptions, config, intAtLeast, type OptionSchema } from '@pdask/core';
import { bytes, millis, nonNegativeInt, notYet, numberRecord, portOrRange, portRange, protocol, strings } from '../options';
import { registerDistributedConfig } from '../config';
import type { Protocol } from '../comm/address';
import { reachScheduler } from '../comm/reach';
import { reply, replyError } from '../comm/rpc';
import type { TlsFiles } from '../comm/security';
import { loadTls } from '../comm/security';
import { listen, type Comm, type Listener } from '../comm/transport';
import { schedulerToNanny, toNannyTool, type NannyToSchedulerOut, type RegistrationOut, type SchedulerToNanny } from '../protocol/wire';
import { RSS_LINE } from '../worker/rss-reporter';
import { ChildLiveness, livenessPeriodMs, type LivenessVerdict } from './liveness';
import { workerMallocEnv, workerNodeFlags } from '../worker/memory-process';
import { makeNannySpace, makeWorkerSpace, removeSpace, removeStaleSpaces } from '../worker/spill-space';
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
  /** Where workers listen: worker i takes port `first + i` of the range, or the next free one in it (Dask's --worker-port). */
  workerPorts?: [number, number];
  /** Scheme of the workers' addresses (tcp, tls, ws, wss). */
  protocol?: Protocol;
  /** With one worker: the address it publishes instead of where it listens (Dask's --contact-address). */
  contactAddress?: string;
  /**
   * Also listen here (Dask's --nanny-port; a range FIRST:LAST takes the first free port), for tools
   * that ask the nanny about its workers. Without it the nanny only connects out.
   */
  port?: number | [number, number];
  /** Modules each worker process imports at start-up (resolved specifiers). */
  preload?: string[];
  /** Each worker closes gracefully after this long, ± up to `lifetimeStaggerMs` (Dask's --lifetime). */
  lifetimeMs?: number;
  lifetimeStaggerMs?: number;
  /** Start a fresh worker when one reaches its lifetime; otherwise the nanny ends with its last worker. */
  lifetimeRestart?: boolean;
  /** Give up when no scheduler can be reached for this long (default 60 s). */
  deathTimeoutMs?: number;
  /**
   * Kill a worker whose event loop has not ticked (or that sent no liveness report) for this long,
   * blaming the task it was running (default config 'distributed.nanny.liveness-timeout-ms',
   * 300 s like the scheduler's worker TTL; 0: never).
   */
  livenessTimeoutMs?: number;
  /** Extra environment for the worker processes. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Dask's names, refused with pdask's: `lifetime` (lifetimeMs), `interface` (host), `worker_port` (workerPorts), `nanny_port` (port). */
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
  livenessTimeoutMs: millis,
  workerPorts: portRange,
  protocol,
  contactAddress: 'string',
  port: portOrRange,
  preload: strings,
  lifetimeMs: millis,
  lifetimeStaggerMs: millis,
  lifetimeRestart: 'boolean',
  env: 'object',
  log: 'function',
  lifetime: notYet("pdask's option is lifetimeMs (milliseconds)"),
  interface: notYet("pdask's option is host (an address to listen on)"),
  workerPort: notYet("pdask's option is workerPorts ([first, last])"),
  nannyPort: notYet("pdask's option is port"),
};

interface Child {
  index: number;
  proc: ChildProcess;
  address?: string;
  died?: { code: string; running: string; last: string };
  started: number;
  restarts: number;
  killedFor?: string;
  liveness?: ChildLiveness;
  /** The task it ran past its timeout (it was killed for it). */
  timedOut?: { key: string; timeoutMs: number };
  /** The task it was running when the nanny killed it. */
  killedIn?: string;
  /** It closed at the end of its lifetime: restart it, or let it go. */
  retired?: 'restart' | 'stop';
  /** Its own local directory (spill files), removed when the process is gone. */
  dir: string;
  /** It refused to start (its memory limit cannot hold it): restarting would not help. */
  refused?: string;
}

/** Finds the built worker-process entry next to this module (dist) or from the sources (tests). */
export function workerEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const c of [join(here, 'worker-process.js'), join(here, '..', 'worker-process.js'), join(here, '..', '..', 'dist', 'worker-process.js')]) {
    if (existsSync(c)) return c;
  }
  throw new Error(`Cannot find the built worker entry (worker-process.js) near ${here}: build @pdask/distributed first (npm run build -w packages/distributed)`);
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
  /** Bytes past which a worker is killed and restarted (0: never). */
  private terminateAt = 0;
  private listener?: Listener;
  private livenessMs = 0;
  private livenessTimer?: NodeJS.Timeout;
  /** The directory holding the workers' local directories (removed at close). */
  private space?: string;
  /** Why the workers refused to start, if they did (the nanny then closes). */
  refusal: string | undefined;

  private constructor(private readonly opts: NannyOptions) {
    this.log = opts.log ?? (() => undefined);
    this.finished = new Promise((r) => (this.resolveClosed = r));
  }

  static async start(opts: NannyOptions): Promise<Nanny> {
    checkOptions('Nanny.start', opts, NANNY_OPTIONS);
    const n = new Nanny(opts);
    await n.connect(opts.deathTimeoutMs ?? 60_000);
    if (opts.port !== undefined) {
      try {
        n.listener = await n.listenForTools(opts.port);
      } catch (e) {
        n.comm.close('nanny failed to start');
        throw new Error(`The nanny cannot listen on port ${Array.isArray(opts.port) ? opts.port.join(':') : opts.port}: ${(e as Error).message}`);
      }
      n.log(`Nanny listening at ${n.listener.address}`);
    }
    n.terminateAt = (opts.memoryLimit ?? 0) * config.get<number>('distributed.worker.memory.terminate');
    n.startLivenessChecks();
    n.space = makeNannySpace(opts.localDirectory);
    for (let i = 0; i < opts.nworkers; i++) n.spawnChild(i, 0);
    return n;
  }

  /** Where the nanny listens (with --nanny-port), else undefined. */
  get listenAddress(): string | undefined {
    return this.listener?.address;
  }

  private async listenForTools(port: number | [number, number]): Promise<Listener> {
    const [first, last] = typeof port === 'number' ? [port, port] : port;
    const tls = loadTls(this.opts.tls);
    for (let p = first; ; p++) {
      try {
        return await listen({
          host: this.opts.host ?? '127.0.0.1',
          port: p,
          // Whoever may talk to the workers (they hold the scheduler's token) may ask the nanny.
          token: this.token,
          tls,
          protocol: this.opts.protocol,
          onConnection: (comm) =>
            comm.onMessage((raw) => {
              try {
                const m = toNannyTool.parse(raw);
                reply(comm, m, { type: 'nanny', pid: process.pid, name: this.opts.name, workers: this.workers, nworkers: this.opts.nworkers });
              } catch (e) {
                replyError(comm, raw, e);
              }
            }),
        });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || p >= last) throw e;
      }
    }
  }

  /** Addresses of the running workers (once they registered). */
  get workers(): string[] {
    return [...this.children.values()].flatMap((c) => (c.address ? [c.address] : []));
  }

  get pids(): number[] {
    return [...this.children.values()].flatMap((c) => (c.proc.pid ? [c.proc.pid] : []));
  }

  private toScheduler(m: NannyToSchedulerOut): void {
    this.comm.send(m);
  }

  private async connect(timeoutMs: number): Promise<void> {
    const tls = loadTls(this.opts.tls);
    let target: { schedulerFile: string } | { address: string; token: string };
    if (this.opts.schedulerFile) target = { schedulerFile: this.opts.schedulerFile };
    else {
      if (!this.opts.scheduler) throw new Error('A scheduler address or a scheduler file is needed');
      if (!this.opts.token) throw new Error('An authentication token is needed with a scheduler address (--token or PDASK_TOKEN)');
      target = { address: this.opts.scheduler, token: this.opts.token };
    }
    const reached = await reachScheduler(target, { role: 'nanny', tls, timeoutMs, log: this.log });
    this.comm = reached.comm;
    this.address = reached.address;
    this.token = reached.token;
    const registered = new Promise<void>((resolve, reject) => {
      this.comm.onMessage((raw) => {
        let m: SchedulerToNanny;
        try {
          m = schedulerToNanny.parse(raw);
        } catch (e) {
          this.log(`Bad '${raw.op}' message from the scheduler: ${(e as Error).message}`);
          return;
        }
        if (m.op === 'registered') {
          this.id = m.id;
          resolve();
        } else if (m.op === 'error') reject(new Error(m.message));
        else if (m.op === 'close') void this.close('asked by the scheduler');
        else if (m.op === 'restart-workers') this.restartAll();
        else if (m.op === 'kill-worker') this.killWorker(m.address, m.reason ?? 'asked by the scheduler');
      });
      this.comm.onClose((reason) => {
        reject(new Error(`The scheduler closed the connection: ${reason}`));
        void this.onSchedulerLost(reason);
      });
    });
    this.comm.send({ op: 'register-nanny', name: this.opts.name ?? `nanny-${process.pid}` } satisfies RegistrationOut);
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
    const dir = makeWorkerSpace(this.space!, index);
    const wopts: Partial<WorkerOptions> = {
      scheduler: this.address,
      token: this.token,
      tls: this.opts.tls,
      nthreads: this.opts.nthreads ?? 1,
      memoryLimit: this.opts.memoryLimit ?? 0,
      name: base ? (this.opts.nworkers > 1 ? `${base}-${index}` : base) : undefined,
      localDirectory: dir,
      resources: this.opts.resources,
      host: this.opts.host,
      port: this.opts.workerPorts ? this.opts.workerPorts[0] + index : undefined,
      portRange: this.opts.workerPorts,
      protocol: this.opts.protocol,
      contactAddress: this.opts.contactAddress,
      nanny: this.id,
      deathTimeoutMs: this.opts.deathTimeoutMs,
      preload: this.opts.preload,
      lifetimeMs: this.opts.lifetimeMs,
      lifetimeStaggerMs: this.opts.lifetimeStaggerMs,
      lifetimeRestart: this.opts.lifetimeRestart,
    };
    const limit = this.opts.memoryLimit ?? 0;
    const proc = spawn(process.execPath, [...workerNodeFlags(limit), workerEntry()], {
      env: {
        ...process.env,
        ...workerMallocEnv(limit, { ...process.env, ...this.opts.env }),
        ...this.opts.env,
        PDASK_WORKER_OPTIONS: JSON.stringify(wopts),
        // Reports come even without a liveness timeout: they name the task a hung worker is stuck
        // in when the scheduler has it killed for missed heartbeats.
        PDASK_WORKER_LIVENESS_MS: String(livenessPeriodMs(this.livenessMs > 0 ? this.livenessMs : 4000)),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
    });
    const child: Child = { index, proc, started: Date.now(), restarts, liveness: new ChildLiveness(this.livenessMs), dir };
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
        const verdict = kind === RSS_LINE ? undefined : child.liveness?.onLine(kind, rest);
        if (kind === RSS_LINE) this.onRss(child, Number(rest[0]));
        else if (verdict) this.onLiveness(child, verdict);
        else if (kind === 'address') child.address = rest[0];
        else if (kind === 'retire') child.retired = rest[0] === 'restart' ? 'restart' : 'stop';
        else if (kind === 'refused') child.refused = rest.join('\t');
        else if (kind === 'died') child.died = { code: rest[0] ?? '', running: rest[1] ?? '', last: rest[2] ?? '' };
      }
    });
    pipe?.on('error', () => undefined);
    // 'close' comes after the pipe is drained: the death report (if any) has been read.
    proc.on('close', (code, signal) => {
      removeSpace(child.dir);
      this.onChildExit(child, code, signal);
    });
  }

  private onChildExit(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.children.get(child.index) !== child) return;
    const cause = child.killedFor ?? (signal ? `killed by ${signal}` : `exited with code ${code}`);
    if (child.address && !this.comm.isClosed && (code !== 0 || signal)) {
      // The task to blame: the one whose code the worker was in when it died (it says so at exit),
      // else the one it was running when the nanny killed it. A worker that reported its death
      // outside any task blames none ('reported').
      const running = child.died ? child.died.running : (child.killedIn ?? child.liveness?.running);
      this.toScheduler({
        op: 'worker-died',
        address: child.address,
        cause,
        running: running || undefined,
        reported: child.died !== undefined,
        timedOut: child.timedOut?.key,
        timeoutMs: child.timedOut?.timeoutMs,
      });
    }
    if (this.closing) {
      this.children.delete(child.index);
      if (this.children.size === 0) this.resolveClosed();
      return;
    }
    if (child.refused) {
      this.refusal = child.refused;
      this.log(`Worker ${child.index} refused to start: ${child.refused}`);
      this.children.delete(child.index);
      if (this.children.size === 0) void this.close(`worker refused to start: ${child.refused}`);
      return;
    }
    if (child.retired === 'stop') {
      // As in Dask, a worker past its lifetime takes its nanny with it once no worker is left.
      this.log(`Worker ${child.address ?? child.index} reached its lifetime`);
      this.children.delete(child.index);
      if (this.children.size === 0) void this.close('every worker reached its lifetime');
      return;
    }
    if (child.retired === 'restart') {
      this.log(`Worker ${child.address ?? child.index} reached its lifetime; starting a new one`);
      this.spawnChild(child.index, 0);
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

  private onRss(c: Child, rss: number): void {
    if (!Number.isFinite(rss)) return;
    if (this.terminateAt <= 0 || c.killedFor || c.proc.exitCode !== null || c.proc.signalCode !== null || this.children.get(c.index) !== c) return;
    if (rss > this.terminateAt) {
      c.killedFor = `exceeded the terminate threshold of its memory limit (${rss} > ${Math.round(this.terminateAt)} bytes)`;
      this.log(`Worker ${c.address ?? c.index} ${c.killedFor}: killing it`);
      c.proc.kill('SIGKILL');
    }
  }

  private startLivenessChecks(): void {
    this.livenessMs = this.opts.livenessTimeoutMs ?? config.get<number>('distributed.nanny.liveness-timeout-ms');
    if (this.livenessMs <= 0) return;
    this.livenessTimer = setInterval(() => {
      for (const c of this.children.values()) {
        const v = c.liveness?.check();
        if (v) this.onLiveness(c, v);
      }
    }, livenessPeriodMs(this.livenessMs)).unref();
  }

  private onLiveness(c: Child, v: LivenessVerdict): void {
    if (!v.kill || c.killedFor || c.proc.exitCode !== null || c.proc.signalCode !== null || this.children.get(c.index) !== c) return;
    c.killedIn = v.running;
    c.timedOut = v.timedOut;
    this.kill(c, v.cause);
  }

  /** The scheduler dropped this worker (e.g. for missed heartbeats): it must not live on, hung. */
  private killWorker(address: string, reason: string): void {
    for (const c of this.children.values()) {
      if (c.address !== address || c.killedFor || c.proc.exitCode !== null || c.proc.signalCode !== null) continue;
      c.killedIn = c.liveness?.running;
      this.kill(c, reason);
    }
  }

  private kill(c: Child, cause: string): void {
    c.killedFor = cause;
    this.log(`Worker ${c.address ?? c.index} ${cause}: killing it`);
    c.proc.kill('SIGKILL');
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
    clearInterval(this.livenessTimer);
    this.log(`Nanny closing: ${reason}`);
    // Before anyone awaiting `finished` resumes: the workers' directories go with the nanny, and
    // those of nannies (and their workers) killed since this one started, which nothing else removes.
    void this.finished.then(() => {
      removeSpace(this.space);
      if (this.space) removeStaleSpaces(dirname(this.space));
    });
    void this.listener?.close();
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
