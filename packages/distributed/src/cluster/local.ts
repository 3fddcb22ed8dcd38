/**
 * LocalCluster: a scheduler in this process and workers on this machine — separate processes
 * under in-process nannies (the default, like Dask), or Worker objects in this process
 * (`processes: false`, for tests and debugging).
 */
import { checkOptions, config, intAtLeast, type OptionSchema } from '@pdask/core';
import { bytes, checkCount, millis, nonNegativeInt, notYet, strings } from '../options';
import { Scheduler } from '../scheduler/scheduler';
import { localSocketPath } from './local-socket';
import { Nanny } from '../nanny/nanny';
import { Worker } from '../worker/worker';

export interface LocalClusterOptions {
  /** Worker count (default 2). */
  nWorkers?: number;
  /** Tasks in flight per worker (default 1). */
  threadsPerWorker?: number;
  /** Workers as separate processes (default true). */
  processes?: boolean;
  /** Bytes per worker; 0 = none (default). */
  memoryLimit?: number;
  localDirectory?: string;
  /** Scheduler port (default 0: any free one). Everything listens on 127.0.0.1. */
  schedulerPort?: number;
  /** Also publish a scheduler file here. */
  schedulerFile?: string;
  /** Environment for worker processes. */
  env?: NodeJS.ProcessEnv;
  workerTtlMs?: number;
  /** Print scheduler and worker logs (default false). */
  verbose?: boolean;
  /** Serve the scheduler's dashboard here (`127.0.0.1:8787`, `:0` for any free port). Default: none. */
  dashboardAddress?: string;
  /** Origins of web pages whose browser clients may connect to the scheduler (default: config, none). */
  allowedOrigins?: string[];
  /** Not implemented: Dask's `protocol`, `security`, `host`, `resources`, `worker_class`, `silence_logs` (pdask's is `verbose`). */
  protocol?: never;
  security?: never;
  host?: never;
  resources?: never;
  workerClass?: never;
  silenceLogs?: never;
}

const LOCAL_CLUSTER_OPTIONS: OptionSchema<LocalClusterOptions> = {
  nWorkers: nonNegativeInt,
  threadsPerWorker: intAtLeast(1),
  processes: 'boolean',
  memoryLimit: bytes,
  localDirectory: 'string',
  schedulerPort: nonNegativeInt,
  schedulerFile: 'string',
  env: 'object',
  workerTtlMs: millis,
  verbose: 'boolean',
  dashboardAddress: 'string',
  allowedOrigins: strings,
  protocol: notYet('tcp only'),
  security: notYet('TLS for a LocalCluster: start Scheduler and Nanny with { tls } instead'),
  host: notYet('a LocalCluster listens on 127.0.0.1 only'),
  resources: notYet(),
  workerClass: notYet(),
  silenceLogs: notYet("logs are off unless { verbose: true }"),
};

export class LocalCluster {
  private readonly nannies: Nanny[] = [];
  private readonly inProcess: Worker[] = [];
  private closed = false;

  private constructor(
    readonly scheduler: Scheduler,
    private readonly opts: LocalClusterOptions,
  ) {}

  static async start(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
    checkOptions('LocalCluster.start', opts, LOCAL_CLUSTER_OPTIONS);
    const log = opts.verbose ? (l: string) => console.error(`[pdask] ${l}`) : undefined;
    const scheduler = await Scheduler.start({
      port: opts.schedulerPort ?? 0,
      ...(config.get<boolean>('distributed.comm.local-socket', true) ? withLocalSocket(localSocketPath()) : {}),
      schedulerFile: opts.schedulerFile,
      workerTtlMs: opts.workerTtlMs,
      dashboardAddress: opts.dashboardAddress,
      log,
      ...(opts.allowedOrigins ? { allowedOrigins: opts.allowedOrigins } : {}),
    });
    const c = new LocalCluster(scheduler, opts);
    try {
      await c.scale(opts.nWorkers ?? 2);
    } catch (e) {
      await c.close();
      throw e;
    }
    return c;
  }

  get schedulerAddress(): string {
    return this.scheduler.address;
  }

  get token(): string {
    return this.scheduler.token;
  }

  /** The dashboard's status page, when started with `dashboardAddress` (Dask's `cluster.dashboard_link`). */
  get dashboardLink(): string | undefined {
    return this.scheduler.dashboardLink;
  }

  /** Process ids of the worker processes (for fault tests). */
  get workerPids(): number[] {
    return this.nannies.flatMap((n) => n.pids);
  }

  get nWorkers(): number {
    return this.opts.processes === false ? this.inProcess.length : this.nannies.length;
  }

  /** Grows or shrinks to n workers; resolves when the scheduler sees exactly that many. */
  async scale(n: number, timeoutMs = 30_000): Promise<void> {
    checkCount('LocalCluster.scale', n);
    const processes = this.opts.processes ?? true;
    const common = { nthreads: this.opts.threadsPerWorker ?? 1, memoryLimit: this.opts.memoryLimit ?? 0, localDirectory: this.opts.localDirectory };
    while (this.nWorkers < n) {
      if (processes) {
        this.nannies.push(
          await Nanny.start({
            scheduler: this.scheduler.address,
            token: this.scheduler.token,
            nworkers: 1,
            ...common,
            env: {
              ...this.opts.env,
              ...(this.opts.verbose ? {} : { PDASK_WORKER_QUIET: '1' }),
              ...(this.scheduler.localSocket ? { PDASK_SCHEDULER_SOCKET: this.scheduler.localSocket } : {}),
            },
            deathTimeoutMs: 5000,
          }),
        );
      } else {
        this.inProcess.push(await Worker.start({ scheduler: this.scheduler.address, token: this.scheduler.token, ...common }));
      }
    }
    while (this.nWorkers > n) {
      if (processes) await this.nannies.pop()!.close('scaled down');
      else await this.inProcess.pop()!.close('scaled down');
    }
    const t0 = Date.now();
    while (this.scheduler.workers.size !== n) {
      const refused = this.nannies.find((x) => x.refusal);
      if (refused) throw new Error(`LocalCluster: ${refused.refusal}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`LocalCluster: ${this.scheduler.workers.size} of ${n} workers registered within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.nannies.map((n) => n.close('cluster closing')), ...this.inProcess.map((w) => w.close('cluster closing'))]);
    await this.scheduler.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function withLocalSocket(path: string | undefined): { localSocket?: string } {
  return path === undefined ? {} : { localSocket: path };
}
