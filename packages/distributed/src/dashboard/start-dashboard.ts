/**
 * `startDashboard()`: the dashboard for a single-machine user on core's threads executor (no
 * cluster). It watches the thread pool that `compute()` uses by default.
 */
import { checkOptions, sharedThreadsExecutor, type OptionSchema, type ThreadPool } from '@pdask/core';
import { millis, nonNegativeInt } from '../options';
import { loadTls, type TlsFiles } from '../comm/security';
import { isLoopbackHost, parseDashboardAddress } from './auth';
import { DashboardServer } from './server';
import { ThreadPoolDashboardSource } from './threads-source';

export interface StartDashboardOptions {
  /** `host:port` or `:port` (default 127.0.0.1:8787; port 0 = any free port). */
  address?: string;
  /** The pool to watch (default: the shared pool of the threads executor, as compute() uses). */
  pool?: ThreadPool;
  /** Required on a non-loopback address (there is no cluster token to borrow). */
  token?: string;
  /** Ask for the token even on a loopback address. */
  requireToken?: boolean;
  /** HTTPS with this certificate and key. */
  tls?: TlsFiles;
  /** Least time between two pushes of live frames (default 200 ms). */
  intervalMs?: number;
  /** Task-stream entries kept (default 10,000). */
  taskStreamLimit?: number;
  /** The pages' built files (default: this package's dist/dashboard). */
  staticDir?: string;
}

const OPTIONS: OptionSchema<StartDashboardOptions> = {
  address: 'string',
  pool: 'object',
  token: 'string',
  requireToken: 'boolean',
  tls: 'object',
  intervalMs: millis,
  taskStreamLimit: nonNegativeInt,
  staticDir: 'string',
};

export interface LocalDashboard {
  /** The status page, e.g. `http://127.0.0.1:8787/status`. */
  readonly link: string;
  readonly port: number;
  /** Stops serving and watching the pool. */
  close(): Promise<void>;
}

export async function startDashboard(opts: StartDashboardOptions = {}): Promise<LocalDashboard> {
  checkOptions('startDashboard', opts, OPTIONS);
  const { host, port } = parseDashboardAddress(opts.address ?? '127.0.0.1:8787');
  if (!isLoopbackHost(host) && !opts.token) {
    throw new Error(`startDashboard: ${host} is reachable from other machines: give a { token } that visitors must present`);
  }
  const pool = opts.pool ?? sharedThreadsExecutor().pool;
  const source = new ThreadPoolDashboardSource(pool, { startedAt: Date.now(), taskStreamLimit: opts.taskStreamLimit || undefined });
  let server: DashboardServer;
  try {
    server = await DashboardServer.start({
      source,
      host,
      port,
      token: opts.token,
      requireToken: opts.requireToken,
      tls: loadTls(opts.tls),
      intervalMs: opts.intervalMs,
      staticDir: opts.staticDir,
    });
  } catch (e) {
    source.close();
    throw e;
  }
  source.model.info.dashboard = server.link;
  return {
    link: server.link,
    port: server.port,
    async close() {
      source.close();
      await server.close();
    },
  };
}
