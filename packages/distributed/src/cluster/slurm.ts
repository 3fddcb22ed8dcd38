/**
 * SlurmCluster (like dask-jobqueue's SLURMCluster): a scheduler in this process; workers are SLURM
 * jobs submitted with `sbatch`, each running `pdask-worker` against a scheduler file on shared
 * storage. `scale(n)` submits or cancels jobs.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { checkOptions, intAtLeast, type OptionSchema } from '@pdask/core';
import { checkCount, notYet, strings } from '../options';
import { Scheduler } from '../scheduler/scheduler';

const run = promisify(execFile);

export interface SlurmClusterOptions {
  /** Worker processes per job (`--nworkers`), default 1. */
  processes?: number;
  /** Tasks in flight per worker process, default 1. */
  threads?: number;
  /** CPUs per job (`--cpus-per-task`), default processes × threads. */
  cores?: number;
  /** Memory per job, SLURM syntax (e.g. "4G"); also the workers' total memory limit. */
  memory?: string;
  walltime?: string;
  partition?: string;
  account?: string;
  jobName?: string;
  /** More `#SBATCH` lines, e.g. ['--constraint=x']. */
  jobExtraDirectives?: string[];
  /** Shell lines run before the worker starts (module load ..., export ...). */
  jobScriptPrologue?: string[];
  /** Shared directory for the scheduler file, job scripts' output and spill (default ./pdask-slurm). */
  directory?: string;
  /** The worker command (default: this Node running this package's pdask-worker). */
  workerCommand?: string;
  /** Interface the scheduler listens on (default 127.0.0.1; use the cluster network's on real clusters). */
  host?: string;
  /** dask-jobqueue's names for options pdask calls otherwise: `queue` (→ partition), `interface` (→ host), `name` (→ jobName). */
  queue?: never;
  interface?: never;
  name?: never;
  /** Not implemented: dask-jobqueue's `log_directory`, `local_directory`, `job_cpu`, `job_mem`, `worker_extra_args`, `death_timeout`, `shebang`, `python`, `nanny`. */
  logDirectory?: never;
  localDirectory?: never;
  jobCpu?: never;
  jobMem?: never;
  workerExtraArgs?: never;
  deathTimeout?: never;
  shebang?: never;
  python?: never;
  nanny?: never;
}

const SLURM_OPTIONS: OptionSchema<SlurmClusterOptions> = {
  processes: intAtLeast(1),
  threads: intAtLeast(1),
  cores: intAtLeast(1),
  memory: 'string',
  walltime: 'string',
  partition: 'string',
  account: 'string',
  jobName: 'string',
  jobExtraDirectives: strings,
  jobScriptPrologue: strings,
  directory: 'string',
  workerCommand: 'string',
  host: 'string',
  queue: notYet("pdask's option is partition"),
  interface: notYet("pdask's option is host (an address to listen on)"),
  name: notYet("pdask's option is jobName"),
  logDirectory: notYet('job logs go to the directory option'),
  localDirectory: notYet('spill goes to <directory>/spill'),
  jobCpu: notYet("pdask's option is cores"),
  jobMem: notYet("pdask's option is memory"),
  workerExtraArgs: notYet(),
  deathTimeout: notYet(),
  shebang: notYet(),
  python: notYet("pdask's option is workerCommand"),
  nanny: notYet(),
};

export interface SlurmJob {
  id: string;
}

function builtWorkerCli(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const c of [join(here, 'cli', 'worker.js'), join(here, '..', 'cli', 'worker.js'), join(here, '..', '..', 'dist', 'cli', 'worker.js')]) {
    if (existsSync(c)) return c;
  }
  throw new Error('Cannot find the built pdask-worker CLI: build @pdask/distributed first');
}

export class SlurmCluster {
  readonly jobs: SlurmJob[] = [];
  private closed = false;

  private constructor(
    readonly scheduler: Scheduler,
    private readonly opts: SlurmClusterOptions,
    readonly schedulerFile: string,
    private readonly dir: string,
  ) {}

  static async start(opts: SlurmClusterOptions = {}): Promise<SlurmCluster> {
    checkOptions('SlurmCluster.start', opts, SLURM_OPTIONS);
    const dir = resolve(opts.directory ?? 'pdask-slurm');
    mkdirSync(dir, { recursive: true });
    const schedulerFile = join(dir, 'scheduler.json');
    const scheduler = await Scheduler.start({ host: opts.host, schedulerFile });
    return new SlurmCluster(scheduler, opts, schedulerFile, dir);
  }

  get schedulerAddress(): string {
    return this.scheduler.address;
  }

  get token(): string {
    return this.scheduler.token;
  }

  /** The batch script of one worker job (Dask-jobqueue's `job_script()`). */
  jobScript(): string {
    const o = this.opts;
    const processes = o.processes ?? 1;
    const threads = o.threads ?? 1;
    const lines = ['#!/usr/bin/env bash', `#SBATCH --job-name=${o.jobName ?? 'pdask-worker'}`, '#SBATCH --nodes=1', '#SBATCH --ntasks=1'];
    lines.push(`#SBATCH --cpus-per-task=${o.cores ?? processes * threads}`);
    if (o.memory) lines.push(`#SBATCH --mem=${o.memory}`);
    if (o.walltime) lines.push(`#SBATCH --time=${o.walltime}`);
    if (o.partition) lines.push(`#SBATCH --partition=${o.partition}`);
    if (o.account) lines.push(`#SBATCH --account=${o.account}`);
    lines.push(`#SBATCH --output=${join(this.dir, 'worker-%j.log')}`);
    for (const d of o.jobExtraDirectives ?? []) lines.push(`#SBATCH ${d}`);
    lines.push(...(o.jobScriptPrologue ?? []));
    const cmd = o.workerCommand ?? `${JSON.stringify(process.execPath)} ${JSON.stringify(builtWorkerCli())}`;
    const mem = o.memory ? ` --memory-limit ${JSON.stringify(perWorker(o.memory, processes))}` : ' --memory-limit 0';
    lines.push(
      `exec ${cmd} --scheduler-file ${JSON.stringify(this.schedulerFile)} --nworkers ${processes} --nthreads ${threads}${mem} --name "slurm-$SLURM_JOB_ID" --local-directory ${JSON.stringify(join(this.dir, 'spill'))} --death-timeout 60s`,
    );
    return `${lines.join('\n')}\n`;
  }

  /** Submits or cancels jobs until `n` are queued or running. */
  async scale(n: number): Promise<void> {
    checkCount('SlurmCluster.scale', n);
    while (this.jobs.length < n) {
      const { stdout } = await sbatch(this.jobScript());
      const id = /(\d+)/.exec(stdout)?.[1];
      if (!id) throw new Error(`sbatch did not print a job id: ${stdout}`);
      this.jobs.push({ id });
    }
    const extra = this.jobs.splice(n);
    if (extra.length) await run('scancel', extra.map((j) => j.id));
  }

  /** Waits until `n` worker processes have joined the scheduler. */
  async waitForWorkers(n: number, timeoutMs = 120_000): Promise<void> {
    const t0 = Date.now();
    while (this.scheduler.workers.size < n) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`SlurmCluster: ${this.scheduler.workers.size} of ${n} workers joined within ${timeoutMs / 1000} s (see ${this.dir}/worker-*.log and squeue)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.scheduler.close();
    const ids = this.jobs.splice(0).map((j) => j.id);
    if (ids.length) await run('scancel', ids).catch(() => undefined);
  }
}

function sbatch(script: string): Promise<{ stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile('sbatch', ['--parsable'], (err, stdout, stderr) => {
      if (err) reject(new Error(`sbatch failed: ${stderr || err.message}`));
      else resolvePromise({ stdout });
    });
    child.stdin?.end(script);
  });
}

/** "8G" over 2 workers -> "4096MiB" each. */
function perWorker(mem: string, processes: number): string {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)B?$/i.exec(mem.trim());
  if (!m) return mem;
  const mult: Record<string, number> = { '': 2 ** 20, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
  const bytes = Number(m[1]) * mult[m[2].toUpperCase()];
  return `${Math.floor(bytes / processes / 2 ** 20)}MiB`;
}
